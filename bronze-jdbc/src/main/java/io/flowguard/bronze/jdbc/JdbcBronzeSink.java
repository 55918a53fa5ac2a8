package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.internal.JdbcTableSinkDialect;
import io.flowguard.bronze.jdbc.spi.AbstractTableSink;
import io.flowguard.bronze.jdbc.spi.AbstractTableSinkBuilder;
import io.flowguard.bronze.jdbc.spi.TableSinkCore;
import io.flowguard.bronze.jdbc.spi.TableSinkOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * {@code jsonb} (SQLState 22P05), a DATA error: the engine dead-letters that record. With the {@code json} column type
 * ({@code SqlDialect.postgresPlainJson()}) such a payload lands as text; a later {@code ->>} on it can fail in the
 * reader's query instead.
 *
 * <p><b>Ingestion ledger.</b> Unless {@link Builder#ingestionLedger(boolean) turned off}, every write also inserts, in the
 * same transaction as the rows, one row per (table, topic, partition) into {@value BronzeTables#DEFAULT_INGESTION_LEDGER_TABLE}
 * (see {@link BronzeTables#ingestionLedgerTable}): batch id, engine, group, table, topic, partition,
 * {@code FIRST_OFFSET..LAST_OFFSET}, how many records the batch consumed in that range ({@code RECORDS}), how many of them
 * this call wrote ({@code ROWS_LANDED}, new or already present) and how many were new ({@code ROWS_INSERTED}, null when the
 * table's update count cannot be split by partition: some but not all rows of a multi-partition table write were new),
 * how many of the range's records the engine dead-lettered or skipped (for a bisected part, also the rows the sink rejected before it), the flush trigger, {@code STARTED_AT} (the engine's
 * {@link BatchInfo#startedAt()}), {@code COMMITTED_AT} (the sink's clock, just before commit) and
 * {@code WRITE_LATENCY_MS} (this call until the ledger insert). Ledger rows are written for <em>every</em> range of the
 * {@link BatchInfo}, including partitions whose records were all dead-lettered or skipped ({@code ROWS_LANDED = 0}, in the
 * table the router names for the topic), so ledger plus dead-letter table account for each consumed offset; see
 * {@link IngestionLedger} to read it. A batch in which nothing landed is still announced by the engine (an empty list with its
 * {@link BatchInfo}), so it leaves ledger rows with {@code ROWS_LANDED = 0} too. Parts of a bisected batch carry
 * the same batch id and ranges that tile the batch (a part's range covers the rejected rows before it, and a closing
 * empty call the offsets no part covered). Ad-hoc calls ({@link #write(List)}) get one ledger row per partition
 * spanning the offsets written. Ledger rows are inserted with {@code ON CONFLICT DO NOTHING} on the ledger's unique key.
 *
 * <p><b>Append mode.</b> With {@link Builder#writeMode(WriteMode) writeMode(APPEND)} rows are plain inserts (no
 * {@code ON CONFLICT}), and exactly-once comes from the ledger: {@link #storedPositions} reports
 * {@code max(LAST_OFFSET) + 1} per partition so the engine resumes there, and inside the transaction the sink takes a
 * {@code pg_advisory_xact_lock} per partition (PostgreSQL) and skips offsets the ledger already covers, which fences a
 * zombie writer. DuckDB has a single writing process and no such lock; the ledger check still runs, and the unique index
 * on {@code INGESTION_ID} turns a concurrent duplicate into a transient failure. See {@code docs/append-mode.md}.
 *
 * <p><b>Dead letters.</b> {@link #companionDeadLetterSink()} is a {@link JdbcDeadLetterSink} writing
 * {@value BronzeTables#DEFAULT_DEAD_LETTER_TABLE} in the same schema and database, which the engine uses when it was
 * given no dead-letter sink.
 *
 * <p>The {@link DataSource} stays the caller's: {@link #close()} does not close it, and connections are borrowed per
 * batch. Thread-safe.
 *
 * @since 0.1.0
 */
public final class JdbcBronzeSink extends AbstractTableSink {
    /** Default cap on rows per insert statement: {@value}. Larger batches are sent in several statements. */
    public static final int DEFAULT_MAX_ROWS_PER_STATEMENT = AbstractTableSinkBuilder.DEFAULT_MAX_ROWS_PER_STATEMENT;
    /** Default for {@link Builder#createTables(boolean)}: {@value}. */
    public static final boolean DEFAULT_CREATE_TABLES = AbstractTableSinkBuilder.DEFAULT_CREATE_TABLES;
    /** Default for {@link Builder#ingestionLedger(boolean)}: {@value}. */
    public static final boolean DEFAULT_INGESTION_LEDGER = AbstractTableSinkBuilder.DEFAULT_INGESTION_LEDGER;
    /** Default for {@link Builder#ingestionLedgerTable(String)}: {@value}. */
    public static final String DEFAULT_INGESTION_LEDGER_TABLE = BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE;

    private final DataSource dataSource;
    private final SqlDialect dialect;

    private JdbcBronzeSink(Builder b, TableSinkOptions options) {
        super(new TableSinkCore(
                b.dataSource,
                new JdbcTableSinkDialect(
                        options.name(), b.dialect, options.createTables(), options.maxRowsPerStatement()),
                options));
        this.dataSource = b.dataSource;
        this.dialect = b.dialect;
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

    /**
     * A {@link JdbcDeadLetterSink} on the same {@link DataSource}, in this sink's schema, writing
     * {@value BronzeTables#DEFAULT_DEAD_LETTER_TABLE}.
     */
    @Override
    public Optional<DeadLetterSink> companionDeadLetterSink() {
        return Optional.of(JdbcDeadLetterSink.builder(dataSource, dialect)
                .name(core().options().name() + "-dead-letter")
                .schema(core().options().schema())
                .createTable(core().options().createTables())
                .build());
    }

    /**
     * Creates or migrates the table for {@code table} now instead of at its first write (a no-op when already ensured).
     *
     * @param table an unqualified or {@code SCHEMA.TABLE} name
     * @return the table as the database spells it
     * @throws SinkWriteException when it cannot be created, migrated or found
     */
    public TableDefinition ensureTable(String table) {
        return core().ensureTable(table);
    }

    /** The dialect this sink speaks. */
    public SqlDialect dialect() {
        return dialect;
    }

    @Override
    public String toString() {
        // Never the DataSource: some implementations print their password.
        return "JdbcBronzeSink{" + core() + '}';
    }

    /**
     * Builds a {@link JdbcBronzeSink}; not thread-safe. Values are checked when set and copied at {@link #build()}. The
     * default {@link #name(String) name} is {@code "jdbc-<dialect>"}, e.g. {@code "jdbc-postgres"}.
     */
    public static final class Builder extends AbstractTableSinkBuilder<Builder> {
        private final DataSource dataSource;
        private final SqlDialect dialect;

        private Builder(DataSource dataSource, SqlDialect dialect) {
            super("jdbc-"
                    + Objects.requireNonNull(
                                    dialect, "dialect must not be null: use SqlDialect.postgres() or .duckdb()")
                            .name());
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
            this.dialect = dialect;
        }

        /**
         * @throws IllegalArgumentException when options contradict each other (e.g. append mode without the ledger)
         */
        public JdbcBronzeSink build() {
            return new JdbcBronzeSink(this, options());
        }
    }
}
