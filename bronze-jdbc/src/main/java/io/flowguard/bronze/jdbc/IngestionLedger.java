package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.jdbc.internal.SchemaInspector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Read access for operators to the ingestion ledger that {@link JdbcBronzeSink} writes: which offset ranges landed when,
 * and which offsets of a topic are accounted for neither by the ledger nor by the dead-letter table.
 *
 * <pre>{@code
 * IngestionLedger ledger = IngestionLedger.builder(dataSource, SqlDialect.postgres()).schema("BRONZE").build();
 * List<IngestionLedger.Entry> lastHour = ledger.landedBetween(now.minus(Duration.ofHours(1)), now, Optional.of("orders"));
 * List<IngestionLedger.OffsetRange> missing = ledger.gaps("orders");
 * }</pre>
 *
 * <p>Read-only: it never creates tables; a ledger or dead-letter table that does not exist reads as empty. Queries run on a
 * connection borrowed per call; the {@link DataSource} stays the caller's. Thread-safe.
 *
 * @since 0.1.0
 */
public final class IngestionLedger {
    private final DataSource dataSource;
    private final SqlNaming dialect;
    private final String ledgerSchema;
    private final String ledgerTable;
    private final String deadLetterSchema;
    private final String deadLetterTable;

    private IngestionLedger(Builder b) {
        this.dataSource = b.dataSource;
        this.dialect = b.dialect;
        int dot = b.table.indexOf('.');
        this.ledgerSchema = dot < 0 ? b.schema : b.table.substring(0, dot);
        this.ledgerTable = b.table.substring(dot + 1);
        this.deadLetterSchema = b.schema;
        this.deadLetterTable = b.deadLetterTable;
    }

    /** A builder reading through {@code dataSource} (which stays the caller's) in {@code dialect}. */
    public static Builder builder(DataSource dataSource, SqlNaming dialect) {
        return new Builder(dataSource, dialect);
    }

    /**
     * One ledger row: what one sink call wrote of one partition into one table. See {@link JdbcBronzeSink} for the
     * meaning of each field.
     *
     * @param groupId      null outside an engine
     * @param rowsInserted null when the sink could not attribute new rows to this partition
     */
    public record Entry(
            String batchId,
            String engine,
            String groupId,
            String table,
            String topic,
            int partition,
            long firstOffset,
            long lastOffset,
            int records,
            int rowsLanded,
            Integer rowsInserted,
            int rowsDeadLettered,
            int rowsSkipped,
            String trigger,
            Instant startedAt,
            Instant committedAt,
            long writeLatencyMs) {}

    /** The offsets {@code firstOffset..lastOffset} (inclusive) of one partition. */
    public record OffsetRange(String topic, int partition, long firstOffset, long lastOffset) {
        /** How many offsets the range spans. */
        public long size() {
            return lastOffset - firstOffset + 1;
        }
    }

    /**
     * The ledger rows committed in {@code [from, to)}, ordered by commit time, topic, partition and first offset.
     *
     * @param topic only this topic's rows when present
     * @throws SinkWriteException when the database cannot be read
     */
    public List<Entry> landedBetween(Instant from, Instant to, Optional<String> topic) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(topic, "topic");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, but was " + from + " .. " + to);
        }
        String timestamp = dialect.typeName(SqlType.TIMESTAMP);
        List<String> params = new ArrayList<>(List.of(from.toString(), to.toString()));
        topic.ifPresent(params::add);
        return read(
                t -> column(t, BronzeTables.COMMITTED_AT) + " >= CAST(? AS " + timestamp + ") AND "
                        + column(t, BronzeTables.COMMITTED_AT) + " < CAST(? AS " + timestamp + ")"
                        + (topic.isPresent() ? " AND " + column(t, BronzeTables.SOURCE_TOPIC) + " = ?" : ""),
                params,
                "c15, c4, c5, c6",
                -1);
    }

    /**
     * The newest {@code limit} ledger rows, newest commit first (then topic and partition), of {@code groupId} when
     * present; deduplicated like {@link #landedBetween}.
     *
     * @param limit how many rows at most, {@code > 0}
     * @throws SinkWriteException when the database cannot be read
     * @since 0.2.0
     */
    public List<Entry> latest(Optional<String> groupId, int limit) {
        Objects.requireNonNull(groupId, "groupId");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, but was " + limit);
        }
        return read(
                t -> groupId.isPresent() ? column(t, BronzeTables.GROUP_ID) + " = ?" : null,
                groupId.map(List::of).orElse(List.of()),
                "c15 DESC, c4, c5, c6",
                limit);
    }

    /**
     * Ledger rows matching {@code where} (over the table's real column spellings; null for all), one per ledger key: sinks
     * whose ledger has no enforced unique key (Snowflake: INSERT-only) may hold a retried call's row twice, so the first
     * committed row per key (BATCH_ID, TABLE_NAME, SOURCE_TOPIC, KAFKA_PARTITION, FIRST_OFFSET) is kept.
     */
    private List<Entry> read(
            java.util.function.Function<SchemaInspector.ExistingTable, String> where,
            List<String> params,
            String orderBy,
            int limit) {
        try (Connection connection = dataSource.getConnection()) {
            Optional<SchemaInspector.ExistingTable> found = SchemaInspector.find(connection, ledgerSchema, ledgerTable);
            if (found.isEmpty()) {
                return List.of();
            }
            SchemaInspector.ExistingTable t = found.get();
            String[] names = {
                BronzeTables.BATCH_ID,
                BronzeTables.ENGINE,
                BronzeTables.GROUP_ID,
                BronzeTables.TABLE_NAME,
                BronzeTables.SOURCE_TOPIC,
                BronzeTables.KAFKA_PARTITION,
                BronzeTables.FIRST_OFFSET,
                BronzeTables.LAST_OFFSET,
                BronzeTables.RECORDS,
                BronzeTables.ROWS_LANDED,
                BronzeTables.ROWS_INSERTED,
                BronzeTables.ROWS_DEAD_LETTERED,
                BronzeTables.ROWS_SKIPPED,
                BronzeTables.FLUSH_TRIGGER,
                BronzeTables.STARTED_AT,
                BronzeTables.COMMITTED_AT,
                BronzeTables.WRITE_LATENCY_MS
            };
            List<String> columns = new ArrayList<>();
            for (String n : names) {
                columns.add(column(t, n));
            }
            String key = column(t, BronzeTables.BATCH_ID) + ", " + column(t, BronzeTables.TABLE_NAME) + ", "
                    + column(t, BronzeTables.SOURCE_TOPIC) + ", " + column(t, BronzeTables.KAFKA_PARTITION) + ", "
                    + column(t, BronzeTables.FIRST_OFFSET);
            List<String> aliased = new ArrayList<>();
            List<String> selectAs = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                aliased.add("c" + i);
                selectAs.add(columns.get(i) + " AS c" + i);
            }
            String condition = where.apply(t);
            String sql = "SELECT " + String.join(", ", aliased) + " FROM (SELECT " + String.join(", ", selectAs)
                    + ", ROW_NUMBER() OVER (PARTITION BY " + key + " ORDER BY " + column(t, BronzeTables.COMMITTED_AT)
                    + ") AS ledger_row FROM " + qualified(t) + (condition == null ? "" : " WHERE " + condition)
                    + ") deduplicated WHERE ledger_row = 1 ORDER BY " + orderBy + (limit > 0 ? " LIMIT " + limit : "");
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setString(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int inserted = rs.getInt(11);
                        Integer rowsInserted = rs.wasNull() ? null : inserted;
                        entries.add(new Entry(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getInt(6),
                                rs.getLong(7),
                                rs.getLong(8),
                                rs.getInt(9),
                                rs.getInt(10),
                                rowsInserted,
                                rs.getInt(12),
                                rs.getInt(13),
                                rs.getString(14),
                                instant(rs, 15),
                                instant(rs, 16),
                                rs.getLong(17)));
                    }
                }
            }
            return entries;
        } catch (SQLException e) {
            throw SqlErrors.toSinkWriteException(
                    "reading the ingestion ledger", displayName(ledgerSchema, ledgerTable), e, dialect);
        }
    }

    /**
     * The offsets of {@code topic}, per partition between the lowest and highest offset the ledger or the dead-letter
     * table knows, that neither a ledger range covers nor the dead-letter table holds, in partition and offset order.
     * Empty when every known offset is accounted for.
     *
     * <p>Offsets that hold no record also show as gaps: transaction markers of transactional producers and offsets removed
     * by compaction. (A batch in which nothing landed is still announced to the sink, so its skipped and dead-lettered
     * offsets are covered.) Offsets before the first or after the last known one are not reported; compare the last with the group's
     * committed offset for that.
     *
     * @throws SinkWriteException when the database cannot be read
     */
    public List<OffsetRange> gaps(String topic) {
        Objects.requireNonNull(topic, "topic");
        try (Connection connection = dataSource.getConnection()) {
            Optional<SchemaInspector.ExistingTable> ledger =
                    SchemaInspector.find(connection, ledgerSchema, ledgerTable);
            Optional<SchemaInspector.ExistingTable> dead = deadLetterTable == null
                    ? Optional.empty()
                    : SchemaInspector.find(connection, deadLetterSchema, deadLetterTable);
            List<String> known = new ArrayList<>();
            if (ledger.isPresent()) {
                SchemaInspector.ExistingTable t = ledger.get();
                known.add("SELECT " + column(t, BronzeTables.KAFKA_PARTITION) + " AS p, "
                        + column(t, BronzeTables.FIRST_OFFSET)
                        + " AS f, " + column(t, BronzeTables.LAST_OFFSET) + " AS l FROM " + qualified(t) + " WHERE "
                        + column(t, BronzeTables.SOURCE_TOPIC) + " = ?");
            }
            if (dead.isPresent()) {
                SchemaInspector.ExistingTable t = dead.get();
                known.add("SELECT " + column(t, BronzeTables.KAFKA_PARTITION) + " AS p, "
                        + column(t, BronzeTables.KAFKA_OFFSET)
                        + " AS f, " + column(t, BronzeTables.KAFKA_OFFSET) + " AS l FROM " + qualified(t) + " WHERE "
                        + column(t, BronzeTables.SOURCE_TOPIC) + " = ?");
            }
            if (known.isEmpty()) {
                return List.of();
            }
            // Gaps and islands: a range starting after the highest offset covered by every range before it leaves a
            // gap.
            String sql = "SELECT p, prev_last + 1, f - 1 FROM (SELECT p, f, MAX(l) OVER (PARTITION BY p ORDER BY f, l "
                    + "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_last FROM ("
                    + String.join(" UNION ALL ", known) + ") known_offsets) ordered "
                    + "WHERE prev_last IS NOT NULL AND f > prev_last + 1 ORDER BY p, f";
            List<OffsetRange> gaps = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 1; i <= known.size(); i++) {
                    ps.setString(i, topic);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        gaps.add(new OffsetRange(topic, rs.getInt(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            return gaps;
        } catch (SQLException e) {
            throw SqlErrors.toSinkWriteException(
                    "finding gaps in the ingestion ledger", displayName(ledgerSchema, ledgerTable), e, dialect);
        }
    }

    /**
     * Two ledger rows of one table and partition whose offset ranges overlap and which both added rows: in
     * {@link WriteMode#APPEND append mode} on a warehouse that cannot fence a zombie writer (Snowflake), the offsets
     * {@code max(firstFrom, secondFrom)..min(firstTo, secondTo)} were stored twice. Hide them from readers with the
     * deduplicating view of {@code docs/append-mode.md}.
     *
     * @since 0.2.0
     */
    public record Overlap(
            String table,
            String topic,
            int partition,
            String firstBatchId,
            long firstFrom,
            long firstTo,
            String secondBatchId,
            long secondFrom,
            long secondTo) {
        /** The offsets both rows cover. */
        public OffsetRange overlapping() {
            return new OffsetRange(topic, partition, Math.max(firstFrom, secondFrom), Math.min(firstTo, secondTo));
        }
    }

    /**
     * The pairs of ledger rows of {@code topic} whose offset ranges overlap although both added rows
     * ({@code ROWS_INSERTED}, or {@code ROWS_LANDED} when unknown, above zero): what {@code bronze check} reports as
     * duplicates of append mode. Empty when every offset was written once. In merge mode a re-delivered batch overlaps an
     * earlier one with {@code ROWS_INSERTED = 0} and is not reported. Repeated rows of one retried call (same key) are not
     * overlaps. Ordered by partition and offset.
     *
     * @throws SinkWriteException when the database cannot be read
     * @since 0.2.0
     */
    public List<Overlap> overlaps(String topic) {
        Objects.requireNonNull(topic, "topic");
        try (Connection connection = dataSource.getConnection()) {
            Optional<SchemaInspector.ExistingTable> found = SchemaInspector.find(connection, ledgerSchema, ledgerTable);
            if (found.isEmpty()) {
                return List.of();
            }
            SchemaInspector.ExistingTable t = found.get();
            String table = column(t, BronzeTables.TABLE_NAME);
            String source = column(t, BronzeTables.SOURCE_TOPIC);
            String partition = column(t, BronzeTables.KAFKA_PARTITION);
            String first = column(t, BronzeTables.FIRST_OFFSET);
            String last = column(t, BronzeTables.LAST_OFFSET);
            String batch = column(t, BronzeTables.BATCH_ID);
            String added = "COALESCE(%1$s." + column(t, BronzeTables.ROWS_INSERTED) + ", %1$s."
                    + column(t, BronzeTables.ROWS_LANDED) + ") > 0";
            // DISTINCT: a retried call's repeated row (same key, INSERT-only ledger) must not report one overlap twice.
            String sql = "SELECT DISTINCT a." + table + ", a." + partition + ", a." + batch + ", a." + first + ", a."
                    + last
                    + ", b." + batch + ", b." + first + ", b." + last + " FROM " + qualified(t) + " a JOIN "
                    + qualified(t)
                    + " b ON a." + table + " = b." + table + " AND a." + source + " = b." + source + " AND a."
                    + partition
                    + " = b." + partition + " AND a." + first + " <= b." + last + " AND b." + first + " <= a." + last
                    + " AND (a." + first + " < b." + first + " OR (a." + first + " = b." + first + " AND a." + batch
                    + " < b." + batch + ")) WHERE a." + source + " = ? AND " + added.formatted("a") + " AND "
                    + added.formatted("b") + " ORDER BY a." + partition + ", a." + first + ", b." + first;
            List<Overlap> overlaps = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setString(1, topic);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        overlaps.add(new Overlap(
                                rs.getString(1),
                                topic,
                                rs.getInt(2),
                                rs.getString(3),
                                rs.getLong(4),
                                rs.getLong(5),
                                rs.getString(6),
                                rs.getLong(7),
                                rs.getLong(8)));
                    }
                }
            }
            return overlaps;
        } catch (SQLException e) {
            throw SqlErrors.toSinkWriteException(
                    "finding overlapping ranges in the ingestion ledger",
                    displayName(ledgerSchema, ledgerTable),
                    e,
                    dialect);
        }
    }

    private String qualified(SchemaInspector.ExistingTable t) {
        return t.schema() == null
                ? dialect.quoteIdentifier(t.table())
                : dialect.quoteIdentifier(t.schema()) + '.' + dialect.quoteIdentifier(t.table());
    }

    private String column(SchemaInspector.ExistingTable t, String name) {
        String spelled = t.columns().get(name.toUpperCase(Locale.ROOT));
        if (spelled == null) {
            throw new SinkWriteException(
                    "table " + displayName(t.schema(), t.table()) + " has no column " + name
                            + ": is it a Bronze ingestion-ledger or dead-letter table?",
                    null,
                    SinkWriteException.ErrorKind.DATA,
                    displayName(t.schema(), t.table()),
                    null,
                    0);
        }
        return dialect.quoteIdentifier(spelled);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t;
        try {
            t = rs.getObject(column, OffsetDateTime.class);
        } catch (SQLException e) {
            // Drivers without JDBC 4.2 java.time support (snowflake-jdbc) still return the instant as a Timestamp.
            java.sql.Timestamp ts = rs.getTimestamp(column);
            return ts == null ? null : ts.toInstant();
        }
        return t == null ? null : t.toInstant();
    }

    private static String displayName(String schema, String table) {
        return schema == null ? table : schema + '.' + table;
    }

    @Override
    public String toString() {
        return "IngestionLedger{" + displayName(ledgerSchema, ledgerTable) + ", deadLetters="
                + (deadLetterTable == null ? "none" : displayName(deadLetterSchema, deadLetterTable)) + '}';
    }

    /** Builds an {@link IngestionLedger}; not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private final SqlNaming dialect;
        private String schema;
        private String table = BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE;
        private String deadLetterTable = BronzeTables.DEFAULT_DEAD_LETTER_TABLE;

        private Builder(DataSource dataSource, SqlNaming dialect) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
            this.dialect =
                    Objects.requireNonNull(dialect, "dialect must not be null: use SqlDialect.postgres() or .duckdb()");
        }

        /** The schema of both tables (unless the ledger table names its own); default {@code null}: the current schema. */
        public Builder schema(String v) {
            this.schema = v == null ? null : Identifiers.requireValid(v, "schema");
            return this;
        }

        /** The ledger table, {@code TABLE} or {@code SCHEMA.TABLE}; default {@value BronzeTables#DEFAULT_INGESTION_LEDGER_TABLE}. */
        public Builder table(String v) {
            try {
                this.table = TableRouter.requireValidTableName(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "ledger table must match [A-Za-z_][A-Za-z0-9_$]* (optionally " + "SCHEMA.TABLE), but was '" + v
                                + "'",
                        e);
            }
            return this;
        }

        /**
         * The dead-letter table {@link #gaps(String)} counts as accounted for, in {@link #schema(String)}; default
         * {@value BronzeTables#DEFAULT_DEAD_LETTER_TABLE}; {@code null} to ignore dead letters.
         */
        public Builder deadLetterTable(String v) {
            this.deadLetterTable = v == null ? null : Identifiers.requireValid(v, "dead-letter table name");
            return this;
        }

        public IngestionLedger build() {
            return new IngestionLedger(this);
        }
    }
}
