package io.flowguard.bronze.cli;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.jdbc.AbstractDataSource;
import io.flowguard.bronze.jdbc.DuckDbDataSource;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.SqlType;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The warehouse the CLI reads (and replays write to), chosen by the JDBC URL: PostgreSQL or DuckDB. Owns the connections
 * it opens; {@link #close()} closes them.
 */
final class Warehouse implements AutoCloseable {
    private final String url;
    private final String displayUrl;
    private final SqlDialect dialect;
    private final DataSource dataSource;
    private final AutoCloseable owned;
    private final Settings settings;

    private Warehouse(Settings settings, SqlDialect dialect, DataSource dataSource, AutoCloseable owned) {
        this.settings = settings;
        this.url = settings.jdbcUrl();
        this.displayUrl = Secrets.maskUrl(url);
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.owned = owned;
    }

    /** Opens the warehouse {@code settings} name; fails with a message saying what to fix. */
    static Warehouse open(Settings settings, DataSourceFactory override) {
        String url = settings.requireJdbcUrl();
        String lower = url.toLowerCase(Locale.ROOT);
        SqlDialect dialect;
        if (lower.startsWith("jdbc:postgresql:")) {
            dialect = SqlDialect.postgres();
        } else if (lower.startsWith("jdbc:duckdb:")) {
            dialect = SqlDialect.duckdb();
        } else if (lower.startsWith("jdbc:snowflake:")) {
            throw new CliException("Snowflake is not supported by the CLI yet (it needs bronze-snowflake's ingestion ledger "
                    + "and dialect); for now point --jdbc-url at a PostgreSQL or DuckDB Bronze warehouse", CliException.USAGE);
        } else {
            throw CliException.usage("unsupported JDBC URL '" + Secrets.maskUrl(url) + "': use jdbc:postgresql://host:5432/db "
                    + "or jdbc:duckdb:/path/bronze.db");
        }
        if (override != null) {
            return new Warehouse(settings, dialect, override.create(settings), null);
        }
        if (dialect == SqlDialect.duckdb()) {
            try {
                DuckDbDataSource duckDb = DuckDbDataSource.open(url);
                return new Warehouse(settings, dialect, duckDb, duckDb);
            } catch (IllegalStateException e) {
                throw new CliException(firstLine(e.getMessage()), CliException.UNREACHABLE, e);
            }
        }
        Properties props = new Properties();
        if (settings.jdbcUser() != null) {
            props.setProperty("user", settings.jdbcUser());
        }
        if (settings.jdbcPassword() != null) {
            props.setProperty("password", settings.jdbcPassword());
        }
        if (!lower.contains("connecttimeout=")) {
            props.setProperty("connectTimeout", Long.toString(Math.max(1, settings.timeout().toSeconds())));
        }
        return new Warehouse(settings, dialect, new DriverDataSource(url, props), null);
    }

    /** Makes the DataSource for a URL instead of the CLI (tests share one in-memory database with an engine). */
    @FunctionalInterface
    interface DataSourceFactory {
        DataSource create(Settings settings);
    }

    String displayUrl() {
        return displayUrl;
    }

    SqlDialect dialect() {
        return dialect;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** A connection, or a {@link CliException} saying the warehouse is unreachable (password scrubbed). */
    Connection connect() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    CliException unreachable(SQLException e) {
        return new CliException("cannot reach the warehouse at " + displayUrl + ": "
                + Secrets.scrub(firstLine(e.getMessage()), settings.jdbcPassword())
                + " (check --jdbc-url, --jdbc-user and the password in BRONZE_JDBC_PASSWORD)", CliException.UNREACHABLE, e);
    }

    CliException readFailure(String what, Exception e) {
        String msg = e instanceof SinkWriteException && e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        return new CliException("cannot read " + what + " in " + displayUrl + ": "
                + Secrets.scrub(firstLine(msg), settings.jdbcPassword()), CliException.UNREACHABLE, e);
    }

    /** The product name and version, e.g. {@code PostgreSQL 16.2}. */
    String describe() {
        try (Connection c = connect()) {
            DatabaseMetaData md = c.getMetaData();
            if (!c.isValid((int) Math.max(1, settings.timeout().toSeconds()))) {
                throw new CliException("the warehouse at " + displayUrl + " did not answer", CliException.UNREACHABLE);
            }
            return md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    IngestionLedger ledger() {
        return IngestionLedger.builder(dataSource, dialect).schema(settings.schema()).table(settings.ledgerTable())
                .deadLetterTable(settings.deadLetterTable()).build();
    }

    JdbcBronzeSink sink() {
        return JdbcBronzeSink.builder(dataSource, dialect).schema(settings.schema()).ingestionLedgerTable(settings.ledgerTable())
                .name("bronze-cli").build();
    }

    JdbcDeadLetterSink deadLetterSink() {
        return JdbcDeadLetterSink.builder(dataSource, dialect).schema(settings.schema()).table(settings.deadLetterTable()).build();
    }

    /** The quoted, schema-qualified name of a table; {@code SCHEMA.TABLE} names keep their own schema. */
    String qualified(String table) {
        int dot = table.indexOf('.');
        String schema = dot < 0 ? settings.schema() : table.substring(0, dot);
        String name = dot < 0 ? table : table.substring(dot + 1);
        return schema == null ? dialect.quoteIdentifier(name) : dialect.quoteIdentifier(schema) + '.' + dialect.quoteIdentifier(name);
    }

    /** The display name {@code SCHEMA.TABLE} or {@code TABLE}. */
    String display(String table) {
        return table.indexOf('.') >= 0 || settings.schema() == null ? table : settings.schema() + '.' + table;
    }

    /** {@code CAST(? AS TIMESTAMPTZ)} in this dialect, for binding an instant as ISO text. */
    String timestampParameter() {
        return "CAST(? AS " + dialect.typeName(SqlType.TIMESTAMP) + ")";
    }

    /** Whether a table exists (exact name, else ignoring case). */
    boolean tableExists(String table) {
        int dot = table.indexOf('.');
        String schema = dot < 0 ? settings.schema() : table.substring(0, dot);
        String name = dot < 0 ? table : table.substring(dot + 1);
        try (Connection c = connect()) {
            String s = schema != null ? schema : c.getSchema();
            DatabaseMetaData md = c.getMetaData();
            for (String[] candidate : new String[][] {{s, name}, {s == null ? null : s.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)}}) {
                try (ResultSet rs = md.getTables(null, candidate[0], candidate[1], null)) {
                    if (rs.next()) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    /** Bronze tables in the schema: names ending in {@code _RAW}. */
    List<String> bronzeTables() {
        List<String> tables = new ArrayList<>();
        try (Connection c = connect()) {
            String s = settings.schema() != null ? settings.schema() : c.getSchema();
            try (ResultSet rs = c.getMetaData().getTables(null, s, "%", new String[] {"TABLE", "BASE TABLE"})) {
                while (rs.next()) {
                    String t = rs.getString("TABLE_NAME");
                    if (t.toUpperCase(Locale.ROOT).endsWith("_RAW")) {
                        tables.add(t);
                    }
                }
            }
        } catch (SQLException e) {
            throw unreachable(e);
        }
        return tables;
    }

    /** Runs a query binding {@code params} (Instants as ISO text), mapping each row. */
    <T> List<T> query(String what, String sql, RowMapper<T> mapper, Object... params) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p instanceof Instant instant) {
                    ps.setString(i + 1, instant.toString());
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw readFailure(what, e);
        }
    }

    /** Runs an update, returning the update count. */
    int update(String what, String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw readFailure(what, e);
        }
    }

    /** Maps one result row. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception ignored) {
                // closing a read connection: nothing to do about a failure
            }
        }
    }

    /** A DataSource over {@link DriverManager}: a new connection per call. */
    private static final class DriverDataSource extends AbstractDataSource {
        private final String url;
        private final Properties props;

        DriverDataSource(String url, Properties props) {
            this.url = url;
            this.props = props;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url, props);
        }
    }
}
