package io.flowguard.bronze.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the {@link CommitTracker} says may be committed: asynchronously one commit at a time during normal work
 * (a failed one is retried after a backoff of 50 ms doubling to 1 s: during a rebalance or a broker outage every attempt
 * fails at once), synchronously with a bounded wait in rebalance callbacks and at close. What is sent is always
 * "written minus confirmed" for owned partitions, never a one-off list, so a lost commit is simply covered by the next.
 * Poll thread only.
 */
final class OffsetCommitter {
    private static final Logger log = LoggerFactory.getLogger(OffsetCommitter.class);
    private static final long MAX_COMMIT_BACKOFF_MILLIS = 1_000;

    private final String name;
    private final CommitTracker commits;
    private final EngineMetrics metrics;
    private final EngineStatus status;
    private final LagMonitor lag;
    private final Clock clock;
    private final Duration syncTimeout;
    private Consumer<byte[], byte[]> consumer;
    private boolean asyncInFlight;
    private long backoffMillis;
    private long retryAfterNanos;
    private boolean closing;

    OffsetCommitter(
            String name,
            CommitTracker commits,
            EngineMetrics metrics,
            EngineStatus status,
            LagMonitor lag,
            Clock clock,
            Duration syncTimeout) {
        this.name = name;
        this.commits = commits;
        this.metrics = metrics;
        this.status = status;
        this.lag = lag;
        this.clock = clock;
        this.syncTimeout = syncTimeout;
    }

    void attach(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /** No more follow-up asynchronous commits (the consumer is being closed). */
    void closing() {
        closing = true;
    }

    /** Whether a failed asynchronous commit is due for a retry. */
    boolean retryDue(long nowNanos) {
        return retryAfterNanos != 0 && nowNanos >= retryAfterNanos && !asyncInFlight;
    }

    /** Commits what is written but not yet confirmed, for owned partitions. */
    void commit(boolean sync) {
        if (!sync && (asyncInFlight || System.nanoTime() < retryAfterNanos)) {
            return; // the commit in flight, or the retry after a failed one, sends the rest
        }
        Map<TopicPartition, OffsetAndMetadata> toCommit = commits.toCommit(consumer.assignment());
        if (toCommit.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                consumer.commitSync(toCommit, syncTimeout);
                onCommitted(toCommit);
            } catch (RuntimeException e) {
                metrics.commit(false);
                log.warn(
                        "[{}] commit of {} failed; the records are written and will be re-delivered harmlessly: {}",
                        name,
                        toCommit,
                        e.toString());
            }
            return;
        }
        asyncInFlight = true;
        consumer.commitAsync(toCommit, (done, error) -> {
            asyncInFlight = false;
            if (error == null) {
                backoffMillis = 0;
                retryAfterNanos = 0;
                onCommitted(done);
                if (!closing) {
                    commit(false); // offsets written meanwhile
                }
            } else {
                metrics.commit(false);
                backoffMillis = Math.min(MAX_COMMIT_BACKOFF_MILLIS, Math.max(50, backoffMillis * 2));
                retryAfterNanos = System.nanoTime() + backoffMillis * 1_000_000L;
                if (error instanceof RebalanceInProgressException) {
                    log.debug("[{}] async commit deferred by a rebalance; retrying in {} ms", name, backoffMillis);
                } else {
                    log.warn("[{}] async commit failed; retrying in {} ms: {}", name, backoffMillis, error.toString());
                }
            }
        });
    }

    private void onCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        // A partition forgotten meanwhile (lost, revoked) is ignored by the tracker: no stale committed offset comes
        // back.
        offsets.forEach((tp, om) -> {
            commits.committed(tp, om.offset());
            Long c = commits.committedOffset(tp);
            if (c != null) {
                lag.committed(tp, c);
            }
        });
        status.committedAt(clock.millis());
        metrics.commit(true);
    }
}
