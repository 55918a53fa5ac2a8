package io.flowguard.bronze.jdbc.internal;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.SqlErrors;
import io.flowguard.bronze.jdbc.TableDefinition;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery both JDBC sinks share: ensuring a table exists in the shape of its {@link TableDefinition} (create, or
 * migrate an existing one by adding missing columns and the unique index; only what is missing), remembering what was
 * ensured, and inserting rows in chunks on a caller's connection.
 *
 * <p>Thread-safe: ensuring is serialized per instance; the cache is concurrent.
 */
public final class TableWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TableWriter.class);

    private static final Set<String> CONCURRENT_CREATION_STATES = Set.of("23505", "42P07", "42701", "42P06", "42710");
    private static final Set<String> STALE_TABLE_STATES = Set.of("42P01", "42703", "42P10", "42501");

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
     * <p>What exists is read first (table, columns, schema, indexes) and only what is missing is created, so a role with
     * just {@code SELECT} and {@code INSERT} on an existing, complete table needs no {@code CREATE} privilege. An
     * existing unique index on the unique key counts whatever its name. When another writer created the same object
     * at the same moment (SQLState 23505, 42P07, 42701, 42P06, 42710), the check runs once more.
     *
     * @throws SinkWriteException ({@link SinkWriteException.ErrorKind#TRANSIENT TRANSIENT}) when the table cannot be
     *     created, migrated or found: no row causes that, so the engine retries the batch instead of dead-lettering it
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
            physical = ensureRetryingOnce(dataSource, logical);
            ensured.put(logical, physical);
            return physical;
        }
    }

    private TableDefinition ensureRetryingOnce(DataSource dataSource, TableDefinition logical) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                return ensure(connection, logical);
            } catch (SQLException e) {
                if (attempt == 1 && createdConcurrently(e)) {
                    LOG.info(
                            "[{}] table {} or its index was created by another writer at the same time (SQLState {}): "
                                    + "checking again",
                            sinkName,
                            logical.displayName(),
                            SqlErrors.sqlState(e));
                    continue;
                }
                String state = SqlErrors.sqlState(e);
                throw new SinkWriteException(
                        "creating or migrating the table failed for table " + logical.displayName()
                                + " (" + SinkWriteException.ErrorKind.TRANSIENT + ", SQLState " + state
                                + ", vendor code "
                                + e.getErrorCode() + "): " + e.getMessage(),
                        e,
                        SinkWriteException.ErrorKind.TRANSIENT,
                        logical.displayName(),
                        state,
                        e.getErrorCode());
            }
        }
    }

    /** Unique violation in the catalog, duplicate table/index, column, schema or type: a concurrent creator won the race. */
    static boolean createdConcurrently(SQLException e) {
        String state = SqlErrors.sqlState(e);
        if (state != null) {
            return CONCURRENT_CREATION_STATES.contains(state);
        }
        // DuckDB reports no SQLState; concurrent DDL fails its commit with a write-write conflict.
        return e.getMessage() != null && e.getMessage().startsWith("TransactionContext Error");
    }

    /**
     * Whether after {@code e} the table must be checked again before the next write: the table, a column or the unique
     * index is missing (42P01, 42703, 42P10; DuckDB catalog and binder errors), or a privilege is (42501), which the
     * next check may find fixed or may need to create.
     */
    public static boolean invalidatesEnsuredTable(SQLException e) {
        String state = SqlErrors.sqlState(e);
        if (state != null) {
            return STALE_TABLE_STATES.contains(state);
        }
        String message = e.getMessage();
        return message != null && (message.startsWith("Catalog Error") || message.startsWith("Binder Error"));
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
        Throwable failure = null;
        try {
            TableDefinition physical = ensureInTransaction(connection, logical);
            connection.commit();
            return physical;
        } catch (Throwable e) {
            failure = e;
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            restoreAutoCommit(connection, autoCommit, failure);
        }
    }

    private TableDefinition ensureInTransaction(Connection connection, TableDefinition logical) throws SQLException {
        Optional<SchemaInspector.ExistingTable> existing =
                SchemaInspector.find(connection, logical.schema(), logical.table());
        if (existing.isEmpty()) {
            if (!manageSchema) {
                throw new SinkWriteException(
                        "table " + logical.displayName() + " does not exist and createTables is false: "
                                + "create it or enable createTables",
                        null,
                        SinkWriteException.ErrorKind.TRANSIENT,
                        logical.displayName(),
                        null,
                        0);
            }
            List<String> statements = new ArrayList<>();
            if (logical.schema() != null && !SchemaInspector.schemaExists(connection, logical.schema())) {
                statements.add(dialect.createSchemaStatement(logical.schema()));
            }
            statements.addAll(dialect.createTableStatements(logical));
            execute(connection, statements);
            LOG.info(
                    "[{}] created table {} with {} columns",
                    sinkName,
                    logical.displayName(),
                    logical.columns().size());
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
        TableDefinition physical =
                logical.renamed(logical.schema() == null ? null : table.schema(), table.table(), renames);
        if (!manageSchema) {
            if (!missing.isEmpty()) {
                throw new SinkWriteException(
                        "table " + physical.displayName() + " lacks columns " + missing
                                + " and createTables is false: add them or enable createTables",
                        null,
                        SinkWriteException.ErrorKind.TRANSIENT,
                        physical.displayName(),
                        null,
                        0);
            }
            return physical;
        }
        List<String> statements = new ArrayList<>();
        for (ColumnDefinition column : missing) {
            statements.add(dialect.addColumnStatement(physical, column));
        }
        statements.addAll(missingIndexStatements(connection, table, physical));
        execute(connection, statements);
        if (!missing.isEmpty()) {
            LOG.info("[{}] migrated existing table {}: added columns {}", sinkName, physical.displayName(), missing);
        }
        return physical;
    }

    /**
     * The dialect's index statements for {@code physical} minus those whose index exists: the unique one when any
     * unique, non-partial index is over exactly the unique key (whatever its name: an operator may have built it, or a
     * legacy table spells it in lower case); a secondary one when an index of its name or over its columns exists.
     * Statements that name no index this class knows are kept. When the driver cannot list indexes, all are kept (they
     * are {@code IF NOT EXISTS}).
     */
    private List<String> missingIndexStatements(
            Connection connection, SchemaInspector.ExistingTable table, TableDefinition physical) throws SQLException {
        List<String> statements = dialect.indexStatements(physical);
        if (statements.isEmpty()) {
            return statements;
        }
        Optional<List<SchemaInspector.ExistingIndex>> found = SchemaInspector.indexes(connection, table);
        if (found.isEmpty()) {
            return statements;
        }
        List<SchemaInspector.ExistingIndex> indexes = found.get();
        String uniqueName = dialect.quoteIdentifier(dialect.indexName(physical, physical.uniqueKey(), true));
        boolean hasUnique =
                indexes.stream().anyMatch(i -> i.unique() && !i.partial() && i.covers(physical.uniqueKey()));
        List<String> out = new ArrayList<>();
        for (String sql : statements) {
            boolean exists;
            if (sql.contains(uniqueName)) {
                exists = hasUnique;
            } else {
                exists = false;
                for (List<String> columns : physical.indexes()) {
                    String name = dialect.indexName(physical, columns, false);
                    if (sql.contains(dialect.quoteIdentifier(name))) {
                        exists = indexes.stream().anyMatch(i -> i.name().equals(name) || i.covers(columns));
                        break;
                    }
                }
            }
            if (!exists) {
                out.add(sql);
            }
        }
        return out;
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
        return insert(connection, physical, rows, false);
    }

    /**
     * Like {@link #insert(Connection, TableDefinition, List)}; with {@code append} a plain insert
     * ({@link SqlDialect#appendStatement}) that does not skip stored keys.
     */
    public int insert(Connection connection, TableDefinition physical, List<Object[]> rows, boolean append)
            throws SQLException {
        int chunkSize = Math.max(1, Math.min(maxRowsPerStatement, dialect.maxRowsPerStatement(physical)));
        int inserted = 0;
        String fullChunkSql = null;
        for (int from = 0; from < rows.size(); from += chunkSize) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + chunkSize));
            String sql;
            if (chunk.size() == chunkSize) {
                if (fullChunkSql == null) {
                    fullChunkSql = statement(physical, chunkSize, append);
                }
                sql = fullChunkSql;
            } else {
                sql = statement(physical, chunk.size(), append);
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

    private String statement(TableDefinition physical, int rows, boolean append) {
        return append ? dialect.appendStatement(physical, rows) : dialect.insertStatement(physical, rows);
    }

    /**
     * Sets auto-commit back to {@code autoCommit}. When the work failed ({@code failure} not null), a failure to restore
     * is added to it as suppressed instead of replacing it (a {@code finally} that throws would hide the real cause);
     * otherwise it is thrown.
     */
    public static void restoreAutoCommit(Connection connection, boolean autoCommit, Throwable failure)
            throws SQLException {
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException | RuntimeException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
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
