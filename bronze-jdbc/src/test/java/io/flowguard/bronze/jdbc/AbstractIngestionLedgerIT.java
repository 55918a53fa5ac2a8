package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BatchInfo.PartitionRange;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.testkit.TestRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The ingestion ledger {@link JdbcBronzeSink} writes and {@link IngestionLedger} reads, run against each database by a
 * subclass: one row per (table, topic, partition) in the batch's transaction, counts, rollback, gaps.
 */
abstract class AbstractIngestionLedgerIT {
    static final String ORDERS = "orders";
    static final String CLICKS = "web.clicks";
    static final Instant STARTED = Instant.parse("2025-06-01T10:00:00Z");
    static final Instant COMMITTED = Instant.parse("2025-06-01T10:00:02.500Z");

    abstract DataSource dataSource();

    abstract SqlDialect dialect();

    /** The schema tests write to, or null for the current one. */
    abstract String schema();

    private final Clock clock = Clock.fixed(COMMITTED, ZoneOffset.UTC);

    JdbcBronzeSink.Builder sinkBuilder() {
        return JdbcBronzeSink.builder(dataSource(), dialect()).schema(schema()).clock(clock);
    }

    IngestionLedger ledger() {
        return IngestionLedger.builder(dataSource(), dialect()).schema(schema()).build();
    }

    String table(String name) {
        return schema() == null ? '"' + name + '"' : '"' + schema() + "\".\"" + name + '"';
    }

    String qualifiedName(String table) {
        return schema() == null ? table : schema() + '.' + table;
    }

    List<IngestionLedger.Entry> allEntries() {
        List<IngestionLedger.Entry> all = new ArrayList<>(
                ledger().landedBetween(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), Optional.empty()));
        all.sort(Comparator.comparing(IngestionLedger.Entry::batchId)
                .thenComparing(IngestionLedger.Entry::topic)
                .thenComparingInt(IngestionLedger.Entry::partition)
                .thenComparingLong(IngestionLedger.Entry::firstOffset));
        return all;
    }

    static BatchInfo batch(String id, PartitionRange... ranges) {
        return BatchInfo.of(id, "eng-1", "group-1", "records", STARTED, List.of(ranges));
    }

    static List<BronzeRecord> orders(int partition, long first, int count) {
        return TestRecords.orders(ORDERS, partition, first, count);
    }

    @Test
    void shouldWriteOneLedgerRowPerTableTopicAndPartitionOfTheBatch() {
        JdbcBronzeSink sink = sinkBuilder().build();
        List<BronzeRecord> records = new ArrayList<>(orders(0, 0, 10));
        records.addAll(orders(1, 100, 5));
        records.addAll(TestRecords.clicks(CLICKS, 0, 7, 3));

        WriteResult result = sink.write(
                records,
                batch(
                        "b-1",
                        new PartitionRange(ORDERS, 0, 0, 11, 12, 2, 0),
                        new PartitionRange(ORDERS, 1, 100, 104, 5, 0, 0),
                        new PartitionRange(CLICKS, 0, 7, 10, 4, 0, 1)));

        assertThat(result).isEqualTo(WriteResult.of(18, 18));
        assertThat(allEntries())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("writeLatencyMs")
                .containsExactly(
                        new IngestionLedger.Entry(
                                "b-1",
                                "eng-1",
                                "group-1",
                                qualifiedName("ORDERS_RAW"),
                                ORDERS,
                                0,
                                0,
                                11,
                                12,
                                10,
                                10,
                                2,
                                0,
                                "records",
                                STARTED,
                                COMMITTED,
                                0),
                        new IngestionLedger.Entry(
                                "b-1",
                                "eng-1",
                                "group-1",
                                qualifiedName("ORDERS_RAW"),
                                ORDERS,
                                1,
                                100,
                                104,
                                5,
                                5,
                                5,
                                0,
                                0,
                                "records",
                                STARTED,
                                COMMITTED,
                                0),
                        new IngestionLedger.Entry(
                                "b-1",
                                "eng-1",
                                "group-1",
                                qualifiedName("WEB_CLICKS_RAW"),
                                CLICKS,
                                0,
                                7,
                                10,
                                4,
                                3,
                                3,
                                0,
                                1,
                                "records",
                                STARTED,
                                COMMITTED,
                                0));
        assertThat(allEntries()).allSatisfy(e -> assertThat(e.writeLatencyMs()).isNotNegative());
    }

    @Test
    void shouldWriteLedgerRowWithNoLandedRowsWhenEveryRecordOfAPartitionWasDeadLettered() {
        JdbcBronzeSink sink = sinkBuilder().build();

        sink.write(
                orders(0, 0, 4),
                batch(
                        "b-dead",
                        new PartitionRange(ORDERS, 0, 0, 3, 4, 0, 0),
                        new PartitionRange(ORDERS, 2, 50, 52, 3, 3, 0)));

        assertThat(allEntries())
                .filteredOn(e -> e.partition() == 2)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.firstOffset()).isEqualTo(50);
                    assertThat(e.lastOffset()).isEqualTo(52);
                    assertThat(e.records()).isEqualTo(3);
                    assertThat(e.rowsLanded()).isZero();
                    assertThat(e.rowsInserted()).isZero();
                    assertThat(e.rowsDeadLettered()).isEqualTo(3);
                    assertThat(e.table()).isEqualTo(qualifiedName("ORDERS_RAW"));
                });
    }

    @Test
    void shouldStoreNoLedgerRowWhenTheBatchIsRolledBack() {
        JdbcBronzeSink sink = sinkBuilder()
                .typedColumns("ORDERS_RAW", TypedColumn.of("USER_ID", "user_id", SqlType.INTEGER))
                .build();
        sink.write(orders(0, 0, 1), batch("b-ok", new PartitionRange(ORDERS, 0, 0, 0, 1, 0, 0)));
        BronzeRecord bad = TestRecords.order(ORDERS, 0, 1).toBuilder()
                .rawEvent("{\"user_id\":\"abc\"}")
                .build();

        assertThatThrownBy(() -> sink.write(List.of(bad), batch("b-bad", new PartitionRange(ORDERS, 0, 1, 1, 1, 0, 0))))
                .isInstanceOf(SinkWriteException.class);

        assertThat(allEntries()).extracting(IngestionLedger.Entry::batchId).containsExactly("b-ok");
    }

    @Test
    void shouldWriteNoLedgerWhenItIsDisabled() {
        JdbcBronzeSink sink = sinkBuilder().ingestionLedger(false).build();

        sink.write(orders(0, 0, 3), batch("b-off", new PartitionRange(ORDERS, 0, 0, 2, 3, 0, 0)));

        assertThat(Rows.tableExists(dataSource(), schema(), "BRONZE_INGESTION_LOG"))
                .isFalse();
        assertThat(allEntries()).isEmpty();
        assertThat(ledger().gaps(ORDERS)).isEmpty();
    }

    @Test
    void shouldWriteLedgerToTheConfiguredTable() {
        JdbcBronzeSink sink = sinkBuilder().ingestionLedgerTable("AUDIT_LOG").build();

        sink.write(orders(0, 0, 3), batch("b-custom", new PartitionRange(ORDERS, 0, 0, 2, 3, 0, 0)));

        assertThat(((Number) Rows.scalar(dataSource(), "SELECT COUNT(*) FROM " + table("AUDIT_LOG"))).longValue())
                .isEqualTo(1);
        assertThat(IngestionLedger.builder(dataSource(), dialect())
                        .schema(schema())
                        .table("AUDIT_LOG")
                        .build()
                        .landedBetween(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), Optional.of(ORDERS)))
                .hasSize(1);
    }

    @Test
    void shouldListLedgerRowsCommittedInTheWindowForTheTopic() {
        JdbcBronzeSink early =
                sinkBuilder().clock(Clock.fixed(COMMITTED, ZoneOffset.UTC)).build();
        JdbcBronzeSink late = sinkBuilder()
                .clock(Clock.fixed(COMMITTED.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                .build();
        early.write(orders(0, 0, 3), batch("b-early", new PartitionRange(ORDERS, 0, 0, 2, 3, 0, 0)));
        early.write(
                TestRecords.clicks(CLICKS, 0, 0, 3), batch("b-clicks", new PartitionRange(CLICKS, 0, 0, 2, 3, 0, 0)));
        late.write(orders(0, 3, 3), batch("b-late", new PartitionRange(ORDERS, 0, 3, 5, 3, 0, 0)));

        List<IngestionLedger.Entry> window =
                ledger().landedBetween(COMMITTED, COMMITTED.plus(Duration.ofMinutes(30)), Optional.of(ORDERS));

        assertThat(window).extracting(IngestionLedger.Entry::batchId).containsExactly("b-early");
        assertThat(ledger().landedBetween(COMMITTED, COMMITTED.plus(Duration.ofMinutes(30)), Optional.empty()))
                .extracting(IngestionLedger.Entry::batchId)
                .containsExactlyInAnyOrder("b-early", "b-clicks");
        assertThatThrownBy(() -> ledger().landedBetween(COMMITTED, COMMITTED, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(COMMITTED.toString());
    }

    @Test
    void shouldWriteLedgerRowsForABatchWhoseRecordsWereAllSkippedSoTheyAreNoGap() {
        JdbcBronzeSink sink = sinkBuilder().build();
        sink.write(orders(0, 0, 10), batch("b-1", new PartitionRange(ORDERS, 0, 0, 9, 10, 0, 0)));

        WriteResult result =
                sink.write(List.of(), batch("b-tombstones", new PartitionRange(ORDERS, 0, 10, 14, 5, 0, 5)));
        sink.write(orders(0, 15, 5), batch("b-2", new PartitionRange(ORDERS, 0, 15, 19, 5, 0, 0)));

        assertThat(result).isEqualTo(WriteResult.empty());
        assertThat(allEntries())
                .filteredOn(e -> e.batchId().equals("b-tombstones"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.rowsLanded()).isZero();
                    assertThat(e.rowsSkipped()).isEqualTo(5);
                });
        assertThat(ledger().gaps(ORDERS)).isEmpty();
    }

    @Test
    void shouldReportNoGapsWhenLedgerAndDeadLettersAccountForEveryOffset() {
        JdbcBronzeSink sink = sinkBuilder().build();
        JdbcDeadLetterSink deadLetters = JdbcDeadLetterSink.builder(dataSource(), dialect())
                .schema(schema())
                .build();
        sink.write(orders(0, 0, 100), batch("b-1", new PartitionRange(ORDERS, 0, 0, 99, 100, 0, 0)));
        deadLetters.write(List.of(deadLetter(0, 100)));
        sink.write(orders(0, 101, 99), batch("b-2", new PartitionRange(ORDERS, 0, 101, 199, 99, 0, 0)));
        sink.write(orders(1, 0, 50), batch("b-3", new PartitionRange(ORDERS, 1, 0, 49, 50, 0, 0)));

        assertThat(ledger().gaps(ORDERS)).isEmpty();
    }

    @Test
    void shouldReportMissingRangeAsGapWhenALedgerRowIsDeleted() {
        JdbcBronzeSink sink = sinkBuilder().build();
        JdbcDeadLetterSink deadLetters = JdbcDeadLetterSink.builder(dataSource(), dialect())
                .schema(schema())
                .build();
        sink.write(orders(0, 0, 100), batch("b-1", new PartitionRange(ORDERS, 0, 0, 99, 100, 0, 0)));
        sink.write(orders(0, 100, 100), batch("b-2", new PartitionRange(ORDERS, 0, 100, 199, 100, 0, 0)));
        deadLetters.write(List.of(deadLetter(0, 200)));
        sink.write(orders(0, 201, 50), batch("b-3", new PartitionRange(ORDERS, 0, 201, 250, 50, 0, 0)));
        // A range skipped outright in partition 1: offsets 10..14 never reached the sink.
        sink.write(orders(1, 0, 10), batch("b-4", new PartitionRange(ORDERS, 1, 0, 9, 10, 0, 0)));
        sink.write(orders(1, 15, 10), batch("b-5", new PartitionRange(ORDERS, 1, 15, 24, 10, 0, 0)));

        Rows.execute(dataSource(), "DELETE FROM " + table("BRONZE_INGESTION_LOG") + " WHERE \"BATCH_ID\" = 'b-2'");

        assertThat(ledger().gaps(ORDERS))
                .containsExactly(
                        new IngestionLedger.OffsetRange(ORDERS, 0, 100, 199),
                        new IngestionLedger.OffsetRange(ORDERS, 1, 10, 14));
        assertThat(ledger().gaps(CLICKS)).isEmpty();
    }

    @Test
    void shouldReportDeadLetteredOffsetAsGapWhenDeadLettersAreIgnored() {
        JdbcBronzeSink sink = sinkBuilder().build();
        JdbcDeadLetterSink.builder(dataSource(), dialect())
                .schema(schema())
                .build()
                .write(List.of(deadLetter(0, 10)));
        sink.write(orders(0, 0, 10), batch("b-1", new PartitionRange(ORDERS, 0, 0, 9, 10, 0, 0)));
        sink.write(orders(0, 11, 10), batch("b-2", new PartitionRange(ORDERS, 0, 11, 20, 10, 0, 0)));

        IngestionLedger withoutDeadLetters = IngestionLedger.builder(dataSource(), dialect())
                .schema(schema())
                .deadLetterTable(null)
                .build();

        assertThat(withoutDeadLetters.gaps(ORDERS)).containsExactly(new IngestionLedger.OffsetRange(ORDERS, 0, 10, 10));
        assertThat(ledger().gaps(ORDERS)).isEmpty();
    }

    static DeadLetter deadLetter(int partition, long offset) {
        return DeadLetter.builder()
                .failedAt(COMMITTED)
                .stage(DeadLetter.Stage.DESERIALIZE)
                .errorClass("x.Bad")
                .errorMessage("not JSON")
                .topic(ORDERS)
                .partition(partition)
                .offset(offset)
                .rawPayload("{broken".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();
    }
}
