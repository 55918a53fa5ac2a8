package io.flowguard.bronze.jdbc.spi;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.SqlErrors;
import io.flowguard.bronze.jdbc.SqlNaming;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.jdbc.WriteMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The warehouse-specific part of a SQL table sink: how a table is made to exist, how rows and ledger entries are sent,
 * how a transaction is opened and closed, and which errors are which. Everything else — routing, in-batch
 * deduplication, the fixed table order, ledger entries, the append-mode fence and the transaction template — lives once
 * in {@link TableSinkCore}.
 *
 * <p>Implementations are thread-safe; a connection passed in is the caller's (the core's) and stays open.
 *
 * @since 0.2.0
 */
public interface TableSinkDialect {

    /** How this warehouse quotes identifiers, names types and classifies errors. */
    SqlNaming naming();

    /**
     * The physical definition of {@code logical} (names as the database spells them), creating or migrating the table
     * first when that was not done yet by this instance and the sink manages the schema.
     *
     * @param ledger whether {@code logical} is the ingestion ledger (never clustered, written with INSERT only)
     * @throws SinkWriteException ({@link SinkWriteException.ErrorKind#TRANSIENT TRANSIENT}) when the table cannot be
     *     created, migrated, found, or has a shape the sink cannot write (a configuration problem, not a row's fault)
     */
    TableDefinition ensure(DataSource dataSource, TableDefinition logical, boolean ledger);

    /** Forgets that {@code logical} was ensured, so the next write checks the table again. */
    void forget(TableDefinition logical);

    /** Whether after {@code e} the table must be checked again before the next write (missing table or column). */
    boolean invalidatesEnsuredTable(SQLException e);

    /**
     * Whether {@code e} says a row's unique key is already stored. In append mode that means another writer stored the
     * batch first (the ledger check of the retry will skip it), so the core treats it as TRANSIENT, never DATA.
     */
    default boolean isDuplicateKey(SQLException e) {
        return "23505".equals(SqlErrors.sqlState(e));
    }

    /**
     * Opens a transaction on {@code connection}: {@code setAutoCommit(false)} when it is in auto-commit mode.
     *
     * @return whether {@link #end} must switch auto-commit back on afterwards
     */
    default boolean begin(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        return autoCommit;
    }

    /** Commits the transaction {@link #begin} opened. */
    default void commit(Connection connection) throws SQLException {
        connection.commit();
    }

    /**
     * Rolls the transaction back after {@code cause}; when the rollback itself fails, the connection is aborted
     * ({@link Connection#abort}) so that no pool hands it out again with a transaction open, and the rollback failure is
     * added to {@code cause} as suppressed. Never switches auto-commit on over an open transaction (that commits it).
     *
     * @return true when the transaction was rolled back; false when the connection was aborted instead
     */
    default boolean rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
            return true;
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
            abort(connection, cause);
            return false;
        }
    }

    /**
     * Called after a commit or a successful rollback (never after an abort) with what {@link #begin} returned, to switch
     * auto-commit back on. When that fails, the driver's flag and the server session may disagree, so the connection is
     * aborted; after a failed batch the failure is added to {@code failure} as suppressed, after a committed one it is
     * thrown (the batch is committed; a retry of it changes nothing).
     */
    default void end(Connection connection, boolean restoreAutoCommit, Throwable failure) throws SQLException {
        if (!restoreAutoCommit) {
            return;
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            abort(connection, e);
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    /** Aborts {@code connection} on the calling thread, adding a failure to do so to {@code cause}. */
    static void abort(Connection connection, Throwable cause) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException a) {
            cause.addSuppressed(a);
        }
    }

    /**
     * Sends the rows of one table ({@code rows} already deduplicated on ingestion id, in offset order per partition):
     * idempotent on {@code INGESTION_ID} for {@link WriteMode#MERGE}, a plain insert for {@link WriteMode#APPEND}.
     *
     * @return how many rows were new (the sum of update counts)
     * @throws SinkWriteException ({@link SinkWriteException.ErrorKind#DATA DATA}) when a record cannot be encoded
     */
    int insertRows(
            Connection connection,
            TableDefinition physical,
            List<BronzeRecord> rows,
            List<TypedColumn> typed,
            WriteMode mode)
            throws SQLException;

    /**
     * After {@link #insertRows} failed with a {@link SinkWriteException.ErrorKind#DATA DATA} error and its transaction
     * was rolled back (the connection is released; this runs outside any transaction of the batch): the ingestion ids of
     * the rows among {@code rows} that cause it, found with a diagnostic query over the same values instead of
     * bisection. The core then throws {@link SinkWriteException#rejectedRows} naming them, and the engine dead-letters
     * exactly those. Empty when the dialect cannot tell (the default), when the query names nothing, or when it fails:
     * the plain DATA error then stands and the engine bisects. Must not throw.
     *
     * @param dataSource where to borrow a connection for the query
     * @param physical   the table whose row statement failed, as {@link #ensure} returned it
     * @param rows       the rows sent to that table in the failed call
     * @param typed      the typed columns of that table
     * @param failure    the DATA error of the row statement
     * @return the ingestion ids of the rejected rows, never null
     * @since 0.2.0
     */
    default List<String> rejectedRows(
            DataSource dataSource,
            TableDefinition physical,
            List<BronzeRecord> rows,
            List<TypedColumn> typed,
            SQLException failure) {
        return List.of();
    }

    /**
     * Inserts ingestion-ledger entries with an INSERT that takes no table lock (never a Snowflake MERGE): skipping keys
     * already stored where a unique index enforces it (PostgreSQL, DuckDB), a plain INSERT where nothing does (Snowflake,
     * whose readers deduplicate on the ledger's unique key).
     */
    void insertLedger(Connection connection, TableDefinition physicalLedger, List<IngestionLedger.Entry> entries)
            throws SQLException;

    /**
     * Takes a transaction-scoped lock per partition, in the given (sorted) order, so that two writers of one partition
     * (a zombie and its successor) run their append-mode ledger check one after the other. The default does nothing:
     * databases without such locks (Snowflake) or with a single writer (DuckDB).
     */
    default void lockPartitions(Connection connection, TableDefinition physicalLedger, List<LedgerKey> partitions)
            throws SQLException {}

    /** Whether {@link #lockPartitions} really fences concurrent writers; false by default. */
    default boolean fencesConcurrentWriters() {
        return false;
    }

    /** A (table as stored in {@code TABLE_NAME}, topic-partition) coordinate of the ledger; sorts by table, then partition. */
    record LedgerKey(String table, SourcePartition partition) implements Comparable<LedgerKey> {
        @Override
        public int compareTo(LedgerKey o) {
            int byTable = table.compareTo(o.table);
            return byTable != 0 ? byTable : partition.compareTo(o.partition);
        }
    }
}
