package io.flowguard.bronze.jdbc;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link JdbcDeadLetterSink} against DuckDB, each test in a fresh in-memory database. */
class DuckDbJdbcDeadLetterSinkIT extends AbstractJdbcDeadLetterSinkIT {
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
    String table() {
        return "\"BRONZE_DEAD_LETTER\"";
    }

    @Override
    String jsonField(String column, String field) {
        return "json_extract_string(\"" + column + "\", '$." + field + "')";
    }

    @Override
    JdbcDeadLetterSink.Builder sinkBuilder(DataSource ds) {
        return JdbcDeadLetterSink.builder(ds, SqlDialect.duckdb());
    }
}
