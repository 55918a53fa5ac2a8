package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** {@link JdbcBronzeSink} against DuckDB, each test in a fresh in-memory database. */
class DuckDbJdbcBronzeSinkIT extends AbstractJdbcBronzeSinkIT {
    private DuckDbDataSource dataSource;

    @TempDir
    Path tempDir;

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

    @Override
    String jsonField(String column, String field) {
        return "json_extract_string(\"" + column + "\", '$." + field + "')";
    }

    @Override
    String jsonTypeName() {
        return "json";
    }

    @Override
    void createLegacyOrdersTable() {
        Rows.execute(
                dataSource,
                "CREATE TABLE orders_raw (event_id VARCHAR(100), order_id VARCHAR(100), user_id INTEGER, raw_event JSON)",
                "INSERT INTO orders_raw VALUES ('legacy-1', 'ORD-1', 1, '{\"order_id\":\"ORD-1\"}'), "
                        + "('legacy-2', 'ORD-2', 2, '{\"order_id\":\"ORD-2\"}')");
    }

    @Override
    DataSource unreachableDataSource() {
        // DuckDB is embedded: "unreachable" is a database file it cannot open.
        String url = "jdbc:duckdb:" + tempDir.resolve("no-such-dir").resolve("bronze.duckdb");
        return new DelegatingUrlDataSource(url);
    }

    @Test
    void shouldCreateOnlyTheUniqueIndex() {
        JdbcBronzeSink.duckdb(dataSource).ensureTable(ORDERS_RAW);

        assertThat(Rows.column(dataSource, "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'ORDERS_RAW'"))
                .containsExactly("ORDERS_RAW_INGESTION_ID_UX");
    }

    /** Opens a connection per call to a fixed URL. */
    private static final class DelegatingUrlDataSource extends PGSimpleDataSource {
        private static final long serialVersionUID = 1L;
        private final String url;

        DelegatingUrlDataSource(String url) {
            this.url = url;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url);
        }
    }
}
