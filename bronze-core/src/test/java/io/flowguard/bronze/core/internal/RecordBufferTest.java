package io.flowguard.bronze.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.core.FlushTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordBufferTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final long WAIT = 1_000_000_000L;

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, int valueBytes) {
        return new ConsumerRecord<>(
                "orders",
                partition,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                0,
                valueBytes,
                null,
                new byte[valueBytes],
                new RecordHeaders(),
                Optional.empty());
    }

    @Test
    void shouldBeReadyByRecordsBytesOrWaitWhicheverComesFirst() {
        RecordBuffer byRecords = new RecordBuffer(2, 1_000, WAIT);
        byRecords.add(record(0, 0, 1), 0);
        assertThat(byRecords.readyTrigger(0)).isNull();
        byRecords.add(record(0, 1, 1), 0);
        assertThat(byRecords.readyTrigger(0)).isEqualTo(FlushTrigger.RECORDS);

        RecordBuffer byBytes = new RecordBuffer(100, 10, WAIT);
        byBytes.add(record(0, 0, 10), 0);
        assertThat(byBytes.readyTrigger(0)).isEqualTo(FlushTrigger.BYTES);

        RecordBuffer byWait = new RecordBuffer(100, 1_000, WAIT);
        byWait.add(record(0, 0, 1), 100);
        assertThat(byWait.readyTrigger(100 + WAIT - 1)).isNull();
        assertThat(byWait.nanosUntilDue(100)).isEqualTo(WAIT);
        assertThat(byWait.readyTrigger(100 + WAIT)).isEqualTo(FlushTrigger.WAIT);
    }

    @Test
    void shouldTakeUpToTheLimitsWithTheLastOffsetPerPartitionAndItsEpoch() {
        RecordBuffer buffer = new RecordBuffer(3, 1_000, WAIT);
        buffer.add(record(0, 5, 1), 0);
        buffer.add(record(1, 7, 1), 0);
        buffer.add(record(0, 6, 1), 0);
        buffer.add(record(1, 8, 1), 0);

        Batch b = buffer.take(FlushTrigger.RECORDS, tp -> tp.partition() + 10L);

        assertThat(b.records()).hasSize(3);
        assertThat(b.commitOffsets().get(P0).offset()).isEqualTo(7L);
        assertThat(b.commitOffsets().get(P1).offset()).isEqualTo(8L);
        assertThat(b.epochs()).isEqualTo(Map.of(P0, 10L, P1, 11L));
        assertThat(b.firstOffsets()).isEqualTo(Map.of(P0, 5L, P1, 7L));
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.firstOffsets()).isEqualTo(Map.of(P1, 8L));
    }

    @Test
    void shouldAlwaysTakeAtLeastOneRecordEvenWhenItIsOverTheByteLimit() {
        RecordBuffer buffer = new RecordBuffer(10, 5, WAIT);
        buffer.add(record(0, 0, 50), 0);
        buffer.add(record(0, 1, 1), 0);

        assertThat(buffer.take(FlushTrigger.BYTES, tp -> 1L).records()).hasSize(1);
        assertThat(buffer.bytes()).isEqualTo(1);
    }

    @Test
    void shouldSetAsideAndRestoreOtherPartitionsKeepingTheirArrivalAndDropByPartition() {
        RecordBuffer buffer = new RecordBuffer(10, 1_000, WAIT);
        buffer.add(record(1, 0, 1), 7);
        buffer.add(record(0, 0, 1), 8);
        buffer.add(record(1, 1, 1), 9);

        List<Long> arrivals = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> kept = buffer.retainOnly(List.of(P0), arrivals);
        assertThat(kept).extracting(ConsumerRecord::partition).containsExactly(1, 1);
        assertThat(buffer.size()).isEqualTo(1);
        buffer.take(FlushTrigger.REVOCATION, tp -> 1L);
        buffer.restore(kept, arrivals);
        assertThat(buffer.size()).isEqualTo(2);
        assertThat(buffer.nanosUntilDue(7))
                .as("the oldest keeps its arrival time")
                .isEqualTo(WAIT);

        assertThat(buffer.drop(List.of(P1))).isEqualTo(2);
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.bytes()).isZero();
    }
}
