package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchLimits;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.snowflake.internal.MergeStatement;
import io.flowguard.bronze.snowflake.internal.Pruning;
import io.flowguard.bronze.testkit.TestRecords;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Golden tests of the exact Snowflake SQL the sink generates, each asserting one documented rule. */
class SnowflakeMergeSinkTest {

    /** A DataSource that fails the test if anything touches it: planning must not need the database. */
    private static final DataSource UNTOUCHABLE = (DataSource) Proxy.newProxyInstance(
            SnowflakeMergeSinkTest.class.getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, a) -> {
                throw new AssertionError("planning touched the DataSource: " + m.getName());
            });

    static final String GOLDEN_SINGLE_PARTITION = "MERGE INTO \"BRONZE\".\"ORDERS_RAW\" t USING (SELECT * FROM (SELECT "
            + "f.value:event_id::VARCHAR AS \"EVENT_ID\", f.value:event_type::VARCHAR AS \"EVENT_TYPE\", "
            + "f.value:schema_version::VARCHAR AS \"SCHEMA_VERSION\", f.value:source_topic::VARCHAR AS \"SOURCE_TOPIC\", "
            + "f.value:producer_service::VARCHAR AS \"PRODUCER_SERVICE\", f.value:ingestion_id::VARCHAR AS \"INGESTION_ID\", "
            + "f.value:kafka_partition::VARCHAR::INTEGER AS \"KAFKA_PARTITION\", "
            + "f.value:kafka_offset::VARCHAR::BIGINT AS \"KAFKA_OFFSET\", "
            + "f.value:kafka_timestamp::VARCHAR::TIMESTAMP_TZ AS \"KAFKA_TIMESTAMP\", f.value:kafka_key::VARCHAR AS \"KAFKA_KEY\", "
            + "PARSE_JSON(f.value:kafka_headers::VARCHAR) AS \"KAFKA_HEADERS\", "
            + "f.value:ingested_at::VARCHAR::TIMESTAMP_TZ AS \"INGESTED_AT\", PARSE_JSON(f.value:raw_event::VARCHAR) AS \"RAW_EVENT\", "
            + "f.value:kafka_key_encoding::VARCHAR AS \"KAFKA_KEY_ENCODING\", f.value:typed_0::VARCHAR AS \"ORDER_ID\" "
            + "FROM LATERAL FLATTEN(INPUT => PARSE_JSON(?)) f) "
            + "QUALIFY ROW_NUMBER() OVER (PARTITION BY \"INGESTION_ID\" ORDER BY \"KAFKA_OFFSET\") = 1) s "
            + "ON t.\"INGESTION_ID\" = s.\"INGESTION_ID\" AND ((t.\"SOURCE_TOPIC\" = ? AND t.\"KAFKA_PARTITION\" = ? AND "
            + "t.\"KAFKA_OFFSET\" BETWEEN ? AND ?)) "
            + "WHEN NOT MATCHED THEN INSERT (\"EVENT_ID\", \"EVENT_TYPE\", \"SCHEMA_VERSION\", \"SOURCE_TOPIC\", "
            + "\"PRODUCER_SERVICE\", \"INGESTION_ID\", \"KAFKA_PARTITION\", \"KAFKA_OFFSET\", \"KAFKA_TIMESTAMP\", \"KAFKA_KEY\", "
            + "\"KAFKA_HEADERS\", \"INGESTED_AT\", \"RAW_EVENT\", \"KAFKA_KEY_ENCODING\", \"ORDER_ID\") VALUES (s.\"EVENT_ID\", "
            + "s.\"EVENT_TYPE\", "
            + "s.\"SCHEMA_VERSION\", s.\"SOURCE_TOPIC\", s.\"PRODUCER_SERVICE\", s.\"INGESTION_ID\", s.\"KAFKA_PARTITION\", "
            + "s.\"KAFKA_OFFSET\", s.\"KAFKA_TIMESTAMP\", s.\"KAFKA_KEY\", s.\"KAFKA_HEADERS\", s.\"INGESTED_AT\", "
            + "s.\"RAW_EVENT\", s.\"KAFKA_KEY_ENCODING\", s.\"ORDER_ID\")";

    private static SnowflakeMergeSink.Builder sink() {
        return SnowflakeMergeSink.builder(UNTOUCHABLE)
                .schema("BRONZE")
                .typedColumns("ORDERS_RAW", TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR));
    }

    @Test
    void shouldGenerateGoldenMergeForTwoRowSinglePartitionBatch() {
        List<BronzeRecord> batch = TestRecords.orders("orders", 3, 41, 2);

        List<MergeStatement> plan = sink().build().plan(batch);

        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).sql()).isEqualTo(GOLDEN_SINGLE_PARTITION);
        assertThat(plan.get(0).pruning().parameters()).containsExactly("orders", 3, 41L, 42L);
        assertThat(plan.get(0).rows()).isEqualTo(2);
    }

    @Test
    void shouldNeverUseParseJsonInsideValuesClause() {
        String sql = sink().build()
                .plan(TestRecords.orders("orders", 0, 0, 3))
                .get(0)
                .sql();

        String values = sql.substring(sql.lastIndexOf(" VALUES ("));
        assertThat(values).doesNotContain("PARSE_JSON").doesNotContain("?");
        // Every inserted value is a plain column of the USING subquery.
        assertThat(values).matches(" VALUES \\((s\\.\"[A-Z_]+\"(, )?)+\\)");
    }

    @Test
    void shouldBindWholeChunkAsOneParameterWithoutAnyPayloadTextInSql() {
        BronzeRecord evil = TestRecords.order("orders", 0, 0).toBuilder()
                .rawEvent("{\"x\":\"'); DROP TABLE ORDERS_RAW; --\"}")
                .key("k'\"--")
                .eventType("t' OR 1=1")
                .build();

        MergeStatement m = sink().build().plan(List.of(evil)).get(0);

        assertThat(m.sql()).doesNotContain("DROP").doesNotContain("OR 1=1").doesNotContain("k'");
        assertThat(countParameters(m.sql()))
                .isEqualTo(1 + m.pruning().parameters().size());
        assertThat(m.json()).contains("DROP TABLE ORDERS_RAW");
    }

    @Test
    void shouldDeduplicateWithinStatementUsingQualifyRowNumber() {
        String sql = sink().build()
                .plan(TestRecords.orders("orders", 0, 0, 2))
                .get(0)
                .sql();

        assertThat(sql)
                .contains(
                        ") QUALIFY ROW_NUMBER() OVER (PARTITION BY \"INGESTION_ID\" ORDER BY \"KAFKA_OFFSET\") = 1) s");
    }

    @Test
    void shouldDropRepeatedIdsBeforeSendingKeepingLowestOffset() {
        BronzeRecord a = TestRecords.order("orders", 0, 5);
        BronzeRecord b = TestRecords.order("orders", 0, 6);

        MergeStatement m = sink().build().plan(List.of(b, a, b, a)).get(0);

        assertThat(m.rows()).isEqualTo(2);
    }

    @Test
    void shouldRestrictTargetToOneOffsetRangePerPartitionInOneStatementWhenBatchSpansPartitions() {
        List<BronzeRecord> batch = new ArrayList<>();
        batch.addAll(TestRecords.orders("orders", 0, 100, 10));
        batch.addAll(TestRecords.orders("orders", 7, 5, 3));

        List<MergeStatement> plan = sink().build().plan(batch);

        assertThat(plan).hasSize(1);
        MergeStatement m = plan.get(0);
        assertThat(m.pruning().mode()).isEqualTo(Pruning.Mode.OFFSET_RANGES);
        assertThat(m.sql())
                .contains("ON t.\"INGESTION_ID\" = s.\"INGESTION_ID\" AND ((t.\"SOURCE_TOPIC\" = ? AND "
                        + "t.\"KAFKA_PARTITION\" = ? AND t.\"KAFKA_OFFSET\" BETWEEN ? AND ?) OR (t.\"SOURCE_TOPIC\" = ? AND "
                        + "t.\"KAFKA_PARTITION\" = ? AND t.\"KAFKA_OFFSET\" BETWEEN ? AND ?)) WHEN NOT MATCHED");
        assertThat(m.pruning().parameters()).containsExactly("orders", 0, 100L, 109L, "orders", 7, 5L, 7L);
    }

    @Test
    void shouldRestrictTargetToTopicWhenSomeIdsComeFromPayload() {
        BronzeRecord payloadId = TestRecords.order("orders", 1, 9).toBuilder()
                .ingestionId("order-evt-42")
                .build();

        MergeStatement m = sink().build()
                .plan(List.of(TestRecords.order("orders", 0, 0), payloadId))
                .get(0);

        assertThat(m.pruning().mode()).isEqualTo(Pruning.Mode.TOPICS);
        assertThat(m.sql())
                .contains("ON t.\"INGESTION_ID\" = s.\"INGESTION_ID\" AND t.\"SOURCE_TOPIC\" IN (?) WHEN NOT MATCHED");
        assertThat(m.pruning().parameters()).containsExactly("orders");
    }

    @Test
    void shouldNotRestrictTargetWhenIdsAreUniqueAcrossTopicsOnly() {
        BronzeRecord payloadId = TestRecords.order("orders", 1, 9).toBuilder()
                .ingestionId("order-evt-42")
                .build();

        MergeStatement m =
                sink().idsUniquePerTopic(false).build().plan(List.of(payloadId)).get(0);

        assertThat(m.pruning().mode()).isEqualTo(Pruning.Mode.NONE);
        assertThat(m.sql()).contains("ON t.\"INGESTION_ID\" = s.\"INGESTION_ID\" WHEN NOT MATCHED");
    }

    @Test
    void shouldSplitIntoChunksOfAtMostMaxRowsPerStatement() {
        List<MergeStatement> plan =
                sink().maxRowsPerStatement(400).build().plan(TestRecords.orders("orders", 0, 0, 1000));

        assertThat(plan).extracting(MergeStatement::rows).containsExactly(400, 400, 200);
        assertThat(plan.get(1).pruning().parameters()).containsExactly("orders", 0, 400L, 799L);
    }

    @Test
    void shouldSplitIntoChunksOfAtMostMaxBytesPerStatement() {
        int maxBytes = 64 * 1024;
        List<BronzeRecord> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(TestRecords.largeOrder("orders", 0, i, 10_000));
        }

        List<MergeStatement> plan =
                sink().maxBytesPerStatement(maxBytes).build().plan(batch);

        assertThat(plan.size()).isGreaterThan(5);
        assertThat(plan)
                .allSatisfy(m -> assertThat(m.json().getBytes(StandardCharsets.UTF_8).length)
                        .isLessThanOrEqualTo(maxBytes));
        assertThat(plan.stream().mapToInt(MergeStatement::rows).sum()).isEqualTo(40);
    }

    @Test
    void shouldSendOneStatementPerTableWhenBatchMixesTopics() {
        List<BronzeRecord> batch = new ArrayList<>(TestRecords.orders("orders", 0, 0, 5));
        batch.addAll(TestRecords.clicks("web.clicks", 0, 0, 5));

        List<MergeStatement> plan = sink().build().plan(batch);

        assertThat(plan).extracting(m -> m.table().table()).containsExactly("ORDERS_RAW", "WEB_CLICKS_RAW");
    }

    @Test
    void shouldUpperCaseIdentifiersBeforeQuotingAsSnowflakeResolvesUnquotedNames() {
        MergeStatement m = SnowflakeMergeSink.builder(UNTOUCHABLE)
                .tableRouter(TableRouter.explicit(Map.of("orders", "raw.Orders_v2")))
                .typedColumns("raw.Orders_v2", TypedColumn.of("order_id", "order_id", SqlType.VARCHAR))
                .build()
                .plan(List.of(TestRecords.order("orders", 0, 0)))
                .get(0);

        assertThat(m.sql())
                .startsWith("MERGE INTO \"RAW\".\"ORDERS_V2\" t USING")
                .contains("AS \"ORDER_ID\"")
                .doesNotContain("\"raw\"", "\"Orders_v2\"", "\"order_id\"");
    }

    @Test
    void shouldRejectSchemaThatIsNotAPlainIdentifier() {
        assertThatThrownBy(() -> SnowflakeMergeSink.builder(UNTOUCHABLE).schema("BRONZE\"; DROP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 'BRONZE\"; DROP'");
    }

    @Test
    void shouldCastTypedColumnsInSnowflakeFromTheirJsonText() {
        MergeStatement m = SnowflakeMergeSink.builder(UNTOUCHABLE)
                .typedColumns(
                        "ORDERS_RAW",
                        TypedColumn.of("AMOUNT", "amount", SqlType.DOUBLE),
                        TypedColumn.of("ITEMS", "items", SqlType.JSON),
                        TypedColumn.of("CREATED", "meta.created_at", SqlType.TIMESTAMP))
                .build()
                .plan(List.of(TestRecords.order("orders", 0, 0)))
                .get(0);

        assertThat(m.sql())
                .contains(
                        "f.value:typed_0::VARCHAR::DOUBLE AS \"AMOUNT\"",
                        "PARSE_JSON(f.value:typed_1::VARCHAR) AS \"ITEMS\"",
                        "f.value:typed_2::VARCHAR::TIMESTAMP_TZ AS \"CREATED\"");
        assertThat(m.json()).contains("\"typed_0\":\"19.99\"");
    }

    @Test
    void shouldFailWithDataErrorWhenTypedColumnsNeedJsonButPayloadIsNot() {
        BronzeRecord bad = TestRecords.order("orders", 0, 0).toBuilder()
                .rawEvent("not json")
                .build();

        assertThatThrownBy(() -> sink().build().plan(List.of(bad)))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SinkWriteException.ErrorKind.DATA);
                    assertThat(e.table()).isEqualTo("BRONZE.ORDERS_RAW");
                });
    }

    @Test
    void shouldRejectNonPositiveMaxRowsAndOutOfRangeMaxBytesNamingTheValue() {
        assertThatThrownBy(() -> sink().maxRowsPerStatement(0))
                .hasMessage("maxRowsPerStatement must be > 0, but was 0");
        assertThatThrownBy(() -> sink().maxBytesPerStatement(10)).hasMessageContaining("but was 10");
    }

    static final String GOLDEN_LEDGER =
            "INSERT INTO \"BRONZE\".\"BRONZE_INGESTION_LOG\" (\"BATCH_ID\", \"ENGINE\", \"GROUP_ID\", "
                    + "\"TABLE_NAME\", \"SOURCE_TOPIC\", \"KAFKA_PARTITION\", \"FIRST_OFFSET\", \"LAST_OFFSET\", \"RECORDS\", "
                    + "\"ROWS_LANDED\", \"ROWS_INSERTED\", \"ROWS_DEAD_LETTERED\", \"ROWS_SKIPPED\", \"FLUSH_TRIGGER\", \"STARTED_AT\", "
                    + "\"COMMITTED_AT\", \"WRITE_LATENCY_MS\") SELECT f.value:batch_id::VARCHAR, f.value:engine::VARCHAR, "
                    + "f.value:group_id::VARCHAR, f.value:table_name::VARCHAR, f.value:source_topic::VARCHAR, "
                    + "f.value:kafka_partition::VARCHAR::INTEGER, f.value:first_offset::VARCHAR::BIGINT, "
                    + "f.value:last_offset::VARCHAR::BIGINT, f.value:records::VARCHAR::INTEGER, f.value:rows_landed::VARCHAR::INTEGER, "
                    + "f.value:rows_inserted::VARCHAR::INTEGER, f.value:rows_dead_lettered::VARCHAR::INTEGER, "
                    + "f.value:rows_skipped::VARCHAR::INTEGER, f.value:flush_trigger::VARCHAR, f.value:started_at::VARCHAR::TIMESTAMP_TZ, "
                    + "f.value:committed_at::VARCHAR::TIMESTAMP_TZ, f.value:write_latency_ms::VARCHAR::BIGINT "
                    + "FROM LATERAL FLATTEN(INPUT => PARSE_JSON(?)) f";

    private static IngestionLedger.Entry ledgerRow(int partition, long first, long last, Integer inserted) {
        return new IngestionLedger.Entry(
                "b-7",
                "eng-1",
                null,
                "BRONZE.ORDERS_RAW",
                "orders",
                partition,
                first,
                last,
                12,
                10,
                inserted,
                2,
                0,
                "records",
                Instant.parse("2025-06-01T10:00:00Z"),
                Instant.parse("2025-06-01T10:00:02.500Z"),
                42L);
    }

    @Test
    void shouldGenerateGoldenLedgerInsertBoundAsOneJsonArrayNeverAMerge() {
        MergeStatement m = sink().build().ledgerStatement(List.of(ledgerRow(3, 41, 52, null)));

        assertThat(m.sql())
                .as("S11: the ledger is written with INSERT only, so engines never queue on its lock")
                .isEqualTo(GOLDEN_LEDGER)
                .doesNotContain("MERGE");
        assertThat(m.pruning().parameters()).isEmpty();
        assertThat(countParameters(m.sql())).isEqualTo(1);
        assertThat(m.rows()).isEqualTo(1);
        assertThat(m.json())
                .isEqualTo("[{\"batch_id\":\"b-7\",\"engine\":\"eng-1\",\"table_name\":\"BRONZE.ORDERS_RAW\","
                        + "\"source_topic\":\"orders\",\"kafka_partition\":\"3\",\"first_offset\":\"41\",\"last_offset\":\"52\","
                        + "\"records\":\"12\",\"rows_landed\":\"10\",\"rows_dead_lettered\":\"2\",\"rows_skipped\":\"0\","
                        + "\"flush_trigger\":\"records\",\"started_at\":\"2025-06-01T10:00:00Z\","
                        + "\"committed_at\":\"2025-06-01T10:00:02.500Z\",\"write_latency_ms\":\"42\"}]");
    }

    @Test
    void shouldBindEveryLedgerRowOfABatchInOneInsert() {
        MergeStatement m = sink().build()
                .ledgerStatement(List.of(ledgerRow(0, 0, 9, 10), ledgerRow(0, 10, 19, 10), ledgerRow(1, 5, 9, 5)));

        assertThat(m.sql()).startsWith("INSERT INTO");
        assertThat(m.rows()).isEqualTo(3);
        assertThat(countParameters(m.sql())).isEqualTo(1);
    }

    @Test
    void shouldBuildNoLedgerStatementWhenLedgerIsOffOrThereAreNoRows() {
        assertThat(sink().ingestionLedger(false).build().ledgerStatement(List.of(ledgerRow(0, 0, 1, 2))))
                .isNull();
        assertThat(sink().build().ledgerStatement(List.of())).isNull();
    }

    @Test
    void shouldWriteLedgerToTheConfiguredTableAndSchemaAndNameItInToString() {
        MergeStatement m =
                sink().ingestionLedgerTable("AUDIT.LEDGER").build().ledgerStatement(List.of(ledgerRow(0, 0, 1, 2)));

        assertThat(m.sql()).startsWith("INSERT INTO \"AUDIT\".\"LEDGER\" (");
        assertThat(sink().build().toString()).contains("ledger=BRONZE.BRONZE_INGESTION_LOG");
        assertThat(sink().ingestionLedger(false).build().toString()).contains("ledger=off");
        assertThatThrownBy(() -> sink().ingestionLedgerTable("bad-name"))
                .hasMessageStartingWith(
                        "ingestionLedgerTable must match [A-Za-z_][A-Za-z0-9_$]* (optionally SCHEMA.TABLE), "
                                + "but was 'bad-name'");
    }

    private static int countParameters(String sql) {
        Matcher m = Pattern.compile("\\?").matcher(sql);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void shouldRecommendSnowflakeSizedBatchesInBothWriteModes() {
        BatchLimits expected = new BatchLimits(10_000, 16L * 1024 * 1024, Duration.ofSeconds(60));

        assertThat(new SnowflakeMergeSink(UNTOUCHABLE).recommendedBatchLimits()).contains(expected);
        assertThat(SnowflakeMergeSink.builder(UNTOUCHABLE)
                        .writeMode(WriteMode.APPEND)
                        .build()
                        .recommendedBatchLimits())
                .contains(expected);
    }

    @Test
    void shouldGiveAnEngineThatSetsNoBatchLimitsTheSnowflakeOnesAndLetExplicitOnesWin() {
        IngestionEngine.Builder base = IngestionEngine.builder()
                .bootstrapServers("kafka:9092")
                .groupId("bronze")
                .topics("orders")
                .deadLetterSink(DeadLetterSink.logging());
        EngineConfig unset = base.sink(new SnowflakeMergeSink(UNTOUCHABLE)).config();
        EngineConfig explicit = base.maxBatchWait(Duration.ofSeconds(5))
                .sink(new SnowflakeMergeSink(UNTOUCHABLE))
                .config();

        assertThat(unset.maxBatchRecords()).isEqualTo(10_000);
        assertThat(unset.maxBatchBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(unset.maxBatchWait()).isEqualTo(Duration.ofSeconds(60));
        assertThat(unset.flushWhenIdle())
                .as("every Snowflake statement costs: batches fill")
                .isFalse();
        assertThat(explicit.maxBatchWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(explicit.maxBatchRecords()).isEqualTo(10_000);
        assertThat(explicit.batchLimitsFromSink()).containsExactly("maxBatchRecords", "maxBatchBytes", "flushWhenIdle");
    }
}
