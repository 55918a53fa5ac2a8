package io.flowguard.bronze.jdbc.internal;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.TableDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The machinery both JDBC sinks share: ensuring a table exists in the shape of its {@link TableDefinition} (create, or
 * migrate an existing one by adding missing columns and the unique index), remembering what was ensured, and inserting
 * rows in chunks on a caller's connection.
 *
 * <p>Thread-safe: ensuring is serialized per instance; the cache is concurrent.
 */
public final class TableWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TableWriter.class);

    private final String sinkName;
    private final SqlDialect dialect;
    private final boolean manageSchema;
    private final int maxRowsPerStatement;
    private final Map<TableDefinition, TableDefinition> ensured = new ConcurrentHashMap<>();

    /**
     * @param manageSchema create missing tables, add missing columns and the unique index; when false, only map names
     * @param maxRowsPerStatement the sink's cap; the dialect's own limit also applies
     */
    public TableWriter(String sinkName, SqlDialect dialect, boolean manageSchema, int maxRowsPerStatement) {
        this.sinkName = sinkName;
        this.dialect = dialect;
        this.manageSchema = manageSchema;
        this.maxRowsPerStatement = maxRowsPerStatement;
    }

    /**
     * The physical definition of {@code logical} (names as the database spells them), creating or migrating the table
     * first if that was not done yet by this instance.
     *
     * @throws SinkWriteException when the table cannot be created, migrated or found
     */
    public TableDefinition ensure(DataSource dataSource, TableDefinition logical) {
        TableDefinition physical = ensured.get(logical);
        if (physical != null) {
            return physical;
        }
        synchronized (this) {
            physical = ensured.get(logical);
            if (physical != null) {
                return physical;
            }
            try (Connection connection = dataSource.getConnection()) {
                physical = ensure(connection, logical);
            } catch (SQLException e) {
                throw io.flowguard.bronze.jdbc.SqlErrors.toSinkWriteException("creating or migrating the table",
                        logical.displayName(), e, dialect);
            }
            ensured.put(logical, physical);
            return physical;
        }
    }

    /** Forgets that {@code logical} was ensured, e.g. after the database said the table or a column does not exist. */
    public void forget(TableDefinition logical) {
        if (ensured.remove(logical) != null) {
            LOG.info("[{}] table {} will be checked again before the next write", sinkName, logical.displayName());
        }
    }

    private TableDefinition ensure(Connection connection, TableDefinition logical) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            TableDefinition physical = ensureInTransaction(connection, logical);
            connection.commit();
            return physical;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private TableDefinition ensureInTransaction(Connection connection, TableDefinition logical) throws SQLException {
        Optional<SchemaInspector.ExistingTable> existing = SchemaInspector.find(connection, logical.schema(), logical.table());
        if (existing.isEmpty()) {
            if (!manageSchema) {
                throw new SinkWriteException("table " + logical.displayName() + " does not exist and createTables is false: "
                        + "create it or enable createTables", null, SinkWriteException.ErrorKind.TRANSIENT,
                        logical.displayName(), null, 0);
            }
            List<String> statements = new ArrayList<>();
            if (logical.schema() != null) {
                statements.add(dialect.createSchemaStatement(logical.schema()));
            }
            statements.addAll(dialect.createTableStatements(logical));
            execute(connection, statements);
            LOG.info("[{}] created table {} with {} columns", sinkName, logical.displayName(), logical.columns().size());
            return logical;
        }
        SchemaInspector.ExistingTable table = existing.get();
        // A table found in lower case (a legacy unquoted PostgreSQL table) gets its new columns in lower case too,
        // so it stays queryable without quotes.
        boolean lowerCase = table.table().equals(table.table().toLowerCase(Locale.ROOT))
                && !table.table().equals(table.table().toUpperCase(Locale.ROOT));
        Map<String, String> renames = new HashMap<>();
        List<ColumnDefinition> missing = new ArrayList<>();
        for (ColumnDefinition column : logical.columns()) {
            String found = table.columns().get(column.name().toUpperCase(Locale.ROOT));
            if (found != null) {
                renames.put(column.name(), found);
            } else {
                String name = lowerCase ? column.name().toLowerCase(Locale.ROOT) : column.name();
                renames.put(column.name(), name);
                missing.add(column.withName(name).asNullable());
            }
        }
        TableDefinition physical = logical.renamed(logical.schema() == null ? null : table.schema(), table.table(), renames);
        if (!manageSchema) {
            if (!missing.isEmpty()) {
                throw new SinkWriteException("table " + physical.displayName() + " lacks columns " + missing
                        + " and createTables is false: add them or enable createTables", null,
                        SinkWriteException.ErrorKind.TRANSIENT, physical.displayName(), null, 0);
            }
            return physical;
        }
        List<String> statements = new ArrayList<>();
        for (ColumnDefinition column : missing) {
            statements.add(dialect.addColumnStatement(physical, column));
        }
        statements.addAll(dialect.indexStatements(physical));
        execute(connection, statements);
        if (!missing.isEmpty()) {
            LOG.info("[{}] migrated existing table {}: added columns {}", sinkName, physical.displayName(), missing);
        }
        return physical;
    }

    private void execute(Connection connection, List<String> statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                LOG.debug("[{}] {}", sinkName, sql);
                statement.execute(sql);
            }
        }
    }

    /**
     * Inserts {@code rows} into {@code physical} on {@code connection} (whose transaction the caller owns), in chunks of
     * at most {@code maxRowsPerStatement} rows: one statement per chunk.
     *
     * @return how many rows were new
     */
    public int insert(Connection connection, TableDefinition physical, List<Object[]> rows) throws SQLException {
        int chunkSize = Math.max(1, Math.min(maxRowsPerStatement, dialect.maxRowsPerStatement(physical)));
        int inserted = 0;
        String fullChunkSql = null;
        for (int from = 0; from < rows.size(); from += chunkSize) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + chunkSize));
            String sql;
            if (chunk.size() == chunkSize) {
                if (fullChunkSql == null) {
                    fullChunkSql = dialect.insertStatement(physical, chunkSize);
                }
                sql = fullChunkSql;
            } else {
                sql = dialect.insertStatement(physical, chunk.size());
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                dialect.bindInsert(statement, physical, chunk);
                int count = statement.executeUpdate();
                // A driver that cannot tell (negative count) is taken to have inserted the whole chunk.
                inserted += count < 0 ? chunk.size() : Math.min(count, chunk.size());
            }
        }
        return inserted;
    }

    /** Rolls back, adding a rollback failure to {@code cause} as suppressed. */
    public static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
