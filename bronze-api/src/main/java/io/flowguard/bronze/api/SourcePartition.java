package io.flowguard.bronze.api;

import java.util.Objects;

/**
 * A Kafka topic-partition as the API names it: the coordinate of an offset range, a resume position or a ledger entry.
 * The API depends on the JDK only, so it does not use kafka-clients' {@code TopicPartition}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param topic     the topic name, never null or blank
 * @param partition the partition number, {@code >= 0}
 * @since 0.2.0
 */
public record SourcePartition(String topic, int partition) implements Comparable<SourcePartition> {

    public SourcePartition {
        Objects.requireNonNull(topic, "topic");
        if (topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, but was " + partition);
        }
    }

    /** Orders by topic, then partition: the order in which sinks lock tables and engines log partitions. */
    @Override
    public int compareTo(SourcePartition other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
