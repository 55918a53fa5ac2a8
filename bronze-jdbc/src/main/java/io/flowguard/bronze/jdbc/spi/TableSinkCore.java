package io.flowguard.bronze.jdbc.spi;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.SqlErrors;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.jdbc.spi.TableSinkDialect.LedgerKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one SQL table-sink core: plans a batch ({@link BatchPlan}: rows per table in a fixed order, ledger entries), makes
 * the tables exist, and runs the transaction template once — begin; in {@link WriteMode#APPEND append mode} lock the
 * batch's partitions and skip what the ledger already covers; insert each table's rows; insert the ledger entries;
 * commit — leaving SQL text, chunking and error classes to a {@link TableSinkDialect}.
 *
 * <p><b>Error rules.</b> A failure of a row statement is classified by the dialect (a rejected value is
 * {@link ErrorKind#DATA DATA}, so the engine isolates the record); a failure of any statement the sink generates itself
 * (the ledger insert, the append-mode lock and ledger check) is always {@link ErrorKind#TRANSIENT TRANSIENT}: no record
 * causes it, so good rows are never dead-lettered for it.
 *
 * <p>Thread-safe; the {@link DataSource} stays the caller's, a connection is borrowed per batch.
 *
 * @since 0.2.0
 */
public final class TableSinkCore {
    private static final Logger LOG = LoggerFactory.getLogger(TableSinkCore.class);

    private final DataSource dataSource;
    private final TableSinkDialect dialect;
    private final TableSinkOptions options;
    private final Map<String, TableDefinition> definitions = new ConcurrentHashMap<>();
    private final TableDefinition ledger;

    public TableSinkCore(DataSource dataSource, TableSinkDialect dialect, TableSinkOptions options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.options = Objects.requireNonNull(options, "options");
        if (options.ingestionLedger()) {
            String t = options.ingestionLedgerTable();
            int dot = t.indexOf('.');
            this.ledger = BronzeTables.ingestionLedgerTable(
                    dot < 0 ? options.schema() : t.substring(0, dot), t.substring(dot + 1));
        } else {
            this.ledger = null;
        }
    }

    /** The frozen options. */
    public TableSinkOptions options() {
        return options;
    }

    /** The logical ledger table, or null when the ledger is off. */
    public TableDefinition ledgerTable() {
        return ledger;
    }

    /** The routed, validated table name for {@code topic}. */
    public String route(String topic) {
        return TableRouter.requireValidTableName(options.router().tableFor(topic));
    }

    /**
     * Topic to logical table for one write, routing and validating each topic once: the router may be user code, and
     * the default one builds the name with a regular expression (a per-record call cost 30 % of the engine's CPU in the
     * peer benchmark, docs/benchmarks.md). Not thread-safe: one per write.
     */
    private Function<String, TableDefinition> tablesOncePerTopic() {
        Map<String, TableDefinition> byTopic = new HashMap<>();
        return topic -> byTopic.computeIfAbsent(topic, t -> definition(route(t)));
    }

    /** The logical definition of routed table {@code routed}: Bronze columns plus its typed columns. */
    public TableDefinition definition(String routed) {
        return definitions.computeIfAbsent(routed, t -> {
            int dot = t.indexOf('.');
            return BronzeTables.bronzeTable(
                    dot < 0 ? options.schema() : t.substring(0, dot),
                    dot < 0 ? t : t.substring(dot + 1),
                    options.typedColumnsFor(t));
        });
    }

    /** Plans {@code records} without touching the database. */
    public BatchPlan plan(List<BronzeRecord> records) {
        return BatchPlan.of(records, this::route, this::definition);
    }

    /** Creates or migrates {@code table} (unqualified or {@code SCHEMA.TABLE}) now; returns its physical definition. */
    public TableDefinition ensureTable(String table) {
        return dialect.ensure(dataSource, definition(TableRouter.requireValidTableName(table)), false);
    }

    /** Stores a batch; see {@link io.flowguard.bronze.api.BronzeSink#write(List, BatchInfo)}. */
    public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(batch, "batch");
        if (records.isEmpty() && (ledger == null || batch.ranges().isEmpty())) {
            return WriteResult.empty();
        }
        boolean append = options.writeMode() == WriteMode.APPEND;
        if (append) {
            requireOffsetDerivedIds(records);
        }
        // An empty batch with ranges (every record dead-lettered or skipped) still gets its ledger rows, so the gap
        // check
        // sees those offsets as accounted for.
        long startNanos = System.nanoTime();
        Function<String, TableDefinition> tableOf = tablesOncePerTopic();
        Map<TableDefinition, TableDefinition> physical = new HashMap<>();
        for (BronzeRecord r : records) {
            TableDefinition logical = tableOf.apply(r.sourceTopic());
            physical.computeIfAbsent(logical, l -> dialect.ensure(dataSource, l, false));
        }
        TableDefinition ledgerPhysical = ledger == null ? null : dialect.ensure(dataSource, ledger, true);

        Stage stage = Stage.BEGIN;
        TableDefinition current = ledger;
        BatchPlan.TableRows currentRows = null;
        boolean rolledBack = false;
        int inserted = 0;
        int tables = 0;
        try (Connection connection = dataSource.getConnection()) {
            boolean restore = dialect.begin(connection);
            Throwable failure = null;
            boolean open = true;
            try {
                List<BronzeRecord> toWrite = records;
                BatchInfo toLedger = batch;
                if (append) {
                    stage = Stage.FENCE;
                    List<LedgerKey> keys = ledgerKeys(records, batch, tableOf);
                    dialect.lockPartitions(connection, ledgerPhysical, keys);
                    Map<LedgerKey, Long> stored = storedNext(connection, ledgerPhysical, keys);
                    if (!stored.isEmpty()) {
                        toWrite = withoutStored(records, stored, tableOf);
                        toLedger = withoutStored(batch, stored, toWrite);
                        LOG.info(
                                "[{}] batch {}: the ingestion ledger already holds offsets up to {} (written by another "
                                        + "writer or an earlier attempt): skipping {} of {} records",
                                options.name(),
                                batch.batchId(),
                                stored,
                                records.size() - toWrite.size(),
                                records.size());
                    }
                }
                BatchPlan plan = plan(toWrite);
                Map<String, Integer> insertedByTable = new LinkedHashMap<>();
                stage = Stage.ROWS;
                for (BatchPlan.TableRows t : plan.tables()) {
                    current = t.logical();
                    currentRows = t;
                    int n = dialect.insertRows(
                            connection,
                            physical.get(t.logical()),
                            t.rows(),
                            options.typedColumnsFor(t.routed()),
                            options.writeMode());
                    insertedByTable.merge(t.routed(), n, Integer::sum);
                    inserted += n;
                    tables++;
                }
                if (ledgerPhysical != null) {
                    stage = Stage.LEDGER;
                    current = ledger;
                    currentRows = null;
                    List<IngestionLedger.Entry> entries = plan.ledgerEntries(
                            toLedger,
                            insertedByTable,
                            options.clock().instant(),
                            (System.nanoTime() - startNanos) / 1_000_000);
                    if (!entries.isEmpty()) {
                        dialect.insertLedger(connection, ledgerPhysical, entries);
                    }
                }
                stage = Stage.COMMIT;
                dialect.commit(connection);
            } catch (Throwable e) {
                failure = e;
                open = dialect.rollback(connection, e);
                rolledBack = open;
                throw e;
            } finally {
                if (open) {
                    dialect.end(connection, restore, failure);
                }
            }
        } catch (SQLException e) {
            if (current != null && dialect.invalidatesEnsuredTable(e)) {
                dialect.forget(current);
            }
            // Only a row statement can fail because of a record; every other statement is the sink's own.
            ErrorKind kind = stage != Stage.ROWS || append && dialect.isDuplicateKey(e)
                    ? ErrorKind.TRANSIENT
                    : dialect.naming().classify(e);
            String table = current == null ? "?" : current.displayName();
            String state = SqlErrors.sqlState(e);
            String message = "writing " + records.size() + " records" + stage.suffix + " failed for table " + table
                    + " (" + kind + ", SQLState " + state + ", vendor code " + e.getErrorCode() + "): "
                    + e.getMessage();
            if (kind == ErrorKind.DATA && stage == Stage.ROWS && currentRows != null && rolledBack) {
                List<String> rejected = BatchPlan.onlyUnique(
                        rejectedRows(physical.get(currentRows.logical()), currentRows, e), records);
                if (!rejected.isEmpty()) {
                    throw SinkWriteException.rejectedRows(message, e, table, state, e.getErrorCode(), rejected);
                }
            }
            throw new SinkWriteException(message, e, kind, table, state, e.getErrorCode());
        }
        LOG.debug(
                "[{}] batch {}: wrote {} records to {} tables ({}): {} new",
                options.name(),
                batch.batchId(),
                records.size(),
                tables,
                options.writeMode(),
                inserted);
        return WriteResult.of(records.size(), inserted);
    }

    /**
     * The dialect's diagnosis of a DATA failure of {@code t}'s rows (after the rollback, outside the transaction); empty
     * when it names nothing or fails, so that the engine bisects.
     */
    private List<String> rejectedRows(TableDefinition physical, BatchPlan.TableRows t, SQLException failure) {
        try {
            List<String> ids =
                    dialect.rejectedRows(dataSource, physical, t.rows(), options.typedColumnsFor(t.routed()), failure);
            if (ids != null && !ids.isEmpty()) {
                LOG.debug(
                        "[{}] {} of {} rows for {} are rejected by the database (named by a diagnostic query, no "
                                + "bisection needed): {}",
                        options.name(),
                        ids.size(),
                        t.rows().size(),
                        physical.displayName(),
                        ids.size() <= 10 ? ids : ids.subList(0, 10) + " ...");
                return ids;
            }
        } catch (RuntimeException ex) {
            failure.addSuppressed(ex);
            LOG.warn(
                    "[{}] finding the rejected rows for {} failed; the engine bisects instead",
                    options.name(),
                    physical.displayName(),
                    ex);
        }
        return List.of();
    }

    /**
     * The next offset the ledger holds for each of {@code partitions}, in append mode (empty in merge mode or with the
     * ledger off): {@code max(LAST_OFFSET) + 1} over the ledger rows of the partition's routed table.
     */
    public Map<SourcePartition, Long> storedPositions(Collection<SourcePartition> partitions) {
        Objects.requireNonNull(partitions, "partitions");
        if (ledger == null || options.writeMode() != WriteMode.APPEND || partitions.isEmpty()) {
            return Map.of();
        }
        TableDefinition ledgerPhysical = dialect.ensure(dataSource, ledger, true);
        List<LedgerKey> keys = new ArrayList<>();
        for (SourcePartition p : new TreeSet<>(partitions)) {
            keys.add(new LedgerKey(definition(route(p.topic())).displayName(), p));
        }
        try (Connection connection = dataSource.getConnection()) {
            Map<SourcePartition, Long> out = new LinkedHashMap<>();
            storedNext(connection, ledgerPhysical, keys).forEach((k, next) -> out.put(k.partition(), next));
            return out;
        } catch (SQLException e) {
            String state = SqlErrors.sqlState(e);
            throw new SinkWriteException(
                    "reading stored positions from the ingestion ledger failed for table "
                            + ledger.displayName() + " (TRANSIENT, SQLState " + state + ", vendor code "
                            + e.getErrorCode()
                            + "): " + e.getMessage(),
                    e,
                    ErrorKind.TRANSIENT,
                    ledger.displayName(),
                    state,
                    e.getErrorCode());
        }
    }

    private static void requireOffsetDerivedIds(List<BronzeRecord> records) {
        for (BronzeRecord r : records) {
            if (!r.hasOffsetDerivedIngestionId()) {
                throw new SinkWriteException(
                        "writeMode APPEND needs offset-derived ingestion ids "
                                + "(IdempotencyKey.topicPartitionOffset(), the default), but record " + r.sourceTopic()
                                + '-'
                                + r.partition() + '@' + r.offset() + " has the payload-derived id '" + r.ingestionId()
                                + "': append mode deduplicates by offset, so a payload id repeated at another offset would be "
                                + "stored twice. Use writeMode(WriteMode.MERGE) (the default) with payload-derived ids",
                        null,
                        ErrorKind.TRANSIENT,
                        null,
                        null,
                        0);
            }
        }
    }

    /** The (ledger table name, partition) of every record and range, sorted: the lock order. */
    private List<LedgerKey> ledgerKeys(
            List<BronzeRecord> records, BatchInfo batch, Function<String, TableDefinition> tables) {
        TreeSet<LedgerKey> keys = new TreeSet<>();
        for (BronzeRecord r : records) {
            keys.add(new LedgerKey(
                    tables.apply(r.sourceTopic()).displayName(), new SourcePartition(r.sourceTopic(), r.partition())));
        }
        for (BatchInfo.PartitionRange range : batch.ranges()) {
            keys.add(new LedgerKey(
                    definition(route(range.topic())).displayName(),
                    new SourcePartition(range.topic(), range.partition())));
        }
        return List.copyOf(keys);
    }

    /** {@code max(LAST_OFFSET) + 1} per key that has ledger rows, in one statement. */
    private Map<LedgerKey, Long> storedNext(Connection connection, TableDefinition ledgerPhysical, List<LedgerKey> keys)
            throws SQLException {
        if (keys.isEmpty()) {
            return Map.of();
        }
        String table = column(ledgerPhysical, BronzeTables.TABLE_NAME);
        String topic = column(ledgerPhysical, BronzeTables.SOURCE_TOPIC);
        String partition = column(ledgerPhysical, BronzeTables.KAFKA_PARTITION);
        StringJoiner where = new StringJoiner(" OR ");
        for (int i = 0; i < keys.size(); i++) {
            where.add("(" + table + " = ? AND " + topic + " = ? AND " + partition + " = ?)");
        }
        String sql = "SELECT " + table + ", " + topic + ", " + partition + ", MAX("
                + column(ledgerPhysical, BronzeTables.LAST_OFFSET) + ") FROM "
                + dialect.naming().qualifiedName(ledgerPhysical) + " WHERE " + where
                + " GROUP BY " + table + ", " + topic + ", " + partition;
        Map<LedgerKey, Long> next = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            for (LedgerKey k : keys) {
                ps.setString(i++, k.table());
                ps.setString(i++, k.partition().topic());
                ps.setInt(i++, k.partition().partition());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long last = rs.getLong(4);
                    if (!rs.wasNull()) {
                        next.put(
                                new LedgerKey(rs.getString(1), new SourcePartition(rs.getString(2), rs.getInt(3))),
                                last + 1);
                    }
                }
            }
        }
        return next;
    }

    private String column(TableDefinition ledgerPhysical, String logicalName) {
        List<ColumnDefinition> logical = ledger.columns();
        for (int i = 0; i < logical.size(); i++) {
            if (logical.get(i).name().equals(logicalName)) {
                return dialect.naming()
                        .quoteIdentifier(ledgerPhysical.columns().get(i).name());
            }
        }
        throw new IllegalStateException("the ledger has no column " + logicalName);
    }

    private List<BronzeRecord> withoutStored(
            List<BronzeRecord> records, Map<LedgerKey, Long> stored, Function<String, TableDefinition> tables) {
        List<BronzeRecord> kept = new ArrayList<>(records.size());
        for (BronzeRecord r : records) {
            Long next = stored.get(new LedgerKey(
                    tables.apply(r.sourceTopic()).displayName(), new SourcePartition(r.sourceTopic(), r.partition())));
            if (next == null || r.offset() >= next) {
                kept.add(r);
            }
        }
        return kept;
    }

    /** {@code batch} with each range cut to start at the stored position; ranges wholly stored are dropped. */
    private BatchInfo withoutStored(BatchInfo batch, Map<LedgerKey, Long> stored, List<BronzeRecord> kept) {
        List<BatchInfo.PartitionRange> ranges = new ArrayList<>();
        for (BatchInfo.PartitionRange range : batch.ranges()) {
            Long next = stored.get(new LedgerKey(
                    definition(route(range.topic())).displayName(),
                    new SourcePartition(range.topic(), range.partition())));
            if (next == null || next <= range.firstOffset()) {
                ranges.add(range);
            } else if (next <= range.lastOffset()) {
                // What was dead-lettered or skipped before the sink cannot be split by offset: the cut range counts
                // only
                // the records it lands.
                int records = (int) kept.stream()
                        .filter(r -> r.sourceTopic().equals(range.topic()) && r.partition() == range.partition())
                        .count();
                ranges.add(new BatchInfo.PartitionRange(
                        range.topic(), range.partition(), next, range.lastOffset(), records, 0, 0));
            }
        }
        return BatchInfo.of(
                batch.batchId(), batch.engine(), batch.groupId(), batch.trigger(), batch.startedAt(), ranges);
    }

    @Override
    public String toString() {
        return options.name() + ", dialect=" + dialect.naming().name() + ", schema=" + options.schema() + ", mode="
                + options.writeMode() + ", typedColumns=" + options.typedColumns() + ", ledger="
                + (ledger == null ? "off" : ledger.displayName());
    }

    private enum Stage {
        BEGIN(" (begin)"),
        FENCE(" (append-mode ledger check)"),
        ROWS(""),
        LEDGER(" (ingestion ledger)"),
        COMMIT(" (commit)");

        final String suffix;

        Stage(String suffix) {
            this.suffix = suffix;
        }
    }
}
