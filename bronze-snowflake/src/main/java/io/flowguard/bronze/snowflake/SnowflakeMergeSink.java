package io.flowguard.bronze.snowflake;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.jdbc.internal.LedgerRows;
import io.flowguard.bronze.snowflake.internal.Chunks;
import io.flowguard.bronze.snowflake.internal.MergeExecutor;
import io.flowguard.bronze.snowflake.internal.MergeStatement;
import io.flowguard.bronze.snowflake.internal.Pruning;
import io.flowguard.bronze.snowflake.internal.RowJson;
import io.flowguard.bronze.snowflake.internal.SnowflakeSql;
import io.flowguard.bronze.snowflake.internal.TableManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * A {@link BronzeSink} that lands records in Snowflake Bronze tables with one set-based, idempotent {@code MERGE} per
 * table and chunk — a constant number of round trips per batch, however many rows it holds.
 *
 * <pre>{@code
 * BronzeSink sink = new SnowflakeMergeSink(dataSource);                    // all defaults
 * BronzeSink sink = SnowflakeMergeSink.builder(dataSource)
 *         .schema("BRONZE")
 *         .typedColumns("ORDERS_RAW", TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR))
 *         .build();
 * }</pre>
 *
 * <p><b>How a batch is written.</b> Records are routed to tables by the {@link TableRouter}; repeats of an ingestion id
 * are collapsed (lowest offset of a partition kept). Each table's rows are encoded as one JSON array, split into chunks
 * of at most {@link Builder#maxRowsPerStatement(int) maxRowsPerStatement} rows and
 * {@link Builder#maxBytesPerStatement(int) maxBytesPerStatement} bytes, and each chunk is bound as <em>one</em> VARCHAR
 * parameter of a {@code MERGE ... USING (... LATERAL FLATTEN(INPUT => PARSE_JSON(?)) ... QUALIFY ROW_NUMBER() ...)
 * WHEN NOT MATCHED THEN INSERT}. The {@code ON} clause matches {@code INGESTION_ID} and restricts the target to what the
 * chunk knows: the offset range of each topic-partition when every id is offset-derived
 * ({@link BronzeRecord#hasOffsetDerivedIngestionId()}), else the chunk's topics (see
 * {@link Builder#idsUniquePerTopic(boolean)}), so Snowflake prunes micro-partitions and the merge does not slow down as
 * the table grows. A batch of one statement (ledger off) runs in autocommit (a statement is atomic); several run in one
 * transaction.
 * {@link WriteResult#inserted()} is the sum of the merges' update counts.
 *
 * <p><b>Schema.</b> With {@link Builder#createTables(boolean) createTables} (the default) the first write to a table runs
 * {@code CREATE TABLE IF NOT EXISTS} with {@link #DEFAULT_CLUSTER_BY}, then adds any missing column of an existing
 * (legacy) table with {@code ALTER TABLE ... ADD COLUMN IF NOT EXISTS}, keeping its rows. Columns: {@code EVENT_ID},
 * {@code EVENT_TYPE}, {@code SCHEMA_VERSION}, {@code SOURCE_TOPIC}, {@code PRODUCER_SERVICE}, {@code INGESTION_ID},
 * {@code KAFKA_PARTITION}, {@code KAFKA_OFFSET}, {@code KAFKA_TIMESTAMP} ({@code TIMESTAMP_TZ}), {@code KAFKA_KEY},
 * {@code KAFKA_HEADERS} ({@code VARIANT}), {@code INGESTED_AT} ({@code TIMESTAMP_TZ}), {@code RAW_EVENT}
 * ({@code VARIANT}), then the typed columns.
 *
 * <p><b>Ingestion ledger.</b> Unless {@link Builder#ingestionLedger(boolean) turned off}, every write also merges one row
 * per (table, topic, partition) into {@value #DEFAULT_INGESTION_LEDGER_TABLE} (laid out by
 * {@link BronzeTables#ingestionLedgerTable}, the same ledger {@code JdbcBronzeSink} writes, with the same meaning of every
 * column), <em>in the same transaction</em> as the rows: {@code setAutoCommit(false)}, the row merges, one ledger
 * {@code MERGE} (its rows bound as one JSON array, keyed on the ledger's unique key so a retried call adds nothing),
 * {@code commit}. Every range of the {@link BatchInfo} gets a row, also when the engine passes an empty list because every
 * record of the batch was dead-lettered or skipped (then the ledger merge is the only statement and runs in autocommit).
 * Read it with {@link SnowflakeIngestionLedger}.
 *
 * <p><b>Errors</b> are {@link SinkWriteException}s classified by {@link SnowflakeErrors}; the batch is all or nothing.
 *
 * <p>The {@link DataSource} stays the caller's ({@link #close()} does not close it); a connection is borrowed per batch,
 * so use a pool in production. Thread-safe.
 *
 * @since 0.1.0
 */
public final class SnowflakeMergeSink implements BronzeSink {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeMergeSink.class);

    /** Default of {@link Builder#maxRowsPerStatement(int)}: {@value} rows. */
    public static final int DEFAULT_MAX_ROWS_PER_STATEMENT = 10_000;
    /**
     * Default of {@link Builder#maxBytesPerStatement(int)}: {@value} bytes (8 MiB) of UTF-8 JSON per statement, half of
     * Snowflake's default 16 MB VARCHAR limit for the bound array.
     */
    public static final int DEFAULT_MAX_BYTES_PER_STATEMENT = 8 * 1024 * 1024;
    /** Largest accepted {@link Builder#maxBytesPerStatement(int)}: {@value} bytes (128 MiB, Snowflake's largest VARCHAR). */
    public static final int MAX_BYTES_PER_STATEMENT_LIMIT = 128 * 1024 * 1024;
    /** Default of {@link Builder#createTables(boolean)}: {@value}. */
    public static final boolean DEFAULT_CREATE_TABLES = true;
    /** Default of {@link Builder#idsUniquePerTopic(boolean)}: {@value}. */
    public static final boolean DEFAULT_IDS_UNIQUE_PER_TOPIC = true;
    /** Default name in logs and metrics: {@value}. */
    public static final String DEFAULT_NAME = "snowflake";
    /**
     * Default of {@link Builder#ingestionLedger(boolean)}: {@value}.
     *
     * @since 0.1.0
     */
    public static final boolean DEFAULT_INGESTION_LEDGER = true;
    /**
     * Default of {@link Builder#ingestionLedgerTable(String)}: {@value}.
     *
     * @since 0.1.0
     */
    public static final String DEFAULT_INGESTION_LEDGER_TABLE = BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE;
    /**
     * Clustering of tables the sink creates: by topic, then ingestion day — what time-window and per-topic queries filter
     * on, with a low cardinality that keeps automatic reclustering cheap.
     */
    public static final List<String> DEFAULT_CLUSTER_BY = List.of("\"SOURCE_TOPIC\"", "TO_DATE(\"INGESTED_AT\")");
    /**
     * Clustering of the ingestion-ledger table the sink creates: by topic, then commit day — what
     * {@code IngestionLedger.landedBetween} filters on; rows arrive in offset order, which keeps the {@code FIRST_OFFSET}
     * ranges of micro-partitions tight for the ledger merge's pruning.
     *
     * @since 0.1.0
     */
    public static final List<String> LEDGER_CLUSTER_BY = List.of("\"SOURCE_TOPIC\"", "TO_DATE(\"COMMITTED_AT\")");

    private static final int FIXED_COLUMNS = BronzeTables.bronzeColumns().size();

    private final DataSource dataSource;
    private final String name;
    private final TableRouter router;
    private final String schema;
    private final boolean idsUniquePerTopic;
    private final int maxRowsPerStatement;
    private final int maxBytesPerStatement;
    private final Map<String, List<TypedColumn>> typedColumns;
    private final TableManager tables;
    private final RowJson json = new RowJson();
    private final Map<String, TableDefinition> definitions = new ConcurrentHashMap<>();
    private final TableDefinition ledger;
    private final Clock clock;

    /** A sink with all defaults, writing through {@code dataSource} (which stays the caller's). */
    public SnowflakeMergeSink(DataSource dataSource) {
        this(builder(dataSource));
    }

    private SnowflakeMergeSink(Builder b) {
        this.dataSource = b.dataSource;
        this.name = b.name;
        this.router = b.router;
        this.schema = b.schema;
        this.idsUniquePerTopic = b.idsUniquePerTopic;
        this.maxRowsPerStatement = b.maxRowsPerStatement;
        this.maxBytesPerStatement = b.maxBytesPerStatement;
        this.typedColumns = Map.copyOf(b.typedColumns);
        this.tables = new TableManager(name, b.createTables);
        this.clock = b.clock;
        if (b.ingestionLedger) {
            int dot = b.ingestionLedgerTable.indexOf('.');
            this.ledger = BronzeTables.ingestionLedgerTable(dot < 0 ? schema : b.ingestionLedgerTable.substring(0, dot),
                    b.ingestionLedgerTable.substring(dot + 1));
        } else {
            this.ledger = null;
        }
    }

    /** A builder for a sink writing through {@code dataSource}, which stays the caller's. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
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
        LedgerRows counts = ledger == null ? null : new LedgerRows();
        Map<TableDefinition, String> routed = new HashMap<>();
        List<MergeStatement> statements = plan(records, counts, routed);
        statements.stream().map(MergeStatement::table).distinct()
                .forEach(t -> tables.ensure(dataSource, t, DEFAULT_CLUSTER_BY));
        if (ledger != null) {
            tables.ensure(dataSource, ledger, LEDGER_CLUSTER_BY);
        }
        MergeExecutor.Trailer trailer = ledger == null ? null : inserted -> {
            Map<String, Integer> insertedByTable = new HashMap<>();
            for (int i = 0; i < statements.size(); i++) {
                insertedByTable.merge(routed.get(statements.get(i).table()), inserted[i], Integer::sum);
            }
            List<Object[]> rows = counts.rows(batch, this::routedTable, t -> definition(t).displayName(),
                    insertedByTable, clock.instant(), (System.nanoTime() - startNanos) / 1_000_000);
            return ledgerStatement(rows);
        };
        int inserted = 0;
        try {
            for (int n : MergeExecutor.execute(name, dataSource, statements, trailer)) {
                inserted += n;
            }
        } catch (MergeExecutor.StatementFailedException e) {
            boolean inLedger = e.index() >= statements.size();
            TableDefinition failed = inLedger ? ledger : statements.get(e.index()).table();
            if (SnowflakeErrors.isMissingObject(e.sqlException())) {
                tables.forget(failed);
            }
            throw SnowflakeErrors.toSinkWriteException("merging " + records.size() + " records"
                    + (inLedger ? " (ingestion ledger)" : ""), failed.displayName(), e.sqlException());
        }
        LOG.debug("[{}] batch {}: wrote {} records in {} statements{}: {} new", name, batch.batchId(), records.size(),
                statements.size(), ledger == null ? "" : " and the ledger", inserted);
        return WriteResult.of(records.size(), inserted);
    }

    private String routedTable(String topic) {
        return TableRouter.requireValidTableName(router.tableFor(topic));
    }

    /**
     * The idempotent merge of {@code rows} (values in the column order of {@link BronzeTables#ingestionLedgerTable}) into
     * the ledger, keyed on its unique key so a retried call adds nothing, the target restricted to the rows'
     * {@code FIRST_OFFSET} per topic-partition; null when there are no rows or the ledger is off. For tests too.
     */
    MergeStatement ledgerStatement(List<Object[]> rows) {
        if (ledger == null || rows.isEmpty()) {
            return null;
        }
        List<String> keys = ledger.columnNames().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        List<String> json = new ArrayList<>(rows.size());
        List<Pruning.Position> positions = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            json.add(this.json.values(keys, row));
            positions.add(new Pruning.Position((String) row[4], (Integer) row[5], (Long) row[6]));
        }
        Pruning pruning = Pruning.offsetRanges(positions);
        String sql = SnowflakeSql.merge(ledger, keys, ledger.uniqueKey(), BronzeTables.FIRST_OFFSET,
                pruning.sql(BronzeTables.SOURCE_TOPIC, BronzeTables.KAFKA_PARTITION, BronzeTables.FIRST_OFFSET));
        return new MergeStatement(ledger, sql, Chunks.array(json, 0, json.size(), 0), pruning, rows.size());
    }

    /** The statements {@link #write} sends for {@code records} (without the ledger), without touching the database; for tests. */
    List<MergeStatement> plan(List<BronzeRecord> records) {
        return plan(records, null, new HashMap<>());
    }

    private List<MergeStatement> plan(List<BronzeRecord> records, LedgerRows counts, Map<TableDefinition, String> routed) {
        Map<String, Map<String, BronzeRecord>> byTable = new LinkedHashMap<>();
        for (BronzeRecord r : records) {
            String table = routedTable(r.sourceTopic());
            byTable.computeIfAbsent(table, t -> new LinkedHashMap<>()).merge(r.ingestionId(), r, SnowflakeMergeSink::keepFirst);
            if (counts != null) {
                counts.landed(table, r.sourceTopic(), r.partition(), r.offset());
            }
        }
        List<MergeStatement> statements = new ArrayList<>();
        for (Map.Entry<String, Map<String, BronzeRecord>> e : byTable.entrySet()) {
            TableDefinition table = definition(e.getKey());
            routed.put(table, e.getKey());
            List<TypedColumn> typed = typedColumnsFor(e.getKey());
            List<BronzeRecord> unique = new ArrayList<>(e.getValue().values());
            List<String> rows = new ArrayList<>(unique.size());
            int[] bytes = new int[unique.size()];
            for (BronzeRecord r : unique) {
                String row;
                try {
                    row = json.bronze(r, typed);
                } catch (RowJson.UnparseablePayloadException ex) {
                    throw new SinkWriteException(ex.getMessage(), ex, ErrorKind.DATA, table.displayName(), null, 0);
                }
                bytes[rows.size()] = RowJson.utf8Length(row);
                rows.add(row);
                if (counts != null) {
                    counts.unique(e.getKey(), r.sourceTopic(), r.partition());
                }
            }
            List<String> keys = jsonKeys(table);
            for (int[] chunk : Chunks.split(bytes, maxRowsPerStatement, maxBytesPerStatement)) {
                List<BronzeRecord> part = unique.subList(chunk[0], chunk[1]);
                Pruning pruning = pruning(part);
                String sql = SnowflakeSql.merge(table, keys, List.of(BronzeTables.INGESTION_ID), BronzeTables.KAFKA_OFFSET,
                        pruning.sql(BronzeTables.SOURCE_TOPIC, BronzeTables.KAFKA_PARTITION, BronzeTables.KAFKA_OFFSET));
                int size = 2 + chunk[1] - chunk[0] - 1;
                for (int i = chunk[0]; i < chunk[1]; i++) {
                    size += bytes[i];
                }
                statements.add(new MergeStatement(table, sql, Chunks.array(rows, chunk[0], chunk[1], size), pruning,
                        part.size()));
            }
        }
        return statements;
    }

    private Pruning pruning(List<BronzeRecord> part) {
        if (part.stream().allMatch(BronzeRecord::hasOffsetDerivedIngestionId)) {
            return Pruning.offsetRanges(part.stream()
                    .map(r -> new Pruning.Position(r.sourceTopic(), r.partition(), r.offset())).toList());
        }
        return idsUniquePerTopic ? Pruning.topics(part.stream().map(BronzeRecord::sourceTopic).toList()) : Pruning.none();
    }

    private static List<String> jsonKeys(TableDefinition table) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            keys.add(SnowflakeSql.jsonKey(i, FIXED_COLUMNS, table.columns().get(i).name()));
        }
        return keys;
    }

    private static BronzeRecord keepFirst(BronzeRecord kept, BronzeRecord candidate) {
        boolean samePartition = kept.sourceTopic().equals(candidate.sourceTopic()) && kept.partition() == candidate.partition();
        return samePartition && candidate.offset() < kept.offset() ? candidate : kept;
    }

    /**
     * Creates or migrates the table {@code table} now instead of at its first write (a no-op when already done).
     *
     * @param table an unqualified or {@code SCHEMA.TABLE} name
     * @throws SinkWriteException when it cannot be created, migrated or found
     */
    public void ensureTable(String table) {
        tables.ensure(dataSource, definition(TableRouter.requireValidTableName(table)), DEFAULT_CLUSTER_BY);
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
        // Never the DataSource: some implementations print credentials.
        return "SnowflakeMergeSink{" + name + ", schema=" + schema + ", maxRowsPerStatement=" + maxRowsPerStatement
                + ", maxBytesPerStatement=" + maxBytesPerStatement + ", idsUniquePerTopic=" + idsUniquePerTopic
                + ", typedColumns=" + typedColumns + ", ledger=" + (ledger == null ? "off" : ledger.displayName()) + '}';
    }

    /** Builds a {@link SnowflakeMergeSink}; not thread-safe. Values are checked when set and copied at {@link #build()}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String name = DEFAULT_NAME;
        private TableRouter router = TableRouter.fromTopicName();
        private String schema;
        private boolean createTables = DEFAULT_CREATE_TABLES;
        private boolean idsUniquePerTopic = DEFAULT_IDS_UNIQUE_PER_TOPIC;
        private int maxRowsPerStatement = DEFAULT_MAX_ROWS_PER_STATEMENT;
        private int maxBytesPerStatement = DEFAULT_MAX_BYTES_PER_STATEMENT;
        private final Map<String, List<TypedColumn>> typedColumns = new LinkedHashMap<>();
        private boolean ingestionLedger = DEFAULT_INGESTION_LEDGER;
        private String ingestionLedgerTable = DEFAULT_INGESTION_LEDGER_TABLE;
        private Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
        }

        /** The name in logs and metrics; default {@value #DEFAULT_NAME}. */
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
            if (v != null) {
                SnowflakeSql.quote(v);
            }
            this.schema = v;
            return this;
        }

        /**
         * Whether the sink creates missing tables (and schemas) and adds missing columns to existing ones; default
         * {@value #DEFAULT_CREATE_TABLES}. When false, a table lacking columns fails writes with a transient
         * {@link SinkWriteException} until someone adds them.
         */
        public Builder createTables(boolean v) {
            this.createTables = v;
            return this;
        }

        /**
         * Whether payload-derived ingestion ids are unique per topic, so a chunk holding such ids can restrict the merge
         * target to its topics ({@code SOURCE_TOPIC IN (...)}); default {@value #DEFAULT_IDS_UNIQUE_PER_TOPIC}. Set it to
         * false when several topics share a table and the same id may arrive on two of them: the merge then checks the
         * whole table. Chunks whose ids are all offset-derived always use offset ranges.
         */
        public Builder idsUniquePerTopic(boolean v) {
            this.idsUniquePerTopic = v;
            return this;
        }

        /** The most rows one merge carries; default {@value #DEFAULT_MAX_ROWS_PER_STATEMENT}. */
        public Builder maxRowsPerStatement(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxRowsPerStatement must be > 0, but was " + v);
            }
            this.maxRowsPerStatement = v;
            return this;
        }

        /**
         * The most bytes (UTF-8 JSON) one merge binds; default {@value #DEFAULT_MAX_BYTES_PER_STATEMENT}, at most
         * {@value #MAX_BYTES_PER_STATEMENT_LIMIT}. Keep it under the account's VARCHAR limit (16 MB by default). A single
         * record larger than this is sent alone.
         */
        public Builder maxBytesPerStatement(int v) {
            if (v < 1024 || v > MAX_BYTES_PER_STATEMENT_LIMIT) {
                throw new IllegalArgumentException("maxBytesPerStatement must be between 1024 and "
                        + MAX_BYTES_PER_STATEMENT_LIMIT + ", but was " + v);
            }
            this.maxBytesPerStatement = v;
            return this;
        }

        /**
         * Typed columns of one table (as the router names it, matched ignoring case), appended after the Bronze columns
         * in the given order; each is filled from a JSON path of the payload and cast by Snowflake. Replaces earlier
         * columns set for that table.
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
         * Whether each write also records its offset ranges in the ingestion ledger, in the same transaction as the rows;
         * default {@value #DEFAULT_INGESTION_LEDGER}. Costs one more (small) MERGE per batch, and turns a one-MERGE batch
         * into a transaction (see the class documentation).
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
         * {@link #createTables(boolean) createTables} is on, clustered by {@link #LEDGER_CLUSTER_BY}.
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

        public SnowflakeMergeSink build() {
            return new SnowflakeMergeSink(this);
        }
    }
}
