package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The compatibility suite of a sink that keeps an ingestion ledger (one row per table, topic and partition of every
 * write, in the same transaction as the rows), beside {@link BronzeSinkContract}: extend it, implement
 * {@link #createSink()}, {@link #ledger(String)} and {@link #gaps(String)} (through the implementation's ledger reader),
 * and JUnit runs every contract test against it. All writes go to topic {@value #TOPIC}.
 *
 * <p>What it checks: the ledger row carries the batch's id, engine, trigger and each partition's offset range and counts
 * (records consumed, rows landed, rows new, dead-lettered, skipped); a batch whose records were all dead-lettered still
 * gets its row, so those offsets are no gap; a batch written again adds no new rows ({@code ROWS_INSERTED = 0}); the
 * gap check sees exactly the offsets no ledger row covers; a batch written twice under one id keeps one row; rows new to
 * a mixed batch are counted exactly or left unknown (null), never guessed; a write without batch context is recorded as
 * {@code adhoc} with ranges spanning the written offsets; and the batch context reaches the sink through the testkit's
 * {@link FaultInjectingSink} decorator.
 *
 * @since 0.2.0
 */
public abstract class IngestionLedgerContract {
    /** The topic every contract test writes to. */
    protected static final String TOPIC = TestRecords.ORDERS_TOPIC;

    private static final Instant STARTED = Instant.parse("2025-03-14T10:00:00Z");

    private BronzeSink sink;

    /** A new sink with its ingestion ledger on, writing to an empty target; called once per test, closed after it. */
    protected abstract BronzeSink createSink();

    /** Every ledger row of {@code topic}, in any order. */
    protected abstract List<LedgerRow> ledger(String topic);

    /** The gaps the implementation's ledger reader reports for {@code topic}. */
    protected abstract List<OffsetGap> gaps(String topic);

    /** A ledger row as the contract compares it; {@code rowsInserted} is null when the sink could not attribute it. */
    public record LedgerRow(
            String batchId,
            String engine,
            String topic,
            int partition,
            long firstOffset,
            long lastOffset,
            int records,
            int rowsLanded,
            Integer rowsInserted,
            int rowsDeadLettered,
            int rowsSkipped,
            String trigger) {}

    /** Offsets {@code firstOffset..lastOffset} (inclusive) of one partition that no ledger row covers. */
    public record OffsetGap(String topic, int partition, long firstOffset, long lastOffset) {}

    /** The sink under test, created on the first call of each test. */
    protected final BronzeSink sink() {
        if (sink == null) {
            sink = createSink();
            assertThat(sink).as("createSink()").isNotNull();
        }
        return sink;
    }

    @AfterEach
    final void closeLedgerSink() {
        if (sink != null) {
            sink.close();
            sink = null;
        }
    }

    /** A batch context of {@code batchId} from engine {@code contract} with the given ranges. */
    protected static BatchInfo batch(String batchId, BatchInfo.PartitionRange... ranges) {
        return BatchInfo.of(batchId, "contract", "contract-group", "records", STARTED, List.of(ranges));
    }

    private static BatchInfo.PartitionRange range(
            int partition, long first, long last, int records, int dead, int skipped) {
        return new BatchInfo.PartitionRange(TOPIC, partition, first, last, records, dead, skipped);
    }

    @Test
    void shouldWriteOneLedgerRowPerPartitionWithTheBatchRangeAndCounts() {
        List<BronzeRecord> records = new ArrayList<>(TestRecords.orders(TOPIC, 0, 0, 5));
        records.addAll(TestRecords.orders(TOPIC, 1, 10, 3));

        sink().write(records, batch("b-1", range(0, 0, 5, 6, 1, 0), range(1, 10, 12, 3, 0, 0)));

        assertThat(ledger(TOPIC))
                .containsExactlyInAnyOrder(
                        new LedgerRow("b-1", "contract", TOPIC, 0, 0, 5, 6, 5, 5, 1, 0, "records"),
                        new LedgerRow("b-1", "contract", TOPIC, 1, 10, 12, 3, 3, 3, 0, 0, "records"));
    }

    @Test
    void shouldWriteTheLedgerRowOfABatchWhoseRecordsWereAllDeadLetteredSoTheyAreNoGap() {
        sink().write(TestRecords.orders(TOPIC, 0, 0, 3), batch("b-1", range(0, 0, 2, 3, 0, 0)));
        sink().write(List.of(), batch("b-2", range(0, 3, 5, 3, 2, 1)));
        sink().write(TestRecords.orders(TOPIC, 0, 6, 2), batch("b-3", range(0, 6, 7, 2, 0, 0)));

        assertThat(ledger(TOPIC))
                .filteredOn(r -> r.batchId().equals("b-2"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.rowsLanded()).isZero();
                    assertThat(r.rowsDeadLettered()).isEqualTo(2);
                    assertThat(r.rowsSkipped()).isEqualTo(1);
                    assertThat(r.firstOffset()).isEqualTo(3);
                    assertThat(r.lastOffset()).isEqualTo(5);
                });
        assertThat(gaps(TOPIC)).isEmpty();
    }

    @Test
    void shouldReportExactlyTheOffsetsNoLedgerRowCovers() {
        sink().write(TestRecords.orders(TOPIC, 0, 0, 3), batch("b-1", range(0, 0, 2, 3, 0, 0)));
        sink().write(TestRecords.orders(TOPIC, 0, 7, 2), batch("b-2", range(0, 7, 8, 2, 0, 0)));

        assertThat(gaps(TOPIC)).containsExactly(new OffsetGap(TOPIC, 0, 3, 6));
    }

    @Test
    void shouldCountNoNewRowsWhenRecordsAlreadyStoredAreWrittenAgain() {
        List<BronzeRecord> records = TestRecords.orders(TOPIC, 0, 0, 4);
        sink().write(records, batch("b-1", range(0, 0, 3, 4, 0, 0)));

        sink().write(records, batch("b-2", range(0, 0, 3, 4, 0, 0)));

        assertThat(ledger(TOPIC))
                .filteredOn(r -> r.batchId().equals("b-2"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.rowsLanded()).isEqualTo(4);
                    assertThat(r.rowsInserted()).isZero();
                });
    }

    @Test
    void shouldLeaveRowsInsertedUnknownOrExactWhenABatchMixesNewAndStoredRows() {
        sink().write(TestRecords.orders(TOPIC, 0, 0, 5), batch("b-1", range(0, 0, 4, 5, 0, 0)));
        List<BronzeRecord> mixed = new ArrayList<>(TestRecords.orders(TOPIC, 0, 0, 10));
        mixed.addAll(TestRecords.orders(TOPIC, 1, 0, 10));

        WriteResult result = sink().write(mixed, batch("b-mixed", range(0, 0, 9, 10, 0, 0), range(1, 0, 9, 10, 0, 0)));

        assertThat(result.inserted()).as("new rows of the batch").isEqualTo(15);
        // A sink that counts new rows per statement cannot always say which partition they belong to: null then, never
        // a guess. Partition 0 had 5 of its 10 rows already, partition 1 none.
        assertThat(ledger(TOPIC))
                .filteredOn(r -> r.batchId().equals("b-mixed"))
                .hasSize(2)
                .allSatisfy(r -> {
                    assertThat(r.rowsLanded()).isEqualTo(10);
                    assertThat(r.rowsInserted()).isIn(null, r.partition() == 0 ? 5 : 10);
                });
    }

    @Test
    void shouldAddNoLedgerRowWhenTheSameBatchIsWrittenAgain() {
        BatchInfo retried = batch("b-retried", range(0, 0, 9, 10, 0, 0));
        sink().write(TestRecords.orders(TOPIC, 0, 0, 10), retried);

        sink().write(TestRecords.orders(TOPIC, 0, 0, 10), retried);

        assertThat(ledger(TOPIC))
                .singleElement()
                .satisfies(r -> assertThat(r.batchId()).isEqualTo("b-retried"));
    }

    @Test
    void shouldDescribeAdHocWritesWithRangesSpanningTheWrittenOffsets() {
        List<BronzeRecord> records = new ArrayList<>(TestRecords.orders(TOPIC, 0, 20, 5));
        records.addAll(TestRecords.orders(TOPIC, 3, 7, 2));

        sink().write(records); // no batch context: BatchInfo.adHoc

        assertThat(ledger(TOPIC)).hasSize(2).allSatisfy(r -> {
            assertThat(r.engine()).isEqualTo("adhoc");
            assertThat(r.trigger()).isEqualTo("adhoc");
        });
        assertThat(ledger(TOPIC))
                .extracting(r -> r.partition() + ":" + r.firstOffset() + ".." + r.lastOffset() + "/" + r.records() + "/"
                        + r.rowsInserted())
                .containsExactlyInAnyOrder("0:20..24/5/5", "3:7..8/2/2");
    }

    @Test
    void shouldReceiveTheBatchContextThroughAFaultInjectingDecorator() {
        FaultInjectingSink decorated = FaultInjectingSink.wrap(sink());
        decorated.failNextWritesAfterStoring(1);

        try {
            decorated.write(TestRecords.orders(TOPIC, 2, 40, 2), batch("b-decorated", range(2, 40, 41, 2, 0, 0)));
        } catch (RuntimeException expected) {
            // the injected failure comes after the delegate stored the batch
        }

        assertThat(ledger(TOPIC)).singleElement().satisfies(r -> {
            assertThat(r.batchId()).isEqualTo("b-decorated");
            assertThat(r.engine()).isEqualTo("contract");
            assertThat(r.partition()).isEqualTo(2);
        });
    }
}
