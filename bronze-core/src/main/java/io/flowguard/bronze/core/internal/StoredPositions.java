package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SourcePartition;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On partition assignment, asks the sink where it already is ({@link BronzeSink#storedPositions}) and:
 * <ul>
 *   <li>seeks a partition to the sink's position when that is ahead of the group's committed offset (a crash between
 *       the warehouse commit and the Kafka commit must not make an appending sink write rows twice);</li>
 *   <li>detects a topic deleted and recreated (or a cluster migrated): the sink holds a position beyond the partition's
 *       log-end offset, so offset-derived ingestion ids would collide and new events would be ignored as duplicates.
 *       The partition is then paused (quarantined: nothing lands, nothing is committed) and health is DEGRADED with a
 *       message naming the topic-partition and pointing at docs/reliability.md;</li>
 *   <li>treats a failing {@code storedPositions} call as transient: it is logged, the partition resumes from the
 *       group's committed offset, and health is DEGRADED until the partition is assigned again.</li>
 * </ul>
 * Runs inside the rebalance callback on the poll thread and never throws out of it.
 */
final class StoredPositions {
    private static final Logger log = LoggerFactory.getLogger(StoredPositions.class);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    static final String RECOVERY = "see docs/reliability.md#topic-recreated for recovery (an id epoch or a new table)";

    private final String name;
    private final BronzeSink sink;
    private final EngineStatus status;
    private final CommitTracker commits;
    private final Set<TopicPartition> quarantined = new HashSet<>();

    StoredPositions(String name, BronzeSink sink, EngineStatus status, CommitTracker commits) {
        this.name = name;
        this.sink = sink;
        this.status = status;
        this.commits = commits;
    }

    /** Partitions paused for good because their topic was recreated; never resumed by the engine. */
    Set<TopicPartition> quarantined() {
        return quarantined;
    }

    void forget(Collection<TopicPartition> partitions) {
        quarantined.removeAll(partitions);
        partitions.forEach(status::clearAlert);
    }

    void onAssigned(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        Map<SourcePartition, TopicPartition> byName = new HashMap<>();
        for (TopicPartition tp : partitions) {
            byName.put(new SourcePartition(tp.topic(), tp.partition()), tp);
        }
        Map<SourcePartition, Long> stored;
        try {
            stored = sink.storedPositions(List.copyOf(byName.keySet()));
        } catch (RuntimeException e) {
            log.warn(
                    "[{}] sink {} could not tell its stored positions for {}; resuming from the group's committed offsets "
                            + "(a sink that appends may write rows twice after a crash): {}",
                    name,
                    sink.name(),
                    partitions,
                    e.toString());
            for (TopicPartition tp : partitions) {
                status.alert(
                        tp,
                        "stored position of " + tp + " unknown (sink " + sink.name() + " failed: " + e.getMessage()
                                + "); resumed from the committed offset");
            }
            return;
        }
        if (stored == null || stored.isEmpty()) {
            return;
        }
        Set<TopicPartition> known = new HashSet<>();
        stored.keySet().forEach(sp -> {
            TopicPartition tp = byName.get(sp);
            if (tp != null) {
                known.add(tp);
            }
        });
        Map<TopicPartition, OffsetAndMetadata> committed;
        Map<TopicPartition, Long> ends;
        try {
            committed = consumer.committed(known, CALL_TIMEOUT);
            ends = consumer.endOffsets(known, CALL_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn(
                    "[{}] could not read committed or log-end offsets of {} to compare with the sink's positions: {}",
                    name,
                    known,
                    e.toString());
            known.forEach(tp -> status.alert(tp, "could not compare " + tp + " with the sink's stored position: " + e));
            return;
        }
        for (Map.Entry<SourcePartition, Long> e : stored.entrySet()) {
            TopicPartition tp = byName.get(e.getKey());
            Long position = e.getValue();
            if (tp == null || position == null) {
                continue;
            }
            Long end = ends.get(tp);
            OffsetAndMetadata om = committed.get(tp);
            if (end != null && position > end) {
                String message =
                        "topic " + tp.topic() + " partition " + tp.partition() + " looks recreated: the sink holds "
                                + "records up to offset " + (position - 1) + " but the log ends at " + end
                                + "; new events would "
                                + "collide with stored ingestion ids, so " + tp + " is paused; " + RECOVERY;
                log.error("[{}] {}", name, message);
                status.alert(tp, message);
                quarantined.add(tp);
                consumer.pause(List.of(tp));
            } else if (om == null || position > om.offset()) {
                log.info(
                        "[{}] {}: the sink already holds records up to offset {} (group committed {}); seeking to {}",
                        name,
                        tp,
                        position - 1,
                        om == null ? "nothing" : om.offset(),
                        position);
                consumer.seek(tp, position);
                commits.seeked(tp, position);
            }
        }
    }
}
