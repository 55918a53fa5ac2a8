package io.flowguard.bronze.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Broker → engine → PostgreSQL (embedded binary) end to end, in the {@code E2E} schema. */
class PostgresEngineToJdbcIT extends AbstractEngineToJdbcIT {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("E2E");

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
        return "E2E";
    }
}
