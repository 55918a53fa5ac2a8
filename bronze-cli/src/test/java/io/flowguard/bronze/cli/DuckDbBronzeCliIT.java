package io.flowguard.bronze.cli;

import io.flowguard.bronze.jdbc.SqlDialect;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.duckdb.DuckDBConnection;

/** The CLI against an in-memory DuckDB database shared with the seeding engine. */
class DuckDbBronzeCliIT extends AbstractBronzeCliIT {
    private SharedDuckDb duckDb;

    private SharedDuckDb duckDb() {
        if (duckDb == null) {
            duckDb = new SharedDuckDb();
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
            duckDb.root.close();
        }
    }

    /** Every connection duplicates one root, so all see the same in-memory database. */
    static final class SharedDuckDb implements DataSource {
        final DuckDBConnection root;

        SharedDuckDb() {
            try {
                root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            return root.duplicate();
        }

        @Override
        public Connection getConnection(String u, String p) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
