package io.flowguard.bronze.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JdbcDeadLetterSink} against a real PostgreSQL (embedded binary), each test in a fresh schema. */
class PostgresJdbcDeadLetterSinkIT extends AbstractJdbcDeadLetterSinkIT {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("DL");

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
