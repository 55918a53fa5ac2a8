package io.flowguard.bronze.cli;

import static io.flowguard.bronze.cli.ServiceFixtures.get;
import static io.flowguard.bronze.cli.ServiceFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code bronze ingest} in-process against the in-JVM broker and embedded PostgreSQL: rows, health, metrics, page. */
class IngestServiceIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedPostgres pg;
    private static DataSource db;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = EmbeddedPostgres.start();
        db = pg.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        pg.close();
    }

    @Test
    void shouldLandEventsAndServeHealthMetricsAndAStatusPageThatABrowserRenders(@TempDir Path tmp) throws Exception {
        String topic = KAFKA.createUniqueTopic("orders", 3);
        String group = "ingest-" + topic;
        KAFKA.produceJson(
                topic, 60, i -> "{\"event_id\":\"e-" + i + "\",\"event_type\":\"OrderPlaced\",\"amount\":" + i + "}");
        KAFKA.produce(topic, 0, "bad-1", "this is not JSON");
        KAFKA.produce(topic, 1, "bad-2", "{\"truncated\":");

        IngestService service = IngestService.start(
                BronzeConfig.from(ServiceFixtures.postgresConfig(KAFKA.bootstrapServers(), pg, topic, group)),
                null,
                Clock.systemUTC());
        try {
            KAFKA.awaitCommitted(group, List.of(topic), TIMEOUT);
            assertThat(rows(db, topic)).isEqualTo(60);
            assertThat(ServiceFixtures.count(
                            db, "SELECT COUNT(*) FROM \"BRONZE_DEAD_LETTER\" WHERE \"SOURCE_TOPIC\" = '" + topic + "'"))
                    .isEqualTo(2);

            ServiceFixtures.Response health = get(service.url() + "health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.contentType()).startsWith("application/json");
            JsonNode h = JSON.readTree(health.body());
            assertThat(h.get("status").asText())
                    .isIn("UP", "DEGRADED"); // 2 of 62 dead-lettered is over the 1% threshold
            assertThat(h.get("state").asText()).isEqualTo("RUNNING");
            assertThat(h.get("engine").asText()).isEqualTo(group);

            ServiceFixtures.Response metrics = get(service.url() + "metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.contentType()).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("bronze_records_landed_total{")
                    .contains("bronze_consumer_lag{")
                    .contains("bronze_records_dead_lettered_total{")
                    .contains("bronze_commit_age_seconds{");
            assertThat(sum(metrics.body(), "bronze_records_landed_total")).isEqualTo(60.0);

            // rows/s needs two samples of the landed counter after the rows landed (one every 5 s)
            await().atMost(TIMEOUT).until(() -> service.snapshot().rowsPerSecond() > 0);
            ServiceFixtures.Response page = get(service.url());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.body())
                    .contains("<table id=\"lag\">")
                    .contains("<table id=\"batches\">")
                    .contains("<div class=\"value\" id=\"dead-letters\">2</div>")
                    .doesNotContain("not-checked-by-embedded-pg");
            assertThat(get(service.url() + "nope").status()).isEqualTo(404);

            checkInAHeadlessBrowser(service, topic, tmp);
            checkDashboardsUseOnlyMetricsTheEngineExposes(metrics.body());
        } finally {
            assertThat(service.shutdown()).as("clean drain").isTrue();
        }
        assertThat(service.engine().state()).isEqualTo(EngineState.CLOSED);
    }

    @Test
    void shouldAnswer503AndStopWhenTheEngineFails() throws Exception {
        String topic = KAFKA.createUniqueTopic("doomed", 1);
        Map<String, String> config =
                ServiceFixtures.postgresConfig(KAFKA.bootstrapServers(), pg, topic, "doomed-" + topic);
        config.put("bronze.warehouse.url", "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=1");
        config.put("bronze.retry.max-attempts", "2");
        config.put("bronze.retry.initial-backoff", "10ms");
        config.put("bronze.retry.max-backoff", "20ms");
        config.put("bronze.retry.max-duration", "1s");
        KAFKA.produceJson(topic, 3, i -> "{\"event_id\":\"d-" + i + "\"}");

        try (IngestService service = IngestService.start(BronzeConfig.from(config), null, Clock.systemUTC())) {
            assertThat(service.awaitTermination()).isEqualTo(EngineState.FAILED);

            ServiceFixtures.Response health = get(service.url() + "health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("DOWN");
            assertThat(get(service.url()).body()).contains("class=\"badge down\">DOWN<");
            assertThat(service.shutdown()).isFalse();
        }
        assertThat(KAFKA.committedOffsets("doomed-" + topic)).isEmpty();
    }

    private static void checkInAHeadlessBrowser(IngestService service, String topic, Path tmp) throws Exception {
        Optional<Path> chromium = ServiceFixtures.chromium();
        if (chromium.isEmpty()) {
            System.err.println(
                    "SKIPPED the browser check: chromium is not installed (apt-get install -y chromium; .ci/run does)");
            return;
        }
        String dom = ServiceFixtures.chromium(chromium.get(), tmp.resolve("profile"), service.url(), "--dump-dom");
        assertThat(dom)
                .contains("<table id=\"lag\">")
                .contains("<td>" + topic + "</td>")
                .contains("id=\"status\"")
                .contains("<table id=\"batches\">");
        Path png = Path.of("target", "status-page.png").toAbsolutePath();
        ServiceFixtures.chromium(chromium.get(), tmp.resolve("profile"), service.url(), "--screenshot=" + png);
        assertThat(Files.size(png)).isGreaterThan(10_000);
        byte[] head = Files.readAllBytes(png);
        assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PNG");
    }

    /** Every {@code bronze_*} name in the Grafana dashboard and the Prometheus rules is one /metrics really serves. */
    private static void checkDashboardsUseOnlyMetricsTheEngineExposes(String scrape) throws Exception {
        Set<String> exposed = new TreeSet<>();
        Matcher line = Pattern.compile("(?m)^(bronze_[a-z0-9_]+)[{ ]").matcher(scrape);
        while (line.find()) {
            exposed.add(line.group(1));
        }
        Path docs = Path.of("..", "docs");
        JsonNode dashboard =
                JSON.readTree(docs.resolve("grafana/bronze-dashboard.json").toFile());
        List<String> panelExprs = dashboard.findValuesAsText("expr");
        JsonNode rules = new YAMLMapper()
                .readTree(docs.resolve("prometheus/bronze-alerts.yml").toFile());
        List<String> ruleExprs = rules.findValuesAsText("expr");

        assertThat(panelExprs).as("dashboard queries").hasSizeGreaterThanOrEqualTo(5);
        assertThat(ruleExprs).as("alert rules").hasSizeGreaterThanOrEqualTo(3);
        Set<String> used = new TreeSet<>();
        for (String expr : concat(panelExprs, ruleExprs)) {
            Matcher m = Pattern.compile("\\bbronze_[a-z0-9_]+").matcher(expr);
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(used)
                .as("metric names used by docs/grafana and docs/prometheus")
                .isNotEmpty();
        assertThat(exposed).as("metrics served on /metrics").containsAll(used);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static double sum(String scrape, String metric) {
        Matcher m =
                Pattern.compile("(?m)^" + metric + "\\{[^}]*\\} ([0-9.eE+-]+)$").matcher(scrape);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
