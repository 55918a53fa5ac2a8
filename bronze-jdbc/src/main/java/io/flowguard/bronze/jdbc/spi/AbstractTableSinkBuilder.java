package io.flowguard.bronze.jdbc.spi;

import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.Identifiers;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.jdbc.WriteMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The builder options every SQL table sink shares, written once: a sink's own builder extends it ({@code B} is that
 * builder, so chained calls keep its type) and adds what only it has. Values are checked when set; cross-field rules
 * when {@link #options()} freezes them. Not thread-safe.
 *
 * @param <B> the concrete builder
 * @since 0.2.0
 */
public abstract class AbstractTableSinkBuilder<B extends AbstractTableSinkBuilder<B>> {
    /** Default of {@link #maxRowsPerStatement(int)}: {@value} rows. */
    public static final int DEFAULT_MAX_ROWS_PER_STATEMENT = 10_000;
    /** Default of {@link #createTables(boolean)}: {@value}. */
    public static final boolean DEFAULT_CREATE_TABLES = true;
    /** Default of {@link #ingestionLedger(boolean)}: {@value}. */
    public static final boolean DEFAULT_INGESTION_LEDGER = true;
    /** Default of {@link #ingestionLedgerTable(String)}: {@value}. */
    public static final String DEFAULT_INGESTION_LEDGER_TABLE = BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE;
    /** Default of {@link #writeMode(WriteMode)}: {@link WriteMode#MERGE}. */
    public static final WriteMode DEFAULT_WRITE_MODE = WriteMode.MERGE;

    private String name;
    private TableRouter router = TableRouter.fromTopicName();
    private String schema;
    private boolean createTables = DEFAULT_CREATE_TABLES;
    private int maxRowsPerStatement = DEFAULT_MAX_ROWS_PER_STATEMENT;
    private final Map<String, List<TypedColumn>> typedColumns = new LinkedHashMap<>();
    private boolean ingestionLedger = DEFAULT_INGESTION_LEDGER;
    private String ingestionLedgerTable = DEFAULT_INGESTION_LEDGER_TABLE;
    private Clock clock = Clock.systemUTC();
    private WriteMode writeMode = DEFAULT_WRITE_MODE;

    /** @param defaultName the sink's name when {@link #name(String)} is not called */
    protected AbstractTableSinkBuilder(String defaultName) {
        this.name = Objects.requireNonNull(defaultName, "defaultName");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The name in logs and metrics; the default depends on the sink. */
    public B name(String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("name must be non-blank, but was '" + v + "'");
        }
        this.name = v;
        return self();
    }

    /** Topic → table; default {@link TableRouter#fromTopicName()} ({@code orders} → {@code ORDERS_RAW}). */
    public B tableRouter(TableRouter v) {
        this.router = Objects.requireNonNull(v, "tableRouter must not be null");
        return self();
    }

    /** The schema of tables the router names without one; default {@code null}: the connection's current schema. */
    public B schema(String v) {
        this.schema = v == null ? null : Identifiers.requireValid(v, "schema");
        return self();
    }

    /**
     * Whether the sink creates missing tables and migrates existing ones (adds missing columns and, where the database
     * has them, the unique index on {@code INGESTION_ID}); default {@value #DEFAULT_CREATE_TABLES}. When false, a missing
     * table or column fails writes with a transient {@code SinkWriteException} until someone creates it.
     */
    public B createTables(boolean v) {
        this.createTables = v;
        return self();
    }

    /** The most rows one statement carries; default {@value #DEFAULT_MAX_ROWS_PER_STATEMENT}. */
    public B maxRowsPerStatement(int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("maxRowsPerStatement must be > 0, but was " + v);
        }
        this.maxRowsPerStatement = v;
        return self();
    }

    /**
     * Typed columns of one table (as the router names it, matched ignoring case), appended after the Bronze columns in
     * the given order; each is filled from a JSON path of the payload and cast by the database. Replaces earlier columns
     * set for that table.
     *
     * @throws IllegalArgumentException when a name clashes with a Bronze column or repeats
     */
    public B typedColumns(String table, List<TypedColumn> columns) {
        TableRouter.requireValidTableName(table);
        Objects.requireNonNull(columns, "columns");
        BronzeTables.bronzeTable(null, table.substring(table.indexOf('.') + 1), columns); // validates names
        typedColumns.put(table.toUpperCase(Locale.ROOT), List.copyOf(columns));
        return self();
    }

    /** See {@link #typedColumns(String, List)}. */
    public B typedColumns(String table, TypedColumn... columns) {
        return typedColumns(table, List.of(columns));
    }

    /**
     * Whether each write also records its offset ranges in the ingestion ledger, in the same transaction as the rows;
     * default {@value #DEFAULT_INGESTION_LEDGER}. Costs one more (small) INSERT per batch. {@link WriteMode#APPEND} needs
     * it.
     */
    public B ingestionLedger(boolean v) {
        this.ingestionLedger = v;
        return self();
    }

    /**
     * The ingestion-ledger table, {@code TABLE} (in {@link #schema(String)}) or {@code SCHEMA.TABLE}; default
     * {@value #DEFAULT_INGESTION_LEDGER_TABLE}. Created (or migrated) at the first write when
     * {@link #createTables(boolean) createTables} is on.
     */
    public B ingestionLedgerTable(String v) {
        try {
            TableRouter.requireValidTableName(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "ingestionLedgerTable must match [A-Za-z_][A-Za-z0-9_$]* (optionally " + "SCHEMA.TABLE), but was '"
                            + v + "'",
                    e);
        }
        this.ingestionLedgerTable = v;
        return self();
    }

    /** The clock of the ledger's {@code COMMITTED_AT} and of ad-hoc batches' start time; default {@link Clock#systemUTC()}. */
    public B clock(Clock v) {
        this.clock = Objects.requireNonNull(v, "clock must not be null");
        return self();
    }

    /**
     * How batches are landed; default {@link WriteMode#MERGE}. {@link WriteMode#APPEND} writes plain INSERTs and relies on
     * the ingestion ledger for exactly-once (see {@code docs/append-mode.md}); it needs the ledger on and offset-derived
     * ingestion ids.
     *
     * @since 0.2.0
     */
    public B writeMode(WriteMode v) {
        this.writeMode =
                Objects.requireNonNull(v, "writeMode must not be null: use WriteMode.MERGE or WriteMode.APPEND");
        return self();
    }

    /**
     * Checks the cross-field rules and freezes the shared options.
     *
     * @throws IllegalArgumentException listing every rule broken, each with how to fix it
     */
    public TableSinkOptions options() {
        List<String> errors = new ArrayList<>();
        if (writeMode == WriteMode.APPEND && !ingestionLedger) {
            errors.add("writeMode APPEND needs the ingestion ledger, which holds the offsets already written, but "
                    + "ingestionLedger was false: call ingestionLedger(true) or use writeMode(WriteMode.MERGE)");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new TableSinkOptions(
                name,
                router,
                schema,
                createTables,
                maxRowsPerStatement,
                typedColumns,
                ingestionLedger,
                ingestionLedgerTable,
                clock,
                writeMode);
    }
}
