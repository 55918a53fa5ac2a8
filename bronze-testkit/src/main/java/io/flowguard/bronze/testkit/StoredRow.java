package io.flowguard.bronze.testkit;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.testkit.internal.JsonText;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Bronze row as a sink stored it, read back for assertions: what {@link BronzeSinkContract#readBack(String)} returns
 * and what {@link #of(BronzeRecord)} expects.
 *
 * <p>Equality is what "the sink preserved the record" means: every field equal, except that {@link #rawEvent()} is
 * compared as JSON (key order, whitespace and number spelling such as {@code 1.50} vs {@code 1.5} do not matter, since
 * warehouses re-serialize JSON), and absent headers equal empty headers. {@code ingestedAt} and the timestamp type are
 * not part of a row here: warehouses often fill or drop them.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class StoredRow implements Comparable<StoredRow> {
    private static final int RAW_EVENT_CHARS_IN_TO_STRING = 160;

    private final String ingestionId;
    private final String eventId;
    private final String eventType;
    private final String schemaVersion;
    private final String sourceTopic;
    private final String producerService;
    private final int partition;
    private final long offset;
    private final Instant kafkaTimestamp;
    private final String key;
    private final Map<String, String> headers;
    private final String rawEvent;

    private StoredRow(Builder b) {
        if (b.ingestionId == null || b.ingestionId.isEmpty()) {
            throw new IllegalArgumentException(
                    "ingestionId must be a non-empty string, but was " + (b.ingestionId == null ? "null" : "\"\""));
        }
        this.ingestionId = b.ingestionId;
        this.eventId = b.eventId;
        this.eventType = b.eventType;
        this.schemaVersion = b.schemaVersion;
        this.sourceTopic = b.sourceTopic;
        this.producerService = b.producerService;
        this.partition = b.partition;
        this.offset = b.offset;
        this.kafkaTimestamp = b.kafkaTimestamp;
        this.key = b.key;
        // LinkedHashMap rather than Map.copyOf: header values may be null.
        this.headers = b.headers == null || b.headers.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.rawEvent = b.rawEvent;
    }

    /** The row a sink is expected to store for {@code record}. */
    public static StoredRow of(BronzeRecord record) {
        Objects.requireNonNull(record, "record must not be null");
        return builder()
                .ingestionId(record.ingestionId())
                .eventId(record.eventId())
                .eventType(record.eventType())
                .schemaVersion(record.schemaVersion())
                .sourceTopic(record.sourceTopic())
                .producerService(record.producerService())
                .partition(record.partition())
                .offset(record.offset())
                .kafkaTimestamp(record.kafkaTimestamp())
                .key(record.key())
                .headers(record.headers())
                .rawEvent(record.rawEvent())
                .build();
    }

    /** A builder for rows read back from a store; every field but the ingestion id may stay unset ({@code null}). */
    public static Builder builder() {
        return new Builder();
    }

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
    /** The Kafka timestamp, or {@code null}. */
    public Instant kafkaTimestamp() {
        return kafkaTimestamp;
    }
    /** The record key, or {@code null}. */
    public String key() {
        return key;
    }
    /** Header name → value (values may be null); never null, unmodifiable, in the order given. */
    public Map<String, String> headers() {
        return headers;
    }
    /** The payload as JSON text, or {@code null} for a landed tombstone. */
    public String rawEvent() {
        return rawEvent;
    }

    /** Orders rows by topic, then partition, then offset: the order a partition's records arrived in. */
    @Override
    public int compareTo(StoredRow o) {
        int c = Objects.compare(sourceTopic, o.sourceTopic, java.util.Comparator.nullsFirst(String::compareTo));
        if (c != 0) {
            return c;
        }
        c = Integer.compare(partition, o.partition);
        return c != 0 ? c : Long.compare(offset, o.offset);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StoredRow r)) {
            return false;
        }
        return partition == r.partition
                && offset == r.offset
                && ingestionId.equals(r.ingestionId)
                && Objects.equals(eventId, r.eventId)
                && Objects.equals(eventType, r.eventType)
                && Objects.equals(schemaVersion, r.schemaVersion)
                && Objects.equals(sourceTopic, r.sourceTopic)
                && Objects.equals(producerService, r.producerService)
                && Objects.equals(kafkaTimestamp, r.kafkaTimestamp)
                && Objects.equals(key, r.key)
                && headers.equals(r.headers)
                && JsonText.sameJson(rawEvent, r.rawEvent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ingestionId, sourceTopic, partition, offset, JsonText.hash(rawEvent));
    }

    /** All fields, with the raw event cut to its first characters so assertion messages stay readable. */
    @Override
    public String toString() {
        String raw = rawEvent == null
                ? "null"
                : rawEvent.length() <= RAW_EVENT_CHARS_IN_TO_STRING
                        ? rawEvent
                        : rawEvent.substring(0, RAW_EVENT_CHARS_IN_TO_STRING) + "...(" + rawEvent.length() + " chars)";
        return "StoredRow{ingestionId=" + ingestionId + ", eventId=" + eventId + ", eventType=" + eventType
                + ", schemaVersion=" + schemaVersion + ", sourceTopic=" + sourceTopic + ", producerService="
                + producerService + ", partition=" + partition + ", offset=" + offset + ", kafkaTimestamp="
                + kafkaTimestamp + ", key=" + key + ", headers=" + headers + ", rawEvent=" + raw + '}';
    }

    /** Builds a {@link StoredRow}; not thread-safe. */
    public static final class Builder {
        private String ingestionId;
        private String eventId;
        private String eventType;
        private String schemaVersion;
        private String sourceTopic;
        private String producerService;
        private int partition;
        private long offset;
        private Instant kafkaTimestamp;
        private String key;
        private Map<String, String> headers;
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

        public Builder key(String v) {
            this.key = v;
            return this;
        }
        /** Header name → value; {@code null} is read as no headers. */
        public Builder headers(Map<String, String> v) {
            this.headers = v;
            return this;
        }
        /** The payload as the store returns it; compared as JSON. */
        public Builder rawEvent(String v) {
            this.rawEvent = v;
            return this;
        }

        /** @throws IllegalArgumentException when the ingestion id is missing */
        public StoredRow build() {
            return new StoredRow(this);
        }
    }
}
