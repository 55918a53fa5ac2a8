package io.flowguard.bronze.snowflake.internal;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.jdbc.ColumnDefinition;
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
 * Makes a table match its definition once per sink: {@code CREATE TABLE IF NOT EXISTS ... CLUSTER BY}, then
 * {@code DESCRIBE TABLE} and {@code ALTER TABLE ... ADD COLUMN IF NOT EXISTS} for each missing column (existing rows are
 * kept; added columns are nullable). Columns are matched ignoring case. Thread-safe; ensuring is serialized per instance.
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
     * @throws SinkWriteException when it cannot be created, migrated or found
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
                if (manageSchema) {
                    if (table.schema() != null) {
                        execute(statement, SnowflakeSql.createSchema(table.schema()));
                    }
                    execute(statement, SnowflakeSql.createTable(table, clusterBy));
                }
                Set<String> existing = new HashSet<>();
                LOG.debug("[{}] {}", sinkName, SnowflakeSql.describeTable(table));
                try (ResultSet rs = statement.executeQuery(SnowflakeSql.describeTable(table))) {
                    while (rs.next()) {
                        existing.add(rs.getString(1).toUpperCase(Locale.ROOT));
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
                throw SnowflakeErrors.toSinkWriteException("creating or migrating the table", table.displayName(), e);
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

    private void execute(Statement statement, String sql) throws SQLException {
        LOG.debug("[{}] {}", sinkName, sql);
        statement.execute(sql);
    }
}
