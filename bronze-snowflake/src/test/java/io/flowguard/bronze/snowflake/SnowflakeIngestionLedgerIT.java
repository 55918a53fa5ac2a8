package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BatchInfo.PartitionRange;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.TestRecords;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ingestion ledger {@link SnowflakeMergeSink} writes in the batch's transaction and {@link SnowflakeIngestionLedger}
 * reads, on fakesnow through the real driver: the same cases as bronze-jdbc's {@code AbstractIngestionLedgerIT}.
 */
class SnowflakeIngestionLedgerIT {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    static final String ORDERS = "orders";
    static final String CLICKS = "web.clicks";
    static final Instant STARTED = Instant.parse("2025-06-01T10:00:00Z");
    static final Instant COMMITTED = Instant.parse("2025-06-01T10:00:02.500Z");

    private final Clock clock = Clock.fixed(COMMITTED, ZoneOffset.UTC);
    private String schema;
    private DataSource dataSource;
    private CountingDataSource counting;

    @BeforeEach
    void freshSchema() {
        schema = "LEDGER_" + SCHEMAS.incrementAndGet();
        dataSource = SNOW.dataSource("BRONZE_IT", schema);
        counting = new CountingDataSource(dataSource);
    }

    SnowflakeMergeSink.Builder sinkBuilder() {
        return SnowflakeMergeSink.builder(counting).schema(schema).clock(clock);
    }

    IngestionLedger ledger() {
        return SnowflakeIngestionLedger.builder(dataSource).schema(schema).build();
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
    void shouldWriteOneLedgerRowPerTableTopicAndPartitionInTheBatchTransaction() {
        SnowflakeMergeSink sink = sinkBuilder().build();
        List<BronzeRecord> records = new ArrayList<>(orders(0, 0, 10));
        records.addAll(orders(1, 100, 5));
        records.addAll(TestRecords.clicks(CLICKS, 0, 7, 3));
        sink.write(orders(2, 0, 1)); // creates the tables
        sink.write(TestRecords.clicks(CLICKS, 1, 0, 1));
        counting.reset();

        WriteResult result = sink.write(
                records,
                batch(
                        "b-1",
                        new PartitionRange(ORDERS, 0, 0, 11, 12, 2, 0),
                        new PartitionRange(ORDERS, 1, 100, 104, 5, 0, 0),
                        new PartitionRange(CLICKS, 0, 7, 10, 4, 0, 1)));

        assertThat(result).isEqualTo(WriteResult.of(18, 18));
        assertThat(counting.executed()).hasSize(3);
        assertThat(counting.executed().subList(0, 2)).allMatch(s -> s.startsWith("MERGE INTO"));
        assertThat(counting.executed().get(2)).startsWith("INSERT INTO \"" + schema + "\".\"BRONZE_INGESTION_LOG\" (");
        assertThat(counting.transactionCalls())
                .containsExactly("setAutoCommit(false)", "commit", "setAutoCommit(true)");
        assertThat(allEntries())
                .filteredOn(e -> e.batchId().equals("b-1"))
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("writeLatencyMs")
                .containsExactly(
                        new IngestionLedger.Entry(
                                "b-1",
                                "eng-1",
                                "group-1",
                                schema + ".ORDERS_RAW",
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
                                schema + ".ORDERS_RAW",
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
                                schema + ".WEB_CLICKS_RAW",
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
    void shouldWriteOnlyLedgerRowsInOneTransactionWhenEveryRecordWasDeadLetteredOrSkipped() {
        SnowflakeMergeSink sink = sinkBuilder().build();
        sink.write(orders(0, 0, 10), batch("b-1", new PartitionRange(ORDERS, 0, 0, 9, 10, 0, 0)));
        counting.reset();

        WriteResult result = sink.write(List.of(), batch("b-empty", new PartitionRange(ORDERS, 0, 10, 14, 5, 2, 3)));
        sink.write(orders(0, 15, 5), batch("b-2", new PartitionRange(ORDERS, 0, 15, 19, 5, 0, 0)));

        assertThat(result).isEqualTo(WriteResult.empty());
        assertThat(counting.executed().get(0)).startsWith("INSERT INTO \"" + schema + "\".\"BRONZE_INGESTION_LOG\" (");
        assertThat(counting.transactionCalls())
                .as("one transaction per write")
                .containsExactly(
                        "setAutoCommit(false)",
                        "commit",
                        "setAutoCommit(true)",
                        "setAutoCommit(false)",
                        "commit",
                        "setAutoCommit(true)");
        assertThat(allEntries())
                .filteredOn(e -> e.batchId().equals("b-empty"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.table()).isEqualTo(schema + ".ORDERS_RAW");
                    assertThat(e.rowsLanded()).isZero();
                    assertThat(e.rowsInserted()).isZero();
                    assertThat(e.rowsDeadLettered()).isEqualTo(2);
                    assertThat(e.rowsSkipped()).isEqualTo(3);
                });
        assertThat(ledger().gaps(ORDERS)).isEmpty();
    }

    @Test
    void shouldStoreNoLedgerRowWhenTheBatchIsRolledBack() {
        SnowflakeMergeSink sink = sinkBuilder()
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
    void shouldSendOneMergeAndNoLedgerWhenItIsDisabled() {
        SnowflakeMergeSink sink = sinkBuilder().ingestionLedger(false).build();
        sink.write(orders(0, 0, 1));
        counting.reset();

        sink.write(orders(0, 1, 3), batch("b-off", new PartitionRange(ORDERS, 0, 1, 3, 3, 0, 0)));
        WriteResult empty = sink.write(List.of(), batch("b-off-empty", new PartitionRange(ORDERS, 0, 4, 4, 1, 1, 0)));

        assertThat(counting.executed())
                .singleElement()
                .asString()
                .startsWith("MERGE INTO \"" + schema + "\".\"ORDERS_RAW\"");
        assertThat(counting.transactionCalls())
                .containsExactly("setAutoCommit(false)", "commit", "setAutoCommit(true)");
        assertThat(empty).isEqualTo(WriteResult.empty());
        assertThat(allEntries()).isEmpty();
        assertThat(ledger().gaps(ORDERS)).isEmpty();
    }

    @Test
    void shouldWriteLedgerToTheConfiguredTable() {
        SnowflakeMergeSink sink =
                sinkBuilder().ingestionLedgerTable("AUDIT_LOG").build();

        sink.write(orders(0, 0, 3), batch("b-custom", new PartitionRange(ORDERS, 0, 0, 2, 3, 0, 0)));

        assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + schema + ".AUDIT_LOG"))
                .isEqualTo(1);
        assertThat(SnowflakeIngestionLedger.builder(dataSource)
                        .schema(schema)
                        .table("AUDIT_LOG")
                        .build()
                        .landedBetween(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), Optional.of(ORDERS)))
                .hasSize(1);
    }

    @Test
    void shouldListLedgerRowsCommittedInTheWindowForTheTopic() {
        SnowflakeMergeSink early = sinkBuilder().build();
        SnowflakeMergeSink late = sinkBuilder()
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
    }

    @Test
    void shouldReportMissingRangesAsGapsAndDeadLettersAsAccountedFor() {
        SnowflakeMergeSink sink = sinkBuilder().build();
        SnowflakeDeadLetterSink deadLetters =
                SnowflakeDeadLetterSink.builder(dataSource).schema(schema).build();
        sink.write(orders(0, 0, 100), batch("b-1", new PartitionRange(ORDERS, 0, 0, 99, 100, 0, 0)));
        sink.write(orders(0, 100, 100), batch("b-2", new PartitionRange(ORDERS, 0, 100, 199, 100, 0, 0)));
        deadLetters.write(List.of(deadLetter(0, 200)));
        sink.write(orders(0, 201, 50), batch("b-3", new PartitionRange(ORDERS, 0, 201, 250, 50, 0, 0)));
        sink.write(orders(1, 0, 10), batch("b-4", new PartitionRange(ORDERS, 1, 0, 9, 10, 0, 0)));
        sink.write(orders(1, 15, 10), batch("b-5", new PartitionRange(ORDERS, 1, 15, 24, 10, 0, 0)));
        assertThat(ledger().gaps(ORDERS)).containsExactly(new IngestionLedger.OffsetRange(ORDERS, 1, 10, 14));

        SnowRows.execute(dataSource, "DELETE FROM " + schema + ".BRONZE_INGESTION_LOG WHERE BATCH_ID = 'b-2'");

        assertThat(ledger().gaps(ORDERS))
                .containsExactly(
                        new IngestionLedger.OffsetRange(ORDERS, 0, 100, 199),
                        new IngestionLedger.OffsetRange(ORDERS, 1, 10, 14));
        assertThat(SnowflakeIngestionLedger.builder(dataSource)
                        .schema(schema)
                        .deadLetterTable(null)
                        .build()
                        .gaps(ORDERS))
                .contains(new IngestionLedger.OffsetRange(ORDERS, 0, 100, 200));
        assertThat(ledger().gaps(CLICKS)).isEmpty();
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
                .rawPayload("{broken".getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
