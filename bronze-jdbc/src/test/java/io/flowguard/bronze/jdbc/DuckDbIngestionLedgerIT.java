package io.flowguard.bronze.jdbc;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The ingestion ledger against DuckDB, each test in a fresh in-memory database. */
class DuckDbIngestionLedgerIT extends AbstractIngestionLedgerIT {
    private DuckDbDataSource dataSource;

    @BeforeEach
    void freshDatabase() {
        dataSource = DuckDbDataSource.inMemory();
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        dataSource.close();
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.duckdb();
    }

    @Override
    String schema() {
        return null;
    }
}
