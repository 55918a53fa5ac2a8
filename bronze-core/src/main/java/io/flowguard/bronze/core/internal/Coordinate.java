package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where a record came from: topic, partition, offset. */
record Coordinate(String topic, int partition, long offset) {
    static Coordinate of(ConsumerRecord<byte[], byte[]> r) {
        return new Coordinate(r.topic(), r.partition(), r.offset());
    }

    static Coordinate of(DeadLetter d) {
        return new Coordinate(d.topic(), d.partition(), d.offset());
    }
}
