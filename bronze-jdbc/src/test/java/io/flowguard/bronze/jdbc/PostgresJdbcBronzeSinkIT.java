package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.testkit.TestRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** {@link JdbcBronzeSink} against a real PostgreSQL (embedded binary, started once), each test in a fresh schema. */
class PostgresJdbcBronzeSinkIT extends AbstractPostgresBronzeSinkIT {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("IT");

    @Override
    EmbeddedPostgresExtension pg() {
        return PG;
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.postgres();
    }

    @Override
    String jsonTypeName() {
        return "jsonb";
    }

    @Test
    void shouldCreateSchemaAndTableWhenRouterQualifiesTheName() {
        JdbcBronzeSink sink = JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .tableRouter(topic -> schema + "_Q.LANDED")
                .build();

        WriteResult result = sink.write(TestRecords.orders(ORDERS, 0, 0, 3));

        assertThat(result).isEqualTo(WriteResult.of(3, 3));
        assertThat(count("SELECT COUNT(*) FROM \"" + schema + "_Q\".\"LANDED\""))
                .isEqualTo(3);
    }

    @Test
    void shouldCreateUniqueAndTimeWindowIndexes() {
        JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .build()
                .ensureTable(ORDERS_RAW);

        assertThat(Rows.column(
                        PG.dataSource(),
                        "SELECT indexdef FROM pg_indexes WHERE schemaname = '" + schema + "' ORDER BY indexname"))
                .map(Object::toString)
                .containsExactly(
                        "CREATE UNIQUE INDEX \"ORDERS_RAW_INGESTION_ID_UX\" ON \"" + schema
                                + "\".\"ORDERS_RAW\" USING btree (\"INGESTION_ID\")",
                        "CREATE INDEX \"ORDERS_RAW_SOURCE_TOPIC_INGESTED_AT_IX\" ON \"" + schema
                                + "\".\"ORDERS_RAW\" USING btree (\"SOURCE_TOPIC\", \"INGESTED_AT\")",
                        "CREATE INDEX \"ORDERS_RAW_SOURCE_TOPIC_KAFKA_PARTITION_KAFKA_OFFSET_IX\" ON \"" + schema
                                + "\".\"ORDERS_RAW\" USING btree (\"SOURCE_TOPIC\", \"KAFKA_PARTITION\", \"KAFKA_OFFSET\")");
    }

    private PGSimpleDataSource loginAs(String role) {
        Rows.execute(
                PG.dataSource(),
                "CREATE ROLE " + role + " LOGIN PASSWORD 'pw'",
                "GRANT USAGE ON SCHEMA \"" + schema + "\" TO " + role);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(PG.server().getJdbcUrl(role, "postgres"));
        ds.setUser(role);
        ds.setPassword("pw");
        return ds;
    }

    @Test
    void shouldWriteWithoutCreatePrivilegeWhenTableAndIndexesExist() {
        JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .build()
                .write(TestRecords.orders(ORDERS, 0, 0, 1));
        String role = schema.toLowerCase(java.util.Locale.ROOT) + "_loader";
        PGSimpleDataSource loader = loginAs(role);
        Rows.execute(PG.dataSource(), "GRANT SELECT, INSERT ON \"" + schema + "\".\"ORDERS_RAW\" TO " + role);
        JdbcBronzeSink sink = JdbcBronzeSink.builder(loader, SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .build();

        assertThat(sink.write(TestRecords.orders(ORDERS, 0, 1, 1))).isEqualTo(WriteResult.of(1, 1));
    }

    @Test
    void shouldFailTransientWhenPrivilegeIsMissingAndWriteOnceItIsGranted() {
        JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .build()
                .ensureTable(ORDERS_RAW);
        String role = schema.toLowerCase(java.util.Locale.ROOT) + "_reader";
        PGSimpleDataSource reader = loginAs(role);
        Rows.execute(PG.dataSource(), "GRANT SELECT ON \"" + schema + "\".\"ORDERS_RAW\" TO " + role);
        JdbcBronzeSink sink = JdbcBronzeSink.builder(reader, SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .build();

        assertThatThrownBy(() -> sink.write(TestRecords.orders(ORDERS, 0, 0, 2)))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.sqlState()).isEqualTo("42501");
                });
        Rows.execute(PG.dataSource(), "GRANT INSERT ON \"" + schema + "\".\"ORDERS_RAW\" TO " + role);
        assertThat(sink.write(TestRecords.orders(ORDERS, 0, 0, 2))).isEqualTo(WriteResult.of(2, 2));
    }

    @Test
    void shouldFailTransientWhenUniqueIndexCannotBeBuiltOverExistingDuplicates() {
        Rows.execute(
                PG.dataSource(),
                "CREATE TABLE \"" + schema + "\".\"ORDERS_RAW\" (\"INGESTION_ID\" VARCHAR, \"RAW_EVENT\" jsonb)",
                "INSERT INTO \"" + schema + "\".\"ORDERS_RAW\" VALUES ('x', '{}'), ('x', '{}')");
        JdbcBronzeSink sink = JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .build();

        assertThatThrownBy(() -> sink.write(TestRecords.orders(ORDERS, 0, 0, 1)))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.sqlState()).isEqualTo("23505");
                    assertThat(e).hasMessageContaining("creating or migrating the table");
                });
    }

    @Test
    void shouldCreateTableOnceWithoutFailureWhenWritersRaceToCreateIt() throws Exception {
        int writers = 8;
        for (int round = 0; round < 5; round++) {
            String table = "RACE_" + round;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<WriteResult>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                JdbcBronzeSink sink = JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                        .schema(schema)
                        .tableRouter(topic -> table)
                        .build();
                int offset = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return sink.write(TestRecords.orders(ORDERS, 0, offset, 1));
                }));
            }
            go.countDown();
            try {
                for (Future<WriteResult> result : results) {
                    assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(WriteResult.of(1, 1));
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(count("SELECT COUNT(*) FROM \"" + schema + "\".\"" + table + '"'))
                    .isEqualTo(writers);
        }
    }

    @Test
    void shouldFailWithDataErrorWhenIngestionIdIsTooLongForTheUniqueIndex() {
        JdbcBronzeSink sink = JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .build();
        java.util.Random random = new java.util.Random(1);
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 9000; i++) {
            id.append((char) ('a' + random.nextInt(26))); // incompressible, so the btree entry exceeds its limit
        }
        BronzeRecord record = TestRecords.order(ORDERS, 0, 0).toBuilder()
                .ingestionId(id.toString())
                .build();

        assertThatThrownBy(() -> sink.write(List.of(record))).isInstanceOfSatisfying(SinkWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
            assertThat(e.sqlState()).startsWith("54");
        });
    }

    @Test
    void shouldFailWithDataErrorWhenPayloadHoldsEscapedNul() {
        JdbcBronzeSink sink = JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .build();
        // jsonb cannot hold U+0000: the record is rejected (and dead-lettered by the engine), its neighbours land.
        BronzeRecord record = TestRecords.order(ORDERS, 0, 0).toBuilder()
                .rawEvent("{\"note\":\"a\\u0000b\"}")
                .build();

        assertThatThrownBy(() -> sink.write(List.of(record)))
                .isInstanceOfSatisfying(
                        SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATA));
    }

    @Test
    void shouldStoreJsonStringOfJsonTypedColumnAsJsonString() {
        JdbcBronzeSink sink = JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .typedColumns(ORDERS_RAW, TypedColumn.of("META", "meta", SqlType.JSON))
                .build();
        List<BronzeRecord> records = List.of(
                TestRecords.order(ORDERS, 0, 0).toBuilder()
                        .rawEvent("{\"meta\":\"hello\"}")
                        .build(),
                TestRecords.order(ORDERS, 0, 1).toBuilder()
                        .rawEvent("{\"meta\":\"[1,2]\"}")
                        .build(),
                TestRecords.order(ORDERS, 0, 2).toBuilder()
                        .rawEvent("{\"meta\":7}")
                        .build(),
                TestRecords.order(ORDERS, 0, 3).toBuilder()
                        .rawEvent("{\"meta\":[1,2]}")
                        .build());

        assertThat(sink.write(records)).isEqualTo(WriteResult.of(4, 4));

        assertThat(Rows.column(
                        PG.dataSource(),
                        "SELECT jsonb_typeof(\"META\") || ':' || \"META\"::text FROM " + table(ORDERS_RAW)
                                + " ORDER BY \"KAFKA_OFFSET\""))
                .containsExactly("string:\"hello\"", "string:\"[1,2]\"", "number:7", "array:[1, 2]");
    }

    @Test
    void shouldKeepOperatorsUniqueIndexInsteadOfAddingAnotherOnLegacyTable() {
        Rows.execute(
                PG.dataSource(),
                "CREATE TABLE \"" + schema + "\".orders_raw (ingestion_id varchar, raw_event jsonb)",
                "CREATE UNIQUE INDEX \"ORDERS_RAW_INGESTION_ID_UX\" ON \"" + schema + "\".orders_raw (ingestion_id)");
        JdbcBronzeSink sink = JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .build();

        assertThat(sink.write(TestRecords.orders(ORDERS, 0, 0, 2))).isEqualTo(WriteResult.of(2, 2));

        assertThat(Rows.column(
                        PG.dataSource(),
                        "SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema
                                + "' AND indexdef LIKE 'CREATE UNIQUE%'"))
                .containsExactly("ORDERS_RAW_INGESTION_ID_UX");
    }

    @Test
    void shouldCreateUniqueIndexAgainWhenItWasDropped() {
        JdbcBronzeSink sink = JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .build();
        sink.write(TestRecords.orders(ORDERS, 0, 0, 1));
        Rows.execute(PG.dataSource(), "DROP INDEX \"" + schema + "\".\"ORDERS_RAW_INGESTION_ID_UX\"");

        assertThatThrownBy(() -> sink.write(TestRecords.orders(ORDERS, 0, 1, 1)))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.sqlState()).isEqualTo("42P10");
                });
        assertThat(sink.write(TestRecords.orders(ORDERS, 0, 1, 1))).isEqualTo(WriteResult.of(1, 1));
        assertThat(sink.write(TestRecords.orders(ORDERS, 0, 0, 2))).isEqualTo(WriteResult.of(2, 0));
    }

    @Test
    void shouldAddTypedColumnAgainWhenItWasDroppedAfterCreation() {
        // PostgreSQL only: DuckDB refuses to drop a column of a table with an index (Dependency Error).
        JdbcBronzeSink sink = JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .ingestionLedger(false)
                .typedColumns(ORDERS_RAW, TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR))
                .build();
        sink.write(TestRecords.orders(ORDERS, 0, 0, 1));
        Rows.execute(PG.dataSource(), "ALTER TABLE " + table(ORDERS_RAW) + " DROP COLUMN \"ORDER_ID\"");

        assertThatThrownBy(() -> sink.write(TestRecords.orders(ORDERS, 0, 1, 1)))
                .isInstanceOfSatisfying(
                        SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        WriteResult retried = sink.write(TestRecords.orders(ORDERS, 0, 1, 1));

        assertThat(retried).isEqualTo(WriteResult.of(1, 1));
        assertThat(count("SELECT COUNT(\"ORDER_ID\") FROM " + table(ORDERS_RAW)))
                .isEqualTo(1);
    }
}
