package io.flowguard.bronze.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.internal.BronzeRows;
import io.flowguard.bronze.jdbc.internal.LedgerRows;
import io.flowguard.bronze.jdbc.internal.TableWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * A {@link BronzeSink} that lands records in Bronze tables through JDBC: one transaction per batch, a constant number of
 * statements per table (one set-based insert per {@link Builder#maxRowsPerStatement(int) chunk}), idempotent on
 * {@code INGESTION_ID}.
 *
 * <pre>{@code
 * BronzeSink sink = JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
 *         .schema("BRONZE")
 *         .typedColumns("ORDERS_RAW", TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR))
 *         .build();
 * }</pre>
 *
 * <p><b>Writing.</b> Records are routed to tables by the {@link TableRouter}; records repeated inside a batch (same
 * ingestion id and table) are collapsed before sending, keeping the lowest offset; rows whose ingestion id is already
 * stored are skipped by the database, so writing a batch again changes nothing. {@link WriteResult#inserted()} is the sum
 * of the update counts. A failure rolls the whole batch back and throws {@link SinkWriteException} classified by
 * {@link SqlDialect#classify} (see {@link SqlErrors}).
 *
 * <p><b>Schema.</b> With {@link Builder#createTables(boolean) createTables} (the default), the first write to a table
 * creates it if missing, or migrates an existing one: missing columns are added (nullable, existing rows kept) and the
 * unique index on {@code INGESTION_ID} is created. Existing tables and columns are matched ignoring case; the sink
 * creates upper-case quoted names. Only what is missing is created, so a role with {@code SELECT} and {@code INSERT} on
 * a complete table needs no {@code CREATE} privilege; any unique index on {@code INGESTION_ID} counts. A failure to
 * create or migrate is {@link SinkWriteException.ErrorKind#TRANSIENT TRANSIENT}. What was ensured is remembered for the
 * life of the sink, except after the database reports an undefined table or column, a missing unique index for
 * {@code ON CONFLICT} (42P10) or a missing privilege (42501), when the next write checks again.
 *
 * <p><b>Text.</b> PostgreSQL cannot store U+0000 in {@code text} or {@code jsonb}, so the Kafka key and header names
 * and values are stored with U+0000 replaced by U+FFFD (binary keys, such as a {@code LongSerializer}'s, contain NUL
 * bytes); the exact bytes stay in Kafka. A payload whose JSON contains the escape <code>&#92;u0000</code> is rejected by
 * {@code jsonb} (SQLState 22P05), a DATA error: the engine dead-letters that record.
 *
 * <p><b>Ingestion ledger.</b> Unless {@link Builder#ingestionLedger(boolean) turned off}, every write also inserts, in the
 * same transaction as the rows, one row per (table, topic, partition) into {@value BronzeTables#DEFAULT_INGESTION_LEDGER_TABLE}
 * (see {@link BronzeTables#ingestionLedgerTable}): batch id, engine, group, table, topic, partition,
 * {@code FIRST_OFFSET..LAST_OFFSET}, how many records the batch consumed in that range ({@code RECORDS}), how many of them
 * this call wrote ({@code ROWS_LANDED}, new or already present) and how many were new ({@code ROWS_INSERTED}, null when the
 * table's update count cannot be split by partition: some but not all rows of a multi-partition table write were new),
 * how many the engine dead-lettered or skipped before the write, the flush trigger, {@code STARTED_AT} (the engine's
 * {@link BatchInfo#startedAt()}), {@code COMMITTED_AT} (the sink's clock, just before commit) and
 * {@code WRITE_LATENCY_MS} (this call until the ledger insert). Ledger rows are written for <em>every</em> range of the
 * {@link BatchInfo}, including partitions whose records were all dead-lettered or skipped ({@code ROWS_LANDED = 0}, in the
 * table the router names for the topic), so ledger plus dead-letter table account for each consumed offset; see
 * {@link IngestionLedger} to read it. A batch in which nothing landed is not written at all by the engine, so it leaves no
 * ledger row: its dead letters are in the dead-letter table, its skipped records nowhere. Parts of a bisected batch carry
 * the same batch id and only their own ranges. Ad-hoc calls ({@link #write(List)}) get one ledger row per partition
 * spanning the offsets written.
 *
 * <p>The {@link DataSource} stays the caller's: {@link #close()} does not close it, and connections are borrowed per
 * batch. Thread-safe.
 *
 * @since 0.1.0
 */
public final class JdbcBronzeSink implements BronzeSink {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcBronzeSink.class);

    /** Default cap on rows per insert statement: {@value}. Larger batches are sent in several statements. */
    public static final int DEFAULT_MAX_ROWS_PER_STATEMENT = 10_000;
    /** Default for {@link Builder#createTables(boolean)}: {@value}. */
    public static final boolean DEFAULT_CREATE_TABLES = true;
    /** Default for {@link Builder#ingestionLedger(boolean)}: {@value}. */
    public static final boolean DEFAULT_INGESTION_LEDGER = true;
    /** Default for {@link Builder#ingestionLedgerTable(String)}: {@value}. */
    public static final String DEFAULT_INGESTION_LEDGER_TABLE = BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE;

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final String name;
    private final TableRouter router;
    private final String schema;
    private final Map<String, List<TypedColumn>> typedColumns;
    private final TableWriter writer;
    private final BronzeRows rows;
    private final Map<String, TableDefinition> definitions = new ConcurrentHashMap<>();
    private final TableDefinition ledger;
    private final Clock clock;

    private JdbcBronzeSink(Builder b) {
        this.dataSource = b.dataSource;
        this.dialect = b.dialect;
        this.name = b.name != null ? b.name : "jdbc-" + dialect.name();
        this.router = b.router;
        this.schema = b.schema;
        this.typedColumns = Map.copyOf(b.typedColumns);
        this.writer = new TableWriter(name, dialect, b.createTables, b.maxRowsPerStatement);
        this.rows = new BronzeRows(new ObjectMapper());
        this.clock = b.clock;
        if (b.ingestionLedger) {
            int dot = b.ingestionLedgerTable.indexOf('.');
            this.ledger = BronzeTables.ingestionLedgerTable(dot < 0 ? schema : b.ingestionLedgerTable.substring(0, dot),
                    b.ingestionLedgerTable.substring(dot + 1));
        } else {
            this.ledger = null;
        }
    }

    /** A builder for a sink writing through {@code dataSource} (which stays the caller's) in {@code dialect}. */
    public static Builder builder(DataSource dataSource, SqlDialect dialect) {
        return new Builder(dataSource, dialect);
    }

    /** A PostgreSQL sink with all defaults. */
    public static JdbcBronzeSink postgres(DataSource dataSource) {
        return builder(dataSource, SqlDialect.postgres()).build();
    }

    /** A DuckDB sink with all defaults. */
    public static JdbcBronzeSink duckdb(DataSource dataSource) {
        return builder(dataSource, SqlDialect.duckdb()).build();
    }

    /** Writes with {@link BatchInfo#adHoc(Instant) ad-hoc} batch context: ledger rows carry engine {@code adhoc}. */
    @Override
    public WriteResult write(List<BronzeRecord> records) {
        Objects.requireNonNull(records, "records");
        return write(records, BatchInfo.adHoc(clock.instant()));
    }

    @Override
    public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(batch, "batch");
        if (records.isEmpty() && (ledger == null || batch.ranges().isEmpty())) {
            return WriteResult.empty();
        }
        // An empty batch with ranges (every record dead-lettered or skipped) still gets its ledger rows, so the gap check
        // sees those offsets as accounted for.
        long startNanos = System.nanoTime();
        Map<String, Map<String, BronzeRecord>> byTable = new LinkedHashMap<>();
        LedgerRows counts = ledger == null ? null : new LedgerRows(); // only kept when the ledger is on
        for (BronzeRecord r : records) {
            String table = TableRouter.requireValidTableName(router.tableFor(r.sourceTopic()));
            byTable.computeIfAbsent(table, t -> new LinkedHashMap<>()).merge(r.ingestionId(), r, JdbcBronzeSink::keepFirst);
            if (counts != null) {
                counts.landed(table, r.sourceTopic(), r.partition(), r.offset());
            }
        }
        List<TableDefinition> logicals = new ArrayList<>();
        List<TableDefinition> physicals = new ArrayList<>();
        List<List<Object[]>> tableRows = new ArrayList<>();
        for (Map.Entry<String, Map<String, BronzeRecord>> e : byTable.entrySet()) {
            TableDefinition logical = definition(e.getKey());
            List<TypedColumn> typed = typedColumnsFor(e.getKey());
            List<Object[]> values = new ArrayList<>(e.getValue().size());
            for (BronzeRecord r : e.getValue().values()) {
                try {
                    values.add(rows.bronzeRow(r, typed));
                } catch (BronzeRows.UnparseablePayloadException ex) {
                    throw new SinkWriteException(ex.getMessage(), ex, SinkWriteException.ErrorKind.DATA,
                            logical.displayName(), null, 0);
                }
                if (counts != null) {
                    counts.unique(e.getKey(), r.sourceTopic(), r.partition());
                }
            }
            logicals.add(logical);
            physicals.add(writer.ensure(dataSource, logical));
            tableRows.add(values);
        }
        TableDefinition ledgerPhysical = ledger == null ? null : writer.ensure(dataSource, ledger);
        int[] insertedByTable = new int[physicals.size()];
        int inserted = 0;
        int current = 0;
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            Throwable failure = null;
            try {
                for (current = 0; current < physicals.size(); current++) {
                    insertedByTable[current] = writer.insert(connection, physicals.get(current), tableRows.get(current));
                    inserted += insertedByTable[current];
                }
                if (ledgerPhysical != null) {
                    Map<String, Integer> insertedByName = new LinkedHashMap<>();
                    List<String> names = new ArrayList<>(byTable.keySet());
                    for (int t = 0; t < names.size(); t++) {
                        insertedByName.put(names.get(t), insertedByTable[t]);
                    }
                    List<Object[]> entries = counts.rows(batch, topic -> TableRouter.requireValidTableName(router.tableFor(topic)),
                            t -> definition(t).displayName(), insertedByName, clock.instant(),
                            (System.nanoTime() - startNanos) / 1_000_000);
                    writer.insert(connection, ledgerPhysical, entries);
                }
                connection.commit();
            } catch (Throwable e) {
                failure = e;
                TableWriter.rollbackQuietly(connection, e);
                throw e;
            } finally {
                TableWriter.restoreAutoCommit(connection, autoCommit, failure);
            }
        } catch (SQLException e) {
            boolean inLedger = ledger != null && current >= logicals.size();
            TableDefinition failed = inLedger ? ledger : logicals.get(Math.min(current, logicals.size() - 1));
            if (TableWriter.invalidatesEnsuredTable(e)) {
                writer.forget(failed);
            }
            throw SqlErrors.toSinkWriteException("writing " + records.size() + " records" + (inLedger ? " (ingestion ledger)" : ""),
                    failed.displayName(), e, dialect);
        }
        LOG.debug("[{}] batch {}: wrote {} records to {} tables: {} new", name, batch.batchId(), records.size(),
                physicals.size(), inserted);
        return WriteResult.of(records.size(), inserted);
    }

    private static BronzeRecord keepFirst(BronzeRecord kept, BronzeRecord candidate) {
        boolean samePartition = kept.sourceTopic().equals(candidate.sourceTopic()) && kept.partition() == candidate.partition();
        return samePartition && candidate.offset() < kept.offset() ? candidate : kept;
    }

    /**
     * Creates or migrates the table for {@code table} now instead of at its first write (a no-op when already ensured).
     *
     * @param table an unqualified or {@code SCHEMA.TABLE} name
     * @return the table as the database spells it
     * @throws SinkWriteException when it cannot be created, migrated or found
     */
    public TableDefinition ensureTable(String table) {
        return writer.ensure(dataSource, definition(TableRouter.requireValidTableName(table)));
    }

    /** The dialect this sink speaks. */
    public SqlDialect dialect() {
        return dialect;
    }

    private TableDefinition definition(String routed) {
        return definitions.computeIfAbsent(routed, t -> {
            int dot = t.indexOf('.');
            String tableSchema = dot < 0 ? schema : t.substring(0, dot);
            String tableName = dot < 0 ? t : t.substring(dot + 1);
            return BronzeTables.bronzeTable(tableSchema, tableName, typedColumnsFor(t));
        });
    }

    private List<TypedColumn> typedColumnsFor(String table) {
        List<TypedColumn> typed = typedColumns.get(table.toUpperCase(Locale.ROOT));
        if (typed == null) {
            int dot = table.indexOf('.');
            typed = dot < 0 ? null : typedColumns.get(table.substring(dot + 1).toUpperCase(Locale.ROOT));
        }
        return typed == null ? List.of() : typed;
    }

    @Override
    public String name() {
        return name;
    }

    /** Does nothing: the {@link DataSource} is the caller's to close. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        // Never the DataSource: some implementations print their password.
        return "JdbcBronzeSink{" + name + ", dialect=" + dialect.name() + ", schema=" + schema + ", typedColumns="
                + typedColumns + ", ledger=" + (ledger == null ? "off" : ledger.displayName()) + '}';
    }

    /** Builds a {@link JdbcBronzeSink}; not thread-safe. Values are checked when set and copied at {@link #build()}. */
    public static final class Builder {
        private final DataSource dataSource;
        private final SqlDialect dialect;
        private String name;
        private TableRouter router = TableRouter.fromTopicName();
        private String schema;
        private boolean createTables = DEFAULT_CREATE_TABLES;
        private int maxRowsPerStatement = DEFAULT_MAX_ROWS_PER_STATEMENT;
        private final Map<String, List<TypedColumn>> typedColumns = new LinkedHashMap<>();
        private boolean ingestionLedger = DEFAULT_INGESTION_LEDGER;
        private String ingestionLedgerTable = DEFAULT_INGESTION_LEDGER_TABLE;
        private Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource, SqlDialect dialect) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
            this.dialect = Objects.requireNonNull(dialect, "dialect must not be null: use SqlDialect.postgres() or .duckdb()");
        }

        /** The name in logs and metrics; default {@code "jdbc-<dialect>"}, e.g. {@code "jdbc-postgres"}. */
        public Builder name(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("name must be non-blank, but was '" + v + "'");
            }
            this.name = v;
            return this;
        }

        /** Topic → table; default {@link TableRouter#fromTopicName()} ({@code orders} → {@code ORDERS_RAW}). */
        public Builder tableRouter(TableRouter v) {
            this.router = Objects.requireNonNull(v, "tableRouter must not be null");
            return this;
        }

        /** The schema of tables the router names without one; default {@code null}: the connection's current schema. */
        public Builder schema(String v) {
            this.schema = v == null ? null : Identifiers.requireValid(v, "schema");
            return this;
        }

        /**
         * Whether the sink creates missing tables and migrates existing ones (adds missing columns and the unique index on
         * {@code INGESTION_ID}); default {@value #DEFAULT_CREATE_TABLES}. When false, a missing table or column fails
         * writes with a transient {@link SinkWriteException} until someone creates it.
         */
        public Builder createTables(boolean v) {
            this.createTables = v;
            return this;
        }

        /** The most rows one insert statement carries; default {@value #DEFAULT_MAX_ROWS_PER_STATEMENT}. */
        public Builder maxRowsPerStatement(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxRowsPerStatement must be > 0, but was " + v);
            }
            this.maxRowsPerStatement = v;
            return this;
        }

        /**
         * Typed columns of one table (as the router names it, matched ignoring case), appended after the Bronze columns
         * in the given order. Replaces earlier columns set for that table.
         *
         * @throws IllegalArgumentException when a name clashes with a Bronze column or repeats
         */
        public Builder typedColumns(String table, List<TypedColumn> columns) {
            TableRouter.requireValidTableName(table);
            Objects.requireNonNull(columns, "columns");
            BronzeTables.bronzeTable(null, table.substring(table.indexOf('.') + 1), columns); // validates names
            typedColumns.put(table.toUpperCase(Locale.ROOT), List.copyOf(columns));
            return this;
        }

        /** See {@link #typedColumns(String, List)}. */
        public Builder typedColumns(String table, TypedColumn... columns) {
            return typedColumns(table, List.of(columns));
        }

        /**
         * Whether each write also records its offset ranges in the ingestion ledger, in the same transaction; default
         * {@value #DEFAULT_INGESTION_LEDGER}. Costs one more (small) statement per batch.
         *
         * @since 0.1.0
         */
        public Builder ingestionLedger(boolean v) {
            this.ingestionLedger = v;
            return this;
        }

        /**
         * The ingestion-ledger table, {@code TABLE} (in {@link #schema(String)}) or {@code SCHEMA.TABLE}; default
         * {@value #DEFAULT_INGESTION_LEDGER_TABLE}. Created (or migrated) at the first write when
         * {@link #createTables(boolean) createTables} is on.
         *
         * @since 0.1.0
         */
        public Builder ingestionLedgerTable(String v) {
            try {
                TableRouter.requireValidTableName(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ingestionLedgerTable must match [A-Za-z_][A-Za-z0-9_$]* (optionally "
                        + "SCHEMA.TABLE), but was '" + v + "'", e);
            }
            this.ingestionLedgerTable = v;
            return this;
        }

        /**
         * The clock of the ledger's {@code COMMITTED_AT} and of ad-hoc batches' start time; default
         * {@link Clock#systemUTC()}.
         *
         * @since 0.1.0
         */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v, "clock must not be null");
            return this;
        }

        public JdbcBronzeSink build() {
            return new JdbcBronzeSink(this);
        }
    }
}
