package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.testkit.TestRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Behaviour of {@link JdbcBronzeSink} beyond the sink contract, run against each database by a subclass: statements per
 * batch, JSON storage, typed columns, error classification, migration of legacy tables, injection safety.
 */
abstract class AbstractJdbcBronzeSinkIT {
    static final String ORDERS = "orders";
    static final String ORDERS_RAW = "ORDERS_RAW";

    /** A data source over an empty database or schema for this test. */
    abstract DataSource dataSource();

    abstract SqlDialect dialect();

    /** The schema tests write to, or null for the current one. */
    abstract String schema();

    /** SQL text extracting the string at top-level {@code field} of JSON column {@code column}. */
    abstract String jsonField(String column, String field);

    /** Creates a legacy {@code orders_raw(event_id, order_id, user_id, raw_event)} table, unquoted, with two rows. */
    abstract void createLegacyOrdersTable();

    /** A data source whose database cannot be reached. */
    abstract DataSource unreachableDataSource();

    /** The type name the database reports for a JSON column, lower-case. */
    abstract String jsonTypeName();

    JdbcBronzeSink.Builder sinkBuilder(DataSource ds) {
        return JdbcBronzeSink.builder(ds, dialect()).schema(schema());
    }

    String table(String name) {
        return schema() == null ? '"' + name + '"' : '"' + schema() + "\".\"" + name + '"';
    }

    long count(String sql) {
        return ((Number) Rows.scalar(dataSource(), sql)).longValue();
    }

    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {10, 1000, 5000})
    void shouldSendOneInsertStatementPerTableWhateverTheBatchSize(int rows) {
        CountingDataSource counting = new CountingDataSource(dataSource());
        JdbcBronzeSink sink = sinkBuilder(counting).ingestionLedger(false).build();
        sink.ensureTable(ORDERS_RAW);
        counting.reset();

        WriteResult result = sink.write(TestRecords.orders(ORDERS, 0, 0, rows));

        assertThat(result).isEqualTo(WriteResult.of(rows, rows));
        assertThat(counting.executed())
                .as("statements sent for a batch of %d rows", rows)
                .hasSize(1);
        assertThat(counting.count("INSERT")).isEqualTo(1);
        System.out.printf(
                "%s: batch of %d rows -> %d statement(s)%n",
                dialect().name(), rows, counting.executed().size());
    }

    @Test
    void shouldSendOneInsertPerTableWhenBatchMixesTopics() {
        CountingDataSource counting = new CountingDataSource(dataSource());
        JdbcBronzeSink sink = sinkBuilder(counting).ingestionLedger(false).build();
        List<BronzeRecord> batch = new ArrayList<>(TestRecords.orders(ORDERS, 0, 0, 300));
        batch.addAll(TestRecords.clicks("web.clicks", 1, 0, 200));
        sink.write(batch.subList(0, 1));
        sink.write(batch.subList(300, 301));
        counting.reset();

        WriteResult result = sink.write(batch);

        assertThat(result).isEqualTo(WriteResult.of(500, 498));
        assertThat(counting.executed()).hasSize(2).allMatch(sql -> sql.startsWith("INSERT"));
    }

    @Test
    void shouldAddExactlyOneLedgerInsertPerBatchWhenLedgerIsOn() {
        CountingDataSource counting = new CountingDataSource(dataSource());
        JdbcBronzeSink sink = sinkBuilder(counting).build();
        List<BronzeRecord> batch = new ArrayList<>(TestRecords.orders(ORDERS, 0, 0, 300));
        batch.addAll(TestRecords.orders(ORDERS, 1, 0, 300));
        batch.addAll(TestRecords.clicks("web.clicks", 1, 0, 200));
        sink.write(batch.subList(0, 1));
        sink.write(batch.subList(600, 601));
        counting.reset();

        sink.write(batch);

        assertThat(counting.executed())
                .as("two tables and the ledger")
                .hasSize(3)
                .allMatch(sql -> sql.startsWith("INSERT"));
        assertThat(counting.executed().get(2)).contains("BRONZE_INGESTION_LOG");
    }

    @Test
    void shouldSplitIntoChunksWhenBatchExceedsMaxRowsPerStatement() {
        CountingDataSource counting = new CountingDataSource(dataSource());
        JdbcBronzeSink sink = sinkBuilder(counting)
                .ingestionLedger(false)
                .maxRowsPerStatement(1000)
                .build();
        sink.ensureTable(ORDERS_RAW);
        counting.reset();

        WriteResult result = sink.write(TestRecords.orders(ORDERS, 0, 0, 2500));

        assertThat(result).isEqualTo(WriteResult.of(2500, 2500));
        assertThat(counting.executed()).hasSize(3);
        assertThat(count("SELECT COUNT(*) FROM " + table(ORDERS_RAW))).isEqualTo(2500);
    }

    @Test
    void shouldReportNoNewRowsWhenBatchIsWrittenAgain() {
        JdbcBronzeSink sink = sinkBuilder(dataSource()).build();
        List<BronzeRecord> batch = TestRecords.orders(ORDERS, 3, 40, 50);
        sink.write(batch);

        WriteResult again = sink.write(batch);

        assertThat(again).isEqualTo(WriteResult.of(50, 0));
        assertThat(count("SELECT COUNT(*) FROM " + table(ORDERS_RAW))).isEqualTo(50);
    }

    @Test
    void shouldCollapseDuplicatesInsideBatchBeforeSendingThem() {
        CountingDataSource counting = new CountingDataSource(dataSource());
        JdbcBronzeSink sink = sinkBuilder(counting).build();
        BronzeRecord first =
                TestRecords.order(ORDERS, 0, 7).toBuilder().ingestionId("evt-1").build();
        BronzeRecord later = TestRecords.order(ORDERS, 0, 9).toBuilder()
                .ingestionId("evt-1")
                .eventId("later")
                .build();

        WriteResult result = sink.write(List.of(later, first, TestRecords.order(ORDERS, 0, 8)));

        assertThat(result).isEqualTo(WriteResult.of(3, 2));
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT \"KAFKA_OFFSET\" FROM " + table(ORDERS_RAW) + " WHERE \"INGESTION_ID\" = 'evt-1'"))
                .containsExactly(7L);
    }

    @Test
    void shouldStoreRawEventAsQueryableJson() {
        JdbcBronzeSink sink = sinkBuilder(dataSource()).build();
        sink.write(TestRecords.orders(ORDERS, 0, 0, 3));

        assertThat(Rows.column(
                        dataSource(),
                        "SELECT " + jsonField("RAW_EVENT", "order_id") + " FROM " + table(ORDERS_RAW)
                                + " ORDER BY \"KAFKA_OFFSET\""))
                .containsExactly("ORD-0-1", "ORD-0-2", "ORD-0-3");
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT " + jsonField("KAFKA_HEADERS", "producer_service") + " FROM " + table(ORDERS_RAW)))
                .containsOnly("order-service");
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT data_type FROM information_schema.columns WHERE column_name = 'RAW_EVENT'"))
                .map(t -> t.toString().toLowerCase())
                .containsOnly(jsonTypeName());
    }

    @Test
    void shouldFillTypedColumnsFromJsonPaths() {
        JdbcBronzeSink sink = sinkBuilder(dataSource())
                .typedColumns(
                        ORDERS_RAW,
                        TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR),
                        TypedColumn.of("AMOUNT", "amount", SqlType.DOUBLE),
                        TypedColumn.of("EXPRESS", "express", SqlType.BOOLEAN),
                        TypedColumn.of("REGION", "meta.region", SqlType.VARCHAR),
                        TypedColumn.of("CREATED_AT", "meta.created_at", SqlType.TIMESTAMP),
                        TypedColumn.of("MISSING", "no.such.field", SqlType.BIGINT))
                .build();

        sink.write(List.of(TestRecords.order(ORDERS, 0, 0)));

        assertThat(Rows.column(dataSource(), "SELECT \"ORDER_ID\" FROM " + table(ORDERS_RAW)))
                .containsExactly("ORD-0-1");
        assertThat(Rows.column(dataSource(), "SELECT \"AMOUNT\" FROM " + table(ORDERS_RAW)))
                .containsExactly(19.99);
        assertThat(Rows.column(dataSource(), "SELECT \"EXPRESS\" FROM " + table(ORDERS_RAW)))
                .containsExactly(true);
        assertThat(Rows.column(dataSource(), "SELECT \"REGION\" FROM " + table(ORDERS_RAW)))
                .containsExactly("eu-west-1");
        assertThat(count("SELECT COUNT(*) FROM " + table(ORDERS_RAW) + " WHERE \"CREATED_AT\" IS NOT NULL"))
                .isEqualTo(1);
        assertThat(Rows.column(dataSource(), "SELECT \"MISSING\" FROM " + table(ORDERS_RAW)))
                .containsExactly((Object) null);
    }

    @Test
    void shouldFailWithDataErrorAndStoreNothingWhenTypedValueCannotBeCast() {
        JdbcBronzeSink sink = sinkBuilder(dataSource())
                .typedColumns(ORDERS_RAW, TypedColumn.of("USER_ID", "user_id", SqlType.INTEGER))
                .build();
        BronzeRecord good = TestRecords.order(ORDERS, 0, 0).toBuilder()
                .rawEvent("{\"user_id\":42}")
                .build();
        BronzeRecord bad = TestRecords.order(ORDERS, 0, 1).toBuilder()
                .rawEvent("{\"user_id\":\"abc\"}")
                .build();

        assertThatThrownBy(() -> sink.write(List.of(good, bad))).isInstanceOfSatisfying(SinkWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.table()).isEqualTo(schema() == null ? ORDERS_RAW : schema() + '.' + ORDERS_RAW);
        });
        assertThat(count("SELECT COUNT(*) FROM " + table(ORDERS_RAW))).isZero();

        assertThat(sink.write(List.of(good))).isEqualTo(WriteResult.of(1, 1));
    }

    @Test
    void shouldFailWithDataErrorWhenRawEventIsNotJson() {
        JdbcBronzeSink sink = sinkBuilder(dataSource()).build();
        BronzeRecord notJson = TestRecords.order(ORDERS, 0, 0).toBuilder()
                .rawEvent("{not json")
                .build();

        assertThatThrownBy(() -> sink.write(List.of(notJson)))
                .isInstanceOfSatisfying(
                        SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATA));
    }

    @Test
    void shouldFailTransientWhenDatabaseIsUnreachable() {
        JdbcBronzeSink sink = sinkBuilder(unreachableDataSource()).build();

        assertThatThrownBy(() -> sink.write(TestRecords.orders(ORDERS, 0, 0, 2)))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.isRetriable()).isTrue();
                });
    }

    @Test
    void shouldFailTransientWithoutCreatingWhenTableIsMissingAndCreateTablesIsOff() {
        JdbcBronzeSink sink = sinkBuilder(dataSource()).createTables(false).build();

        assertThatThrownBy(() -> sink.write(TestRecords.orders(ORDERS, 0, 0, 1)))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e).hasMessageContaining("does not exist").hasMessageContaining("createTables");
                });
    }

    @Test
    void shouldCreateTableAgainWhenItWasDroppedAfterCreation() {
        JdbcBronzeSink sink = sinkBuilder(dataSource()).build();
        sink.write(TestRecords.orders(ORDERS, 0, 0, 1));
        Rows.execute(dataSource(), "DROP TABLE " + table(ORDERS_RAW));

        // No row causes a missing table: the batch is retried (TRANSIENT), never dead-lettered.
        assertThatThrownBy(() -> sink.write(TestRecords.orders(ORDERS, 0, 1, 1)))
                .isInstanceOfSatisfying(
                        SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        WriteResult retried = sink.write(TestRecords.orders(ORDERS, 0, 1, 1));

        assertThat(retried).isEqualTo(WriteResult.of(1, 1));
    }

    @Test
    void shouldReplaceNulInBinaryKeyAndHeadersWithReplacementCharacter() {
        JdbcBronzeSink sink = sinkBuilder(dataSource()).ingestionLedger(false).build();
        // A key written by Kafka's LongSerializer, decoded as UTF-8 the way the engine does: seven NULs and '*'.
        byte[] keyBytes;
        try (org.apache.kafka.common.serialization.LongSerializer serializer =
                new org.apache.kafka.common.serialization.LongSerializer()) {
            keyBytes = serializer.serialize("orders", 42L);
        }
        String key = new String(keyBytes, java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("trace", "a\u0000b");
        headers.put("bin\u0000name", "v");
        BronzeRecord record = TestRecords.order(ORDERS, 0, 0).toBuilder()
                .key(key)
                .headers(headers)
                .build();

        assertThat(sink.write(List.of(record))).isEqualTo(WriteResult.of(1, 1));

        assertThat(Rows.column(dataSource(), "SELECT \"KAFKA_KEY\" FROM " + table(ORDERS_RAW)))
                .containsExactly("\uFFFD".repeat(7) + "*");
        assertThat(Rows.column(dataSource(), "SELECT CAST(\"KAFKA_HEADERS\" AS VARCHAR) FROM " + table(ORDERS_RAW)))
                .singleElement()
                .satisfies(json -> assertThat(Rows.headers((String) json))
                        .containsExactlyInAnyOrderEntriesOf(Map.of("trace", "a\uFFFDb", "bin\uFFFDname", "v")));
    }

    @Test
    void shouldKeepTheWriteFailureWhenRestoringAutoCommitAlsoFails() {
        BrokenAutoCommitDataSource broken = new BrokenAutoCommitDataSource(dataSource());
        JdbcBronzeSink sink = sinkBuilder(broken.dataSource())
                .ingestionLedger(false)
                .typedColumns(ORDERS_RAW, TypedColumn.of("USER_ID", "user_id", SqlType.INTEGER))
                .build();
        sink.ensureTable(ORDERS_RAW);
        broken.arm();
        BronzeRecord bad = TestRecords.order(ORDERS, 0, 0).toBuilder()
                .rawEvent("{\"user_id\":\"abc\"}")
                .build();

        assertThatThrownBy(() -> sink.write(List.of(bad))).isInstanceOfSatisfying(SinkWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
            assertThat(e.getCause()).hasMessageNotContaining(BrokenAutoCommitDataSource.MESSAGE);
            assertThat(e.getCause().getSuppressed())
                    .extracting(Throwable::getMessage)
                    .contains(BrokenAutoCommitDataSource.MESSAGE);
        });
    }

    @Test
    void shouldMigrateLegacyTableKeepingItsRows() {
        createLegacyOrdersTable();
        JdbcBronzeSink sink = sinkBuilder(dataSource())
                .typedColumns(
                        ORDERS_RAW,
                        TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR),
                        TypedColumn.of("USER_ID", "user_id", SqlType.INTEGER))
                .build();
        List<BronzeRecord> batch = List.of(
                TestRecords.order(ORDERS, 0, 0).toBuilder()
                        .rawEvent("{\"order_id\":\"ORD-9\",\"user_id\":9}")
                        .build(),
                TestRecords.order(ORDERS, 0, 1));

        WriteResult first = sink.write(batch);
        WriteResult again = sinkBuilder(dataSource())
                .typedColumns(
                        ORDERS_RAW,
                        TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR),
                        TypedColumn.of("USER_ID", "user_id", SqlType.INTEGER))
                .build()
                .write(batch);

        assertThat(first).isEqualTo(WriteResult.of(2, 2));
        assertThat(again).isEqualTo(WriteResult.of(2, 0));
        String legacy = schema() == null ? "orders_raw" : '"' + schema() + "\".orders_raw";
        assertThat(count("SELECT COUNT(*) FROM " + legacy)).isEqualTo(4);
        assertThat(count("SELECT COUNT(*) FROM " + legacy + " WHERE ingestion_id IS NULL"))
                .isEqualTo(2);
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT order_id FROM " + legacy + " ORDER BY kafka_offset NULLS FIRST, event_id"))
                .containsExactly("ORD-1", "ORD-2", "ORD-9", "ORD-0-2");
        assertThat(Rows.column(dataSource(), "SELECT user_id FROM " + legacy + " WHERE kafka_offset = 0"))
                .containsExactly(9);
        assertThat(Rows.column(dataSource(), "SELECT source_topic FROM " + legacy + " WHERE ingestion_id IS NOT NULL"))
                .containsOnly(ORDERS);
    }

    @Test
    void shouldStoreInjectionAttemptsLiterally() {
        JdbcBronzeSink sink = sinkBuilder(dataSource()).build();
        String evil = "x'); DROP TABLE " + ORDERS_RAW + "; --";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("h\"; DROP TABLE x; --", evil);
        BronzeRecord record = TestRecords.order(ORDERS, 0, 0).toBuilder()
                .key(evil)
                .eventId(evil)
                .ingestionId(evil)
                .headers(headers)
                .rawEvent("{\"order_id\":\"" + evil.replace("\"", "\\\"") + "\"}")
                .build();

        assertThat(sink.write(List.of(record))).isEqualTo(WriteResult.of(1, 1));

        assertThat(Rows.column(dataSource(), "SELECT \"KAFKA_KEY\" FROM " + table(ORDERS_RAW)))
                .containsExactly(evil);
        assertThat(Rows.column(dataSource(), "SELECT \"INGESTION_ID\" FROM " + table(ORDERS_RAW)))
                .containsExactly(evil);
        assertThat(Rows.column(
                        dataSource(), "SELECT " + jsonField("RAW_EVENT", "order_id") + " FROM " + table(ORDERS_RAW)))
                .containsExactly(evil);
        assertThat(Rows.column(dataSource(), "SELECT CAST(\"KAFKA_HEADERS\" AS VARCHAR) FROM " + table(ORDERS_RAW)))
                .singleElement()
                .satisfies(json -> assertThat(Rows.headers((String) json)).isEqualTo(headers));
    }

    @Test
    void shouldRejectRoutedTableNameThatIsNotAnIdentifier() {
        JdbcBronzeSink sink = sinkBuilder(dataSource())
                .tableRouter(topic -> "orders; DROP TABLE x")
                .build();

        assertThatThrownBy(() -> sink.write(TestRecords.orders(ORDERS, 0, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orders; DROP TABLE x");
    }
}
