package io.flowguard.bronze.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A record the engine could not land, with why, where it came from and its payload byte for byte.
 *
 * <p>{@link #rawPayload()} is the exact Kafka value ({@code null} for a tombstone) and may be truncated to the engine's
 * configured cap, in which case {@link #payloadSizeBytes()} still tells the original size. {@link #ingestionId()} is
 * the id the record would have landed under, so a replay after a fix stays idempotent; it is {@code null} when it could
 * not be derived.
 *
 * <p>Immutable and thread-safe (byte arrays are copied in and out).
 *
 * @since 0.1.0
 */
public final class DeadLetter {

    /** Where in the pipeline a record failed. */
    public enum Stage {
        /** The value is not valid UTF-8 JSON of the accepted shape (or is empty/a tombstone under the dead-letter policy). */
        DESERIALIZE,
        /** A metadata value or the idempotency key could not be extracted. */
        EXTRACT,
        /** The record is larger than the engine's maximum record size. */
        SIZE_LIMIT,
        /** The warehouse rejected the row. */
        WRITE
    }

    private final Instant failedAt;
    private final Stage stage;
    private final String errorClass;
    private final String errorMessage;
    private final String stackTrace;
    private final int attempts;
    private final String ingestionId;
    private final String topic;
    private final int partition;
    private final long offset;
    private final Instant kafkaTimestamp;
    private final KafkaTimestampType timestampType;
    private final byte[] rawKey;
    private final byte[] rawPayload;
    private final int payloadSizeBytes;
    private final List<Header> headers;

    private DeadLetter(Builder b) {
        this.failedAt = Objects.requireNonNull(b.failedAt, "failedAt must not be null");
        this.stage = Objects.requireNonNull(b.stage, "stage must not be null");
        this.errorClass = Objects.requireNonNull(b.errorClass, "errorClass must not be null");
        this.errorMessage = b.errorMessage == null ? "" : b.errorMessage;
        this.stackTrace = b.stackTrace;
        if (b.attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, but was " + b.attempts);
        }
        this.attempts = b.attempts;
        this.ingestionId = b.ingestionId;
        this.topic = Objects.requireNonNull(b.topic, "topic must not be null");
        if (b.partition < 0 || b.offset < 0) {
            throw new IllegalArgumentException(
                    "partition and offset must be >= 0, but were " + b.partition + " and " + b.offset);
        }
        this.partition = b.partition;
        this.offset = b.offset;
        this.kafkaTimestamp = b.kafkaTimestamp;
        this.timestampType = b.timestampType == null ? KafkaTimestampType.NO_TIMESTAMP : b.timestampType;
        this.rawKey = b.rawKey == null ? null : b.rawKey.clone();
        this.rawPayload = b.rawPayload == null ? null : b.rawPayload.clone();
        this.payloadSizeBytes =
                b.payloadSizeBytes >= 0 ? b.payloadSizeBytes : (b.rawPayload == null ? 0 : b.rawPayload.length);
        this.headers = b.headers == null ? List.of() : List.copyOf(b.headers);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .failedAt(failedAt)
                .stage(stage)
                .errorClass(errorClass)
                .errorMessage(errorMessage)
                .stackTrace(stackTrace)
                .attempts(attempts)
                .ingestionId(ingestionId)
                .topic(topic)
                .partition(partition)
                .offset(offset)
                .kafkaTimestamp(kafkaTimestamp)
                .timestampType(timestampType)
                .rawKey(rawKey)
                .rawPayload(rawPayload)
                .payloadSizeBytes(payloadSizeBytes)
                .headers(headers);
    }

    public Instant failedAt() {
        return failedAt;
    }

    public Stage stage() {
        return stage;
    }
    /** Fully qualified class name of the error. */
    public String errorClass() {
        return errorClass;
    }
    /** The error message; never null, may be empty. */
    public String errorMessage() {
        return errorMessage;
    }
    /** A possibly truncated stack trace, or {@code null}. */
    public String stackTrace() {
        return stackTrace;
    }
    /** How many times the record was tried before it was dead-lettered (at least 1). */
    public int attempts() {
        return attempts;
    }

    public String ingestionId() {
        return ingestionId;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public Instant kafkaTimestamp() {
        return kafkaTimestamp;
    }

    public KafkaTimestampType timestampType() {
        return timestampType;
    }
    /** A copy of the raw key, or {@code null}. */
    public byte[] rawKey() {
        return rawKey == null ? null : rawKey.clone();
    }
    /** A copy of the (possibly truncated) raw value, or {@code null} for a tombstone. */
    public byte[] rawPayload() {
        return rawPayload == null ? null : rawPayload.clone();
    }
    /** The size of the original value in bytes, before any truncation. */
    public int payloadSizeBytes() {
        return payloadSizeBytes;
    }
    /** {@code true} when {@link #rawPayload()} holds fewer bytes than the original value. */
    public boolean payloadTruncated() {
        return rawPayload != null && rawPayload.length < payloadSizeBytes;
    }
    /** All original headers byte for byte, in order, repeats included. */
    public List<Header> headers() {
        return headers;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + topic + '-' + partition + '-' + offset + ", stage=" + stage + ", error=" + errorClass
                + ": " + errorMessage + ", attempts=" + attempts + ", payloadSizeBytes=" + payloadSizeBytes + '}';
    }

    /** Builds a {@link DeadLetter}; not thread-safe. */
    public static final class Builder {
        private Instant failedAt;
        private Stage stage;
        private String errorClass;
        private String errorMessage;
        private String stackTrace;
        private int attempts = 1;
        private String ingestionId;
        private String topic;
        private int partition = -1;
        private long offset = -1;
        private Instant kafkaTimestamp;
        private KafkaTimestampType timestampType;
        private byte[] rawKey;
        private byte[] rawPayload;
        private int payloadSizeBytes = -1;
        private List<Header> headers;

        private Builder() {}

        public Builder failedAt(Instant v) {
            this.failedAt = v;
            return this;
        }

        public Builder stage(Stage v) {
            this.stage = v;
            return this;
        }

        public Builder errorClass(String v) {
            this.errorClass = v;
            return this;
        }

        public Builder errorMessage(String v) {
            this.errorMessage = v;
            return this;
        }

        public Builder stackTrace(String v) {
            this.stackTrace = v;
            return this;
        }
        /** Sets class, message from a throwable. */
        public Builder error(Throwable t) {
            this.errorClass = t.getClass().getName();
            this.errorMessage = t.getMessage();
            return this;
        }

        public Builder attempts(int v) {
            this.attempts = v;
            return this;
        }

        public Builder ingestionId(String v) {
            this.ingestionId = v;
            return this;
        }

        public Builder topic(String v) {
            this.topic = v;
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

        public Builder rawKey(byte[] v) {
            this.rawKey = v;
            return this;
        }

        public Builder rawPayload(byte[] v) {
            this.rawPayload = v;
            return this;
        }
        /** The original value size when {@link #rawPayload(byte[])} was given a truncated copy. */
        public Builder payloadSizeBytes(int v) {
            this.payloadSizeBytes = v;
            return this;
        }

        public Builder headers(List<Header> v) {
            this.headers = v;
            return this;
        }

        public DeadLetter build() {
            return new DeadLetter(this);
        }
    }
}
