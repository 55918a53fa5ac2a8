package io.flowguard.bronze.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** {@link JdbcDeadLetterSink} against a real PostgreSQL (embedded binary), each test in a fresh schema. */
class PostgresJdbcDeadLetterSinkIT extends AbstractJdbcDeadLetterSinkIT {
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
        schema = "DL_" + SCHEMAS.incrementAndGet();
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
    String table() {
        return '"' + schema + "\".\"BRONZE_DEAD_LETTER\"";
    }

    @Override
    String jsonField(String column, String field) {
        return '"' + column + "\"->>'" + field + "'";
    }

    @Override
    JdbcDeadLetterSink.Builder sinkBuilder(DataSource ds) {
        return JdbcDeadLetterSink.builder(ds, SqlDialect.postgres()).schema(schema);
    }
}
