package io.flowguard.bronze.jdbc.spi;

import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.jdbc.WriteMode;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options every SQL table sink shares, frozen by {@link AbstractTableSinkBuilder#options()}. Immutable.
 *
 * @param name                 the sink's name in logs and metrics
 * @param router               topic → table
 * @param schema               the schema of tables the router names without one; null for the connection's
 * @param createTables         whether missing tables are created and existing ones migrated
 * @param maxRowsPerStatement  the most rows one statement carries
 * @param typedColumns         typed columns per table, keyed by the upper-cased routed name
 * @param ingestionLedger      whether the ledger is written
 * @param ingestionLedgerTable {@code TABLE} or {@code SCHEMA.TABLE} of the ledger
 * @param clock                the clock of {@code COMMITTED_AT} and of ad-hoc batches
 * @param writeMode            {@link WriteMode#MERGE} (default) or {@link WriteMode#APPEND}
 * @since 0.2.0
 */
public record TableSinkOptions(
        String name,
        TableRouter router,
        String schema,
        boolean createTables,
        int maxRowsPerStatement,
        Map<String, List<TypedColumn>> typedColumns,
        boolean ingestionLedger,
        String ingestionLedgerTable,
        Clock clock,
        WriteMode writeMode) {

    public TableSinkOptions {
        typedColumns = Map.copyOf(typedColumns);
    }

    /** The typed columns of routed table {@code table} (matched ignoring case, with or without its schema); never null. */
    public List<TypedColumn> typedColumnsFor(String table) {
        List<TypedColumn> typed = typedColumns.get(table.toUpperCase(Locale.ROOT));
        if (typed == null) {
            int dot = table.indexOf('.');
            typed = dot < 0 ? null : typedColumns.get(table.substring(dot + 1).toUpperCase(Locale.ROOT));
        }
        return typed == null ? List.of() : typed;
    }
}
