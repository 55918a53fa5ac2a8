package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.BronzeMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lag: re-reads log-end offsets for every assigned partition (so lag stays right on idle partitions), publishes
 * lag = log-end offset − committed offset per partition into {@link EngineStatus}, and owns the per-partition lag gauges.
 * A refresh that fails leaves the figures marked stale, so health never reports old lag as current. Poll thread only.
 */
final class LagMonitor {
    private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);
    static final Duration LAG_CALL_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final EngineStatus status;
    private final MeterRegistry registry;
    private final Tags engineTags;
    private final Map<TopicPartition, Gauge> lagGauges = new HashMap<>();
    /** Log-end offsets as of the last refresh. */
    private final Map<TopicPartition, Long> logEnd = new HashMap<>();
    /** Whether the last refresh failed (only the first failure in a row is logged at WARN). */
    private boolean failing;

    LagMonitor(String name, EngineStatus status, MeterRegistry registry, Tags engineTags) {
        this.name = name;
        this.status = status;
        this.registry = registry;
        this.engineTags = engineTags;
    }

    /** Reads log-end (and, where unknown, committed) offsets of the assigned partitions and publishes lag. */
    void refresh(Consumer<byte[], byte[]> consumer, CommitTracker commits, long nowNanos) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            if (status.groupJoined()) {
                status.lagRefreshed(nowNanos); // a member with no partitions has nothing to lag behind
            }
            return;
        }
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, LAG_CALL_TIMEOUT);
            Set<TopicPartition> unknown = new HashSet<>();
            for (TopicPartition tp : assigned) {
                if (!commits.knowsCommitted(tp)) {
                    unknown.add(tp);
                }
            }
            if (!unknown.isEmpty()) {
                consumer.committed(unknown, LAG_CALL_TIMEOUT).forEach((tp, om) -> {
                    if (om != null) {
                        commits.committed(tp, om.offset());
                    }
                });
            }
            for (TopicPartition tp : assigned) {
                Long end = ends.get(tp);
                if (end == null) {
                    continue;
                }
                logEnd.put(tp, end);
                // Before the group's first commit, lag counts from where this ownership started, not from the position:
                // records fetched or in flight are not done.
                Long done = commits.lagBase(tp);
                long base = done != null ? done : consumer.position(tp, LAG_CALL_TIMEOUT);
                status.putLag(tp, Math.max(0, end - base));
                lagGauges.computeIfAbsent(
                        tp,
                        t -> Gauge.builder(BronzeMeters.CONSUMER_LAG, status, s -> s.lagOf(t))
                                .tags(engineTags)
                                .tag(BronzeMeters.TAG_TOPIC, t.topic())
                                .tag(BronzeMeters.TAG_PARTITION, Integer.toString(t.partition()))
                                .register(registry));
            }
            status.lagRefreshed(nowNanos);
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("[{}] could not refresh lag (lag is stale until the broker answers): {}", name, e.toString());
            } else {
                log.debug("[{}] could not refresh lag: {}", name, e.toString());
            }
            failing = true;
        }
    }

    /** The log-end offset of {@code tp} as of the last refresh, or null. */
    Long logEnd(TopicPartition tp) {
        return logEnd.get(tp);
    }

    /** Keeps lag fresh between refreshes after a commit. */
    void committed(TopicPartition tp, long offset) {
        Long end = logEnd.get(tp);
        if (end != null) {
            status.putLag(tp, Math.max(0, end - offset));
        }
    }

    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            status.removeLag(tp);
            logEnd.remove(tp);
            Gauge g = lagGauges.remove(tp);
            if (g != null) {
                registry.remove(g);
            }
        }
    }

    void forgetAll() {
        forget(new ArrayList<>(lagGauges.keySet()));
    }
}
