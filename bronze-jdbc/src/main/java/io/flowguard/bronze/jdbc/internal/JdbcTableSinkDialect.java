package io.flowguard.bronze.jdbc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.jdbc.spi.TableSinkDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@link TableSinkDialect} of the array-bound JDBC sinks (PostgreSQL, DuckDB): a {@link SqlDialect} for the SQL
 * text, a {@link TableWriter} to ensure tables and insert in chunks, {@link BronzeRows} to turn records into rows.
 * Transactions are the {@link TableSinkDialect} defaults. Thread-safe.
 */
public final class JdbcTableSinkDialect implements TableSinkDialect {
    private final SqlDialect dialect;
    private final TableWriter writer;
    private final BronzeRows rows = new BronzeRows(new ObjectMapper());

    public JdbcTableSinkDialect(String sinkName, SqlDialect dialect, boolean createTables, int maxRowsPerStatement) {
        this.dialect = dialect;
        this.writer = new TableWriter(sinkName, dialect, createTables, maxRowsPerStatement);
    }

    @Override
    public SqlDialect naming() {
        return dialect;
    }

    @Override
    public TableDefinition ensure(DataSource dataSource, TableDefinition logical, boolean ledger) {
        return writer.ensure(dataSource, logical);
    }

    @Override
    public void forget(TableDefinition logical) {
        writer.forget(logical);
    }

    /** SQLState 23505, or DuckDB's (state-less) {@code Constraint Error: Duplicate key}. */
    @Override
    public boolean isDuplicateKey(SQLException e) {
        String message = e.getMessage();
        return TableSinkDialect.super.isDuplicateKey(e)
                || message != null && message.startsWith("Constraint Error: Duplicate key");
    }

    @Override
    public boolean invalidatesEnsuredTable(SQLException e) {
        return TableWriter.invalidatesEnsuredTable(e);
    }

    @Override
    public int insertRows(
            Connection connection,
            TableDefinition physical,
            List<BronzeRecord> records,
            List<TypedColumn> typed,
            WriteMode mode)
            throws SQLException {
        List<Object[]> values = new ArrayList<>(records.size());
        for (BronzeRecord r : records) {
            try {
                values.add(rows.bronzeRow(r, typed));
            } catch (BronzeRows.UnparseablePayloadException ex) {
                throw new SinkWriteException(
                        ex.getMessage(), ex, SinkWriteException.ErrorKind.DATA, physical.displayName(), null, 0);
            }
        }
        return writer.insert(connection, physical, values, mode == WriteMode.APPEND);
    }

    @Override
    public void insertLedger(Connection connection, TableDefinition physicalLedger, List<IngestionLedger.Entry> entries)
            throws SQLException {
        List<Object[]> values = new ArrayList<>(entries.size());
        for (IngestionLedger.Entry e : entries) {
            values.add(BronzeRows.ledgerRow(e));
        }
        // ON CONFLICT DO NOTHING against the ledger's unique index: a retry of the very same call adds nothing. (Unlike
        // Snowflake's MERGE, this takes no table lock.)
        writer.insert(connection, physicalLedger, values, false);
    }

    @Override
    public void lockPartitions(Connection connection, TableDefinition physicalLedger, List<LedgerKey> partitions)
            throws SQLException {
        String sql = dialect.partitionLockStatement(partitions.size());
        if (sql == null || partitions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            for (LedgerKey k : partitions) {
                ps.setString(
                        i++,
                        dialect.qualifiedName(physicalLedger)
                                + '|'
                                + k.table()
                                + '|'
                                + k.partition().topic());
                ps.setInt(i++, k.partition().partition());
            }
            ps.execute();
        }
    }

    @Override
    public boolean fencesConcurrentWriters() {
        return dialect.partitionLockStatement(1) != null;
    }

    @Override
    public String toString() {
        return dialect.name();
    }
}
