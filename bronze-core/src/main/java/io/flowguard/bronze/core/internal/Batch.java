package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.FlushTrigger;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One batch handed from the poll thread to the writer: the raw records in poll order, and per partition the offset to
 * commit once every one of them is in the sink or the dead-letter sink (last offset + 1).
 */
record Batch(long id, List<ConsumerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> commitOffsets,
             long bytes, FlushTrigger trigger) {
}
