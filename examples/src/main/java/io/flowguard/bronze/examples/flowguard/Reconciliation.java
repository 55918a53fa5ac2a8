package io.flowguard.bronze.examples.flowguard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * What the warehouse holds for every event Kafka acknowledged: the demo's last line. Counted in the warehouse from the
 * Bronze tables ({@code ORDERS_RAW}, {@code CLICKS_RAW}), {@code BRONZE_DEAD_LETTER} and {@code BRONZE_INGESTION_LOG},
 * never from the engine's own counters.
 *
 * @param produced          offsets Kafka holds in the demo's topics (log end offsets)
 * @param acknowledged      events acknowledged to the producers (gateway 202 answers and the legacy producer)
 * @param landed            acknowledged offsets with a Bronze row
 * @param deadLettered      acknowledged offsets without a Bronze row but with a dead letter
 * @param skipped           acknowledged offsets with neither, inside a ledger range (consumed, nothing written: tombstones)
 * @param duplicates        Bronze rows beyond one per {@code INGESTION_ID}
 * @param missing           acknowledged offsets the warehouse knows nothing about
 * @param extraRows         Bronze rows for offsets nobody produced
 * @param rejectedByGateway events the gateway answered 400 (never in Kafka through the gateway)
 */
record Reconciliation(
        long produced,
        long acknowledged,
        long landed,
        long deadLettered,
        long skipped,
        long duplicates,
        long missing,
        long extraRows,
        long rejectedByGateway) {
    static final String PRODUCED_TABLE = "DEMO_PRODUCED";

    /** A Kafka offset an event was acknowledged at. */
    record Coordinate(String topic, int partition, long offset) {}

    /**
     * {@code true} when every produced offset was acknowledged and is accounted for exactly once: produced = landed +
     * dead-lettered + skipped, no duplicates, nothing missing, no row nobody produced.
     */
    boolean reconciled() {
        return produced == acknowledged
                && produced == landed + deadLettered + skipped
                && duplicates == 0
                && missing == 0
                && extraRows == 0;
    }

    /** {@code RECONCILED produced=P landed=L dead_lettered=D skipped=S duplicates=N missing=M} (or NOT RECONCILED). */
    String line() {
        return String.format(
                Locale.ROOT,
                "%s produced=%d landed=%d dead_lettered=%d skipped=%d duplicates=%d missing=%d",
                reconciled() ? "RECONCILED" : "NOT RECONCILED",
                produced,
                landed,
                deadLettered,
                skipped,
                duplicates,
                missing);
    }

    /**
     * Writes the acknowledged offsets into table {@value #PRODUCED_TABLE} (replacing it) and classifies each one there: a
     * Bronze row (landed), else a dead letter, else a ledger range covering it (skipped), else missing.
     *
     * @param produced the log end offsets of the topics, summed
     */
    static Reconciliation count(
            DataSource dataSource, long produced, List<Coordinate> acknowledged, long rejectedByGateway)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS \"" + PRODUCED_TABLE + "\"");
            st.execute("CREATE TABLE \"" + PRODUCED_TABLE + "\" (\"SOURCE_TOPIC\" VARCHAR(255) NOT NULL, "
                    + "\"KAFKA_PARTITION\" INTEGER NOT NULL, \"KAFKA_OFFSET\" BIGINT NOT NULL)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"" + PRODUCED_TABLE + "\" VALUES (?, ?, ?)")) {
                for (Coordinate co : acknowledged) {
                    ps.setString(1, co.topic());
                    ps.setInt(2, co.partition());
                    ps.setLong(3, co.offset());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            String bronze =
                    "SELECT \"SOURCE_TOPIC\", \"KAFKA_PARTITION\", \"KAFKA_OFFSET\", \"INGESTION_ID\" FROM \"ORDERS_RAW\" "
                            + "UNION ALL SELECT \"SOURCE_TOPIC\", \"KAFKA_PARTITION\", \"KAFKA_OFFSET\", \"INGESTION_ID\" FROM \"CLICKS_RAW\"";
            String same = "x.\"SOURCE_TOPIC\" = p.\"SOURCE_TOPIC\" AND x.\"KAFKA_PARTITION\" = p.\"KAFKA_PARTITION\"";
            String outcome = "SELECT CASE "
                    + "WHEN EXISTS (SELECT 1 FROM (" + bronze + ") x WHERE " + same
                    + " AND x.\"KAFKA_OFFSET\" = p.\"KAFKA_OFFSET\") "
                    + "THEN 'landed' "
                    + "WHEN EXISTS (SELECT 1 FROM \"BRONZE_DEAD_LETTER\" x WHERE " + same
                    + " AND x.\"KAFKA_OFFSET\" = p.\"KAFKA_OFFSET\") "
                    + "THEN 'dead_lettered' "
                    + "WHEN EXISTS (SELECT 1 FROM \"BRONZE_INGESTION_LOG\" x WHERE " + same
                    + " AND p.\"KAFKA_OFFSET\" BETWEEN x.\"FIRST_OFFSET\" AND x.\"LAST_OFFSET\") THEN 'skipped' "
                    + "ELSE 'missing' END AS outcome FROM \"" + PRODUCED_TABLE + "\" p";
            long landed = 0;
            long dead = 0;
            long skipped = 0;
            long missing = 0;
            try (ResultSet rs = st.executeQuery("SELECT outcome, COUNT(*) FROM (" + outcome + ") o GROUP BY outcome")) {
                while (rs.next()) {
                    switch (rs.getString(1)) {
                        case "landed" -> landed = rs.getLong(2);
                        case "dead_lettered" -> dead = rs.getLong(2);
                        case "skipped" -> skipped = rs.getLong(2);
                        default -> missing = rs.getLong(2);
                    }
                }
            }
            long duplicates = scalar(st, "SELECT COUNT(*) - COUNT(DISTINCT \"INGESTION_ID\") FROM (" + bronze + ") b");
            long extra = scalar(
                    st,
                    "SELECT COUNT(*) FROM (" + bronze + ") x WHERE NOT EXISTS (SELECT 1 FROM \"" + PRODUCED_TABLE
                            + "\" p WHERE " + same + " AND x.\"KAFKA_OFFSET\" = p.\"KAFKA_OFFSET\")");
            return new Reconciliation(
                    produced,
                    acknowledged.size(),
                    landed,
                    dead,
                    skipped,
                    duplicates,
                    missing,
                    extra,
                    rejectedByGateway);
        }
    }

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
