package io.flowguard.bronze.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CommitTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private final CommitTracker tracker = new CommitTracker();

    private static Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetAndMetadata> m) {
        return m.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Test
    void shouldCommitNothingBeforeAnythingIsWritten() {
        tracker.assigned(P0);
        tracker.fetched(P0, 0, 10);
        tracker.positionObserved(P0, 10);

        assertThat(tracker.toCommit(Set.of(P0))).isEmpty();
    }

    @Test
    void shouldCommitWhatWasWrittenForOwnedPartitionsOnly() {
        tracker.assigned(P0);
        tracker.assigned(P1);
        tracker.written(P0, tracker.epoch(P0), 5);
        tracker.written(P1, tracker.epoch(P1), 7);

        assertThat(offsets(tracker.toCommit(Set.of(P0)))).containsExactly(Map.entry(P0, 5L));
    }

    @Test
    void shouldNotCommitAgainWhatTheBrokerConfirmed() {
        tracker.assigned(P0);
        tracker.written(P0, tracker.epoch(P0), 5);
        tracker.committed(P0, 5);

        assertThat(tracker.toCommit(Set.of(P0))).isEmpty();
    }

    @Test
    void shouldCommitThePositionPastTransactionMarkersOnceEverythingFetchedIsWritten() {
        tracker.assigned(P0);
        tracker.fetched(P0, 4, 7); // records 4..6 returned; 7 is a commit marker
        tracker.positionObserved(P0, 8);
        tracker.written(P0, tracker.epoch(P0), 7);

        assertThat(offsets(tracker.toCommit(Set.of(P0)))).containsExactly(Map.entry(P0, 8L));
    }

    @Test
    void shouldNotCommitThePositionWhileFetchedRecordsAreUnwritten() {
        tracker.assigned(P0);
        tracker.fetched(P0, 0, 10);
        tracker.positionObserved(P0, 12);
        tracker.written(P0, tracker.epoch(P0), 6);

        assertThat(offsets(tracker.toCommit(Set.of(P0)))).containsExactly(Map.entry(P0, 6L));
    }

    @Test
    void shouldIgnoreABatchFormedBeforeThePartitionWasLostAndAssignedAgain() {
        tracker.assigned(P0);
        long oldEpoch = tracker.epoch(P0);
        tracker.forget(Set.of(P0)); // lost; another member committed 100 meanwhile
        tracker.assigned(P0);
        tracker.committed(P0, 100);

        tracker.written(P0, oldEpoch, 5); // the stale batch settles late

        assertThat(tracker.toCommit(Set.of(P0)))
                .as("the group offset never moves back to 5")
                .isEmpty();
        assertThat(tracker.epoch(P0)).isNotEqualTo(oldEpoch);
    }

    @Test
    void shouldIgnoreWritesAndConfirmationsForPartitionsNoLongerOwned() {
        tracker.assigned(P0);
        long epoch = tracker.epoch(P0);
        tracker.forget(Set.of(P0));

        tracker.written(P0, epoch, 5);
        tracker.committed(P0, 5);

        assertThat(tracker.committedOffset(P0)).isNull();
        assertThat(tracker.toCommit(Set.of(P0))).isEmpty();
    }

    @Test
    void shouldTreatASeekAsTheNewFetchedPosition() {
        tracker.assigned(P0);
        tracker.written(P0, tracker.epoch(P0), 40);
        tracker.seeked(P0, 40); // rewound to the first unwritten record

        assertThat(offsets(tracker.toCommit(Set.of(P0)))).containsExactly(Map.entry(P0, 40L));
        assertThat(tracker.hasFetched(P0)).isTrue();
    }

    @Test
    void shouldCountLagFromTheFirstFetchedOffsetUntilTheFirstCommit() {
        tracker.assigned(P0);
        assertThat(tracker.lagBase(P0))
                .as("nothing fetched: the consumer's position is the base")
                .isNull();
        tracker.fetched(P0, 40, 50);
        tracker.fetched(P0, 50, 60);
        tracker.positionObserved(P0, 60);
        tracker.written(P0, tracker.epoch(P0), 50);

        assertThat(tracker.lagBase(P0))
                .as("written but not committed is not done")
                .isEqualTo(40L);
        tracker.committed(P0, 50);
        assertThat(tracker.lagBase(P0)).isEqualTo(50L);
    }

    @Test
    void shouldCountLagFromARewindTargetWhileNothingIsWritten() {
        tracker.assigned(P0);
        tracker.fetched(P0, 40, 50);
        tracker.seeked(P0, 30);

        assertThat(tracker.lagBase(P0)).isEqualTo(30L);
    }
}
