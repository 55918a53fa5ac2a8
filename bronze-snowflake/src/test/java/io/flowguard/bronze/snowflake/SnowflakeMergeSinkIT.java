package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.StoredRow;
import io.flowguard.bronze.testkit.TestRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SnowflakeMergeSink} on fakesnow through the real driver: round trips, migration, typed columns, errors. */
class SnowflakeMergeSinkIT {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private String schema;
    private DataSource dataSource;
    private CountingDataSource counting;

    @BeforeEach
    void freshSchema() {
        schema = "SINK_" + SCHEMAS.incrementAndGet();
        dataSource = SNOW.dataSource("BRONZE_IT", schema);
        counting = new CountingDataSource(dataSource);
    }

    @Test
    void shouldSendOneStatementPerThousandRowBatchOnceTableExistsWhenLedgerIsOff() throws Exception {
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(counting)
                .schema(schema)
                .ingestionLedger(false)
                .build();
        sink.write(TestRecords.orders("orders", 0, 0, 10)); // creates the table
        List<Long> millis = new ArrayList<>();
        List<Integer> statements = new ArrayList<>();
        List<Integer> httpRequests = new ArrayList<>();
        List<Long> mergeMillis = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            List<BronzeRecord> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(TestRecords.order("orders", i % 4, 10_000L * (b + 1) + i / 4));
            }
            counting.reset();
            long before = requestLines();
            long t0 = System.nanoTime();
            WriteResult r = sink.write(batch);
            millis.add((System.nanoTime() - t0) / 1_000_000);
            statements.add(counting.executed().size());
            mergeMillis.add(counting.executeMillis());
            httpRequests.add((int) (requestLines() - before));
            assertThat(r).isEqualTo(WriteResult.of(1000, 1000));
            // Every batch is one transaction, also a single-statement one (the core does not special-case it).
            assertThat(counting.transactionCalls())
                    .containsExactly("setAutoCommit(false)", "commit", "setAutoCommit(true)");
        }
        counting.reset();
        long t0 = System.nanoTime();
        WriteResult again = sink.write(TestRecords.orders("orders", 0, 10_000, 250));
        long rerunMillis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(again.inserted()).isZero();
        assertThat(statements).containsOnly(1);
        assertThat(counting.executed()).singleElement().asString().startsWith("MERGE INTO");
        System.out.printf(
                "SNOWFLAKE-FIGURES statements per 1000-row batch (4 partitions): %s; query requests seen by fakesnow: "
                        + "%s; connections per batch: 1; ms per batch incl. a new login: %s; ms in the MERGE: %s; all-duplicate 250-row rerun: %d ms%n",
                statements, httpRequests, millis, mergeMillis, rerunMillis);
    }

    @Test
    void shouldSendRowMergeAndLedgerMergeInOneTransactionPerBatchWhenLedgerIsOn() throws Exception {
        SnowflakeMergeSink sink =
                SnowflakeMergeSink.builder(counting).schema(schema).build();
        counting.reset();
        sink.write(TestRecords.orders("orders", 0, 0, 10)); // creates the table and the ledger
        List<String> firstWrite = counting.executed();
        List<Integer> statements = new ArrayList<>();
        List<Integer> httpRequests = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        List<Long> executeMillis = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            List<BronzeRecord> batch = new ArrayList<>();
            List<BatchInfo.PartitionRange> ranges = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                long first = 10_000L * (b + 1);
                ranges.add(new BatchInfo.PartitionRange("orders", p, first, first + 249, 250, 0, 0));
            }
            for (int i = 0; i < 1000; i++) {
                batch.add(TestRecords.order("orders", i % 4, 10_000L * (b + 1) + i / 4));
            }
            counting.reset();
            long before = requestLines();
            long t0 = System.nanoTime();
            WriteResult r = sink.write(batch, BatchInfo.of("b-" + b, "eng", "grp", "records", Instant.now(), ranges));
            millis.add((System.nanoTime() - t0) / 1_000_000);
            executeMillis.add(counting.executeMillis());
            statements.add(counting.executed().size());
            httpRequests.add((int) (requestLines() - before));
            assertThat(r).isEqualTo(WriteResult.of(1000, 1000));
            assertThat(counting.executed()).hasSize(2);
            assertThat(counting.executed().get(0)).startsWith("MERGE INTO \"" + schema + "\".\"ORDERS_RAW\"");
            assertThat(counting.executed().get(1))
                    .as("S11: the ledger is INSERT-only")
                    .startsWith("INSERT INTO \"" + schema + "\".\"BRONZE_INGESTION_LOG\"");
            assertThat(counting.transactionCalls())
                    .containsExactly("setAutoCommit(false)", "commit", "setAutoCommit(true)");
        }

        assertThat(firstWrite).hasSize(8);
        assertThat(firstWrite.get(4))
                .as("S12: the ledger is never clustered")
                .startsWith("CREATE TABLE IF NOT EXISTS \"" + schema + "\".\"BRONZE_INGESTION_LOG\" (")
                .doesNotContain("CLUSTER BY");
        assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + schema + ".BRONZE_INGESTION_LOG"))
                .isEqualTo(41);
        System.out.printf(
                "SNOWFLAKE-FIGURES ledger on: statements per 1000-row batch (4 partitions): %s + setAutoCommit(false), "
                        + "commit, setAutoCommit(true); query requests seen by fakesnow: %s; first write: %d statements; "
                        + "ms per batch incl. a new login: %s; ms in the two MERGEs: %s%n",
                statements, httpRequests, firstWrite.size(), millis, executeMillis);
    }

    @Test
    void shouldCreateTableWithoutClusteringByDefaultOnFirstWriteInConstantStatements() {
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(counting)
                .schema(schema)
                .ingestionLedger(false)
                .build();

        sink.write(TestRecords.orders("orders", 0, 0, 1000));

        // DESCRIBE first (the table is missing); the schema exists, so no CREATE SCHEMA.
        assertThat(counting.executed()).hasSize(4);
        assertThat(counting.executed().get(0)).isEqualTo("DESCRIBE TABLE \"" + schema + "\".\"ORDERS_RAW\"");
        assertThat(counting.executed().get(1))
                .startsWith("CREATE TABLE IF NOT EXISTS \"" + schema + "\".\"ORDERS_RAW\" (")
                .doesNotContain("CLUSTER BY")
                .contains(
                        "\"KAFKA_TIMESTAMP\" TIMESTAMP_TZ",
                        "\"KAFKA_HEADERS\" VARIANT",
                        "\"RAW_EVENT\" VARIANT",
                        "\"INGESTION_ID\" VARCHAR NOT NULL");
        assertThat(counting.executed().get(2)).startsWith("DESCRIBE TABLE");
        assertThat(counting.executed().get(3)).startsWith("MERGE INTO");
    }

    @Test
    void shouldClusterOnlyWhenAskedTo() {
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(counting)
                .schema(schema)
                .ingestionLedger(false)
                .clusterBy(SnowflakeMergeSink.SUGGESTED_CLUSTER_BY)
                .build();

        sink.write(TestRecords.orders("orders", 0, 0, 1));

        assertThat(counting.executed())
                .filteredOn(s -> s.startsWith("CREATE TABLE"))
                .singleElement()
                .asString()
                .endsWith(" CLUSTER BY (TO_DATE(\"INGESTED_AT\"))");
    }

    @Test
    void shouldOnlyDescribeWhenTableExistsSoNoCreatePrivilegeIsNeeded() {
        SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .ingestionLedger(false)
                .build()
                .write(TestRecords.orders("orders", 0, 0, 1));
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(counting)
                .schema(schema)
                .ingestionLedger(false)
                .build();

        assertThat(sink.write(TestRecords.orders("orders", 0, 1, 1))).isEqualTo(WriteResult.of(1, 1));

        assertThat(counting.executed()).hasSize(2);
        assertThat(counting.executed().get(0)).startsWith("DESCRIBE TABLE");
        assertThat(counting.executed().get(1)).startsWith("MERGE INTO");
    }

    @Test
    void shouldStoreJsonStringOfJsonTypedColumnAsVariantString() {
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .ingestionLedger(false)
                .typedColumns("ORDERS_RAW", TypedColumn.of("META", "meta", SqlType.JSON))
                .build();
        List<BronzeRecord> records = List.of(
                TestRecords.order("orders", 0, 0).toBuilder()
                        .rawEvent("{\"meta\":\"hello\"}")
                        .build(),
                TestRecords.order("orders", 0, 1).toBuilder()
                        .rawEvent("{\"meta\":\"[1,2]\"}")
                        .build());

        assertThat(sink.write(records)).isEqualTo(WriteResult.of(2, 2));

        // Before, the bare text hello reached PARSE_JSON and the whole batch failed.
        List<String> stored = new ArrayList<>();
        try (var c = dataSource.getConnection();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT META FROM " + schema + ".ORDERS_RAW ORDER BY KAFKA_OFFSET")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(stored).containsExactly("\"hello\"", "\"[1,2]\"");
    }

    @Test
    void shouldUseOneTransactionWhenBatchNeedsSeveralStatements() {
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(counting)
                .schema(schema)
                .maxRowsPerStatement(300)
                .ingestionLedger(false)
                .build();
        sink.write(TestRecords.orders("orders", 0, 0, 1));
        counting.reset();

        WriteResult r = sink.write(TestRecords.orders("orders", 0, 1, 1000));

        assertThat(r).isEqualTo(WriteResult.of(1000, 1000));
        assertThat(counting.executed()).hasSize(4).allMatch(s -> s.startsWith("MERGE INTO"));
        assertThat(counting.transactionCalls())
                .containsExactly("setAutoCommit(false)", "commit", "setAutoCommit(true)");
        assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + schema + ".ORDERS_RAW"))
                .isEqualTo(1001);
    }

    @Test
    void shouldMigrateLegacyTableKeepingItsRows() {
        SnowRows.execute(
                dataSource,
                "CREATE SCHEMA IF NOT EXISTS " + schema,
                "CREATE TABLE " + schema
                        + ".ORDERS_RAW (EVENT_ID VARCHAR, ORDER_ID VARCHAR, USER_ID BIGINT, RAW_EVENT VARIANT)",
                "INSERT INTO " + schema
                        + ".ORDERS_RAW (EVENT_ID, ORDER_ID, USER_ID, RAW_EVENT) SELECT 'legacy-1', 'ORD-L1', 7, "
                        + "PARSE_JSON('{\"order_id\":\"ORD-L1\"}')");
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(counting)
                .schema(schema)
                .typedColumns(
                        "ORDERS_RAW",
                        TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR),
                        TypedColumn.of("USER_ID", "customer_id_num", SqlType.BIGINT))
                .build();

        WriteResult r = sink.write(TestRecords.orders("orders", 0, 0, 3));

        assertThat(r).isEqualTo(WriteResult.of(3, 3));
        assertThat(counting.executed())
                .filteredOn(s -> s.startsWith("ALTER TABLE"))
                .hasSize(12)
                .allMatch(s -> s.contains(" ADD COLUMN IF NOT EXISTS "));
        assertThat(SnowRows.count(
                        dataSource,
                        "SELECT COUNT(*) FROM " + schema + ".ORDERS_RAW WHERE EVENT_ID = 'legacy-1' "
                                + "AND ORDER_ID = 'ORD-L1' AND USER_ID = 7 AND INGESTION_ID IS NULL"))
                .isEqualTo(1);
        assertThat(SnowRows.count(
                        dataSource, "SELECT COUNT(*) FROM " + schema + ".ORDERS_RAW WHERE ORDER_ID = 'ORD-0-2'"))
                .isEqualTo(1);
        assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + schema + ".ORDERS_RAW"))
                .isEqualTo(4);
    }

    @Test
    void shouldFillTypedColumnsFromPayload() {
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .typedColumns(
                        "ORDERS_RAW",
                        TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR),
                        TypedColumn.of("AMOUNT", "amount", SqlType.DOUBLE),
                        TypedColumn.of("EXPRESS", "express", SqlType.BOOLEAN),
                        TypedColumn.of("REGION", "meta.region", SqlType.VARCHAR))
                .build();

        sink.write(TestRecords.orders("orders", 2, 0, 2));

        assertThat(SnowRows.count(
                        dataSource,
                        "SELECT COUNT(*) FROM " + schema + ".ORDERS_RAW WHERE ORDER_ID = 'ORD-2-1' "
                                + "AND AMOUNT = 19.99 AND EXPRESS = TRUE AND REGION = 'eu-west-1'"))
                .isEqualTo(1);
    }

    @Test
    void shouldReportDataErrorWhenTypedValueCannotBeCast() {
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .typedColumns("ORDERS_RAW", TypedColumn.of("ORDER_NO", "order_id", SqlType.INTEGER))
                .build();

        assertThatThrownBy(() -> sink.write(TestRecords.orders("orders", 0, 0, 2)))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
                    assertThat(e.table()).isEqualTo(schema + ".ORDERS_RAW");
                    assertThat(e.sqlState()).startsWith("22");
                    assertThat(e.vendorCode()).isBetween(100_000, 100_999);
                    assertThat(e.getMessage())
                            .contains("writing 2 records failed for table " + schema + ".ORDERS_RAW (DATA");
                });
        assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + schema + ".ORDERS_RAW"))
                .isZero();
    }

    @Test
    void shouldReportTransientErrorWhenConnectionIsRefused() {
        SnowflakeConnectionConfig config = SnowflakeConnectionConfig.builder()
                .account("fakesnow")
                .host("127.0.0.1")
                .port(1)
                .ssl(false)
                .user("u")
                .password("p")
                .loginTimeout(Duration.ofSeconds(5))
                .property("disablePlatformDetection", "true")
                .property("maxHttpRetries", "1")
                .build();
        SnowflakeMergeSink sink = new SnowflakeMergeSink(SnowflakeDataSource.of(config));

        assertThatThrownBy(() -> sink.write(TestRecords.orders("orders", 0, 0, 1)))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.isRetriable()).isTrue();
                });
    }

    @Test
    void shouldRecreateTableWhenItWasDroppedBetweenBatches() {
        SnowflakeMergeSink sink =
                SnowflakeMergeSink.builder(dataSource).schema(schema).build();
        sink.write(TestRecords.orders("orders", 0, 0, 2));
        SnowRows.execute(dataSource, "DROP TABLE " + schema + ".ORDERS_RAW");

        assertThatThrownBy(() -> sink.write(TestRecords.orders("orders", 0, 2, 2)))
                .isInstanceOfSatisfying(
                        SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        WriteResult retry = sink.write(TestRecords.orders("orders", 0, 2, 2));

        assertThat(retry).isEqualTo(WriteResult.of(2, 2));
    }

    @Test
    void shouldStoreRowsEqualToRecordsWhenPayloadIdsSpanPartitions() {
        SnowflakeMergeSink sink =
                SnowflakeMergeSink.builder(dataSource).schema(schema).build();
        BronzeRecord a = TestRecords.order("orders", 0, 1).toBuilder()
                .ingestionId("evt-1")
                .build();
        BronzeRecord resent = TestRecords.order("orders", 5, 77).toBuilder()
                .ingestionId("evt-1")
                .build();
        sink.write(List.of(a));

        WriteResult r = sink.write(List.of(resent, TestRecords.order("orders", 5, 78)));

        assertThat(r).isEqualTo(WriteResult.of(2, 1));
        assertThat(SnowRows.readBack(dataSource, schema + ".ORDERS_RAW"))
                .contains(StoredRow.of(a))
                .hasSize(2);
    }

    private long requestLines() {
        try {
            return Files.readAllLines(SNOW.logFile(), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("/queries/v1/query-request"))
                    .count();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
