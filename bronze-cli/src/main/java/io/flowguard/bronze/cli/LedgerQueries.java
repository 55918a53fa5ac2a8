package io.flowguard.bronze.cli;

import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.IngestionLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Ledger and dead-letter reads for the commands; ledger rows are read through {@link IngestionLedger} (deduplicated). */
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

    /**
     * The newest {@code limit} ledger rows, newest first, of {@code group} when given: read through {@link IngestionLedger}, so
     * a retried call's repeated row (Snowflake's INSERT-only ledger) is shown once.
     */
    List<IngestionLedger.Entry> latest(String group, int limit) {
        return warehouse.ledger().latest(Optional.ofNullable(group), limit);
    }

    /** Topics the ledger knows. */
    List<String> topics() {
        if (!ledgerExists()) {
            return List.of();
        }
        return warehouse.query(
                "the ingestion ledger " + ledgerDisplay(),
                "SELECT DISTINCT " + c(BronzeTables.SOURCE_TOPIC) + " FROM " + ledger + " ORDER BY 1",
                rs -> rs.getString(1));
    }

    /** Bronze tables the ledger names (as {@code TABLE} or {@code SCHEMA.TABLE}), else tables ending in _RAW. */
    List<String> bronzeTables(String topic) {
        List<String> tables = new ArrayList<>();
        if (ledgerExists()) {
            tables.addAll(warehouse.query(
                    "the ingestion ledger " + ledgerDisplay(),
                    "SELECT DISTINCT " + c(BronzeTables.TABLE_NAME) + " FROM " + ledger
                            + (topic == null ? "" : " WHERE " + c(BronzeTables.SOURCE_TOPIC) + " = ?") + " ORDER BY 1",
                    rs -> rs.getString(1),
                    topic == null ? new Object[0] : new Object[] {topic}));
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
            warehouse.query(
                    "the ingestion ledger " + ledgerDisplay(),
                    "SELECT " + c(BronzeTables.KAFKA_PARTITION) + ", MAX(" + c(BronzeTables.LAST_OFFSET) + ") FROM "
                            + ledger + " WHERE " + c(BronzeTables.SOURCE_TOPIC) + " = ? GROUP BY 1",
                    rs -> last.merge(rs.getInt(1), rs.getLong(2), Math::max),
                    topic);
        }
        if (deadLetterTableExists()) {
            warehouse.query(
                    "the dead-letter table " + deadLetterDisplay(),
                    "SELECT " + c(BronzeTables.KAFKA_PARTITION) + ", MAX(" + c(BronzeTables.KAFKA_OFFSET) + ") FROM "
                            + deadLetters + " WHERE " + c(BronzeTables.SOURCE_TOPIC) + " = ? GROUP BY 1",
                    rs -> last.merge(rs.getInt(1), rs.getLong(2), Math::max),
                    topic);
        }
        return last;
    }

    /** Dead letters that failed at or after {@code since}, of {@code topic} when given. */
    long deadLettersSince(Instant since, String topic) {
        if (!deadLetterTableExists()) {
            return 0;
        }
        String sql = "SELECT COUNT(*) FROM " + deadLetters + " WHERE " + c(BronzeTables.FAILED_AT) + " >= "
                + warehouse.timestampParameter()
                + (topic == null ? "" : " AND " + c(BronzeTables.SOURCE_TOPIC) + " = ?");
        return warehouse
                .query(
                        "the dead-letter table " + deadLetterDisplay(),
                        sql,
                        rs -> rs.getLong(1),
                        topic == null ? new Object[] {since} : new Object[] {since, topic})
                .get(0);
    }
}
