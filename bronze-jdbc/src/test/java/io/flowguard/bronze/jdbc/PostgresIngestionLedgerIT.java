package io.flowguard.bronze.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The ingestion ledger against a real PostgreSQL (embedded binary, started once), each test in a fresh schema. */
class PostgresIngestionLedgerIT extends AbstractIngestionLedgerIT {
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
        schema = "LEDGER_" + SCHEMAS.incrementAndGet();
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
}
