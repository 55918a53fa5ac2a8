package io.flowguard.bronze.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A {@link MockConsumer} for engine property tests (a trimmed copy of bronze-core's test helper): an empty poll parks
 * briefly instead of spinning, and commits are remembered so tests can read them after the engine closed the consumer.
 */
class MockKafkaConsumer extends MockConsumer<byte[], byte[]> {
    private final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();

    MockKafkaConsumer() {
        super("earliest");
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        ConsumerRecords<byte[], byte[]> r = super.poll(timeout);
        if (r.isEmpty() && !timeout.isZero()) {
            LockSupport.parkNanos(Math.min(timeout.toNanos(), 2_000_000L)); // like a real poll waiting for data
        }
        return r;
    }

    /** Assigns partitions 0..n-1 of {@code topic} with beginning offsets 0 and queues {@code values} to partition 0. */
    void assignAndFeed(String topic, int partitions, List<String> values) {
        List<TopicPartition> tps = new ArrayList<>();
        Map<TopicPartition, Long> begin = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            tps.add(tp);
            begin.put(tp, 0L);
        }
        schedulePollTask(() -> {
            rebalance(tps);
            updateBeginningOffsets(begin);
        });
        schedulePollTask(() -> {
            for (int i = 0; i < values.size(); i++) {
                byte[] v = values.get(i).getBytes(StandardCharsets.UTF_8);
                addRecord(new ConsumerRecord<>(
                        topic,
                        0,
                        i,
                        1_700_000_000_000L + i,
                        TimestampType.CREATE_TIME,
                        3,
                        v.length,
                        "key".getBytes(StandardCharsets.UTF_8),
                        v,
                        new RecordHeaders(),
                        Optional.empty()));
            }
        });
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        super.commitSync(offsets);
        offsets.forEach((tp, om) -> commits.merge(tp, om.offset(), Math::max));
    }

    @Override
    public synchronized void commitAsync(
            Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        super.commitAsync(offsets, callback);
        offsets.forEach((tp, om) -> commits.merge(tp, om.offset(), Math::max));
    }

    /** The highest offset committed for a partition, or -1. */
    long committed(String topic, int partition) {
        return commits.getOrDefault(new TopicPartition(topic, partition), -1L);
    }
}
