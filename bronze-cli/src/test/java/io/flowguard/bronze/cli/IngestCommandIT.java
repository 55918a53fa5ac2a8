package io.flowguard.bronze.cli;

import static io.flowguard.bronze.cli.ServiceFixtures.get;
import static io.flowguard.bronze.cli.ServiceFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.testkit.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bronze ingest --config FILE} as a child JVM, stopped by SIGTERM ({@link ProcessHandle#destroy()}): it must drain what
 * it has read, commit it, and exit 0.
 */
class IngestCommandIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern URL = Pattern.compile("status page (http://127\\.0\\.0\\.1:\\d+/)");

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
    void shouldDrainCommitAndExitZeroOnSigterm(@TempDir Path dir) throws Exception {
        String topic = KAFKA.createUniqueTopic("sigterm", 2);
        String group = "service-" + topic;
        Map<String, String> config = ServiceFixtures.postgresConfig(KAFKA.bootstrapServers(), pg, topic, group);
        // Batches flush only at 1,000 records or after 10 minutes (not when the writer is idle): the records sit read
        // but
        // unwritten until the drain.
        config.put("bronze.batch.max-records", "1000");
        config.put("bronze.batch.max-wait", "10m");
        config.put("bronze.batch.flush-when-idle", "false");
        config.put("bronze.warehouse.password", "Never-In-Logs-42"); // embedded PostgreSQL trusts every password
        config.put(
                "bronze.kafka.ssl.key.password",
                "Never-In-Logs-42"); // unused by PLAINTEXT; the engine logs its consumer properties
        Path file = dir.resolve("bronze.properties");
        Files.writeString(
                file,
                config.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining("\n")) + "\n");

        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-opens=java.base/java.nio=ALL-UNNAMED",
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        BronzeCli.class.getName(),
                        "ingest",
                        "--verbose",
                        "--config",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                        r.lines().forEach(output::add);
                    } catch (Exception ignored) {
                        // the child ended
                    }
                },
                "child-output");
        reader.start();
        try {
            String url = await().atMost(TIMEOUT).until(() -> statusUrl(output), u -> u != null || !child.isAlive());
            assertThat(url)
                    .as("the service printed its URL; output: %s", output)
                    .isNotNull();
            KAFKA.produceJson(topic, 40, i -> "{\"event_id\":\"s-" + i + "\"}");

            await().atMost(TIMEOUT).until(() -> consumed(get(url + "metrics").body()) == 40);
            assertThat(get(url + "health").status()).isEqualTo(200);
            assertThat(rows(db, topic)).as("nothing written before the drain").isZero();
            assertThat(KAFKA.committedOffsets(group))
                    .as("nothing committed before the drain")
                    .isEmpty();

            // SIGTERM. Through the handle: Process.destroy() would also close our end of the child's output pipe.
            assertThat(child.toHandle().destroy()).isTrue();

            assertThat(child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("exited; output: %s", output)
                    .isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(child.exitValue()).as("exit code; output: %s", output).isZero();
        } finally {
            child.destroyForcibly();
        }
        assertThat(rows(db, topic)).isEqualTo(40);
        assertThat(ServiceFixtures.distinctIds(db, topic)).isEqualTo(40);
        assertThat(KAFKA.committedOffsets(group)).isEqualTo(KAFKA.endOffsets(topic));
        assertThat(String.join("\n", output))
                .contains("stopped cleanly; everything read was committed")
                .contains("bronze.warehouse.password=******")
                .doesNotContain("Never-In-Logs-42")
                .doesNotContain("Exception");
    }

    @Test
    void shouldListEveryConfigurationProblemAndExitTwo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("bronze.properties"),
                String.join(
                        "\n",
                        "bronze.bootstrap-servers=" + KAFKA.bootstrapServers(),
                        "bronze.topics=orders",
                        "bronze.warehouse.type=postgres",
                        "bronze.warehouse.password=S3cret-Pw",
                        "bronze.batch.max-wiat=5s",
                        ""));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = BronzeCli.commandLine(new BronzeCli(Map.of(), java.time.Clock.systemUTC(), null));
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(err));

        int code = cl.execute("ingest", "--config", file.toString());

        assertThat(code).isEqualTo(CliException.USAGE);
        assertThat(err.toString())
                .contains("bronze.group: is required")
                .contains("bronze.batch.max-wiat: is not a Bronze setting; did you mean bronze.batch.max-wait?")
                .doesNotContain("S3cret-Pw");
    }

    private static String statusUrl(List<String> output) {
        for (String line : output) {
            Matcher m = URL.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static long consumed(String scrape) {
        Matcher m = Pattern.compile("(?m)^bronze_records_consumed_total\\{[^}]*\\} ([0-9.eE+-]+)$")
                .matcher(scrape);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return Math.round(total);
    }
}
