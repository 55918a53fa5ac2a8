package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.testkit.TestRecords;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** {@link JdbcBronzeSink} against a real PostgreSQL (embedded binary, started once), each test in a fresh schema. */
class PostgresJdbcBronzeSinkIT extends AbstractJdbcBronzeSinkIT {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private String schema;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void freshSchema() {
        schema = "IT_" + SCHEMAS.incrementAndGet();
        Rows.execute(dataSource, "CREATE SCHEMA \"" + schema + '"');
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.postgres();
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
        return "jsonb";
    }

    @Override
    void createLegacyOrdersTable() {
        String t = '"' + schema + "\".orders_raw";
        Rows.execute(dataSource,
                "CREATE TABLE " + t + " (EVENT_ID VARCHAR(100), ORDER_ID VARCHAR(100), USER_ID INTEGER, RAW_EVENT jsonb)",
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
    void shouldCreateSchemaAndTableWhenRouterQualifiesTheName() {
        JdbcBronzeSink sink = JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
                .tableRouter(topic -> schema + "_Q.LANDED").build();

        WriteResult result = sink.write(TestRecords.orders(ORDERS, 0, 0, 3));

        assertThat(result).isEqualTo(WriteResult.of(3, 3));
        assertThat(count("SELECT COUNT(*) FROM \"" + schema + "_Q\".\"LANDED\"")).isEqualTo(3);
    }

    @Test
    void shouldCreateUniqueAndTimeWindowIndexes() {
        JdbcBronzeSink.builder(dataSource, SqlDialect.postgres()).schema(schema).build().ensureTable(ORDERS_RAW);

        assertThat(Rows.column(dataSource, "SELECT indexdef FROM pg_indexes WHERE schemaname = '" + schema
                + "' ORDER BY indexname")).map(Object::toString).containsExactly(
                "CREATE UNIQUE INDEX \"ORDERS_RAW_INGESTION_ID_UX\" ON \"" + schema + "\".\"ORDERS_RAW\" USING btree (\"INGESTION_ID\")",
                "CREATE INDEX \"ORDERS_RAW_SOURCE_TOPIC_INGESTED_AT_IX\" ON \"" + schema
                        + "\".\"ORDERS_RAW\" USING btree (\"SOURCE_TOPIC\", \"INGESTED_AT\")",
                "CREATE INDEX \"ORDERS_RAW_SOURCE_TOPIC_KAFKA_PARTITION_KAFKA_OFFSET_IX\" ON \"" + schema
                        + "\".\"ORDERS_RAW\" USING btree (\"SOURCE_TOPIC\", \"KAFKA_PARTITION\", \"KAFKA_OFFSET\")");
    }
}
