package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.FlushTrigger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One batch handed from the poll thread to the writer: the raw records in poll order; per partition the offset to
 * commit once every one of them is in the sink or the dead-letter sink (last offset + 1); and per partition the
 * ownership epoch it was formed under (see {@link CommitTracker}).
 */
record Batch(
        long id,
        List<ConsumerRecord<byte[], byte[]>> records,
        Map<TopicPartition, OffsetAndMetadata> commitOffsets,
        Map<TopicPartition, Long> epochs,
        long bytes,
        FlushTrigger trigger) {

    /** A batch for the writer alone (backfills and tests): no ownership epochs. */
    Batch(
            long id,
            List<ConsumerRecord<byte[], byte[]>> records,
            Map<TopicPartition, OffsetAndMetadata> commitOffsets,
            long bytes,
            FlushTrigger trigger) {
        this(id, records, commitOffsets, Map.of(), bytes, trigger);
    }

    /** The lowest offset per partition in this batch. */
    Map<TopicPartition, Long> firstOffsets() {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        return first;
    }
}
