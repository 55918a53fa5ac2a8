package io.flowguard.bronze.cli;

import io.flowguard.bronze.jdbc.BronzeTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Ledger and dead-letter reads the {@code IngestionLedger} API does not offer (latest batches, distinct topics, counts). */
final class LedgerQueries {
    private final Warehouse warehouse;
    private final String ledger;
    private final String deadLetters;
    private final String ledgerName;
    private final String deadLetterName;

    LedgerQueries(Warehouse warehouse, Settings settings) {
        this.warehouse = warehouse;
        this.ledgerName = settings.ledgerTable();
        this.deadLetterName = settings.deadLetterTable();
        this.ledger = warehouse.qualified(ledgerName);
        this.deadLetters = warehouse.qualified(deadLetterName);
    }

    record Batch(Instant committedAt, String batchId, String engine, String table, String topic, int partition, long firstOffset,
                 long lastOffset, int records, int landed, Integer inserted, int deadLettered, String trigger, long latencyMs) {
    }

    boolean ledgerExists() {
        return warehouse.tableExists(ledgerName);
    }

    boolean deadLetterTableExists() {
        return warehouse.tableExists(deadLetterName);
    }

    String ledgerDisplay() {
        return warehouse.display(ledgerName);
    }

    String deadLetterDisplay() {
        return warehouse.display(deadLetterName);
    }

    private static String c(String column) {
        return '"' + column + '"';
    }

    /** The newest {@code limit} ledger rows, newest first, of {@code group} when given. */
    List<Batch> latest(String group, int limit) {
        if (!ledgerExists()) {
            return List.of();
        }
        String sql = "SELECT " + String.join(", ", c(BronzeTables.COMMITTED_AT), c(BronzeTables.BATCH_ID), c(BronzeTables.ENGINE),
                c(BronzeTables.TABLE_NAME), c(BronzeTables.SOURCE_TOPIC), c(BronzeTables.KAFKA_PARTITION), c(BronzeTables.FIRST_OFFSET),
                c(BronzeTables.LAST_OFFSET), c(BronzeTables.RECORDS), c(BronzeTables.ROWS_LANDED), c(BronzeTables.ROWS_INSERTED),
                c(BronzeTables.ROWS_DEAD_LETTERED), c(BronzeTables.FLUSH_TRIGGER), c(BronzeTables.WRITE_LATENCY_MS))
                + " FROM " + ledger + (group == null ? "" : " WHERE " + c(BronzeTables.GROUP_ID) + " = ?")
                + " ORDER BY " + c(BronzeTables.COMMITTED_AT) + " DESC, " + c(BronzeTables.SOURCE_TOPIC) + ", "
                + c(BronzeTables.KAFKA_PARTITION) + " LIMIT " + limit;
        Object[] params = group == null ? new Object[0] : new Object[] {group};
        return warehouse.query("the ingestion ledger " + ledgerDisplay(), sql, rs -> {
            int inserted = rs.getInt(11);
            Integer ins = rs.wasNull() ? null : inserted;
            return new Batch(Warehouse.instant(rs, 1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getInt(10), ins, rs.getInt(12), rs.getString(13),
                    rs.getLong(14));
        }, params);
    }

    /** Topics the ledger knows. */
    List<String> topics() {
        if (!ledgerExists()) {
            return List.of();
        }
        return warehouse.query("the ingestion ledger " + ledgerDisplay(), "SELECT DISTINCT " + c(BronzeTables.SOURCE_TOPIC)
                + " FROM " + ledger + " ORDER BY 1", rs -> rs.getString(1));
    }

    /** Bronze tables the ledger names (as {@code TABLE} or {@code SCHEMA.TABLE}), else tables ending in _RAW. */
    List<String> bronzeTables(String topic) {
        List<String> tables = new ArrayList<>();
        if (ledgerExists()) {
            tables.addAll(warehouse.query("the ingestion ledger " + ledgerDisplay(), "SELECT DISTINCT " + c(BronzeTables.TABLE_NAME)
                    + " FROM " + ledger + (topic == null ? "" : " WHERE " + c(BronzeTables.SOURCE_TOPIC) + " = ?") + " ORDER BY 1",
                    rs -> rs.getString(1), topic == null ? new Object[0] : new Object[] {topic}));
        }
        if (tables.isEmpty()) {
            tables.addAll(warehouse.bronzeTables());
        }
        return tables;
    }

    /** Largest offset per partition of a topic the ledger or dead-letter table accounts for. */
    java.util.Map<Integer, Long> lastKnownOffsets(String topic) {
        java.util.Map<Integer, Long> last = new java.util.HashMap<>();
        if (ledgerExists()) {
            warehouse.query("the ingestion ledger " + ledgerDisplay(), "SELECT " + c(BronzeTables.KAFKA_PARTITION) + ", MAX("
                    + c(BronzeTables.LAST_OFFSET) + ") FROM " + ledger + " WHERE " + c(BronzeTables.SOURCE_TOPIC) + " = ? GROUP BY 1",
                    rs -> last.merge(rs.getInt(1), rs.getLong(2), Math::max), topic);
        }
        if (deadLetterTableExists()) {
            warehouse.query("the dead-letter table " + deadLetterDisplay(), "SELECT " + c(BronzeTables.KAFKA_PARTITION) + ", MAX("
                    + c(BronzeTables.KAFKA_OFFSET) + ") FROM " + deadLetters + " WHERE " + c(BronzeTables.SOURCE_TOPIC) + " = ? GROUP BY 1",
                    rs -> last.merge(rs.getInt(1), rs.getLong(2), Math::max), topic);
        }
        return last;
    }

    /** Dead letters that failed at or after {@code since}, of {@code topic} when given. */
    long deadLettersSince(Instant since, String topic) {
        if (!deadLetterTableExists()) {
            return 0;
        }
        String sql = "SELECT COUNT(*) FROM " + deadLetters + " WHERE " + c(BronzeTables.FAILED_AT) + " >= "
                + warehouse.timestampParameter() + (topic == null ? "" : " AND " + c(BronzeTables.SOURCE_TOPIC) + " = ?");
        return warehouse.query("the dead-letter table " + deadLetterDisplay(), sql, rs -> rs.getLong(1),
                topic == null ? new Object[] {since} : new Object[] {since, topic}).get(0);
    }
}
