package io.flowguard.bronze.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A point-in-time health verdict for an {@link IngestionEngine}: {@link Status#UP}, {@link Status#DEGRADED} or
 * {@link Status#DOWN}, with human-readable reasons and the figures behind them.
 *
 * <p>Rules: DOWN when the engine is not running (not started, closed or failed). DEGRADED when any of: the largest
 * partition lag exceeds {@link EngineConfig#lagThreshold()}; the sink is failing (a write is being retried); the retry
 * budget of the current batch is more than half spent; the dead-letter rate over recent batches exceeds
 * {@link EngineConfig#deadLetterRateThreshold()}. UP otherwise.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class EngineHealth {

    /** The verdict. */
    public enum Status {
        UP,
        DEGRADED,
        DOWN
    }

    private final Status status;
    private final List<String> reasons;
    private final EngineState state;
    private final long maxLag;
    private final double deadLetterRate;
    private final Instant checkedAt;

    public EngineHealth(
            Status status,
            List<String> reasons,
            EngineState state,
            long maxLag,
            double deadLetterRate,
            Instant checkedAt) {
        this.status = Objects.requireNonNull(status, "status");
        this.reasons = List.copyOf(reasons);
        this.state = Objects.requireNonNull(state, "state");
        this.maxLag = maxLag;
        this.deadLetterRate = deadLetterRate;
        this.checkedAt = Objects.requireNonNull(checkedAt, "checkedAt");
    }

    public Status status() {
        return status;
    }
    /** Why the status is not UP; empty when UP. */
    public List<String> reasons() {
        return reasons;
    }

    public EngineState state() {
        return state;
    }
    /** The largest lag (log-end offset minus committed offset) over assigned partitions, or -1 when unknown. */
    public long maxLag() {
        return maxLag;
    }
    /** Dead-lettered / consumed over the recent batches (0..1). */
    public double deadLetterRate() {
        return deadLetterRate;
    }

    public Instant checkedAt() {
        return checkedAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EngineHealth h && h.status == status && h.reasons.equals(reasons);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, reasons);
    }

    @Override
    public String toString() {
        return status + (reasons.isEmpty() ? "" : " " + reasons) + " (state=" + state + ", maxLag=" + maxLag
                + ", deadLetterRate=" + String.format(java.util.Locale.ROOT, "%.4f", deadLetterRate) + ')';
    }
}
