package io.flowguard.bronze.core.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The commit rule, the library's correctness core: <b>commit only what was written, for partitions still owned</b>.
 * Pure bookkeeping with no I/O, so it is unit- and property-tested on its own ({@code CommitTrackerTest},
 * {@code CommitTrackerPropertiesTest}); the poll loop feeds it events and sends what {@link #toCommit} returns.
 *
 * <p>Per partition it keeps:
 * <ul>
 *   <li>the <em>epoch</em> of the current ownership: a partition lost and assigned again gets a new epoch, and a batch
 *       formed under an older epoch that settles late is ignored, so it can never move the group's offset backwards
 *       over what another member committed meanwhile;</li>
 *   <li><em>written</em>: the offset after the last record written to the sink or dead-letter sink (batches settle in
 *       order, so this is a contiguous prefix);</li>
 *   <li><em>fetched</em> and <em>position</em>: the offset after the last record the consumer returned, and the
 *       consumer's position observed at the same moment. Records between them were never returned (transaction
 *       markers, aborted records under {@code read_committed}), so once everything fetched is written the position
 *       may be committed; without this, a partition ending in a commit marker would show a lag of 1 for ever;</li>
 *   <li><em>committed</em>: the offset the broker confirmed (or that was read back for lag);</li>
 *   <li><em>start</em>: the offset of the first record fetched under this ownership (or where the consumer was moved
 *       before anything was written), the base of lag while nothing is committed: a restart would read from there.</li>
 * </ul>
 *
 * <p>Poll thread only; not thread-safe.
 */
final class CommitTracker {
    private static final class State {
        final long epoch;
        long written = -1;
        long fetched = -1;
        long position = -1;
        long committed = -1;
        long start = -1;

        State(long epoch) {
            this.epoch = epoch;
        }
    }

    private final Map<TopicPartition, State> partitions = new HashMap<>();
    private long nextEpoch = 1;

    /** A partition was assigned: a new ownership epoch begins. */
    void assigned(TopicPartition tp) {
        partitions.put(tp, new State(nextEpoch++));
    }

    /** A partition was revoked or lost: everything known of it is dropped. */
    void forget(Collection<TopicPartition> tps) {
        tps.forEach(partitions::remove);
    }

    /** The current epoch of a partition, or 0 when it is not owned. Batches remember it when they are formed. */
    long epoch(TopicPartition tp) {
        State s = partitions.get(tp);
        return s == null ? 0 : s.epoch;
    }

    /** The consumer returned records of {@code tp} from {@code firstOffset} up to {@code nextOffset - 1}. */
    void fetched(TopicPartition tp, long firstOffset, long nextOffset) {
        State s = partitions.get(tp);
        if (s != null) {
            s.fetched = Math.max(s.fetched, nextOffset);
            if (s.start < 0) {
                s.start = firstOffset;
            }
        }
    }

    /** Whether records of {@code tp} were fetched under the current ownership (so its position is known locally). */
    boolean hasFetched(TopicPartition tp) {
        State s = partitions.get(tp);
        return s != null && s.fetched >= 0;
    }

    /** The consumer's position of {@code tp} right after a poll (every returned record is below it). */
    void positionObserved(TopicPartition tp, long position) {
        State s = partitions.get(tp);
        if (s != null && position >= s.fetched) {
            s.position = position;
        }
    }

    /** The consumer was moved to {@code offset} (a rewind to the first unwritten record, or a seek ahead). */
    void seeked(TopicPartition tp, long offset) {
        State s = partitions.get(tp);
        if (s != null) {
            s.fetched = offset;
            s.position = offset;
            if (s.written < 0) {
                s.start = offset; // nothing written yet: a restart would begin here
            }
        }
    }

    /**
     * A batch formed under {@code epoch} was written up to {@code nextOffset - 1}. Ignored when the partition is no
     * longer owned, or was lost and assigned again since (a stale epoch).
     */
    void written(TopicPartition tp, long epoch, long nextOffset) {
        State s = partitions.get(tp);
        if (s != null && s.epoch == epoch) {
            s.written = Math.max(s.written, nextOffset);
        }
    }

    /** The broker confirmed a commit, or the committed offset was read back. */
    void committed(TopicPartition tp, long offset) {
        State s = partitions.get(tp);
        if (s != null) {
            s.committed = Math.max(s.committed, offset);
        }
    }

    /** The committed offset known for {@code tp}, or null. */
    Long committedOffset(TopicPartition tp) {
        State s = partitions.get(tp);
        return s == null || s.committed < 0 ? null : s.committed;
    }

    /**
     * The offset lag counts from: the committed offset when one is known, else the first offset of this ownership
     * (records fetched or being written since are not done yet), or null when neither is known (nothing fetched: the
     * consumer's position is then that start).
     */
    Long lagBase(TopicPartition tp) {
        State s = partitions.get(tp);
        if (s == null) {
            return null;
        }
        if (s.committed >= 0) {
            return s.committed;
        }
        return s.start < 0 ? null : s.start;
    }

    /** Whether a committed offset is known for {@code tp}. */
    boolean knowsCommitted(TopicPartition tp) {
        return committedOffset(tp) != null;
    }

    /** The offset after the last written record of {@code tp}, or -1. */
    long writtenOffset(TopicPartition tp) {
        State s = partitions.get(tp);
        return s == null ? -1 : s.written;
    }

    /**
     * What may be committed now: per owned partition, the written offset (or the observed position, when every fetched
     * record is written) when it is above the confirmed one.
     */
    Map<TopicPartition, OffsetAndMetadata> toCommit(Set<TopicPartition> owned) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((tp, s) -> {
            if (!owned.contains(tp)) {
                return;
            }
            long offset = s.written;
            if (s.fetched >= 0 && s.written >= s.fetched && s.position > offset) {
                offset = s.position; // only markers or aborted records lie between what was written and the position
            }
            if (offset >= 0 && offset > s.committed) {
                out.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return out;
    }
}
