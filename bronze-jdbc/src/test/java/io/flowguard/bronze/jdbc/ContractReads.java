package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.testkit.DeadLetterSinkContract.StoredDeadLetter;
import io.flowguard.bronze.testkit.IngestionLedgerContract.LedgerRow;
import io.flowguard.bronze.testkit.IngestionLedgerContract.OffsetGap;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads what the testkit's ledger and dead-letter contracts compare, through {@link IngestionLedger} and plain SQL. */
final class ContractReads {
    private ContractReads() {}

    static List<LedgerRow> ledger(IngestionLedger ledger, String topic) {
        return ledger.landedBetween(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), Optional.of(topic)).stream()
                .map(e -> new LedgerRow(
                        e.batchId(),
                        e.engine(),
                        e.topic(),
                        e.partition(),
                        e.firstOffset(),
                        e.lastOffset(),
                        e.records(),
                        e.rowsLanded(),
                        e.rowsInserted(),
                        e.rowsDeadLettered(),
                        e.rowsSkipped(),
                        e.trigger()))
                .toList();
    }

    static List<OffsetGap> gaps(IngestionLedger ledger, String topic) {
        return ledger.gaps(topic).stream()
                .map(g -> new OffsetGap(g.topic(), g.partition(), g.firstOffset(), g.lastOffset()))
                .toList();
    }

    /** The dead letters in {@code qualifiedTable} (quoted), or none when it does not exist yet. */
    static List<StoredDeadLetter> deadLetters(DataSource ds, String qualifiedTable, boolean exists) {
        if (!exists) {
            return List.of();
        }
        List<StoredDeadLetter> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT \"SOURCE_TOPIC\", \"KAFKA_PARTITION\", \"KAFKA_OFFSET\", \"INGESTION_ID\", "
                                + "\"STAGE\", \"ERROR_CLASS\", \"ERROR_MESSAGE\", \"ATTEMPTS\", \"RAW_PAYLOAD\" FROM "
                                + qualifiedTable)) {
            while (rs.next()) {
                out.add(new StoredDeadLetter(
                        rs.getString(1),
                        rs.getInt(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getInt(8),
                        rs.getString(9)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
