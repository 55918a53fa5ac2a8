package io.flowguard.bronze.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The commit rule as a property: for any interleaving of fetches (with transaction markers between records), batch
 * formation, in-order settling, commits, lost and re-assigned partitions and late-settling stale batches, no offset is
 * ever committed past a record that was not written, and the group's committed offset never moves backwards.
 */
class CommitTrackerPropertiesTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final int LOG_SIZE = 200;

    enum Action {
        FETCH,
        FORM,
        SETTLE,
        COMMIT,
        LOSE,
        ASSIGN,
        READ_BACK
    }

    /** A batch in the model: its records and the epoch it was formed under. */
    private record ModelBatch(List<Long> offsets, long epoch) {}

    @Provide
    Arbitrary<List<Action>> actions() {
        return Arbitraries.of(
                        Action.FETCH,
                        Action.FETCH,
                        Action.FORM,
                        Action.SETTLE,
                        Action.COMMIT,
                        Action.COMMIT,
                        Action.LOSE,
                        Action.ASSIGN,
                        Action.READ_BACK)
                .list()
                .ofMinSize(1)
                .ofMaxSize(120);
    }

    @Provide
    Arbitrary<Set<Integer>> markers() {
        return Arbitraries.integers().between(0, LOG_SIZE - 1).set().ofMaxSize(40);
    }

    @Property(tries = 500)
    void noOffsetIsEverCommittedPastAnUnwrittenRecord(
            @ForAll("actions") List<Action> actions,
            @ForAll("markers") Set<Integer> markerOffsets,
            @ForAll("chunks") List<Integer> chunks) {
        CommitTracker tracker = new CommitTracker();
        Set<Long> written = new HashSet<>();
        ArrayDeque<ModelBatch> pending = new ArrayDeque<>();
        List<Long> buffer = new ArrayList<>();
        long groupCommitted = 0;
        long fetchPosition = 0;
        boolean owned = true;
        tracker.assigned(TP);
        int chunk = 0;
        for (Action a : actions) {
            switch (a) {
                case FETCH -> {
                    if (!owned) {
                        break;
                    }
                    int n = chunks.get(chunk++ % chunks.size());
                    long first = -1;
                    long last = -1;
                    while (n > 0 && fetchPosition < LOG_SIZE) {
                        if (!markerOffsets.contains((int) fetchPosition)) {
                            buffer.add(fetchPosition);
                            if (first < 0) {
                                first = fetchPosition;
                            }
                            last = fetchPosition;
                            n--;
                        }
                        fetchPosition++;
                    }
                    // like the real consumer, the position may already be past markers that follow the last record
                    while (fetchPosition < LOG_SIZE
                            && markerOffsets.contains((int) fetchPosition)
                            && n == 0
                            && last % 2 == 0) {
                        fetchPosition++;
                    }
                    if (last >= 0) {
                        tracker.fetched(TP, first, last + 1);
                    }
                    tracker.positionObserved(TP, fetchPosition);
                }
                case FORM -> {
                    if (owned && !buffer.isEmpty()) {
                        pending.addLast(new ModelBatch(List.copyOf(buffer), tracker.epoch(TP)));
                        buffer.clear();
                    }
                }
                case SETTLE -> {
                    ModelBatch b = pending.pollFirst();
                    if (b != null) {
                        written.addAll(b.offsets()); // the sink has it, whether or not this member still owns TP
                        tracker.written(
                                TP, b.epoch(), b.offsets().get(b.offsets().size() - 1) + 1);
                    }
                }
                case COMMIT -> {
                    Map<TopicPartition, OffsetAndMetadata> c = tracker.toCommit(owned ? Set.of(TP) : Set.of());
                    OffsetAndMetadata om = c.get(TP);
                    if (om != null) {
                        long offset = om.offset();
                        TreeSet<Long> unwritten = new TreeSet<>();
                        for (long o = 0; o < offset; o++) {
                            if (!markerOffsets.contains((int) o) && !written.contains(o)) {
                                unwritten.add(o);
                            }
                        }
                        assertThat(unwritten)
                                .as("records below the committed offset %d that were never written", offset)
                                .isEmpty();
                        assertThat(offset)
                                .as("the group's committed offset never moves back")
                                .isGreaterThanOrEqualTo(groupCommitted);
                        groupCommitted = offset;
                        tracker.committed(TP, offset);
                    }
                }
                case LOSE -> {
                    if (owned) {
                        owned = false;
                        buffer.clear(); // pending batches may still settle later, under the old epoch
                        tracker.forget(Set.of(TP));
                    }
                }
                case ASSIGN -> {
                    if (!owned) {
                        owned = true;
                        // Meanwhile another member owned TP, wrote some records and committed past them.
                        long other = Math.min(LOG_SIZE, groupCommitted + chunks.get(chunk++ % chunks.size()));
                        for (long o = groupCommitted; o < other; o++) {
                            written.add(o);
                        }
                        groupCommitted = Math.max(groupCommitted, other);
                        tracker.assigned(TP);
                        fetchPosition = groupCommitted; // the consumer resumes from the group's committed offset
                    }
                }
                case READ_BACK -> {
                    if (owned) {
                        tracker.committed(TP, groupCommitted); // as the lag monitor does, some time after assignment
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.integers().between(0, 15).list().ofMinSize(1).ofMaxSize(20);
    }
}
