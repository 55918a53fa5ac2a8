package io.flowguard.bronze.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Broker → engine → PostgreSQL (embedded binary) end to end, in the {@code E2E} schema. */
class PostgresEngineToJdbcIT extends AbstractEngineToJdbcIT {
    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
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
        return "E2E";
    }
}
