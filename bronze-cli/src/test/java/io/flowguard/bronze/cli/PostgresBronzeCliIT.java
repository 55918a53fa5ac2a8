package io.flowguard.bronze.cli;

import io.flowguard.bronze.jdbc.SqlDialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;

/** The CLI against embedded PostgreSQL, connecting by URL as a user would. */
class PostgresBronzeCliIT extends AbstractBronzeCliIT {
    private EmbeddedPostgres postgres;

    private EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.start();
            } catch (IOException e) {
                throw new IllegalStateException("embedded PostgreSQL did not start", e);
            }
        }
        return postgres;
    }

    @Override
    DataSource dataSource() {
        return postgres().getPostgresDatabase();
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.postgres();
    }

    @Override
    String jdbcUrl() {
        return postgres().getJdbcUrl("postgres", "postgres");
    }

    @Override
    Warehouse.DataSourceFactory dataSourceFactory() {
        return null;
    }

    @Override
    void closeDatabase() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
