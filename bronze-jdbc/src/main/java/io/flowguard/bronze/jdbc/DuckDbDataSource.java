package io.flowguard.bronze.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import org.duckdb.DuckDBConnection;

/**
 * A {@link javax.sql.DataSource} over one open DuckDB database — a file (the embedded default warehouse) or an in-memory
 * database. DuckDB lets one process own a database file, and gives every plain {@code jdbc:duckdb:} connection its own
 * in-memory database; this class opens the database once and hands out connections that share it.
 *
 * <p>Needs {@code org.duckdb:duckdb_jdbc} on the class path (an optional dependency of bronze-jdbc). Thread-safe.
 * {@link #close()} closes the database; connections handed out must be closed first.
 *
 * @since 0.1.0
 */
public final class DuckDbDataSource extends AbstractDataSource implements AutoCloseable {
    private final DuckDBConnection root;
    private final String url;

    private DuckDbDataSource(String url) {
        this.url = url;
        try {
            this.root = (DuckDBConnection) DriverManager.getConnection(url);
        } catch (SQLException e) {
            String hint = e.getMessage() != null && e.getMessage().contains("lock")
                    ? " (DuckDB lets one process open a database file for writing: stop the process using it, or copy the file)" : "";
            throw new IllegalStateException("cannot open DuckDB at " + url + ": " + e.getMessage() + hint, e);
        }
    }

    /** Opens (creating if needed) the database file. */
    public static DuckDbDataSource file(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        return new DuckDbDataSource("jdbc:duckdb:" + file.toAbsolutePath());
    }

    /** A fresh in-memory database, gone on {@link #close()}. */
    public static DuckDbDataSource inMemory() {
        return new DuckDbDataSource("jdbc:duckdb:");
    }

    /**
     * Opens a {@code jdbc:duckdb:...} URL.
     *
     * @throws IllegalArgumentException when the URL is not a DuckDB URL
     */
    public static DuckDbDataSource open(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:duckdb:")) {
            throw new IllegalArgumentException("a DuckDB JDBC URL starts with jdbc:duckdb:, but was '" + jdbcUrl + "'");
        }
        return new DuckDbDataSource(jdbcUrl);
    }

    /** A new connection to the shared database. */
    @Override
    public Connection getConnection() throws SQLException {
        return root.duplicate();
    }

    /** Closes the database. */
    @Override
    public void close() throws SQLException {
        root.close();
    }

    @Override
    public String toString() {
        return "DuckDbDataSource{" + url + '}';
    }
}
