package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.testkit.TestRecords;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The whole sink suite again with {@link SqlDialect#postgresPlainJson()}: JSON columns created as {@code json} instead
 * of {@code jsonb}, everything else (idempotence, ledger, typed columns, dead letters) unchanged.
 */
class PostgresPlainJsonBronzeSinkIT extends AbstractJdbcBronzeSinkIT {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("PJ");

    private String schema;

    @BeforeEach
    void freshSchema() {
        schema = PG.freshSchema();
    }

    @Override
    DataSource dataSource() {
        return PG.dataSource();
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.postgresPlainJson();
    }

    @Override
    String schema() {
        return schema;
    }

    @Override
    String jsonField(String column, String field) {
        return '"' + column + "\"->>'" + field + "'";
    }

    @Override
    String jsonTypeName() {
        return "json";
    }

    @Override
    void createLegacyOrdersTable() {
        String t = '"' + schema + "\".orders_raw";
        Rows.execute(
                PG.dataSource(),
                "CREATE TABLE " + t
                        + " (EVENT_ID VARCHAR(100), ORDER_ID VARCHAR(100), USER_ID INTEGER, RAW_EVENT json)",
                "INSERT INTO " + t + " VALUES ('legacy-1', 'ORD-1', 1, '{\"order_id\":\"ORD-1\"}'), "
                        + "('legacy-2', 'ORD-2', 2, '{\"order_id\":\"ORD-2\"}')");
    }

    @Override
    DataSource unreachableDataSource() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setUser("postgres");
        ds.setConnectTimeout(2);
        return ds;
    }

    @Test
    void shouldCreateRawEventAndHeadersAsJsonAndKeepTheTextAsSent() {
        JdbcBronzeSink sink = sinkBuilder(dataSource()).build();
        List<BronzeRecord> records = TestRecords.orders(ORDERS, 0, 0, 3);

        WriteResult result = sink.write(records);

        assertThat(result).isEqualTo(WriteResult.of(3, 3));
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT column_name || ':' || data_type FROM information_schema.columns WHERE table_schema = '"
                                + schema + "' AND column_name IN ('RAW_EVENT', 'KAFKA_HEADERS') ORDER BY 1"))
                .containsExactly("KAFKA_HEADERS:json", "RAW_EVENT:json");
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT \"RAW_EVENT\"::text FROM " + table(ORDERS_RAW) + " ORDER BY \"KAFKA_OFFSET\""))
                .as("json keeps the text as received (jsonb would normalise it)")
                .containsExactlyElementsOf(
                        records.stream().map(BronzeRecord::rawEvent).toList());
    }

    @Test
    void shouldWriteIntoAnExistingJsonbTableWhichKeepsItsColumnTypes() {
        JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .build()
                .ensureTable(ORDERS_RAW);
        JdbcBronzeSink sink = sinkBuilder(dataSource()).build();

        assertThat(sink.write(TestRecords.orders(ORDERS, 0, 0, 3))).isEqualTo(WriteResult.of(3, 3));
        assertThat(sink.write(TestRecords.orders(ORDERS, 0, 0, 3)))
                .as("a redelivery is still skipped")
                .isEqualTo(WriteResult.of(3, 0));

        assertThat(count("SELECT COUNT(*) FROM " + table(ORDERS_RAW) + " WHERE \"RAW_EVENT\"->>'order_id' IS NOT NULL"))
                .isEqualTo(3);
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT data_type FROM information_schema.columns WHERE table_schema = '" + schema
                                + "' AND column_name = 'RAW_EVENT'"))
                .containsExactly("jsonb");
    }
}
