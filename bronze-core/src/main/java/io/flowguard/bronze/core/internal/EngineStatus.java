package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.EngineHealth;
import io.flowguard.bronze.core.EngineState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Figures the poll and writer threads publish for health checks and gauges: lag per partition and when it was last
 * read, the sink call and retry in progress, the dead-letter rate over the last {@value #WINDOW} batches (or the last
 * {@value #WINDOW_RECORDS} records, when those batches hold fewer), the last
 * commit time, an open dead-letter breaker and per-partition alerts. Thread-safe: written by the engine's threads, read
 * by {@link #health} from any thread.
 */
final class EngineStatus {
    static final int WINDOW = 50;
    /**
     * Records the dead-letter rate is judged over at least, when the last {@link #WINDOW} batches hold fewer: with
     * {@code flushWhenIdle} a batch at low rates holds a record or a few, and one dead letter in 50 such batches must not
     * read as a 2 % rate.
     */
    static final int WINDOW_RECORDS = 1_000;
    /** Lag older than this many refresh intervals is reported as stale (broker unreachable, poll thread stuck). */
    static final int STALE_LAG_INTERVALS = 3;

    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    private final Map<TopicPartition, String> partitionAlerts = new ConcurrentHashMap<>();
    private final long createdNanos = System.nanoTime();
    private volatile long lagRefreshedNanos;
    private volatile boolean groupJoined;
    /** 0 when no write is being retried; otherwise the attempt number of the current try. */
    private volatile int retryAttempt;

    private volatile long retryStartedNanos;
    /** 0 when no sink call is running; otherwise when the current one began. */
    private volatile long callStartedNanos;

    private volatile String callWhat;
    private volatile long lastCommitMillis;
    private volatile String breakerReason;
    /** Records and dead letters of one batch, for the dead-letter rate. */
    private record BatchCount(int records, int deadLettered) {}

    /**
     * The last {@value #WINDOW} batches, and older ones while the newer hold fewer than {@value #WINDOW_RECORDS} records
     * (so at most {@value #WINDOW_RECORDS} batches), oldest first. Guarded by {@code this}.
     */
    private final ArrayDeque<BatchCount> window = new ArrayDeque<>(WINDOW);

    private long windowRecords;
    private long windowDeadLettered;

    // --- lag (poll thread writes) ---

    void putLag(TopicPartition tp, long value) {
        lag.put(tp, value);
    }

    void removeLag(TopicPartition tp) {
        lag.remove(tp);
        partitionAlerts.remove(tp);
    }

    /** Lag of one partition, NaN when unknown. */
    double lagOf(TopicPartition tp) {
        Long v = lag.get(tp);
        return v == null || !lagFresh(System.nanoTime(), Long.MAX_VALUE) ? Double.NaN : v;
    }

    void lagRefreshed(long nowNanos) {
        lagRefreshedNanos = nowNanos;
    }

    void markGroupJoined() {
        groupJoined = true;
    }

    boolean groupJoined() {
        return groupJoined;
    }

    private boolean lagFresh(long nowNanos, long staleAfterNanos) {
        long at = lagRefreshedNanos;
        return at != 0 && nowNanos - at <= staleAfterNanos;
    }

    /** The largest lag over assigned partitions; -1 when it was never read. */
    long maxLag() {
        long max = lagRefreshedNanos == 0 ? -1 : 0;
        for (long v : lag.values()) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** For the {@code lag.max} gauge: NaN while lag is unknown, never a misleading 0. */
    double maxLagGauge() {
        long max = maxLag();
        return max < 0 ? Double.NaN : max;
    }

    // --- writer figures ---

    void retrying(int attempt, long startedNanos) {
        retryStartedNanos = startedNanos;
        retryAttempt = attempt;
    }

    void retryDone() {
        retryAttempt = 0;
    }

    void callStarted(String what, long nowNanos) {
        callWhat = what;
        callStartedNanos = nowNanos;
    }

    void callEnded() {
        callStartedNanos = 0;
    }

    synchronized void batchDone(int records, int deadLettered) {
        window.addLast(new BatchCount(records, deadLettered));
        windowRecords += records;
        windowDeadLettered += deadLettered;
        while (window.size() > WINDOW && windowRecords - window.peekFirst().records() >= WINDOW_RECORDS) {
            BatchCount oldest = window.pollFirst();
            windowRecords -= oldest.records();
            windowDeadLettered -= oldest.deadLettered();
        }
    }

    synchronized double deadLetterRate() {
        return windowRecords == 0 ? 0.0 : (double) windowDeadLettered / windowRecords;
    }

    // --- commits, breaker, alerts (poll thread writes) ---

    void committedAt(long millis) {
        lastCommitMillis = millis;
    }

    long lastCommitMillis() {
        return lastCommitMillis;
    }

    void breakerOpen(String reason) {
        breakerReason = reason;
    }

    void breakerClosed() {
        breakerReason = null;
    }

    String breakerReason() {
        return breakerReason;
    }

    void alert(TopicPartition tp, String message) {
        partitionAlerts.put(tp, message);
    }

    void clearAlert(TopicPartition tp) {
        partitionAlerts.remove(tp);
    }

    EngineHealth health(EngineState state, EngineConfig config, Instant now) {
        List<String> reasons = new ArrayList<>();
        long nowNanos = System.nanoTime();
        long maxLag = maxLag();
        double rate = deadLetterRate();
        if (state != EngineState.RUNNING && state != EngineState.DRAINING) {
            reasons.add("engine is " + state);
            return new EngineHealth(EngineHealth.Status.DOWN, reasons, state, maxLag, rate, now);
        }
        long staleAfter = STALE_LAG_INTERVALS * config.lagRefreshInterval().toNanos();
        if (state == EngineState.RUNNING && !lagFresh(nowNanos, staleAfter)) {
            long since = lagRefreshedNanos;
            if (since == 0) {
                if (nowNanos - createdNanos > staleAfter) {
                    reasons.add(
                            "lag unknown: no partition assigned and no lag read yet (broker unreachable, or the group "
                                    + "has not assigned partitions)");
                }
            } else {
                reasons.add("lag not read for " + (nowNanos - since) / 1_000_000
                        + " ms (broker unreachable, or the poll " + "thread is stuck); the figures are stale");
            }
        }
        if (maxLag > config.lagThreshold()) {
            reasons.add("lag " + maxLag + " exceeds lagThreshold " + config.lagThreshold());
        }
        long callStart = callStartedNanos;
        if (callStart != 0 && nowNanos - callStart > config.writeTimeout().toNanos()) {
            reasons.add(
                    callWhat + " has been running for " + (nowNanos - callStart) / 1_000_000 + " ms, over writeTimeout "
                            + config.writeTimeout().toMillis() + " ms (hung sink?); nothing of it is committed");
        }
        int attempt = retryAttempt;
        if (attempt > 0) {
            reasons.add("sink failing: write attempt " + attempt + " of "
                    + config.retryPolicy().maxAttempts());
            long elapsedMs = (nowNanos - retryStartedNanos) / 1_000_000;
            if (attempt * 2 > config.retryPolicy().maxAttempts()
                    || elapsedMs * 2 > config.retryPolicy().maxRetryDuration().toMillis()) {
                reasons.add("retry budget more than half spent (" + attempt + " attempts, " + elapsedMs + " ms)");
            }
        }
        if (rate > config.deadLetterRateThreshold()) {
            reasons.add(String.format(
                    Locale.ROOT,
                    "dead-letter rate %.4f exceeds deadLetterRateThreshold %.4f",
                    rate,
                    config.deadLetterRateThreshold()));
        }
        String breaker = breakerReason;
        if (breaker != null) {
            reasons.add(breaker);
        }
        partitionAlerts.entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getKey().toString()))
                .forEach(e -> reasons.add(e.getValue()));
        return new EngineHealth(
                reasons.isEmpty() ? EngineHealth.Status.UP : EngineHealth.Status.DEGRADED,
                reasons,
                state,
                maxLag,
                rate,
                now);
    }
}
