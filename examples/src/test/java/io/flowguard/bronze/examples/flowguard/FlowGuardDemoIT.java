package io.flowguard.bronze.examples.flowguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.jdbc.DuckDbDataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs what {@code bin/demo} runs, with less traffic, on both warehouses, and checks that its numbers reconcile. */
class FlowGuardDemoIT {

    @Test
    void shouldReconcileEveryAcknowledgedEventAcrossTheCrashOnDuckDb(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo.duckdb");
        Reconciliation r = assertReconciles(new FlowGuardDemo.Options(1_500, DemoWarehouse.Kind.DUCKDB, file));

        // The warehouse the demo left: every event that came over HTTP, v1 or v2, reads with a customer id in Silver,
        // and
        // every Bronze row has an event id (the gateway generated the missing ones).
        try (DuckDbDataSource ds = DuckDbDataSource.file(file);
                Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            long silverRows = 0;
            for (String view : List.of("ORDERS_SILVER", "CLICKS_SILVER")) {
                try (ResultSet rs =
                        st.executeQuery("SELECT SCHEMA_VERSION, COUNT(*), COUNT(CUSTOMER_ID), COUNT(EVENT_ID), "
                                + "COUNT(DISTINCT EVENT_ID) FROM " + view + " GROUP BY 1 ORDER BY 1")) {
                    List<String> versions = new ArrayList<>();
                    while (rs.next()) {
                        versions.add(rs.getString(1));
                        assertThat(rs.getLong(3))
                                .as("%s %s rows with CUSTOMER_ID", view, rs.getString(1))
                                .isEqualTo(rs.getLong(2));
                        assertThat(rs.getLong(4))
                                .as("%s %s rows with EVENT_ID", view, rs.getString(1))
                                .isEqualTo(rs.getLong(2));
                        assertThat(rs.getLong(5))
                                .as("%s %s distinct EVENT_IDs", view, rs.getString(1))
                                .isEqualTo(rs.getLong(2));
                        silverRows += rs.getLong(2);
                    }
                    assertThat(versions).as(view).containsExactly("v1", "v2");
                }
            }
            assertThat(silverRows).as("Silver rows = landed events").isEqualTo(r.landed());
        }
    }

    @Test
    void shouldReconcileEveryAcknowledgedEventAcrossTheCrashOnPostgres(@TempDir Path dir) throws Exception {
        assertReconciles(new FlowGuardDemo.Options(800, DemoWarehouse.Kind.POSTGRES, dir.resolve("unused.duckdb")));
    }

    private static Reconciliation assertReconciles(FlowGuardDemo.Options options) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Reconciliation r = FlowGuardDemo.run(options, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String output = buffer.toString(StandardCharsets.UTF_8);
        List<String> lines = output.lines().toList();

        assertThat(r.produced())
                .as("every generated event reached Kafka, through the gateway or the legacy producer")
                .isEqualTo(options.events())
                .isEqualTo(r.acknowledged());
        assertThat(r.landed() + r.deadLettered() + r.skipped())
                .as("landed + dead-lettered + skipped = produced")
                .isEqualTo(r.produced());
        assertThat(r.deadLettered())
                .as("the malformed events, about 1%, all of which the gateway refused")
                .isPositive()
                .isEqualTo(r.rejectedByGateway());
        assertThat(r.duplicates()).isZero();
        assertThat(r.missing()).isZero();
        assertThat(r.extraRows()).isZero();
        assertThat(r.reconciled()).isTrue();
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("RECONCILED produced=" + r.produced() + " landed=" + r.landed() + " dead_lettered="
                        + r.deadLettered() + " skipped=" + r.skipped() + " duplicates=0 missing=0");
        assertThat(output)
                .contains("engine flowguard-1 CRASHED on purpose")
                .contains("ORDERS_SILVER  v2")
                .contains("CLICKS_SILVER  v1")
                .contains("-- Dead letters by reason")
                .contains("-- What landed between T1");
        return r;
    }
}
