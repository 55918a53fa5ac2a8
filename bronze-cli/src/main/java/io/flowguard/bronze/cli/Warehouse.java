package io.flowguard.bronze.cli;

// Size note: over 400 lines because one place that maps every CLI connection option to the three warehouses' sinks,
// ledgers and dead-letter tables.

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.config.ReusingDataSource;
import io.flowguard.bronze.config.WarehouseType;
import io.flowguard.bronze.core.Secrets;
import io.flowguard.bronze.jdbc.AbstractDataSource;
import io.flowguard.bronze.jdbc.DuckDbDataSource;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.snowflake.SnowflakeConnectionConfig;
import io.flowguard.bronze.snowflake.SnowflakeDataSource;
import io.flowguard.bronze.snowflake.SnowflakeDeadLetterSink;
import io.flowguard.bronze.snowflake.SnowflakeIngestionLedger;
import io.flowguard.bronze.snowflake.SnowflakeMergeSink;
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
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The warehouse the CLI reads (and replays write to), chosen by the JDBC URL: PostgreSQL, DuckDB or Snowflake. Owns the
 * connections it opens; {@link #close()} closes them.
 */
final class Warehouse implements AutoCloseable {
    /** What the URL names; Snowflake reads and writes through bronze-snowflake instead of a bronze-jdbc dialect. */
    enum Kind {
        POSTGRES,
        DUCKDB,
        SNOWFLAKE
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private final String url;
    private final String displayUrl;
    private final Kind kind;
    private final SqlDialect dialect;
    private final DataSource dataSource;
    private final AutoCloseable owned;
    private final Settings settings;

    private Warehouse(Settings settings, Kind kind, DataSource dataSource, AutoCloseable owned) {
        this.settings = settings;
        this.url = settings.jdbcUrl();
        this.displayUrl = Secrets.maskUrl(url);
        this.kind = kind;
        this.dialect = kind == Kind.POSTGRES ? SqlDialect.postgres() : kind == Kind.DUCKDB ? SqlDialect.duckdb() : null;
        this.dataSource = dataSource;
        this.owned = owned;
    }

    /** Opens the warehouse {@code settings} name; fails with a message saying what to fix. */
    static Warehouse open(Settings settings, DataSourceFactory override) {
        String url = settings.requireJdbcUrl();
        String lower = url.toLowerCase(Locale.ROOT);
        Kind kind;
        if (lower.startsWith("jdbc:postgresql:")) {
            kind = Kind.POSTGRES;
        } else if (lower.startsWith("jdbc:duckdb:")) {
            kind = Kind.DUCKDB;
        } else if (SnowflakeUrl.matches(url)) {
            requireDriver(WarehouseType.SNOWFLAKE);
            return openSnowflake(settings, override);
        } else {
            throw CliException.usage(
                    "unsupported JDBC URL '" + Secrets.maskUrl(url) + "': use jdbc:postgresql://host:5432/db, "
                            + "jdbc:duckdb:/path/bronze.db or jdbc:snowflake://ACCOUNT.snowflakecomputing.com/?db=DB&schema=S");
        }
        requireDriver(kind == Kind.POSTGRES ? WarehouseType.POSTGRES : WarehouseType.DUCKDB);
        if (override != null) {
            return new Warehouse(settings, kind, override.create(settings), null);
        }
        if (kind == Kind.DUCKDB) {
            try {
                DuckDbDataSource duckDb = DuckDbDataSource.open(url);
                return new Warehouse(settings, kind, duckDb, duckDb);
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
            props.setProperty(
                    "connectTimeout",
                    Long.toString(Math.max(1, settings.timeout().toSeconds())));
        }
        return new Warehouse(settings, kind, new DriverDataSource(url, props), null);
    }

    /**
     * Snowflake through bronze-snowflake's {@link SnowflakeDataSource}: the URL's host, account and parameters, the user
     * and one credential (password or private key). The schema defaults to the URL's {@code schema=}. One connection is
     * kept and reused for the command (a login per query would cost more than the query).
     */
    private static Warehouse openSnowflake(Settings settings, DataSourceFactory override) {
        SnowflakeUrl parsed = SnowflakeUrl.parse(settings.jdbcUrl());
        Settings effective =
                settings.schema() == null && parsed.schema() != null ? settings.withSchema(parsed.schema()) : settings;
        SnowflakeConnectionConfig config =
                parsed.config(settings); // settings are checked also when a test hands in a DataSource
        if (override != null) {
            return new Warehouse(effective, Kind.SNOWFLAKE, override.create(settings), null);
        }
        ReusingDataSource reusing = new ReusingDataSource(SnowflakeDataSource.of(config));
        return new Warehouse(effective, Kind.SNOWFLAKE, reusing, reusing);
    }

    /** A split install (bin/bronze with lib/<warehouse>/) may lack this warehouse's driver: say which directory. */
    private static void requireDriver(WarehouseType type) {
        if (!type.driverAvailable()) {
            throw CliException.usage(type.missingDriverMessage());
        }
    }

    /** Makes the DataSource for a URL instead of the CLI (tests share one in-memory database with an engine). */
    @FunctionalInterface
    interface DataSourceFactory {
        DataSource create(Settings settings);
    }

    String displayUrl() {
        return displayUrl;
    }

    Kind kind() {
        return kind;
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
        return new CliException(
                "cannot reach the warehouse at " + displayUrl + ": "
                        + settings.scrub(firstLine(e.getMessage()))
                        + (kind == Kind.SNOWFLAKE
                                ? " (check --jdbc-url, --jdbc-user and the password in BRONZE_JDBC_PASSWORD or the "
                                        + "private key in BRONZE_SNOWFLAKE_PRIVATE_KEY_FILE)"
                                : " (check --jdbc-url, --jdbc-user and the password in BRONZE_JDBC_PASSWORD)"),
                CliException.UNREACHABLE,
                e);
    }

    CliException readFailure(String what, Exception e) {
        String msg = e instanceof SinkWriteException && e.getCause() != null
                ? e.getCause().getMessage()
                : e.getMessage();
        return new CliException(
                "cannot read " + what + " in " + displayUrl + ": " + settings.scrub(firstLine(msg)),
                CliException.UNREACHABLE,
                e);
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
        IngestionLedger.Builder b = kind == Kind.SNOWFLAKE
                ? SnowflakeIngestionLedger.builder(dataSource)
                : IngestionLedger.builder(dataSource, dialect);
        return b.schema(settings.schema())
                .table(settings.ledgerTable())
                .deadLetterTable(settings.deadLetterTable())
                .build();
    }

    /**
     * The sink replays write with: the one the engines use for this warehouse, ingestion ledger on; with the table
     * routing and typed columns of a {@code bronze ingest} config file when one was given.
     */
    BronzeSink sink() {
        BronzeConfig ingest = settings.ingest();
        if (kind == Kind.SNOWFLAKE) {
            SnowflakeMergeSink.Builder b = SnowflakeMergeSink.builder(dataSource)
                    .schema(settings.schema())
                    .ingestionLedgerTable(settings.ledgerTable())
                    .name("bronze-cli");
            if (ingest != null) {
                b.tableRouter(ingest.tableRouter());
                ingest.typedColumns().forEach(b::typedColumns);
            }
            return b.build();
        }
        JdbcBronzeSink.Builder b = JdbcBronzeSink.builder(dataSource, dialect)
                .schema(settings.schema())
                .ingestionLedgerTable(settings.ledgerTable())
                .name("bronze-cli");
        if (ingest != null) {
            b.tableRouter(ingest.tableRouter());
            ingest.typedColumns().forEach(b::typedColumns);
        }
        return b.build();
    }

    DeadLetterSink deadLetterSink() {
        if (kind == Kind.SNOWFLAKE) {
            return SnowflakeDeadLetterSink.builder(dataSource)
                    .schema(settings.schema())
                    .table(settings.deadLetterTable())
                    .name("bronze-cli-dead-letter")
                    .build();
        }
        return JdbcDeadLetterSink.builder(dataSource, dialect)
                .schema(settings.schema())
                .table(settings.deadLetterTable())
                .build();
    }

    /** The quoted, schema-qualified name of a table; {@code SCHEMA.TABLE} names keep their own schema. */
    String qualified(String table) {
        int dot = table.indexOf('.');
        String schema = dot < 0 ? settings.schema() : table.substring(0, dot);
        String name = dot < 0 ? table : table.substring(dot + 1);
        return schema == null ? quote(name) : quote(schema) + '.' + quote(name);
    }

    /** {@code "NAME"}, case kept: the sinks create upper-case names, as Snowflake does. */
    private String quote(String identifier) {
        if (dialect != null) {
            return dialect.quoteIdentifier(identifier);
        }
        if (!IDENTIFIER.matcher(identifier).matches()) {
            throw CliException.usage("'" + identifier + "' is not a table or schema name the Bronze sinks create: use "
                    + "letters, digits, _ and $, e.g. BRONZE_DEAD_LETTER");
        }
        return '"' + identifier + '"';
    }

    /** The display name {@code SCHEMA.TABLE} or {@code TABLE}. */
    String display(String table) {
        return table.indexOf('.') >= 0 || settings.schema() == null ? table : settings.schema() + '.' + table;
    }

    /** {@code CAST(? AS TIMESTAMPTZ)} in this dialect, for binding an instant as ISO text. */
    String timestampParameter() {
        return "CAST(? AS " + (kind == Kind.SNOWFLAKE ? "TIMESTAMP_TZ" : dialect.typeName(SqlType.TIMESTAMP)) + ")";
    }

    /** {@code CAST(column AS text)} for a JSON column (Snowflake VARIANT, PostgreSQL JSONB, DuckDB JSON). */
    String jsonText(String quotedColumn) {
        return kind == Kind.SNOWFLAKE ? "TO_JSON(" + quotedColumn + ")" : "CAST(" + quotedColumn + " AS VARCHAR)";
    }

    /** Whether a table exists (exact name, else ignoring case). */
    boolean tableExists(String table) {
        int dot = table.indexOf('.');
        String schema = dot < 0 ? settings.schema() : table.substring(0, dot);
        String name = dot < 0 ? table : table.substring(dot + 1);
        try (Connection c = connect()) {
            String s = schema != null ? schema : c.getSchema();
            DatabaseMetaData md = c.getMetaData();
            String catalog = catalog(c);
            for (String[] candidate : new String[][] {
                {s, name}, {s == null ? null : s.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)}
            }) {
                try (ResultSet rs = md.getTables(catalog, pattern(md, candidate[0]), pattern(md, candidate[1]), null)) {
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
            DatabaseMetaData md = c.getMetaData();
            try (ResultSet rs = md.getTables(catalog(c), pattern(md, s), "%", new String[] {"TABLE", "BASE TABLE"})) {
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

    /**
     * The connection's database on Snowflake (without one its driver searches the whole account); null elsewhere, as
     * before.
     */
    private String catalog(Connection c) throws SQLException {
        return kind == Kind.SNOWFLAKE ? c.getCatalog() : null;
    }

    /** On Snowflake a metadata pattern with {@code _} and {@code %} escaped (they are common in table names). */
    private String pattern(DatabaseMetaData md, String name) throws SQLException {
        if (kind != Kind.SNOWFLAKE || name == null) {
            return name;
        }
        String escape = md.getSearchStringEscape();
        return escape == null || escape.isEmpty()
                ? name
                : name.replace(escape, escape + escape)
                        .replace("_", escape + "_")
                        .replace("%", escape + "%");
    }

    /** Runs a query binding {@code params} (Instants as ISO text), mapping each row. */
    <T> List<T> query(String what, String sql, RowMapper<T> mapper, Object... params) {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
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
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
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
        OffsetDateTime t;
        try {
            t = rs.getObject(column, OffsetDateTime.class);
        } catch (SQLException e) {
            // snowflake-jdbc has no java.time mapping; its Timestamp holds the same instant.
            java.sql.Timestamp ts = rs.getTimestamp(column);
            return ts == null ? null : ts.toInstant();
        }
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
