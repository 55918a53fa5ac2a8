package io.flowguard.bronze.snowflake.internal;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.SqlErrors;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.snowflake.SnowflakeErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Makes a table match its definition once per sink: {@code DESCRIBE TABLE} first; only when the table is missing
 * {@code CREATE TABLE IF NOT EXISTS ... CLUSTER BY} (and {@code CREATE SCHEMA IF NOT EXISTS} only when that fails); then
 * {@code ALTER TABLE ... ADD COLUMN IF NOT EXISTS} for each missing column (existing rows are kept; added columns are
 * nullable). A role that only reads and inserts into an existing, complete table needs no {@code CREATE} privilege.
 * Columns are matched ignoring case. Every failure is {@link ErrorKind#TRANSIENT TRANSIENT}: no row causes it.
 * Thread-safe; ensuring is serialized per instance.
 */
public final class TableManager {
    private static final Logger LOG = LoggerFactory.getLogger(TableManager.class);

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
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                Set<String> existing = describe(statement, table);
                if (existing == null) {
                    if (!manageSchema) {
                        throw new SinkWriteException("table " + table.displayName() + " does not exist and createTables is "
                                + "false: create it or enable createTables", null, ErrorKind.TRANSIENT, table.displayName(),
                                null, 0);
                    }
                    create(statement, table, clusterBy);
                    existing = describe(statement, table);
                    if (existing == null) {
                        throw new SinkWriteException("table " + table.displayName() + " was created but DESCRIBE TABLE "
                                + "does not find it", null, ErrorKind.TRANSIENT, table.displayName(), null, 0);
                    }
                }
                List<ColumnDefinition> missing = new ArrayList<>();
                for (ColumnDefinition c : table.columns()) {
                    if (!existing.contains(c.name().toUpperCase(Locale.ROOT))) {
                        missing.add(c.asNullable());
                    }
                }
                if (!missing.isEmpty()) {
                    if (!manageSchema) {
                        throw new SinkWriteException("table " + table.displayName() + " lacks columns " + missing
                                + " and createTables is false: add them or enable createTables", null, ErrorKind.TRANSIENT,
                                table.displayName(), null, 0);
                    }
                    for (ColumnDefinition c : missing) {
                        execute(statement, SnowflakeSql.addColumn(table, c));
                    }
                    LOG.info("[{}] migrated existing table {}: added columns {}", sinkName, table.displayName(), missing);
                }
            } catch (SQLException e) {
                // No row causes a failure to create or migrate a table: retry the batch, never dead-letter it.
                String state = SqlErrors.sqlState(e);
                int code = SnowflakeErrors.vendorCode(e);
                throw new SinkWriteException("creating or migrating the table failed for table " + table.displayName()
                        + " (" + ErrorKind.TRANSIENT + ", SQLState " + state + ", vendor code " + code + "): "
                        + e.getMessage(), e, ErrorKind.TRANSIENT, table.displayName(), state, code);
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

    /** The upper-cased column names of {@code table}, or {@code null} when it does not exist (or is not visible). */
    private Set<String> describe(Statement statement, TableDefinition table) throws SQLException {
        String sql = SnowflakeSql.describeTable(table);
        LOG.debug("[{}] {}", sinkName, sql);
        Set<String> columns = new HashSet<>();
        try (ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                columns.add(rs.getString(1).toUpperCase(Locale.ROOT));
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
        LOG.info("[{}] created table {} with {} columns", sinkName, table.displayName(), table.columns().size());
    }

    private void execute(Statement statement, String sql) throws SQLException {
        LOG.debug("[{}] {}", sinkName, sql);
        statement.execute(sql);
    }
}
