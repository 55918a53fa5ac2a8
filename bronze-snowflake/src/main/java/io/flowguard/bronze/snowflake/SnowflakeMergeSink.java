package io.flowguard.bronze.snowflake;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BatchLimits;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.jdbc.spi.AbstractTableSink;
import io.flowguard.bronze.jdbc.spi.AbstractTableSinkBuilder;
import io.flowguard.bronze.jdbc.spi.BatchPlan;
import io.flowguard.bronze.jdbc.spi.TableSinkCore;
import io.flowguard.bronze.jdbc.spi.TableSinkOptions;
import io.flowguard.bronze.snowflake.internal.MergeStatement;
import io.flowguard.bronze.snowflake.internal.SessionVerifyingDataSource;
import io.flowguard.bronze.snowflake.internal.SnowflakeTableSinkDialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * {@link Builder#idsUniquePerTopic(boolean)}), so Snowflake prunes micro-partitions. Tables are written in a fixed order
 * (by name), so two engines never lock two tables in opposite orders (S10). Every batch is one transaction (auto-commit
 * off, the statements, commit); when the rollback, or switching auto-commit back on, fails, the connection is aborted,
 * never switched to auto-commit over an open transaction (S8). Statements are split to bind at most
 * {@link Builder#maxCompressedBytesPerStatement(int) about 1 MB after compression} (S4).
 * {@link WriteResult#inserted()} is the sum of the merges' update counts.
 *
 * <p><b>Schema.</b> Identifiers follow Snowflake's unquoted semantics: names are upper-cased, then quoted
 * ({@code orders} → {@code "ORDERS"}), so users' unquoted queries find them (S3). With
 * {@link Builder#createTables(boolean) createTables} (the default) the first write to a table runs
 * {@code CREATE TABLE IF NOT EXISTS} (clustered only when {@link Builder#clusterBy(List)} asks for it, S12), then adds any
 * missing column of an existing (legacy) table with {@code ALTER TABLE ... ADD COLUMN IF NOT EXISTS}, keeping its rows.
 * Before the first write the table is checked ({@code DESCRIBE TABLE}): a column spelled in another case, of another
 * type, a too narrow {@code VARCHAR(n)} or a {@code NOT NULL} column the sink does not fill is reported once as a
 * configuration error saying what to change (S3, S7), instead of failing every row. Columns: {@code EVENT_ID},
 * {@code EVENT_TYPE}, {@code SCHEMA_VERSION}, {@code SOURCE_TOPIC}, {@code PRODUCER_SERVICE}, {@code INGESTION_ID},
 * {@code KAFKA_PARTITION}, {@code KAFKA_OFFSET}, {@code KAFKA_TIMESTAMP} ({@code TIMESTAMP_TZ}), {@code KAFKA_KEY},
 * {@code KAFKA_HEADERS} ({@code VARIANT}), {@code INGESTED_AT} ({@code TIMESTAMP_TZ}), {@code RAW_EVENT}
 * ({@code VARIANT}), {@code KAFKA_KEY_ENCODING} ({@code UTF8} or {@code BASE64}), then the typed columns.
 *
 * <p><b>Ingestion ledger.</b> Unless {@link Builder#ingestionLedger(boolean) turned off}, every write also inserts one row
 * per (table, topic, partition) into {@value #DEFAULT_INGESTION_LEDGER_TABLE} (laid out by
 * {@link BronzeTables#ingestionLedgerTable}, the same ledger {@code JdbcBronzeSink} writes, with the same meaning of every
 * column), <em>in the same transaction</em> as the rows, with a plain {@code INSERT} (never {@code MERGE}: a MERGE would
 * queue every engine on the ledger's table lock, S11); a retried call may repeat a row, and readers deduplicate on the
 * ledger's unique key. A failure of the ledger statement is TRANSIENT, never DATA (S6): its values are the sink's own.
 * Every range of the {@link BatchInfo} gets a row, also when the engine passes an empty list because every record of the
 * batch was dead-lettered or skipped. Read it with {@link SnowflakeIngestionLedger}.
 *
 * <p><b>Append mode.</b> With {@link Builder#writeMode(WriteMode) writeMode(APPEND)} rows are plain
 * {@code INSERT ... SELECT} statements that run side by side with other engines' inserts, and the ledger gives
 * exactly-once: {@link #storedPositions} makes the engine resume after what the ledger holds, and inside the transaction
 * the sink skips offsets the ledger covers. Snowflake has no lock to fence a zombie writer, so a writer that lost its
 * partition while a write was in flight can still add a duplicate: {@code IngestionLedger.overlaps} finds it, and the
 * deduplicating view in {@code docs/snowflake.md} hides it from readers.
 *
 * <p><b>Errors</b> are {@link SinkWriteException}s classified by {@link SnowflakeErrors}; the batch is all or nothing.
 * After a DATA error of a row statement, once the transaction is rolled back, one {@code TRY_CAST}/{@code TRY_PARSE_JSON}
 * query per chunk over the same bound JSON names the rows whose values do not convert
 * ({@link SinkWriteException#rejectedRows}), so the engine dead-letters exactly those instead of bisecting (S13); when it
 * names none, the plain DATA error stands.
 *
 * <p><b>Batch size.</b> {@link #recommendedBatchLimits()} gives the engine {@link #RECOMMENDED_BATCH_LIMITS} (10,000
 * records, 16 MiB, 60 s) for the limits its builder was not given.
 *
 * <p>The {@link DataSource} stays the caller's ({@link #close()} does not close it); a connection is borrowed per batch,
 * so use a pool in production. Thread-safe.
 *
 * @since 0.1.0
 */
public final class SnowflakeMergeSink extends AbstractTableSink {
    /** Default of {@link Builder#maxRowsPerStatement(int)}: {@value} rows. */
    public static final int DEFAULT_MAX_ROWS_PER_STATEMENT = AbstractTableSinkBuilder.DEFAULT_MAX_ROWS_PER_STATEMENT;
    /**
     * Default of {@link Builder#maxBytesPerStatement(int)}: {@value} bytes (4 MiB) of UTF-8 JSON per statement. JSON of
     * Bronze rows compresses about 4 to 8 times, so this stays near Snowflake's 1 MB (compressed) query-size guidance;
     * {@link #DEFAULT_MAX_COMPRESSED_BYTES_PER_STATEMENT} enforces it.
     */
    public static final int DEFAULT_MAX_BYTES_PER_STATEMENT = 4 * 1024 * 1024;
    /** Largest accepted {@link Builder#maxBytesPerStatement(int)}: {@value} bytes (16 MiB). */
    public static final int MAX_BYTES_PER_STATEMENT_LIMIT = 16 * 1024 * 1024;
    /**
     * Default of {@link Builder#maxCompressedBytesPerStatement(int)}: {@value} bytes — Snowflake's guidance of at most
     * 1 MB per statement after compression, bind values included; larger statements cannot be retried by Snowflake and
     * are truncated in its query history.
     *
     * @since 0.2.0
     */
    public static final int DEFAULT_MAX_COMPRESSED_BYTES_PER_STATEMENT = 1_000_000;
    /** Default of {@link Builder#createTables(boolean)}: {@value}. */
    public static final boolean DEFAULT_CREATE_TABLES = AbstractTableSinkBuilder.DEFAULT_CREATE_TABLES;
    /** Default of {@link Builder#idsUniquePerTopic(boolean)}: {@value}. */
    public static final boolean DEFAULT_IDS_UNIQUE_PER_TOPIC = true;
    /** Default name in logs and metrics: {@value}. */
    public static final String DEFAULT_NAME = "snowflake";
    /** Default of {@link Builder#ingestionLedger(boolean)}: {@value}. */
    public static final boolean DEFAULT_INGESTION_LEDGER = AbstractTableSinkBuilder.DEFAULT_INGESTION_LEDGER;
    /** Default of {@link Builder#ingestionLedgerTable(String)}: {@value}. */
    public static final String DEFAULT_INGESTION_LEDGER_TABLE = BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE;
    /**
     * Default of {@link Builder#clusterBy(List)}: none. Snowflake advises clustering keys only for multi-terabyte tables
     * whose queries filter on something other than load order; Bronze tables are loaded in time order (S12).
     *
     * @since 0.2.0
     */
    public static final List<String> DEFAULT_CLUSTER_BY = List.of();
    /**
     * A clustering worth turning on for a large table queried by ingestion day: {@code TO_DATE("INGESTED_AT")}.
     *
     * @since 0.2.0
     */
    public static final List<String> SUGGESTED_CLUSTER_BY = List.of("TO_DATE(\"INGESTED_AT\")");
    /**
     * The batch limits this sink recommends to the engine ({@link #recommendedBatchLimits()}), in both write modes:
     * 10,000 records, 16 MiB (keys + values) and 60 s, and no flush when the writer is idle (batches fill to one of
     * those limits). Each Snowflake transaction costs about 0.6–2.5 s of round trips
     * whatever its size, so large batches are what make an engine land thousands of rows per second instead of the
     * 40–150 of 100-record batches, and a statement a minute (instead of every few seconds) is what lets a warehouse with
     * a short {@code AUTO_SUSPEND} suspend between trickles. The engine applies each limit only when its builder was not
     * given one. Statement size stays bounded by this sink's own chunking, not by the batch.
     *
     * @since 0.2.0
     */
    public static final BatchLimits RECOMMENDED_BATCH_LIMITS =
            new BatchLimits(10_000, 16L * 1024 * 1024, Duration.ofSeconds(60), false);

    private final DataSource dataSource;
    private final SnowflakeTableSinkDialect dialect;
    private final String description;

    /** A sink with all defaults, writing through {@code dataSource} (which stays the caller's). */
    public SnowflakeMergeSink(DataSource dataSource) {
        this(builder(dataSource), builder(dataSource).options());
    }

    private SnowflakeMergeSink(Builder b, TableSinkOptions options) {
        this(
                b,
                options,
                new SnowflakeTableSinkDialect(
                        options.name(),
                        options.createTables(),
                        b.clusterBy,
                        b.idsUniquePerTopic,
                        options.maxRowsPerStatement(),
                        b.maxBytesPerStatement,
                        b.maxCompressedBytesPerStatement));
    }

    private SnowflakeMergeSink(Builder b, TableSinkOptions options, SnowflakeTableSinkDialect dialect) {
        this(b, options, dialect, SessionVerifyingDataSource.wrap(b.dataSource, options.name()));
    }

    private SnowflakeMergeSink(
            Builder b, TableSinkOptions options, SnowflakeTableSinkDialect dialect, DataSource dataSource) {
        super(new TableSinkCore(dataSource, dialect, options));
        this.dataSource = dataSource;
        this.dialect = dialect;
        TableSinkCore core = core();
        this.description = "SnowflakeMergeSink{" + core + ", maxRowsPerStatement=" + options.maxRowsPerStatement()
                + ", maxBytesPerStatement=" + b.maxBytesPerStatement + ", maxCompressedBytesPerStatement="
                + b.maxCompressedBytesPerStatement + ", idsUniquePerTopic=" + b.idsUniquePerTopic + ", clusterBy="
                + b.clusterBy + '}';
    }

    /** What the session check of a foreign {@link DataSource} found, once the first write ran it; for tests. */
    Optional<SessionCheck> sessionCheck() {
        return SessionVerifyingDataSource.result(dataSource);
    }

    /** A builder for a sink writing through {@code dataSource}, which stays the caller's. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** A {@link SnowflakeDeadLetterSink} on the same {@link DataSource}, in this sink's schema. */
    @Override
    public Optional<DeadLetterSink> companionDeadLetterSink() {
        SnowflakeDeadLetterSink.Builder b = SnowflakeDeadLetterSink.builder(dataSource)
                .name(core().options().name() + "-dead-letter")
                .createTable(core().options().createTables());
        if (core().options().schema() != null) {
            b.schema(core().options().schema());
        }
        return Optional.of(b.build());
    }

    /**
     * {@link #RECOMMENDED_BATCH_LIMITS}, whatever the write mode: the engine uses them for the limits its builder was not
     * given.
     *
     * @since 0.2.0
     */
    @Override
    public Optional<BatchLimits> recommendedBatchLimits() {
        return Optional.of(RECOMMENDED_BATCH_LIMITS);
    }

    /** The statements {@link #write} sends for {@code records} (without the ledger), without touching the database; for tests. */
    List<MergeStatement> plan(List<BronzeRecord> records) {
        List<MergeStatement> out = new ArrayList<>();
        for (BatchPlan.TableRows t : core().plan(records).tables()) {
            out.addAll(dialect.statements(
                    t.logical(),
                    t.rows(),
                    core().options().typedColumnsFor(t.routed()),
                    core().options().writeMode()));
        }
        return out;
    }

    /** The ledger insert of {@code entries}; null when the ledger is off or there are none. For tests. */
    MergeStatement ledgerStatement(List<IngestionLedger.Entry> entries) {
        return core().ledgerTable() == null || entries.isEmpty()
                ? null
                : dialect.ledgerStatement(core().ledgerTable(), entries);
    }

    /**
     * Creates or migrates the table {@code table} now instead of at its first write (a no-op when already done).
     *
     * @param table an unqualified or {@code SCHEMA.TABLE} name
     * @throws SinkWriteException when it cannot be created, migrated, found, or has a shape the sink cannot write
     */
    public void ensureTable(String table) {
        core().ensureTable(table);
    }

    @Override
    public String toString() {
        // Never the DataSource: some implementations print credentials.
        return description;
    }

    /**
     * Builds a {@link SnowflakeMergeSink}; not thread-safe. Values are checked when set and copied at {@link #build()}.
     * The default {@link #name(String) name} is {@value #DEFAULT_NAME}.
     */
    public static final class Builder extends AbstractTableSinkBuilder<Builder> {
        private final DataSource dataSource;
        private boolean idsUniquePerTopic = DEFAULT_IDS_UNIQUE_PER_TOPIC;
        private int maxBytesPerStatement = DEFAULT_MAX_BYTES_PER_STATEMENT;
        private int maxCompressedBytesPerStatement = DEFAULT_MAX_COMPRESSED_BYTES_PER_STATEMENT;
        private List<String> clusterBy = DEFAULT_CLUSTER_BY;

        private Builder(DataSource dataSource) {
            super(DEFAULT_NAME);
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
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

        /**
         * The most bytes (UTF-8 JSON) one statement binds; default {@value #DEFAULT_MAX_BYTES_PER_STATEMENT}, between
         * 1024 and {@value #MAX_BYTES_PER_STATEMENT_LIMIT}. A single record larger than this is sent alone.
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
         * The most bytes one statement's bound JSON may take after gzip compression; default
         * {@value #DEFAULT_MAX_COMPRESSED_BYTES_PER_STATEMENT} (Snowflake's 1 MB guidance), at least 1024. A chunk above it
         * is halved until it fits (a single record is sent alone).
         *
         * @since 0.2.0
         */
        public Builder maxCompressedBytesPerStatement(int v) {
            if (v < 1024) {
                throw new IllegalArgumentException("maxCompressedBytesPerStatement must be >= 1024, but was " + v);
            }
            this.maxCompressedBytesPerStatement = v;
            return this;
        }

        /**
         * Clustering expressions for the tables the sink creates (never the ledger), e.g. {@link #SUGGESTED_CLUSTER_BY};
         * default none. Turn it on only for large (multi-terabyte) tables whose queries filter on it: Automatic
         * Clustering costs credits, and Bronze tables are already loaded in time order.
         *
         * @since 0.2.0
         */
        public Builder clusterBy(List<String> expressions) {
            Objects.requireNonNull(expressions, "clusterBy must not be null: use List.of() for none");
            for (String e : expressions) {
                if (e == null || e.isBlank() || e.contains(";")) {
                    throw new IllegalArgumentException(
                            "clusterBy expressions must be non-blank SQL without ';', but was '" + e + "'");
                }
            }
            this.clusterBy = List.copyOf(expressions);
            return this;
        }

        /**
         * @throws IllegalArgumentException when options contradict each other (e.g. append mode without the ledger)
         */
        public SnowflakeMergeSink build() {
            return new SnowflakeMergeSink(this, options());
        }
    }
}
