package io.flowguard.bronze.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ingestion ledger against a real PostgreSQL (embedded binary, started once), each test in a fresh schema. */
class PostgresIngestionLedgerIT extends AbstractIngestionLedgerIT {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("LEDGER");

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
        return SqlDialect.postgres();
    }

    @Override
    String schema() {
        return schema;
    }
}
