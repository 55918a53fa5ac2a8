package io.flowguard.bronze.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The batch limits a {@link BronzeSink} recommends for the engine that feeds it: a batch is written when it holds
 * {@code maxRecords} records, or {@code maxBytes} bytes of keys and values, or when its first record has waited
 * {@code maxWait}, whichever comes first. A warehouse where every transaction costs a second or more (Snowflake) wants far
 * larger batches than one where it costs milliseconds (PostgreSQL), so the sink, not the engine, knows good values.
 *
 * <p>The engine applies a recommendation only to the limits the user did not set: an explicit
 * {@code maxBatchRecords}, {@code maxBatchBytes} or {@code maxBatchWait} always wins, and a limit neither set nor
 * recommended takes the engine's generic default. See {@link BronzeSink#recommendedBatchLimits()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxRecords records per batch, {@code > 0}
 * @param maxBytes   bytes (key + value) per batch, {@code > 0}
 * @param maxWait    longest a batch waits after its first record before it is written, positive, never null
 * @since 0.2.0
 */
public record BatchLimits(int maxRecords, long maxBytes, Duration maxWait) {

    public BatchLimits {
        if (maxRecords <= 0) {
            throw new IllegalArgumentException("maxRecords must be > 0, but was " + maxRecords);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, but was " + maxBytes);
        }
        Objects.requireNonNull(maxWait, "maxWait must not be null");
        if (maxWait.isZero() || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must be positive, but was " + maxWait);
        }
    }
}
