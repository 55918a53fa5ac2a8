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
 * <p>Needs {@code org.duckdb:duckdb_jdbc} on the class path (an optional dependency of bronze-jdbc). The URL's query
 * parameters (e.g. {@code ?motherduck_token=...}) are never shown: {@link #toString()} and error messages print the
 * URL up to {@code ?} only. Thread-safe.
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
                    ? " (DuckDB lets one process open a database file for writing: stop the process using it, or copy the file)"
                    : "";
            // The driver's message repeats the URL with its parameters: the cause is a masked copy, not the original.
            String message = maskParameters(url, e.getMessage());
            SQLException masked = new SQLException(message, e.getSQLState(), e.getErrorCode());
            masked.setStackTrace(e.getStackTrace());
            throw new IllegalStateException("cannot open DuckDB at " + redact(url) + ": " + message + hint, masked);
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
        return "DuckDbDataSource{" + redact(url) + '}';
    }

    /**
     * {@code url} without its query parameters, which may hold secrets ({@code ?motherduck_token=...}): the part before
     * {@code ?}, then {@code ?******} when there were any.
     */
    static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?******";
    }

    /** {@code text} with the value of every query parameter of {@code url} replaced by {@code ******}; null stays null. */
    static String maskParameters(String url, String text) {
        int q = url.indexOf('?');
        if (text == null || q < 0) {
            return text;
        }
        String out = text.replace(url.substring(q + 1), "******");
        for (String parameter : url.substring(q + 1).split("&")) {
            int eq = parameter.indexOf('=');
            String value = eq < 0 ? "" : parameter.substring(eq + 1);
            if (!value.isEmpty()) {
                out = out.replace(value, "******");
            }
        }
        return out;
    }
}
