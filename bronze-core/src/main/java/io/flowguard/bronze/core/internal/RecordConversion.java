package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.core.BronzeRecordFactory;
import io.flowguard.bronze.core.EngineConfig;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The bridge from {@link BronzeRecordFactory} (public) to the engine's {@link RecordConverter}, so that hosts other than
 * the engine (the Kafka Connect task) convert records by exactly the same rules. Not API: use
 * {@link BronzeRecordFactory}. Not thread-safe, like the converter.
 */
public final class RecordConversion {
    private final RecordConverter converter;

    public RecordConversion(EngineConfig config) {
        this.converter = new RecordConverter(Objects.requireNonNull(config, "config"));
    }

    /** Converts one record as the engine's writer does. */
    public BronzeRecordFactory.Conversion convert(ConsumerRecord<byte[], byte[]> record, Instant ingestedAt) {
        Outcome o = converter.convert(record, ingestedAt);
        if (o instanceof Outcome.Land land) {
            return new BronzeRecordFactory.Landed(land.record());
        }
        if (o instanceof Outcome.Dead dead) {
            return new BronzeRecordFactory.DeadLettered(dead.deadLetter());
        }
        return new BronzeRecordFactory.Skipped(((Outcome.Skip) o).topic());
    }

    /** A dead letter for a record a sink rejected, as the engine's writer builds it. */
    public DeadLetter deadLetter(
            ConsumerRecord<byte[], byte[]> record,
            DeadLetter.Stage stage,
            Throwable error,
            Instant failedAt,
            int attempts) {
        return converter.deadLetter(
                record, stage, error.getClass().getName(), error.getMessage(), error, failedAt, attempts);
    }
}
