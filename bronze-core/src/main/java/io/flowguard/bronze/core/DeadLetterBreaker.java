package io.flowguard.bronze.core;

import java.time.Duration;
import java.util.Objects;

/**
 * When a run of dead letters looks systemic rather than like bad input, and what the engine does then. A batch in
 * which more than {@link #maxFraction()} of the records would be dead-lettered with the same error class (an operator
 * added a NOT NULL column, a producer started sending another format) trips the breaker when that also holds for at
 * least {@link #minBatchRecords()} records: the batch's own, or, for a smaller batch (batches close on
 * {@code maxBatchWait} at low input rates), the batch's together with those of the batches written just before it. The
 * batch's dead letters are then <em>not</em> written, nothing of it is committed, the engine
 * seeks its partitions back to the first unwritten record, pauses them, and reports health {@code DEGRADED} with the
 * error class and message. After {@link #retryAfter()} it resumes and reads the same records again: if the cause was
 * fixed they land, otherwise the breaker trips again. It never quarantines a whole stream into the dead-letter sink.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class DeadLetterBreaker {
    /** Fewest records the breaker judges (one batch, or a small batch with the ones before it): {@value}. */
    public static final int DEFAULT_MIN_BATCH_RECORDS = 100;
    /** Fraction of a batch with one error class above which the breaker trips: {@value}. */
    public static final double DEFAULT_MAX_FRACTION = 0.5;
    /** How long the partitions stay paused before the engine reads the records again: 1 minute. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofMinutes(1);

    private static final DeadLetterBreaker DEFAULTS =
            new DeadLetterBreaker(DEFAULT_MIN_BATCH_RECORDS, DEFAULT_MAX_FRACTION, DEFAULT_RETRY_AFTER, true);
    private static final DeadLetterBreaker DISABLED =
            new DeadLetterBreaker(Integer.MAX_VALUE, 1.0, DEFAULT_RETRY_AFTER, false);

    private final int minBatchRecords;
    private final double maxFraction;
    private final Duration retryAfter;
    private final boolean enabled;

    private DeadLetterBreaker(int minBatchRecords, double maxFraction, Duration retryAfter, boolean enabled) {
        this.minBatchRecords = minBatchRecords;
        this.maxFraction = maxFraction;
        this.retryAfter = retryAfter;
        this.enabled = enabled;
    }

    /** The defaults: 100 records or more, more than half with one error class, retry after 1 minute. */
    public static DeadLetterBreaker defaults() {
        return DEFAULTS;
    }

    /** Never trips: every record that cannot land is dead-lettered, however many (the 0.1 behaviour). */
    public static DeadLetterBreaker disabled() {
        return DISABLED;
    }

    /**
     * A breaker with the given thresholds.
     *
     * @param minBatchRecords fewest records judged (a batch, or a small batch with the batches before it), {@code > 0}
     * @param maxFraction     fraction of one error class above which it trips, within {@code (0, 1)}
     * @param retryAfter      how long the partitions stay paused before a re-read, {@code > 0}
     * @throws IllegalArgumentException naming the bad value
     */
    public static DeadLetterBreaker of(int minBatchRecords, double maxFraction, Duration retryAfter) {
        if (minBatchRecords <= 0) {
            throw new IllegalArgumentException("minBatchRecords must be > 0, but was " + minBatchRecords);
        }
        if (!(maxFraction > 0.0 && maxFraction < 1.0)) {
            throw new IllegalArgumentException("maxFraction must be within (0, 1), but was " + maxFraction
                    + "; use DeadLetterBreaker.disabled() to turn the breaker off");
        }
        return new DeadLetterBreaker(
                minBatchRecords, maxFraction, RetryPolicy.Builder.requirePositive(retryAfter, "retryAfter"), true);
    }

    public int minBatchRecords() {
        return minBatchRecords;
    }

    public double maxFraction() {
        return maxFraction;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Whether a batch of {@code batchRecords} records with {@code sameClassDeadLetters} dead letters of one error class
     * trips the breaker.
     */
    public boolean trips(int batchRecords, int sameClassDeadLetters) {
        return enabled && batchRecords >= minBatchRecords && sameClassDeadLetters > maxFraction * batchRecords;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetterBreaker b
                && b.minBatchRecords == minBatchRecords
                && b.maxFraction == maxFraction
                && b.retryAfter.equals(retryAfter)
                && b.enabled == enabled;
    }

    @Override
    public int hashCode() {
        return Objects.hash(minBatchRecords, maxFraction, retryAfter, enabled);
    }

    @Override
    public String toString() {
        return enabled
                ? "DeadLetterBreaker{minBatchRecords=" + minBatchRecords + ", maxFraction=" + maxFraction
                        + ", retryAfter=" + retryAfter + '}'
                : "DeadLetterBreaker{disabled}";
    }
}
