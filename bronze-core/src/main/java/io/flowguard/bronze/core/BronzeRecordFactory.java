package io.flowguard.bronze.core;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.api.MetadataRules;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.internal.RecordConversion;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns raw Kafka records into {@link BronzeRecord}s (or dead letters, or skips) by exactly the rules the
 * {@link IngestionEngine} applies: strict UTF-8, one JSON object per value, the tombstone policy, the size limit, the
 * {@link MetadataRules} and the {@link IdempotencyKey}. For hosts that receive records from something other than the
 * engine's own consumer, such as a Kafka Connect sink task, so that a row lands with the same Bronze columns and the same
 * ingestion id whichever way it came.
 *
 * <pre>{@code
 * BronzeRecordFactory factory = BronzeRecordFactory.builder().tombstonePolicy(TombstonePolicy.DEAD_LETTER).build();
 * switch (factory.convert(consumerRecord, Instant.now())) {
 *     case BronzeRecordFactory.Landed l -> rows.add(l.record());
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> An instance reuses a decoder and a JSON scanner: it is <em>not</em> thread-safe. Use one per thread
 * (a Connect task is called by one thread).
 *
 * @since 0.2.0
 */
public final class BronzeRecordFactory {
    private final RecordConversion conversion;

    private BronzeRecordFactory(EngineConfig config) {
        this.conversion = new RecordConversion(config);
    }

    /** A factory with the conversion settings of an engine configuration (idempotency key, rules, tombstones, sizes). */
    public static BronzeRecordFactory from(EngineConfig config) {
        return new BronzeRecordFactory(Objects.requireNonNull(config, "config must not be null"));
    }

    /** A builder whose defaults are the engine's ({@link IngestionEngine.Builder}'s). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Converts one record.
     *
     * @param record     the record as consumed, key and value as bytes; never null
     * @param ingestedAt the {@code INGESTED_AT} stamp (the engine uses one instant per batch)
     * @return what the record became; never null
     */
    public Conversion convert(ConsumerRecord<byte[], byte[]> record, Instant ingestedAt) {
        Objects.requireNonNull(record, "record must not be null");
        Objects.requireNonNull(ingestedAt, "ingestedAt must not be null");
        return conversion.convert(record, ingestedAt);
    }

    /**
     * A dead letter for a record that converted but that the sink rejected (the engine uses stage
     * {@link DeadLetter.Stage#WRITE}), with the record's provenance, payload (truncated to the configured limit) and the
     * error's class, message and stack trace.
     */
    public DeadLetter deadLetter(
            ConsumerRecord<byte[], byte[]> record,
            DeadLetter.Stage stage,
            Throwable error,
            Instant failedAt,
            int attempts) {
        Objects.requireNonNull(record, "record must not be null");
        Objects.requireNonNull(stage, "stage must not be null");
        Objects.requireNonNull(error, "error must not be null");
        Objects.requireNonNull(failedAt, "failedAt must not be null");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, but was " + attempts);
        }
        return conversion.deadLetter(record, stage, error, failedAt, attempts);
    }

    /** What a record became. */
    public sealed interface Conversion permits Landed, DeadLettered, Skipped {}

    /** The record lands as this Bronze row. */
    public record Landed(BronzeRecord record) implements Conversion {
        public Landed {
            Objects.requireNonNull(record, "record");
        }
    }

    /** The record cannot land (not JSON, too large, metadata missing, tombstone by policy): store this dead letter. */
    public record DeadLettered(DeadLetter deadLetter) implements Conversion {
        public DeadLettered {
            Objects.requireNonNull(deadLetter, "deadLetter");
        }
    }

    /** A tombstone or empty value skipped by {@link TombstonePolicy#SKIP}; count it in the batch's ledger range. */
    public record Skipped(String topic) implements Conversion {
        public Skipped {
            Objects.requireNonNull(topic, "topic");
        }
    }

    /**
     * Builds a {@link BronzeRecordFactory}. Each setter validates like the engine builder's setter of the same name (and
     * with the same message). Not thread-safe.
     */
    public static final class Builder {
        private final IngestionEngine.Builder engine = IngestionEngine.builder();

        private Builder() {}

        /** How ingestion ids are derived; default {@link IdempotencyKey#topicPartitionOffset()}. */
        public Builder idempotencyKey(IdempotencyKey v) {
            engine.idempotencyKey(v);
            return this;
        }

        /** Where event id, type, schema version and producer service come from; default {@link MetadataRules#defaults()}. */
        public Builder metadataRules(MetadataRules v) {
            engine.metadataRules(v);
            return this;
        }

        /** Null or empty values; default {@link TombstonePolicy#SKIP}. */
        public Builder tombstonePolicy(TombstonePolicy v) {
            engine.tombstonePolicy(v);
            return this;
        }

        /** Largest value in bytes that may land, {@code > 0}; default 4 MiB. */
        public Builder maxRecordBytes(int v) {
            engine.maxRecordBytes(v);
            return this;
        }

        /** Largest payload copied into a dead letter, {@code >= 0}, at most {@code maxRecordBytes}; default 1 MiB. */
        public Builder maxDeadLetterPayloadBytes(int v) {
            engine.maxDeadLetterPayloadBytes(v);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException when {@code maxDeadLetterPayloadBytes} exceeds {@code maxRecordBytes}
         */
        public BronzeRecordFactory build() {
            // The conversion reads only the options above; the engine-only options get placeholders that nothing uses.
            EngineConfig config = engine.bootstrapServers("unused:9092")
                    .groupId("bronze-record-factory")
                    .topics("unused")
                    .sink(NoSink.INSTANCE)
                    .config();
            return new BronzeRecordFactory(config);
        }
    }

    /** The placeholder sink of a factory's configuration; never called. */
    private enum NoSink implements io.flowguard.bronze.api.BronzeSink {
        INSTANCE;

        @Override
        public WriteResult write(List<BronzeRecord> records) {
            throw new UnsupportedOperationException("a BronzeRecordFactory configuration has no sink");
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            return write(records);
        }
    }
}
