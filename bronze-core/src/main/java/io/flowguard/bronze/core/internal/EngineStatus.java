package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.EngineHealth;
import io.flowguard.bronze.core.EngineState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Figures the poll and writer threads publish for health checks and gauges: lag per partition, the retry in progress,
 * the dead-letter rate over the last {@value #WINDOW} batches, the last commit time. Thread-safe.
 */
final class EngineStatus {
    static final int WINDOW = 50;

    final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    volatile boolean lagKnown;
    /** 0 when no write is being retried; otherwise the attempt number of the current try. */
    volatile int retryAttempt;
    volatile long retryStartedNanos;
    volatile long lastCommitMillis;
    private final long[] windowRecords = new long[WINDOW];
    private final long[] windowDead = new long[WINDOW];
    private int windowNext;

    long maxLag() {
        long max = lagKnown ? 0 : -1;
        for (long v : lag.values()) {
            max = Math.max(max, v);
        }
        return max;
    }

    synchronized void batchDone(int records, int deadLettered) {
        windowRecords[windowNext] = records;
        windowDead[windowNext] = deadLettered;
        windowNext = (windowNext + 1) % WINDOW;
    }

    synchronized double deadLetterRate() {
        long r = 0;
        long d = 0;
        for (int i = 0; i < WINDOW; i++) {
            r += windowRecords[i];
            d += windowDead[i];
        }
        return r == 0 ? 0.0 : (double) d / r;
    }

    EngineHealth health(EngineState state, EngineConfig config, Instant now) {
        List<String> reasons = new ArrayList<>();
        long maxLag = maxLag();
        double rate = deadLetterRate();
        if (state != EngineState.RUNNING && state != EngineState.DRAINING) {
            reasons.add("engine is " + state);
            return new EngineHealth(EngineHealth.Status.DOWN, reasons, state, maxLag, rate, now);
        }
        if (maxLag > config.lagThreshold()) {
            reasons.add("lag " + maxLag + " exceeds lagThreshold " + config.lagThreshold());
        }
        int attempt = retryAttempt;
        if (attempt > 0) {
            reasons.add("sink failing: write attempt " + attempt + " of " + config.retryPolicy().maxAttempts());
            long elapsedMs = (System.nanoTime() - retryStartedNanos) / 1_000_000;
            if (attempt * 2 > config.retryPolicy().maxAttempts()
                    || elapsedMs * 2 > config.retryPolicy().maxRetryDuration().toMillis()) {
                reasons.add("retry budget more than half spent (" + attempt + " attempts, " + elapsedMs + " ms)");
            }
        }
        if (rate > config.deadLetterRateThreshold()) {
            reasons.add(String.format(java.util.Locale.ROOT, "dead-letter rate %.4f exceeds deadLetterRateThreshold %.4f",
                    rate, config.deadLetterRateThreshold()));
        }
        return new EngineHealth(reasons.isEmpty() ? EngineHealth.Status.UP : EngineHealth.Status.DEGRADED, reasons, state,
                maxLag, rate, now);
    }
}
