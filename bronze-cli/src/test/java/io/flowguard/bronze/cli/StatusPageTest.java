package io.flowguard.bronze.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.core.EngineHealth;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.jdbc.IngestionLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusPageTest {
    private static final Instant NOW = Instant.parse("2026-11-29T03:00:00Z");

    private static StatusPage.Snapshot snapshot(
            EngineHealth health,
            List<StatusPage.Lag> lags,
            List<IngestionLedger.Entry> batches,
            String ledgerProblem,
            Map<String, String> config) {
        return new StatusPage.Snapshot(
                "orders",
                "bronze-orders",
                List.of("orders"),
                "postgres jdbc:postgresql://db/bronze",
                health.state(),
                health,
                lags,
                12.5,
                1234,
                3,
                4.2,
                batches,
                ledgerProblem,
                config,
                NOW,
                Duration.ofMinutes(90));
    }

    @Test
    void shouldShowStatusLagPerPartitionAndTheLastBatches() {
        EngineHealth degraded = new EngineHealth(
                EngineHealth.Status.DEGRADED,
                List.of("lag 20000 > threshold 10000"),
                EngineState.RUNNING,
                20_000,
                0.0,
                NOW);
        IngestionLedger.Entry batch = new IngestionLedger.Entry(
                "b-1",
                "orders",
                "bronze-orders",
                "ORDERS_RAW",
                "orders",
                2,
                100,
                199,
                100,
                97,
                97,
                3,
                0,
                "records",
                NOW.minusSeconds(3),
                NOW.minusSeconds(2),
                41);

        String html = StatusPage.render(snapshot(
                degraded,
                List.of(new StatusPage.Lag("orders", 0, 0), new StatusPage.Lag("orders", 2, 20_000)),
                List.of(batch),
                null,
                Map.of("bronze.group", "bronze-orders")));

        assertThat(html)
                .contains("<span id=\"status\" class=\"badge degraded\">DEGRADED</span>")
                .contains("<li>lag 20000 &gt; threshold 10000</li>")
                .contains("<table id=\"lag\">")
                .contains("<tr class=\"behind\"><td>orders</td><td class=\"n\">2</td><td class=\"n\">20,000</td></tr>")
                .contains("<div class=\"value\" id=\"rows-per-second\">12.5</div>")
                .contains("<div class=\"value\" id=\"dead-letters\">3</div>")
                .contains("<table id=\"batches\">")
                .contains("100–199")
                .contains("2026-11-29 02:59:58 UTC")
                .contains("<meta http-equiv=\"refresh\" content=\"10\">")
                .doesNotContain("<script");
    }

    @Test
    void shouldEscapeEverythingThatComesFromOutside() {
        EngineHealth down = new EngineHealth(
                EngineHealth.Status.DOWN, List.of("<script>alert(1)</script>"), EngineState.FAILED, -1, 0.0, NOW);

        String html = StatusPage.render(snapshot(
                down,
                List.of(new StatusPage.Lag("t<b>\"'&", 0, 5)),
                List.of(),
                "Cannot read the ingestion ledger: relation \"<x>\" does not exist",
                Map.of("bronze.tables.a", "<img src=x>")));

        assertThat(html)
                .doesNotContain("<script>")
                .doesNotContain("<img")
                .doesNotContain("<b>\"")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("t&lt;b&gt;&quot;&#39;&amp;")
                .contains("relation &quot;&lt;x&gt;&quot; does not exist")
                .contains("class=\"badge down\">DOWN<")
                .contains("<div class=\"value\" id=\"max-lag\">unknown</div>");
    }

    @Test
    void shouldSayWhenNothingIsAssignedOrLandedYet() {
        EngineHealth starting = new EngineHealth(
                EngineHealth.Status.DOWN, List.of("engine is STARTING"), EngineState.STARTING, -1, 0.0, NOW);

        String html = StatusPage.render(snapshot(starting, List.of(), List.of(), null, Map.of()));

        assertThat(html).contains("No partitions assigned yet.").contains("No batch in the last hour.");
    }
}
