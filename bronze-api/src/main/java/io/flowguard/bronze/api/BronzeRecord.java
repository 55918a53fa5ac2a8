package io.flowguard.bronze.api;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Bronze record envelope: one Kafka event, its untouched JSON payload and the metadata every Bronze row carries.
 *
 * <p>Column mapping in the warehouse: {@code INGESTION_ID} (the idempotency key, unique per table), {@code EVENT_ID},
 * {@code EVENT_TYPE}, {@code SCHEMA_VERSION}, {@code SOURCE_TOPIC}, {@code PRODUCER_SERVICE}, {@code KAFKA_PARTITION},
 * {@code KAFKA_OFFSET}, {@code KAFKA_TIMESTAMP}, {@code KAFKA_KEY}, {@code KAFKA_HEADERS}, {@code INGESTED_AT} and
 * {@code RAW_EVENT}.
 *
 * <p>Required: ingestion id, source topic, partition ({@code >= 0}), offset ({@code >= 0}) and ingested-at. Everything
 * else may be {@code null}; the raw event is null only for a tombstone or empty value landed under the engine's
 * {@code LAND} tombstone policy. Headers are a name→UTF-8 value map in arrival order; when a name repeats, the last
 * value wins (the dead-letter path keeps every header byte for byte, see {@link DeadLetter#headers()}).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class BronzeRecord {
    private final String ingestionId;
    private final String eventId;
    private final String eventType;
    private final String schemaVersion;
    private final String sourceTopic;
    private final String producerService;
    private final int partition;
    private final long offset;
    private final Instant kafkaTimestamp;
    private final KafkaTimestampType timestampType;
    private final String key;
    private final KeyEncoding keyEncoding;
    private final Map<String, String> headers;
    private final Instant ingestedAt;
    private final String rawEvent;

    private BronzeRecord(Builder b) {
        this.ingestionId = requireText(b.ingestionId, "ingestionId");
        this.sourceTopic = requireText(b.sourceTopic, "sourceTopic");
        if (b.partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, but was " + b.partition);
        }
        if (b.offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, but was " + b.offset);
        }
        this.partition = b.partition;
        this.offset = b.offset;
        this.ingestedAt = Objects.requireNonNull(b.ingestedAt, "ingestedAt must not be null");
        this.rawEvent = b.rawEvent;
        this.eventId = b.eventId;
        this.eventType = b.eventType;
        this.schemaVersion = b.schemaVersion;
        this.producerService = b.producerService;
        this.kafkaTimestamp = b.kafkaTimestamp;
        this.timestampType = b.timestampType == null ? KafkaTimestampType.NO_TIMESTAMP : b.timestampType;
        this.key = b.key;
        this.keyEncoding = b.keyEncoding == null ? KeyEncoding.UTF8 : b.keyEncoding;
        this.headers = b.headers == null || b.headers.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(
                    name + " must be a non-empty string, but was " + (value == null ? "null" : "\"\""));
        }
        return value;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this record's values. */
    public Builder toBuilder() {
        return new Builder()
                .ingestionId(ingestionId)
                .eventId(eventId)
                .eventType(eventType)
                .schemaVersion(schemaVersion)
                .sourceTopic(sourceTopic)
                .producerService(producerService)
                .partition(partition)
                .offset(offset)
                .kafkaTimestamp(kafkaTimestamp)
                .timestampType(timestampType)
                .key(key)
                .keyEncoding(keyEncoding)
                .headers(headers)
                .ingestedAt(ingestedAt)
                .rawEvent(rawEvent);
    }

    /** The idempotency key; a sink stores each ingestion id at most once per table. */
    public String ingestionId() {
        return ingestionId;
    }

    public String eventId() {
        return eventId;
    }

    public String eventType() {
        return eventType;
    }

    public String schemaVersion() {
        return schemaVersion;
    }

    public String sourceTopic() {
        return sourceTopic;
    }

    public String producerService() {
        return producerService;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
    /** The Kafka record timestamp, or {@code null} when the record has none. */
    public Instant kafkaTimestamp() {
        return kafkaTimestamp;
    }

    public KafkaTimestampType timestampType() {
        return timestampType;
    }
    /**
     * The record key as text, or {@code null}: the key decoded as UTF-8 when it is valid UTF-8, otherwise the key bytes in
     * standard base64 (see {@link #keyEncoding()}), so that binary keys (Avro, Protobuf, binary UUIDs) are kept byte for
     * byte and never collapse into replacement characters.
     */
    public String key() {
        return key;
    }
    /** How {@link #key()} encodes the Kafka key bytes; {@link KeyEncoding#UTF8} by default. Lands as {@code KAFKA_KEY_ENCODING}. */
    public KeyEncoding keyEncoding() {
        return keyEncoding;
    }
    /** Header name → UTF-8 value (values may be null); unmodifiable, in arrival order. */
    public Map<String, String> headers() {
        return headers;
    }
    /** When the engine built this envelope (engine clock). */
    public Instant ingestedAt() {
        return ingestedAt;
    }
    /** The payload exactly as received, as JSON text; {@code null} only for a landed tombstone. */
    public String rawEvent() {
        return rawEvent;
    }

    /** {@code true} when the ingestion id is the default {@code topic-partition-offset} of this record. */
    public boolean hasOffsetDerivedIngestionId() {
        return ingestionId.equals(IdempotencyKey.formatTopicPartitionOffset(sourceTopic, partition, offset));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BronzeRecord r)) {
            return false;
        }
        return partition == r.partition
                && offset == r.offset
                && ingestionId.equals(r.ingestionId)
                && Objects.equals(eventId, r.eventId)
                && Objects.equals(eventType, r.eventType)
                && Objects.equals(schemaVersion, r.schemaVersion)
                && sourceTopic.equals(r.sourceTopic)
                && Objects.equals(producerService, r.producerService)
                && Objects.equals(kafkaTimestamp, r.kafkaTimestamp)
                && timestampType == r.timestampType
                && Objects.equals(key, r.key)
                && keyEncoding == r.keyEncoding
                && headers.equals(r.headers)
                && ingestedAt.equals(r.ingestedAt)
                && Objects.equals(rawEvent, r.rawEvent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ingestionId, sourceTopic, partition, offset);
    }

    @Override
    public String toString() {
        return "BronzeRecord{ingestionId=" + ingestionId + ", eventId=" + eventId + ", eventType=" + eventType
                + ", schemaVersion=" + schemaVersion + ", topic=" + sourceTopic + ", partition=" + partition
                + ", offset=" + offset + ", rawEventChars=" + (rawEvent == null ? -1 : rawEvent.length()) + '}';
    }

    /**
     * How the text of {@link #key()} represents the Kafka key bytes.
     *
     * @since 0.2.0
     */
    public enum KeyEncoding {
        /** The key bytes are valid UTF-8 and the text is their decoding. */
        UTF8,
        /** The key bytes are not valid UTF-8; the text is their standard base64 encoding (RFC 4648, with padding). */
        BASE64
    }

    /** Builds a {@link BronzeRecord}; not thread-safe. */
    public static final class Builder {
        private String ingestionId;
        private String eventId;
        private String eventType;
        private String schemaVersion;
        private String sourceTopic;
        private String producerService;
        private int partition = -1;
        private long offset = -1;
        private Instant kafkaTimestamp;
        private KafkaTimestampType timestampType;
        private String key;
        private KeyEncoding keyEncoding;
        private Map<String, String> headers;
        private Instant ingestedAt;
        private String rawEvent;

        private Builder() {}

        public Builder ingestionId(String v) {
            this.ingestionId = v;
            return this;
        }

        public Builder eventId(String v) {
            this.eventId = v;
            return this;
        }

        public Builder eventType(String v) {
            this.eventType = v;
            return this;
        }

        public Builder schemaVersion(String v) {
            this.schemaVersion = v;
            return this;
        }

        public Builder sourceTopic(String v) {
            this.sourceTopic = v;
            return this;
        }

        public Builder producerService(String v) {
            this.producerService = v;
            return this;
        }

        public Builder partition(int v) {
            this.partition = v;
            return this;
        }

        public Builder offset(long v) {
            this.offset = v;
            return this;
        }

        public Builder kafkaTimestamp(Instant v) {
            this.kafkaTimestamp = v;
            return this;
        }

        public Builder timestampType(KafkaTimestampType v) {
            this.timestampType = v;
            return this;
        }

        public Builder key(String v) {
            this.key = v;
            return this;
        }
        /** How {@link #key(String)} encodes the key bytes; {@code null} means {@link KeyEncoding#UTF8}. @since 0.2.0 */
        public Builder keyEncoding(KeyEncoding v) {
            this.keyEncoding = v;
            return this;
        }

        public Builder headers(Map<String, String> v) {
            this.headers = v;
            return this;
        }

        public Builder ingestedAt(Instant v) {
            this.ingestedAt = v;
            return this;
        }

        public Builder rawEvent(String v) {
            this.rawEvent = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException when a required value is missing or out of range
         */
        public BronzeRecord build() {
            return new BronzeRecord(this);
        }
    }
}
