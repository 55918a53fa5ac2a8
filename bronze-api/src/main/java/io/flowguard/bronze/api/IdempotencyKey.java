package io.flowguard.bronze.api;

import java.util.Objects;

/**
 * Derives a record's ingestion id: the key a {@link BronzeSink} stores at most once per table.
 *
 * <p>The default, {@link #topicPartitionOffset()}, makes a re-delivered Kafka record (after a crash, restart or rebalance)
 * land once. {@link #payloadField(String)} also collapses events a producer sent twice under the same id, at the cost of
 * making sinks unable to prune their duplicate check by offset range.
 *
 * <p>Implementations must be stateless and thread-safe.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface IdempotencyKey {

    /**
     * @return a non-empty id for this event
     * @throws MetadataExtractionException when the id cannot be derived; the engine dead-letters the record
     */
    String keyFor(EventView event);

    /** The default: {@code topic-partition-offset}, e.g. {@code orders-3-1042}. */
    static IdempotencyKey topicPartitionOffset() {
        return TopicPartitionOffset.INSTANCE;
    }

    /**
     * The value of a JSON payload field (dotted path), e.g. {@code payloadField("event_id")}. A record without the field
     * is dead-lettered at stage {@link DeadLetter.Stage#EXTRACT}.
     */
    static IdempotencyKey payloadField(String path) {
        MetadataRule.requirePath(path);
        return event -> event.field(path)
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> new MetadataExtractionException(
                        "ingestionId", "payload field '" + path + "' used as idempotency key is missing or empty"));
    }

    /** Formats the default ingestion id. */
    static String formatTopicPartitionOffset(String topic, int partition, long offset) {
        return topic + '-' + partition + '-' + offset;
    }

    /** The default key as a named singleton, so {@code toString} and equality are meaningful. */
    final class TopicPartitionOffset implements IdempotencyKey {
        static final TopicPartitionOffset INSTANCE = new TopicPartitionOffset();

        private TopicPartitionOffset() {}

        @Override
        public String keyFor(EventView event) {
            Objects.requireNonNull(event, "event");
            return formatTopicPartitionOffset(event.topic(), event.partition(), event.offset());
        }

        @Override
        public String toString() {
            return "topic-partition-offset";
        }
    }
}
