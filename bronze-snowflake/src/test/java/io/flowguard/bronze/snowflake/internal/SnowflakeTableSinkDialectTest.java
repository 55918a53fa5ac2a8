package io.flowguard.bronze.snowflake.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.jdbc.AbstractDataSource;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.testkit.TestRecords;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Golden rules of the Snowflake dialect: statement size after compression (S4), append inserts, rollback failures (S8). */
class SnowflakeTableSinkDialectTest {
    private final TableDefinition table = BronzeTables.bronzeTable("BRONZE", "ORDERS_RAW", List.of());

    private static List<BronzeRecord> incompressible(int count, int payloadBytes) {
        Random random = new Random(42);
        List<BronzeRecord> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder noise = new StringBuilder();
            for (int j = 0; j < payloadBytes; j++) {
                noise.append((char) ('a' + random.nextInt(26)));
            }
            out.add(TestRecords.order("orders", 0, i).toBuilder()
                    .rawEvent("{\"noise\":\"" + noise + "\"}")
                    .build());
        }
        return out;
    }

    @Test
    void shouldKeepEveryStatementUnderTheCompressedCapBySplittingChunks() {
        int cap = 8 * 1024;
        SnowflakeTableSinkDialect dialect =
                new SnowflakeTableSinkDialect("t", true, List.of(), true, 10_000, 4 * 1024 * 1024, cap);
        List<BronzeRecord> records = incompressible(100, 600);

        List<MergeStatement> statements = dialect.statements(table, records, List.of(), WriteMode.MERGE);

        assertThat(statements).hasSizeGreaterThan(1);
        assertThat(statements)
                .allSatisfy(m ->
                        assertThat(SnowflakeTableSinkDialect.gzipSize(m.json())).isLessThanOrEqualTo(cap));
        assertThat(statements.stream().mapToInt(MergeStatement::rows).sum()).isEqualTo(100);
    }

    @Test
    void shouldSendOneStatementWhenTheBatchCompressesUnderTheCap() {
        SnowflakeTableSinkDialect dialect =
                new SnowflakeTableSinkDialect("t", true, List.of(), true, 10_000, 4 * 1024 * 1024, 1_000_000);

        assertThat(dialect.statements(table, TestRecords.orders("orders", 0, 0, 1000), List.of(), WriteMode.MERGE))
                .hasSize(1);
    }

    @Test
    void shouldAppendWithAPlainInsertThatReadsNothingFromTheTarget() {
        SnowflakeTableSinkDialect dialect =
                new SnowflakeTableSinkDialect("t", true, List.of(), true, 10_000, 4 * 1024 * 1024, 1_000_000);

        MergeStatement m = dialect.statements(table, TestRecords.orders("orders", 0, 0, 3), List.of(), WriteMode.APPEND)
                .get(0);

        assertThat(m.sql())
                .startsWith("INSERT INTO \"BRONZE\".\"ORDERS_RAW\" (\"EVENT_ID\", ")
                .endsWith(" FROM LATERAL FLATTEN(INPUT => PARSE_JSON(?)) f")
                .doesNotContain("MERGE", " t.");
        assertThat(m.pruning().parameters()).isEmpty();
    }

    @Test
    void shouldAbortTheConnectionAndNeverSwitchAutoCommitOnWhenRollbackFails() {
        List<String> calls = new ArrayList<>();
        Connection connection = (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                    calls.add(m.getName() + (a == null || m.getName().equals("abort") ? "" : "(" + a[0] + ")"));
                    if (m.getName().equals("rollback")) {
                        throw new SQLException("connection reset during rollback");
                    }
                    return null;
                });
        SnowflakeTableSinkDialect dialect =
                new SnowflakeTableSinkDialect("t", true, List.of(), true, 10_000, 4 * 1024 * 1024, 1_000_000);
        RuntimeException cause = new RuntimeException("merge failed");

        boolean rolledBack = dialect.rollback(connection, cause);

        assertThat(rolledBack).isFalse();
        assertThat(calls).containsExactly("rollback", "abort").doesNotContain("setAutoCommit(true)");
        assertThat(cause.getSuppressed())
                .extracting(Throwable::getMessage)
                .contains("connection reset during rollback");
    }

    @Test
    void shouldNameBadRowsWithTryCastsOverTheBoundJsonInsteadOfBisecting() {
        SnowflakeTableSinkDialect dialect =
                new SnowflakeTableSinkDialect("t", true, List.of(), true, 10_000, 4 * 1024 * 1024, 1_000_000);
        TableDefinition typed = BronzeTables.bronzeTable(
                "BRONZE",
                "ORDERS_RAW",
                List.of(
                        TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR),
                        TypedColumn.of("QTY", "qty", SqlType.INTEGER),
                        TypedColumn.of("META", "meta", SqlType.JSON)));

        assertThat(dialect.rejectedRowsQuery(typed))
                .as("S13: every non-VARCHAR column, converted as the write converts it, but with TRY_ functions")
                .isEqualTo(
                        "SELECT f.value:ingestion_id::VARCHAR FROM LATERAL FLATTEN(INPUT => PARSE_JSON(?)) f WHERE "
                                + "(f.value:kafka_partition::VARCHAR <> '' AND "
                                + "TRY_CAST(f.value:kafka_partition::VARCHAR AS INTEGER) IS NULL) OR "
                                + "(f.value:kafka_offset::VARCHAR <> '' AND "
                                + "TRY_CAST(f.value:kafka_offset::VARCHAR AS BIGINT) IS NULL) OR "
                                + "(f.value:kafka_timestamp::VARCHAR <> '' AND "
                                + "TRY_CAST(f.value:kafka_timestamp::VARCHAR AS TIMESTAMP_TZ) IS NULL) OR "
                                + "(TRIM(f.value:kafka_headers::VARCHAR) <> '' AND "
                                + "TRY_PARSE_JSON(f.value:kafka_headers::VARCHAR) IS NULL) OR "
                                + "(f.value:ingested_at::VARCHAR <> '' AND "
                                + "TRY_CAST(f.value:ingested_at::VARCHAR AS TIMESTAMP_TZ) IS NULL) OR "
                                + "(TRIM(f.value:raw_event::VARCHAR) <> '' AND "
                                + "TRY_PARSE_JSON(f.value:raw_event::VARCHAR) IS NULL) OR "
                                + "(f.value:typed_1::VARCHAR <> '' AND TRY_CAST(f.value:typed_1::VARCHAR AS INTEGER) IS NULL) OR "
                                + "(TRIM(f.value:typed_2::VARCHAR) <> '' AND TRY_PARSE_JSON(f.value:typed_2::VARCHAR) IS NULL)");
        String insert = dialect.statements(typed, TestRecords.orders("orders", 0, 0, 1), List.of(), WriteMode.APPEND)
                .get(0)
                .sql();
        assertThat(insert)
                .as("the write converts the same keys with the same types")
                .contains("f.value:typed_1::VARCHAR::INTEGER", "PARSE_JSON(f.value:typed_2::VARCHAR)");
    }

    @Test
    void shouldNameNothingWhenTheDiagnosticQueryCannotRunSoTheEngineBisects() {
        SnowflakeTableSinkDialect dialect =
                new SnowflakeTableSinkDialect("t", true, List.of(), true, 10_000, 4 * 1024 * 1024, 1_000_000);
        DataSource unreachable = new AbstractDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                throw new SQLException("JDBC driver encountered communication error", "08001", 200015);
            }
        };

        assertThat(dialect.rejectedRows(
                        unreachable,
                        table,
                        TestRecords.orders("orders", 0, 0, 3),
                        List.of(),
                        new SQLException("Numeric value 'x' is not recognized", "22018", 100038)))
                .isEmpty();
    }
}
