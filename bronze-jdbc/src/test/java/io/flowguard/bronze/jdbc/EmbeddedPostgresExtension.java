package io.flowguard.bronze.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL (the embedded binary from io.zonky.test) started once per test class, with fresh schemas on demand.
 * Use as {@code @RegisterExtension static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("IT");}.
 */
final class EmbeddedPostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private final String schemaPrefix;
    private final AtomicInteger schemas = new AtomicInteger();
    private EmbeddedPostgres postgres;
    private DataSource dataSource;

    EmbeddedPostgresExtension(String schemaPrefix) {
        this.schemaPrefix = schemaPrefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = EmbeddedPostgres.start();
        dataSource = postgres.getPostgresDatabase();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    EmbeddedPostgres server() {
        return postgres;
    }

    /** Creates and returns a new, empty schema named {@code <prefix>_<n>}. */
    String freshSchema() {
        String schema = schemaPrefix + '_' + schemas.incrementAndGet();
        Rows.execute(dataSource, "CREATE SCHEMA \"" + schema + '"');
        return schema;
    }
}
