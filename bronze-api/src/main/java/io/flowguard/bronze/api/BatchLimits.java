package io.flowguard.bronze.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The batch limits a {@link BronzeSink} recommends for the engine that feeds it: a batch is written when it holds
 * {@code maxRecords} records, or {@code maxBytes} bytes of keys and values, or when its first record has waited
 * {@code maxWait}, whichever comes first; with {@code flushWhenIdle}, also as soon as the writer has nothing else to
 * write, so that at input rates below what the sink can take records wait for no batch to fill. A warehouse where every transaction costs a second or more (Snowflake) wants far
 * larger batches than one where it costs milliseconds (PostgreSQL), so the sink, not the engine, knows good values.
 *
 * <p>The engine applies a recommendation only to the limits the user did not set: an explicit
 * {@code maxBatchRecords}, {@code maxBatchBytes}, {@code maxBatchWait} or {@code flushWhenIdle} always wins, and a limit neither set nor
 * recommended takes the engine's generic default. See {@link BronzeSink#recommendedBatchLimits()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxRecords records per batch, {@code > 0}
 * @param maxBytes   bytes (key + value) per batch, {@code > 0}
 * @param maxWait    longest a batch waits after its first record before it is written, positive, never null
 * @param flushWhenIdle whether the engine writes the records it holds as soon as its writer is idle, instead of waiting
 *                   for a limit; {@code false} from the three-argument constructor, for sinks whose every statement is
 *                   expensive
 * @since 0.2.0
 */
public record BatchLimits(int maxRecords, long maxBytes, Duration maxWait, boolean flushWhenIdle) {

    /** Limits that only a full batch or {@code maxWait} flushes ({@code flushWhenIdle} false). */
    public BatchLimits(int maxRecords, long maxBytes, Duration maxWait) {
        this(maxRecords, maxBytes, maxWait, false);
    }

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
