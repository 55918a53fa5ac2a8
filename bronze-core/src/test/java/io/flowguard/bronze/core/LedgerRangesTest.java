package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchInfo.PartitionRange;
import io.flowguard.bronze.api.DeadLetter;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class LedgerRangesTest {
    private static ConsumerRecord<byte[], byte[]> at(int partition, long offset) {
        return new ConsumerRecord<>("orders", partition, offset, new byte[0], new byte[0]);
    }

    private static DeadLetter deadAt(int partition, long offset) {
        return DeadLetter.builder()
                .topic("orders")
                .partition(partition)
                .offset(offset)
                .stage(DeadLetter.Stage.WRITE)
                .errorClass("x")
                .errorMessage("rejected")
                .failedAt(Instant.EPOCH)
                .build();
    }

    // p0: 0 skipped, 1-2 rows, 3 skipped, 4 row, 5 row (rejected); p1: 0 row.
    private final List<ConsumerRecord<byte[], byte[]>> records =
            List.of(at(0, 0), at(0, 1), at(0, 2), at(0, 3), at(0, 4), at(0, 5), at(1, 0));
    private final List<ConsumerRecord<byte[], byte[]>> rows = List.of(at(0, 1), at(0, 2), at(0, 4), at(0, 5), at(1, 0));
    private final List<ConsumerRecord<byte[], byte[]>> skipped = List.of(at(0, 0), at(0, 3));

    @Test
    void shouldDescribeABatchWrittenWholeByItsFirstAndLastOffsetPerPartition() {
        LedgerRanges ranges = LedgerRanges.of(records, rows, skipped);

        List<PartitionRange> whole = ranges.whole(List.of());
        ranges.written(whole);

        assertThat(whole)
                .containsExactly(
                        new PartitionRange("orders", 0, 0, 5, 6, 0, 2), new PartitionRange("orders", 1, 0, 0, 1, 0, 0));
        assertThat(ranges.uncovered(List.of())).isEmpty();
    }

    @Test
    void shouldTileTheBatchWithThePartsThatWereWrittenAndReturnWhatNoneReached() {
        LedgerRanges ranges = LedgerRanges.of(records, rows, skipped);

        List<PartitionRange> first = ranges.part(List.of(at(0, 1), at(0, 2)), List.of());
        ranges.written(first);
        List<PartitionRange> second = ranges.part(List.of(at(0, 4), at(1, 0)), List.of());
        ranges.written(second);
        List<DeadLetter> dead = List.of(deadAt(0, 5));

        assertThat(first).as("from the skipped 0 on").containsExactly(new PartitionRange("orders", 0, 0, 2, 3, 0, 1));
        assertThat(second)
                .as("from the skipped 3 on; p1's last row reaches p1's last offset")
                .containsExactly(
                        new PartitionRange("orders", 0, 3, 4, 2, 0, 1), new PartitionRange("orders", 1, 0, 0, 1, 0, 0));
        assertThat(ranges.uncovered(dead))
                .as("the rejected last row of p0")
                .containsExactly(new PartitionRange("orders", 0, 5, 5, 1, 1, 0));
    }

    @Test
    void shouldReturnTheWholeBatchAsUncoveredWhenNoCallWithRowsSucceeded() {
        LedgerRanges ranges = LedgerRanges.of(records, List.of(), skipped);

        assertThat(ranges.uncovered(List.of()))
                .containsExactly(
                        new PartitionRange("orders", 0, 0, 5, 6, 0, 2), new PartitionRange("orders", 1, 0, 0, 1, 0, 0));
    }

    @Test
    void shouldRejectNullArgumentsNamingThem() {
        assertThatThrownBy(() -> LedgerRanges.of(records, null, skipped))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("rows must not be null");
        assertThatThrownBy(() -> LedgerRanges.of(records, rows, skipped).part(rows, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("dead must not be null");
    }
}
