package io.flowguard.bronze.examples.flowguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.jdbc.DuckDbDataSource;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.testkit.TestRecords;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's last line, against a warehouse written by the real sinks: orders-0 offsets 0..2 landed, 3 dead-lettered, 4
 * skipped (inside the batch's ledger range), clicks-0 offset 0 landed.
 */
class ReconciliationTest {
    private DuckDbDataSource ds;
    private final List<Reconciliation.Coordinate> acknowledged = new ArrayList<>();

    @BeforeEach
    void writeWarehouse() {
        ds = DuckDbDataSource.inMemory();
        Instant now = Instant.parse("2026-11-29T20:00:00Z");
        try (JdbcBronzeSink sink = JdbcBronzeSink.duckdb(ds);
                JdbcDeadLetterSink dlq = JdbcDeadLetterSink.duckdb(ds)) {
            sink.write(
                    TestRecords.orders("orders", 0, 0, 3),
                    BatchInfo.of(
                            "b-1",
                            "demo",
                            "g",
                            "wait",
                            now,
                            List.of(new BatchInfo.PartitionRange("orders", 0, 0, 4, 5, 1, 1))));
            sink.write(
                    List.of(TestRecords.click("clicks", 0, 0)),
                    BatchInfo.of(
                            "b-2",
                            "demo",
                            "g",
                            "wait",
                            now,
                            List.of(new BatchInfo.PartitionRange("clicks", 0, 0, 0, 1, 0, 0))));
            dlq.write(List.of(DeadLetter.builder()
                    .failedAt(now)
                    .stage(DeadLetter.Stage.DESERIALIZE)
                    .errorClass("X")
                    .topic("orders")
                    .partition(0)
                    .offset(3)
                    .ingestionId("orders-0-3")
                    .rawPayload("{oops".getBytes(StandardCharsets.UTF_8))
                    .build()));
        }
        for (long offset = 0; offset <= 4; offset++) {
            acknowledged.add(new Reconciliation.Coordinate("orders", 0, offset));
        }
        acknowledged.add(new Reconciliation.Coordinate("clicks", 0, 0));
    }

    @AfterEach
    void close() throws SQLException {
        ds.close();
    }

    @Test
    void shouldReconcileWhenEveryAcknowledgedOffsetIsLandedDeadLetteredOrSkipped() throws Exception {
        Reconciliation r = Reconciliation.count(ds, 6, acknowledged, 0);

        assertThat(r.reconciled()).isTrue();
        assertThat(r.line())
                .isEqualTo("RECONCILED produced=6 landed=4 dead_lettered=1 skipped=1 duplicates=0 missing=0");
    }

    @Test
    void shouldReportMissingWhenTheWarehouseKnowsNothingOfAnAcknowledgedOffset() throws Exception {
        acknowledged.add(new Reconciliation.Coordinate("orders", 0, 7));

        Reconciliation r = Reconciliation.count(ds, 7, acknowledged, 0);

        assertThat(r.reconciled()).isFalse();
        assertThat(r.line())
                .isEqualTo("NOT RECONCILED produced=7 landed=4 dead_lettered=1 skipped=1 duplicates=0 missing=1");
    }

    @Test
    void shouldCountARowLandedTwiceAsADuplicate() throws Exception {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs =
                    st.executeQuery("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'ORDERS_RAW'")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
            for (String index : indexes) {
                st.execute("DROP INDEX \"" + index + "\"");
            }
            st.execute("INSERT INTO ORDERS_RAW SELECT * FROM ORDERS_RAW WHERE INGESTION_ID = 'orders-0-1'");
        }

        Reconciliation r = Reconciliation.count(ds, 6, acknowledged, 0);

        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.reconciled()).isFalse();
        assertThat(r.line()).startsWith("NOT RECONCILED").contains("duplicates=1");
    }

    @Test
    void shouldNotReconcileWhenKafkaHoldsAnOffsetNobodyWasToldAbout() throws Exception {
        Reconciliation r = Reconciliation.count(ds, 7, acknowledged, 0);

        assertThat(r.acknowledged()).isEqualTo(6);
        assertThat(r.reconciled()).isFalse();
    }

    @Test
    void shouldCountABronzeRowForAnOffsetNobodyProducedAsExtra() throws Exception {
        acknowledged.remove(new Reconciliation.Coordinate("clicks", 0, 0));

        Reconciliation r = Reconciliation.count(ds, 5, acknowledged, 0);

        assertThat(r.extraRows()).isEqualTo(1);
        assertThat(r.reconciled()).isFalse();
    }
}
