package io.flowguard.bronze.jdbc.internal;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.jdbc.IngestionLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Collects what one sink call writes per (table, topic, partition) and turns it into ingestion-ledger entries, the one
 * ledger row type ({@link IngestionLedger.Entry}) that every SQL sink writes and {@link IngestionLedger} reads.
 *
 * <p>Tables are the names the sink's router returns; call {@link #landed} for every record routed to a table (repeats
 * included) and {@link #unique} for every distinct row sent. Confined to the writing thread.
 */
public final class LedgerRows {
    /** table -> topic-partition -> counts, in first-seen order. */
    private final Map<String, Map<SourcePartition, PartitionCounts>> counts = new LinkedHashMap<>();

    /** Counts a record of {@code partition} at {@code offset} as written to {@code table}. */
    public void landed(String table, SourcePartition partition, long offset) {
        counts.computeIfAbsent(table, t -> new LinkedHashMap<>())
                .computeIfAbsent(partition, tp -> new PartitionCounts())
                .landed(offset);
    }

    /** Counts one distinct row of {@code partition} sent to {@code table}; {@link #landed} must come first. */
    public void unique(String table, SourcePartition partition) {
        counts.get(table).get(partition).unique++;
    }

    /**
     * One ledger entry per range of {@code batch} (a range whose records all were dead-lettered or skipped still gets
     * one, in the table {@code tableForTopic} names), plus one per (table, topic, partition) written without a range in
     * {@code batch} (ad-hoc calls), spanning the offsets written.
     *
     * @param tableForTopic   the sink's router: topic → table, as passed to {@link #landed}
     * @param displayName     table → the name stored in {@code TABLE_NAME} ({@code SCHEMA.TABLE} when a schema applies)
     * @param insertedByTable table → new rows the database reported for it (sum of update counts); absent means 0
     */
    public List<IngestionLedger.Entry> entries(
            BatchInfo batch,
            Function<String, String> tableForTopic,
            Function<String, String> displayName,
            Map<String, Integer> insertedByTable,
            Instant committedAt,
            long latencyMs) {
        List<IngestionLedger.Entry> entries = new ArrayList<>();
        Set<TablePartition> covered = new HashSet<>();
        for (BatchInfo.PartitionRange range : batch.ranges()) {
            String table = tableForTopic.apply(range.topic());
            SourcePartition tp = new SourcePartition(range.topic(), range.partition());
            covered.add(new TablePartition(table, tp));
            Map<SourcePartition, PartitionCounts> tableCounts = counts.get(table);
            PartitionCounts c = tableCounts == null ? null : tableCounts.get(tp);
            int landed = c == null ? 0 : c.landed;
            Integer newRows =
                    c == null ? Integer.valueOf(0) : insertedFor(c, tableCounts, inserted(insertedByTable, table));
            entries.add(entry(
                    batch,
                    displayName.apply(table),
                    tp,
                    range.firstOffset(),
                    range.lastOffset(),
                    range.records(),
                    landed,
                    newRows,
                    range.deadLettered(),
                    range.skipped(),
                    committedAt,
                    latencyMs));
        }
        for (Map.Entry<String, Map<SourcePartition, PartitionCounts>> t : counts.entrySet()) {
            String table = t.getKey();
            for (Map.Entry<SourcePartition, PartitionCounts> e : t.getValue().entrySet()) {
                if (!covered.contains(new TablePartition(table, e.getKey()))) {
                    PartitionCounts c = e.getValue();
                    entries.add(entry(
                            batch,
                            displayName.apply(table),
                            e.getKey(),
                            c.firstOffset,
                            c.lastOffset,
                            c.landed,
                            c.landed,
                            insertedFor(c, t.getValue(), inserted(insertedByTable, table)),
                            0,
                            0,
                            committedAt,
                            latencyMs));
                }
            }
        }
        return entries;
    }

    private static int inserted(Map<String, Integer> insertedByTable, String table) {
        Integer n = insertedByTable.get(table);
        return n == null ? 0 : n;
    }

    /**
     * The new rows of one partition, from the table's update count: exact when none or all of the table's rows were new or
     * the table got rows of one partition only; {@code null} otherwise (the count cannot be attributed).
     */
    private static Integer insertedFor(
            PartitionCounts c, Map<SourcePartition, PartitionCounts> tableCounts, int tableInserted) {
        if (tableInserted == 0) {
            return 0;
        }
        int tableUnique = 0;
        for (PartitionCounts other : tableCounts.values()) {
            tableUnique += other.unique;
        }
        if (tableInserted == tableUnique) {
            return c.unique;
        }
        return tableCounts.size() == 1 ? Integer.valueOf(tableInserted) : null;
    }

    private static IngestionLedger.Entry entry(
            BatchInfo batch,
            String table,
            SourcePartition tp,
            long first,
            long last,
            int records,
            int landed,
            Integer newRows,
            int dead,
            int skipped,
            Instant committedAt,
            long latencyMs) {
        return new IngestionLedger.Entry(
                batch.batchId(),
                batch.engine(),
                batch.groupId(),
                table,
                tp.topic(),
                tp.partition(),
                first,
                last,
                records,
                landed,
                newRows,
                dead,
                skipped,
                batch.trigger(),
                batch.startedAt(),
                committedAt,
                latencyMs);
    }

    /** A (routed table, topic-partition) coordinate. */
    private record TablePartition(String table, SourcePartition partition) {}

    /** What one call wrote of one partition into one table. */
    private static final class PartitionCounts {
        int landed;
        int unique;
        long firstOffset = Long.MAX_VALUE;
        long lastOffset = Long.MIN_VALUE;

        void landed(long offset) {
            landed++;
            firstOffset = Math.min(firstOffset, offset);
            lastOffset = Math.max(lastOffset, offset);
        }
    }
}
