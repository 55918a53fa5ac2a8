package io.flowguard.bronze.snowflake.internal;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.SqlErrors;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.snowflake.SnowflakeErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a table match its definition once per sink: {@code DESCRIBE TABLE} first; only when the table is missing
 * {@code CREATE TABLE IF NOT EXISTS ... CLUSTER BY} (and {@code CREATE SCHEMA IF NOT EXISTS} only when that fails); then
 * {@code ALTER TABLE ... ADD COLUMN IF NOT EXISTS} for each missing column (existing rows are kept; added columns are
 * nullable). A role that only reads and inserts into an existing, complete table needs no {@code CREATE} privilege.
 * Columns are matched by the exact (upper-case) spelling the sink uses; see {@link #check} for what an existing table
 * must look like. Every failure is {@link ErrorKind#TRANSIENT TRANSIENT}: no row causes it.
 * Thread-safe; ensuring is serialized per instance.
 */
public final class TableManager {
    private static final Logger LOG = LoggerFactory.getLogger(TableManager.class);

    /** Length of a {@code VARCHAR} declared without one: {@value} characters. */
    static final long DEFAULT_VARCHAR_LENGTH = 16_777_216L;

    private final String sinkName;
    private final boolean manageSchema;
    private final Map<TableDefinition, Boolean> ensured = new ConcurrentHashMap<>();

    public TableManager(String sinkName, boolean manageSchema) {
        this.sinkName = sinkName;
        this.manageSchema = manageSchema;
    }

    /**
     * Creates or migrates {@code table} unless done already by this instance.
     *
     * @param clusterBy clustering expressions for a new table, may be empty
     * @throws SinkWriteException ({@link ErrorKind#TRANSIENT TRANSIENT}) when it cannot be created, migrated or found
     */
    public void ensure(DataSource dataSource, TableDefinition table, List<String> clusterBy) {
        if (ensured.containsKey(table)) {
            return;
        }
        synchronized (this) {
            if (ensured.containsKey(table)) {
                return;
            }
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                Map<String, Described> existing = describe(statement, table);
                if (existing == null) {
                    if (!manageSchema) {
                        throw new SinkWriteException(
                                "table " + table.displayName() + " does not exist and createTables is "
                                        + "false: create it or enable createTables",
                                null,
                                ErrorKind.TRANSIENT,
                                table.displayName(),
                                null,
                                0);
                    }
                    create(statement, table, clusterBy);
                    existing = describe(statement, table);
                    if (existing == null) {
                        throw new SinkWriteException(
                                "table " + table.displayName() + " was created but DESCRIBE TABLE "
                                        + "does not find it",
                                null,
                                ErrorKind.TRANSIENT,
                                table.displayName(),
                                null,
                                0);
                    }
                }
                List<ColumnDefinition> missing = check(table, existing);
                if (!missing.isEmpty()) {
                    if (!manageSchema) {
                        throw new SinkWriteException(
                                "table " + table.displayName() + " lacks columns " + missing
                                        + " and createTables is false: add them or enable createTables",
                                null,
                                ErrorKind.TRANSIENT,
                                table.displayName(),
                                null,
                                0);
                    }
                    for (ColumnDefinition c : missing) {
                        execute(statement, SnowflakeSql.addColumn(table, c));
                    }
                    LOG.info(
                            "[{}] migrated existing table {}: added columns {}",
                            sinkName,
                            table.displayName(),
                            missing);
                }
            } catch (SQLException e) {
                // No row causes a failure to create or migrate a table: retry the batch, never dead-letter it.
                String state = SqlErrors.sqlState(e);
                int code = SnowflakeErrors.vendorCode(e);
                throw new SinkWriteException(
                        "creating or migrating the table failed for table " + table.displayName()
                                + " (" + ErrorKind.TRANSIENT + ", SQLState " + state + ", vendor code " + code + "): "
                                + e.getMessage(),
                        e,
                        ErrorKind.TRANSIENT,
                        table.displayName(),
                        state,
                        code);
            }
            ensured.put(table, Boolean.TRUE);
        }
    }

    /** Forgets that {@code table} was ensured, e.g. after Snowflake said it does not exist. */
    public void forget(TableDefinition table) {
        if (ensured.remove(table) != null) {
            LOG.info("[{}] table {} will be checked again before the next write", sinkName, table.displayName());
        }
    }

    /**
     * The schema check before writing (S3, S7): the columns the sink lacks (to add), after making sure that what exists
     * can be written. Problems that would fail every row — a column spelled in another case (a quoted lower-case legacy
     * column: the sink's upper-case name does not resolve to it), a column of another type, a {@code VARCHAR(n)} narrower
     * than Snowflake's default, a {@code NOT NULL} column without default that the sink does not fill — are reported
     * together, once, as a configuration error that says what to change: never discovered row by row and dead-lettered,
     * never an endless forget-and-retry loop.
     */
    static List<ColumnDefinition> check(TableDefinition table, Map<String, Described> existing) {
        List<String> problems = new ArrayList<>();
        List<ColumnDefinition> missing = new ArrayList<>();
        Set<String> sinkColumns = new HashSet<>();
        String qualified = SnowflakeSql.qualified(table);
        for (ColumnDefinition c : table.columns()) {
            String name = SnowflakeSql.canonical(c.name());
            sinkColumns.add(name);
            Described d = existing.get(name);
            if (d == null) {
                String otherCase = existing.keySet().stream()
                        .filter(n -> n.equalsIgnoreCase(name))
                        .findFirst()
                        .orElse(null);
                if (otherCase != null) {
                    problems.add("column \"" + otherCase + "\" is spelled in another case than " + name
                            + " (created quoted, "
                            + "so " + name + " does not resolve to it): rename it with ALTER TABLE " + qualified
                            + " RENAME COLUMN \"" + otherCase + "\" TO " + name);
                } else {
                    missing.add(c.asNullable());
                }
                continue;
            }
            String problem = typeProblem(c.type(), d.type());
            if (problem != null) {
                problems.add("column " + name + " is " + d.type() + " but the sink writes "
                        + SnowflakeSql.typeName(c.type()) + " (" + problem + ")");
            }
        }
        for (Map.Entry<String, Described> e : existing.entrySet()) {
            Described d = e.getValue();
            if (!sinkColumns.contains(e.getKey())
                    && !d.nullable()
                    && d.defaultValue() == null
                    && sinkColumns.stream().noneMatch(n -> n.equalsIgnoreCase(e.getKey()))) {
                problems.add(
                        "column \"" + e.getKey() + "\" is NOT NULL without a default and the sink does not fill it: "
                                + "ALTER TABLE " + qualified + " ALTER COLUMN \"" + e.getKey()
                                + "\" DROP NOT NULL, or give it a "
                                + "default");
            }
        }
        if (!problems.isEmpty()) {
            throw new SinkWriteException(
                    "table " + table.displayName() + " cannot be written as it is (a configuration "
                            + "problem, not bad data; nothing was written or dead-lettered): "
                            + String.join("; ", problems),
                    null,
                    ErrorKind.TRANSIENT,
                    table.displayName(),
                    null,
                    0);
        }
        return missing;
    }

    /** Why a column of Snowflake type {@code described} cannot hold what the sink writes as {@code type}; null if it can. */
    static String typeProblem(SqlType type, String described) {
        String t = described.toUpperCase(Locale.ROOT);
        switch (type) {
            case VARCHAR -> {
                if (!(t.startsWith("VARCHAR") || t.startsWith("TEXT") || t.startsWith("STRING"))) {
                    return "change it to VARCHAR";
                }
                int open = t.indexOf('(');
                if (open > 0) {
                    long length =
                            Long.parseLong(t.substring(open + 1, t.indexOf(')')).trim());
                    if (length < DEFAULT_VARCHAR_LENGTH) {
                        return "too narrow: values longer than " + length + " characters would fail; widen it with "
                                + "ALTER COLUMN ... SET DATA TYPE VARCHAR";
                    }
                }
                return null;
            }
            case INTEGER, BIGINT -> {
                if (!t.startsWith("NUMBER")
                        && !t.startsWith("INT")
                        && !t.startsWith("BIGINT")
                        && !t.startsWith("DECIMAL")) {
                    return "change it to NUMBER(38,0)";
                }
                int open = t.indexOf('(');
                if (open > 0) {
                    String[] ps = t.substring(open + 1, t.indexOf(')')).split(",");
                    int precision = Integer.parseInt(ps[0].trim());
                    int scale = ps.length > 1 ? Integer.parseInt(ps[1].trim()) : 0;
                    int needed = type == SqlType.BIGINT ? 19 : 10;
                    if (scale != 0 || precision < needed) {
                        return "needs NUMBER(" + needed + ",0) or wider: change it to NUMBER(38,0)";
                    }
                }
                return null;
            }
            case DOUBLE -> {
                return t.startsWith("FLOAT") || t.startsWith("DOUBLE") || t.startsWith("REAL")
                        ? null
                        : "change it to FLOAT";
            }
            case BOOLEAN -> {
                return t.startsWith("BOOLEAN") ? null : "change it to BOOLEAN";
            }
            case TIMESTAMP -> {
                return t.startsWith("TIMESTAMP") ? null : "change it to TIMESTAMP_TZ";
            }
            case JSON -> {
                return t.startsWith("VARIANT") || t.startsWith("OBJECT") || t.startsWith("ARRAY")
                        ? null
                        : "change it to VARIANT";
            }
            default -> {
                return null;
            }
        }
    }

    /** What {@code DESCRIBE TABLE} says of one column. */
    record Described(String type, boolean nullable, String defaultValue) {}

    /**
     * The columns of {@code table} by their exact names as {@code DESCRIBE TABLE} returns them (case kept), or
     * {@code null} when it does not exist (or is not visible).
     */
    private Map<String, Described> describe(Statement statement, TableDefinition table) throws SQLException {
        String sql = SnowflakeSql.describeTable(table);
        LOG.debug("[{}] {}", sinkName, sql);
        Map<String, Described> columns = new LinkedHashMap<>();
        try (ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                columns.put(
                        rs.getString(1),
                        new Described(rs.getString(2), !"N".equalsIgnoreCase(rs.getString(4)), rs.getString(5)));
            }
        } catch (SQLException e) {
            if (SnowflakeErrors.isMissingObject(e)) {
                return null;
            }
            throw e;
        }
        return columns;
    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS}; only when that fails and the table has a schema, {@code CREATE SCHEMA IF NOT
     * EXISTS} and the table again. Creating the schema only when needed spares a role that may create tables in an
     * existing schema the privilege to create schemas.
     */
    private void create(Statement statement, TableDefinition table, List<String> clusterBy) throws SQLException {
        String createTable = SnowflakeSql.createTable(table, clusterBy);
        try {
            execute(statement, createTable);
        } catch (SQLException e) {
            if (table.schema() == null) {
                throw e;
            }
            try {
                execute(statement, SnowflakeSql.createSchema(table.schema()));
                execute(statement, createTable);
            } catch (SQLException again) {
                if (again != e) {
                    again.addSuppressed(e);
                }
                throw again;
            }
        }
        LOG.info(
                "[{}] created table {} with {} columns",
                sinkName,
                table.displayName(),
                table.columns().size());
    }

    private void execute(Statement statement, String sql) throws SQLException {
        LOG.debug("[{}] {}", sinkName, sql);
        statement.execute(sql);
    }
}
