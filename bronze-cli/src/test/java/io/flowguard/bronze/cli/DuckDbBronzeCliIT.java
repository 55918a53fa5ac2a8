package io.flowguard.bronze.cli;

import io.flowguard.bronze.jdbc.DuckDbDataSource;
import io.flowguard.bronze.jdbc.SqlDialect;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The CLI against an in-memory DuckDB database shared with the seeding engine. */
class DuckDbBronzeCliIT extends AbstractBronzeCliIT {
    private DuckDbDataSource duckDb;

    private DuckDbDataSource duckDb() {
        if (duckDb == null) {
            duckDb = DuckDbDataSource.inMemory();
        }
        return duckDb;
    }

    @Override
    DataSource dataSource() {
        return duckDb();
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.duckdb();
    }

    @Override
    String jdbcUrl() {
        return "jdbc:duckdb:";
    }

    @Override
    Warehouse.DataSourceFactory dataSourceFactory() {
        return settings -> duckDb();
    }

    @Override
    void closeDatabase() throws SQLException {
        if (duckDb != null) {
            duckDb.close();
        }
    }
}
