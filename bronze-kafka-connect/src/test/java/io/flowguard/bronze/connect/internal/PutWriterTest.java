package io.flowguard.bronze.connect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.BronzeRecordFactory;
import io.flowguard.bronze.core.TombstonePolicy;
import io.flowguard.bronze.testkit.FaultInjectingSink;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class PutWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T20:00:00Z"), ZoneOffset.UTC);

    private final InMemoryDeadLetterSink deadLetters = InMemoryDeadLetterSink.create();

    static SinkRecord record(int partition, long offset, String value) {
        return new SinkRecord(
                "orders",
                partition,
                Schema.OPTIONAL_BYTES_SCHEMA,
                ("k" + offset).getBytes(StandardCharsets.UTF_8),
                Schema.OPTIONAL_BYTES_SCHEMA,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                offset,
                1_700_000_000_000L,
                TimestampType.CREATE_TIME);
    }

    private PutWriter writer(BronzeSink sink, BronzeRecordFactory factory) {
        return new PutWriter(
                "bronze-orders-0", "connect-bronze-orders", factory, sink, DeadLetterRoutes.sink(deadLetters), CLOCK);
    }

    @Test
    void shouldAnnounceEveryOffsetToTheSinkWithDeadLetteredAndSkippedCounts() {
        CapturingSink sink = new CapturingSink();
        PutWriter.Result r = writer(
                        sink,
                        BronzeRecordFactory.builder()
                                .tombstonePolicy(TombstonePolicy.SKIP)
                                .build())
                .write(List.of(
                        record(0, 10, "{\"event_id\":\"a\"}"),
                        record(0, 11, "not json"),
                        record(0, 12, null),
                        record(1, 5, "{\"event_id\":\"b\"}")));

        assertThat(r.records()).isEqualTo(4);
        assertThat(r.landed()).isEqualTo(2);
        assertThat(r.deadLettered()).isEqualTo(1);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(sink.batches).hasSize(1);
        BatchInfo info = sink.batches.get(0);
        assertThat(info.engine()).isEqualTo("bronze-orders-0");
        assertThat(info.groupId()).isEqualTo("connect-bronze-orders");
        assertThat(info.ranges())
                .containsExactlyInAnyOrder(
                        new BatchInfo.PartitionRange("orders", 0, 10, 12, 3, 1, 1),
                        new BatchInfo.PartitionRange("orders", 1, 5, 5, 1, 0, 0));
        assertThat(sink.rows).extracting(BronzeRecord::ingestionId).containsExactly("orders-0-10", "orders-1-5");
        assertThat(deadLetters.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.stage()).isEqualTo(DeadLetter.Stage.DESERIALIZE);
            assertThat(d.offset()).isEqualTo(11);
            assertThat(new String(d.rawPayload(), StandardCharsets.UTF_8)).isEqualTo("not json");
        });
    }

    @Test
    void shouldStillWriteTheLedgerWhenEveryRecordWasDeadLettered() {
        CapturingSink sink = new CapturingSink();
        writer(sink, BronzeRecordFactory.builder().build()).write(List.of(record(0, 1, "[1]"), record(0, 2, "x")));

        assertThat(sink.batches)
                .singleElement()
                .satisfies(b -> assertThat(b.ranges())
                        .containsExactly(new BatchInfo.PartitionRange("orders", 0, 1, 2, 2, 2, 0)));
        assertThat(sink.rows).isEmpty();
        assertThat(deadLetters.count()).isEqualTo(2);
    }

    @Test
    void shouldIsolateAndDeadLetterOnlyTheRowsTheWarehouseRejects() {
        InMemoryBronzeSink store = InMemoryBronzeSink.create();
        FaultInjectingSink sink =
                FaultInjectingSink.wrap(store).rejectRecordsMatching(r -> r.offset() == 3 || r.offset() == 6);
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            records.add(record(0, i, "{\"n\":" + i + "}"));
        }
        PutWriter.Result r = writer(sink, BronzeRecordFactory.builder().build()).write(records);

        assertThat(store.ingestionIds()).hasSize(6).doesNotContain("orders-0-3", "orders-0-6");
        assertThat(deadLetters.byStage(DeadLetter.Stage.WRITE))
                .extracting(DeadLetter::offset)
                .containsExactlyInAnyOrder(3L, 6L);
        assertThat(r.landed()).isEqualTo(6);
        assertThat(r.deadLettered()).isEqualTo(2);
    }

    /** Offsets 0-9 of partition 0 of "orders"; a null value is a tombstone. */
    private static List<SinkRecord> tenRecords(List<String> values) {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add(record(0, i, values.get(i)));
        }
        return records;
    }

    private static List<String> tenEvents() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            values.add("{\"n\":" + i + "}");
        }
        return values;
    }

    /** Every offset the ranges cover, once per range that covers it. */
    private static List<Long> covered(List<BatchInfo> batches) {
        List<Long> covered = new ArrayList<>();
        for (BatchInfo b : batches) {
            for (BatchInfo.PartitionRange r : b.ranges()) {
                for (long o = r.firstOffset(); o <= r.lastOffset(); o++) {
                    covered.add(o);
                }
            }
        }
        return covered;
    }

    private static BronzeRecordFactory skippingTombstones() {
        return BronzeRecordFactory.builder()
                .tombstonePolicy(TombstonePolicy.SKIP)
                .build();
    }

    @Test
    void shouldDescribeBisectedPartsWithRangesThatTileTheBatchIncludingSkippedTombstones() {
        // Tombstones at 0, 3 and 9 (skipped), offset 5 rejected by the sink (bisection): the ledger ranges of the parts
        // that were written must tile 0-9, each offset once, as the engine's do. Before, each part's range held its own
        // rows only, so 0, 3, 5 and 9 were in no ledger row and showed as gaps.
        CapturingSink written = new CapturingSink();
        FaultInjectingSink sink = FaultInjectingSink.wrap(written).rejectRecordsMatching(r -> r.offset() == 5);
        List<String> values = tenEvents();
        values.set(0, null);
        values.set(3, null);
        values.set(9, null);

        PutWriter.Result r = writer(sink, skippingTombstones()).write(tenRecords(values));

        assertThat(covered(written.batches)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        List<BatchInfo.PartitionRange> ranges =
                written.batches.stream().flatMap(b -> b.ranges().stream()).toList();
        assertThat(ranges.stream().mapToInt(BatchInfo.PartitionRange::records).sum())
                .isEqualTo(10);
        assertThat(ranges.stream()
                        .mapToInt(BatchInfo.PartitionRange::deadLettered)
                        .sum())
                .isEqualTo(1);
        assertThat(ranges.stream().mapToInt(BatchInfo.PartitionRange::skipped).sum())
                .isEqualTo(3);
        assertThat(written.rows).hasSize(6);
        assertThat(deadLetters.byStage(DeadLetter.Stage.WRITE))
                .extracting(DeadLetter::offset)
                .containsExactly(5L);
        assertThat(r.landed()).isEqualTo(6);
        assertThat(r.skipped()).isEqualTo(3);
    }

    @Test
    void shouldAccountForTrailingOffsetsWhenTheLastRowsOfAPartitionWereAllRejected() {
        CapturingSink written = new CapturingSink();
        FaultInjectingSink sink = FaultInjectingSink.wrap(written).rejectRecordsMatching(r -> r.offset() >= 6);
        List<String> values = tenEvents();
        values.set(9, null); // a trailing tombstone after the rejected rows 6-8

        writer(sink, skippingTombstones()).write(tenRecords(values));

        // 0-5 by the written parts, 6-9 by the closing empty call (6-8 are dead letters, 9 a skipped tombstone).
        assertThat(covered(written.batches)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(written.batches.get(written.batches.size() - 1).ranges())
                .containsExactly(new BatchInfo.PartitionRange("orders", 0, 6, 9, 4, 3, 1));
        assertThat(written.rows).extracting(BronzeRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(deadLetters.byStage(DeadLetter.Stage.WRITE))
                .extracting(DeadLetter::offset)
                .containsExactlyInAnyOrder(6L, 7L, 8L);
    }

    @Test
    void shouldStoreTheRejectedRowsDeadLettersBeforeTheClosingCallCoversTheirOffsets() {
        // A ledger row over offsets whose dead letters are not stored would let a seek to the stored position (append
        // mode) pass them: when the dead-letter sink fails, the closing call must not have happened.
        CapturingSink written = new CapturingSink();
        FaultInjectingSink sink = FaultInjectingSink.wrap(written).rejectRecordsMatching(r -> r.offset() >= 6);
        PutWriter writer = new PutWriter(
                "bronze-orders-0",
                "connect-bronze-orders",
                skippingTombstones(),
                sink,
                DeadLetterRoutes.sink(io.flowguard.bronze.testkit.FaultInjectingDeadLetterSink.wrap(deadLetters)
                        .failNextWrites(1)),
                CLOCK);
        List<String> values = tenEvents();
        values.set(9, null);

        assertThatThrownBy(() -> writer.write(tenRecords(values))).isInstanceOf(RuntimeException.class);
        assertThat(covered(written.batches)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void shouldCoverAPartitionWhoseEveryRowWasRejectedWithTheClosingCallWhileTheOtherLands() {
        CapturingSink written = new CapturingSink();
        FaultInjectingSink sink = FaultInjectingSink.wrap(written).rejectRecordsMatching(r -> r.partition() == 1);

        writer(sink, skippingTombstones())
                .write(List.of(record(0, 0, "{}"), record(1, 0, "{}"), record(0, 1, "{}"), record(1, 1, "{}")));

        assertThat(written.rows).extracting(BronzeRecord::partition).containsOnly(0);
        assertThat(written.batches.stream()
                        .flatMap(b -> b.ranges().stream())
                        .filter(r -> r.partition() == 0)
                        .flatMap(r -> java.util.stream.LongStream.rangeClosed(r.firstOffset(), r.lastOffset())
                                .boxed()))
                .as("partition 0 is covered once by the parts that landed it")
                .containsExactly(0L, 1L);
        assertThat(written.batches.get(written.batches.size() - 1).ranges())
                .as("the closing call covers all of partition 1, both rows dead-lettered")
                .containsExactly(new BatchInfo.PartitionRange("orders", 1, 0, 1, 2, 2, 0));
        assertThat(deadLetters.byStage(DeadLetter.Stage.WRITE))
                .extracting(DeadLetter::partition)
                .containsExactly(1, 1);
    }

    @Test
    void shouldAccountForEveryOffsetWhenTheSinkRejectedEveryRow() {
        // Nothing was written but the empty call: the dead letters' offsets still need their ledger row.
        CapturingSink written = new CapturingSink();
        FaultInjectingSink sink = FaultInjectingSink.wrap(written).rejectRecordsMatching(r -> true);

        writer(sink, skippingTombstones()).write(List.of(record(0, 7, "{}"), record(0, 8, null), record(1, 3, "{}")));

        assertThat(written.rows).isEmpty();
        assertThat(written.batches)
                .singleElement()
                .satisfies(b -> assertThat(b.ranges())
                        .containsExactlyInAnyOrder(
                                new BatchInfo.PartitionRange("orders", 0, 7, 8, 2, 1, 1),
                                new BatchInfo.PartitionRange("orders", 1, 3, 3, 1, 1, 0)));
        assertThat(deadLetters.byStage(DeadLetter.Stage.WRITE)).hasSize(2);
    }

    @Test
    void shouldStoreConversionDeadLettersBeforeTheRowsSoThatASeekToTheStoredPositionCannotLoseThem() {
        FaultInjectingSink sink =
                FaultInjectingSink.wrap(InMemoryBronzeSink.create()).failNextWrites(1);
        PutWriter writer = writer(sink, BronzeRecordFactory.builder().build());

        assertThatThrownBy(() -> writer.write(List.of(record(0, 1, "{}"), record(0, 2, "bad"))))
                .isInstanceOf(SinkWriteException.class);
        assertThat(deadLetters.count())
                .as("the dead letter is stored before the rows and their ledger row; the retry "
                        + "stores it again, idempotently")
                .isEqualTo(1);
    }

    @Test
    void shouldThrowWhenTheDeadLetterSinkFailsSoThatNothingIsCommitted() {
        CapturingSink sink = new CapturingSink();
        PutWriter writer = new PutWriter(
                "t",
                "g",
                BronzeRecordFactory.builder().build(),
                sink,
                DeadLetterRoutes.sink(io.flowguard.bronze.testkit.FaultInjectingDeadLetterSink.wrap(deadLetters)
                        .failNextWrites(1)),
                CLOCK);

        assertThatThrownBy(() -> writer.write(List.of(record(0, 1, "bad")))).isInstanceOf(RuntimeException.class);
        assertThat(deadLetters.count()).isZero();
    }

    /** Records every batch and stores every row (no dedup needed here). */
    static final class CapturingSink implements BronzeSink {
        final List<BatchInfo> batches = new ArrayList<>();
        final List<BronzeRecord> rows = new ArrayList<>();

        @Override
        public WriteResult write(List<BronzeRecord> records) {
            return write(records, BatchInfo.adHoc(Instant.EPOCH));
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            batches.add(batch);
            rows.addAll(records);
            return WriteResult.of(records.size(), records.size());
        }
    }
}
