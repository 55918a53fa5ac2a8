package io.flowguard.bronze.examples.flowguard;

import io.flowguard.bronze.jdbc.DuckDbDataSource;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** The demo's warehouse: a fresh DuckDB file or an embedded PostgreSQL server, with the sinks and Silver file for it. */
final class DemoWarehouse implements AutoCloseable {

    /** Which warehouse. */
    enum Kind {
        DUCKDB,
        POSTGRES;

        static Kind parse(String v) {
            try {
                return valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--warehouse must be duckdb or postgres, but was '" + v + "'", e);
            }
        }
    }

    private final Kind kind;
    private final DataSource dataSource;
    private final AutoCloseable resource;
    private final String description;
    private final String jdbcUrl;
    private final int postgresPort;

    private DemoWarehouse(
            Kind kind,
            DataSource dataSource,
            AutoCloseable resource,
            String description,
            String jdbcUrl,
            int postgresPort) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.resource = resource;
        this.description = description;
        this.jdbcUrl = jdbcUrl;
        this.postgresPort = postgresPort;
    }

    /** Opens the warehouse, empty: the DuckDB file is deleted first; PostgreSQL starts in a temporary directory. */
    static DemoWarehouse open(Kind kind, Path duckdbFile) throws IOException {
        if (kind == Kind.POSTGRES) {
            EmbeddedPostgres postgres = EmbeddedPostgres.start();
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres";
            return new DemoWarehouse(
                    kind,
                    postgres.getPostgresDatabase(),
                    postgres,
                    "embedded PostgreSQL at " + url,
                    url,
                    postgres.getPort());
        }
        Path file = duckdbFile.toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".wal"));
        DuckDbDataSource ds = DuckDbDataSource.file(file);
        return new DemoWarehouse(kind, ds, ds, "DuckDB file " + file, "jdbc:duckdb:" + file, -1);
    }

    /** The JDBC URL for the {@code bronze} CLI. */
    String jdbcUrl() {
        return jdbcUrl;
    }

    /** A {@code postgresql://} URL for psql, for PostgreSQL. */
    java.util.Optional<String> psqlUrl() {
        return postgresPort < 0
                ? java.util.Optional.empty()
                : java.util.Optional.of("postgresql://postgres@localhost:" + postgresPort + "/postgres");
    }

    DataSource dataSource() {
        return dataSource;
    }

    SqlDialect dialect() {
        return kind == Kind.POSTGRES ? SqlDialect.postgres() : SqlDialect.duckdb();
    }

    /** A new Bronze sink (one per engine, as each engine process would have its own). */
    JdbcBronzeSink sink() {
        return kind == Kind.POSTGRES ? JdbcBronzeSink.postgres(dataSource) : JdbcBronzeSink.duckdb(dataSource);
    }

    JdbcDeadLetterSink deadLetterSink() {
        return kind == Kind.POSTGRES ? JdbcDeadLetterSink.postgres(dataSource) : JdbcDeadLetterSink.duckdb(dataSource);
    }

    SilverViews.Warehouse silver() {
        return kind == Kind.POSTGRES ? SilverViews.Warehouse.POSTGRES : SilverViews.Warehouse.DUCKDB;
    }

    @Override
    public void close() throws Exception {
        try {
            resource.close();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not close " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
