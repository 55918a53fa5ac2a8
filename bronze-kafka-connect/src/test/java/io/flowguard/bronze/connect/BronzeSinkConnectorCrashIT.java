package io.flowguard.bronze.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.connect.internal.SinkRecords;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Connect worker <b>killed</b> mid-stream: two distributed workers run as child JVMs
 * ({@code org.apache.kafka.connect.cli.ConnectDistributed}, the connector on their class path) against bronze-testkit's
 * in-JVM broker; while the connector writes to an embedded PostgreSQL, the JVM of a worker that runs a task is killed with
 * SIGKILL ({@link Process#destroyForcibly()}): no task {@code stop()}, no final offset commit, no group leave. The
 * surviving worker takes its tasks over once the dead members' sessions expire, Connect re-delivers from the last committed
 * offsets, and the table must end with every produced offset exactly once (as a row or a dead letter).
 */
class BronzeSinkConnectorCrashIT {
    private static final int PARTITIONS = 4;
    private static final int EVENTS = 3_000;
    private static final String TOPIC = "crash-orders";
    private static final String SCHEMA = "connect_crash";
    private static final String CONNECTOR = "bronze-crash";
    private static final String GROUP = "connect-" + CONNECTOR;
    /** Events landed and committed before the kill window is set up. */
    private static final int FIRST_PART = 400;
    /** Events landed between two offset commits; their rows are what the killed worker never committed. */
    private static final int CHUNK = 200;
    /** Chunks tried before giving up on landing one between two commits (each try fails with p ~ land time / interval). */
    private static final int MAX_ATTEMPTS = 5;
    /** Connect's offset commit interval for sink tasks ({@code offset.flush.interval.ms}). */
    private static final int FLUSH_INTERVAL_MS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedPostgres pg;
    private static KafkaBroker broker;
    private static final List<Worker> workers = new ArrayList<>();
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A worker JVM and its REST port. */
    private record Worker(Process process, int port, Path log) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.start();
        pg.execute("CREATE SCHEMA " + SCHEMA);
        broker = KafkaBroker.create().start();
        broker.createTopic(TOPIC, PARTITIONS);
        Path dir = Files.createDirectories(Path.of("target", "crash-it"));
        for (int i = 0; i < 2; i++) {
            workers.add(startWorker(dir, i));
        }
        for (Worker w : workers) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> get(w, "/connectors").statusCode() == 200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Worker w : workers) {
            w.process().destroyForcibly();
            w.process().waitFor(30, TimeUnit.SECONDS);
        }
        workers.clear(); // a re-run of the class starts fresh workers
        if (broker != null) {
            broker.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static Worker startWorker(Path dir, int index) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", broker.bootstrapServers());
        p.setProperty("group.id", "bronze-crash-cluster");
        p.setProperty("key.converter", SinkRecords.BYTE_ARRAY_CONVERTER);
        p.setProperty("value.converter", SinkRecords.BYTE_ARRAY_CONVERTER);
        p.setProperty("config.storage.topic", "crash-connect-configs");
        p.setProperty("offset.storage.topic", "crash-connect-offsets");
        p.setProperty("status.storage.topic", "crash-connect-status");
        p.setProperty("config.storage.replication.factor", "1");
        p.setProperty("offset.storage.replication.factor", "1");
        p.setProperty("status.storage.replication.factor", "1");
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("status.storage.partitions", "1");
        p.setProperty("listeners", "http://127.0.0.1:" + port);
        p.setProperty("rest.advertised.host.name", "127.0.0.1");
        p.setProperty("rest.advertised.port", Integer.toString(port));
        // The connector is installed as users install it: the PostgreSQL-only plugin directory this module packages, on
        // plugin.path, loaded in Connect's plugin isolation and found through its ServiceLoader manifest. The worker's
        // own class path holds Connect and its dependencies, but no Bronze class and no JDBC driver.
        p.setProperty("plugin.path", pluginPath().toAbsolutePath().toString());
        p.setProperty("plugin.discovery", "service_load");
        // Commit sink offsets only every 10 s, so the killed worker has written rows whose offsets are not committed.
        p.setProperty("offset.flush.interval.ms", Integer.toString(FLUSH_INTERVAL_MS));
        // Reassign a lost worker's tasks as soon as the group notices it, and notice it after 6 s (the broker's
        // minimum).
        p.setProperty("scheduled.rebalance.max.delay.ms", "0");
        p.setProperty("session.timeout.ms", "6000");
        p.setProperty("heartbeat.interval.ms", "1000");
        p.setProperty("consumer.session.timeout.ms", "6000");
        p.setProperty("consumer.heartbeat.interval.ms", "1000");
        p.setProperty("consumer.max.poll.records", "100");
        Path props = dir.resolve("worker-" + index + ".properties");
        try (var out = Files.newOutputStream(props)) {
            p.store(out, "BronzeSinkConnectorCrashIT worker " + index);
        }
        Path log = dir.resolve("worker-" + index + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path argFile = dir.resolve("worker-" + index + ".args");
        Files.writeString(argFile, "-cp \"" + workerClassPath().replace("\\", "\\\\") + "\"\n");
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx384m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "@" + argFile.toAbsolutePath(),
                        "org.apache.kafka.connect.cli.ConnectDistributed",
                        props.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new Worker(process, port, log);
    }

    /** The directory holding the PostgreSQL-only plugin ({@code mvn package} builds it before Failsafe runs). */
    private static Path pluginPath() throws IOException {
        try (var entries = Files.list(Path.of("target"))) {
            return entries.filter(d -> Files.isDirectory(d)
                            && d.getFileName().toString().startsWith("bronze-kafka-connect-")
                            && d.getFileName().toString().endsWith("-plugin-postgres"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no target/bronze-kafka-connect-*-plugin-postgres directory: run the IT through "
                                    + "'mvn verify', which packages the plugin first"));
        }
    }

    /** This JVM's class path without Bronze's classes and the JDBC drivers: what a bare Connect worker has. */
    private static String workerClassPath() {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            boolean plugin = e.contains("/target/test-classes")
                    || e.contains("/target/classes")
                    || e.matches(".*/target/bronze-[a-z-]+-[^/]*\\.jar")
                    || e.contains("/io/flowguard/")
                    || e.contains("/org/postgresql/")
                    || e.contains("/org/duckdb/")
                    || e.contains("/net/snowflake/")
                    || e.contains("/io/zonky/");
            if (!plugin) {
                kept.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, kept);
    }

    private static HttpResponse<String> get(Worker w, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(w.uri(path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(Worker w, String path, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(w.uri(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode status(Worker w) throws IOException, InterruptedException {
        HttpResponse<String> r = get(w, "/connectors/" + CONNECTOR + "/status");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("status " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static boolean runningTasks(Worker w, int n) throws IOException, InterruptedException {
        JsonNode s = status(w);
        int running = 0;
        for (JsonNode t : s.path("tasks")) {
            if ("RUNNING".equals(t.path("state").asText())) {
                running++;
            }
        }
        return "RUNNING".equals(s.path("connector").path("state").asText()) && running == n;
    }

    private static boolean malformed(int i) {
        return i % 250 == 7;
    }

    private static long committed() {
        return broker.committedOffsets(GROUP).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Sends the next {@code count} events (event i to partition i mod 4) and records each one's partition:offset. */
    private static void produce(KafkaProducer<byte[], byte[]> producer, List<String> offsets, int count)
            throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = offsets.size(); i < offsets.size() + count; i++) {
            String value = malformed(i) ? "{\"broken\": " + i : "{\"event_id\":\"e-" + i + "\",\"amount\":" + i + "}";
            acks.add(producer.send(new ProducerRecord<>(
                    TOPIC,
                    i % PARTITIONS,
                    ("k" + i).getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8))));
        }
        for (Future<RecordMetadata> f : acks) {
            RecordMetadata m = f.get(60, TimeUnit.SECONDS);
            offsets.add(m.partition() + ":" + m.offset());
        }
    }

    /** The next offset per partition after everything produced so far. */
    private static Map<TopicPartition, Long> ends(List<String> offsets) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String o : offsets) {
            String[] po = o.split(":");
            ends.merge(new TopicPartition(TOPIC, Integer.parseInt(po[0])), Long.parseLong(po[1]) + 1, Math::max);
        }
        return ends;
    }

    /** Waits until every produced event is in the table or the dead-letter table. */
    private static void awaitLanded(List<String> offsets) {
        Set<String> expected = new HashSet<>(offsets);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions() // the dead-letter table is created with the first dead letter
                .until(() -> {
                    Set<String> landed = new HashSet<>();
                    pg.column("SELECT \"KAFKA_PARTITION\" || ':' || \"KAFKA_OFFSET\" FROM " + bronze()
                                    + " UNION ALL SELECT \"KAFKA_PARTITION\" || ':' || \"KAFKA_OFFSET\" FROM "
                                    + deadLetters())
                            .forEach(o -> landed.add((String) o));
                    return landed.containsAll(expected);
                });
    }

    /** Waits until every produced event has landed and Connect has committed up to the end of every partition. */
    private static Map<TopicPartition, Long> awaitLandedAndCommitted(List<String> offsets) {
        awaitLanded(offsets);
        Map<TopicPartition, Long> ends = ends(offsets);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> broker.committedOffsets(GROUP).equals(ends));
        return ends;
    }

    private static String deadLetters() {
        return SCHEMA + ".\"BRONZE_DEAD_LETTER\"";
    }

    private static String bronze() {
        return SCHEMA + ".\"CRASH_ORDERS_RAW\"";
    }

    @Test
    void shouldLandEveryRecordExactlyOnceWhenAWorkerIsKilledMidStream() throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", BronzeSinkConnector.class.getName());
        config.put("tasks.max", "2");
        config.put("topics", TOPIC);
        config.put("key.converter", SinkRecords.BYTE_ARRAY_CONVERTER);
        config.put("value.converter", SinkRecords.BYTE_ARRAY_CONVERTER);
        config.put("header.converter", SinkRecords.BYTE_ARRAY_CONVERTER);
        config.put("bronze.warehouse.url", pg.jdbcUrl());
        config.put("bronze.warehouse.schema", SCHEMA);
        String body = JSON.writeValueAsString(config);
        Worker first = workers.get(0);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() ->
                        put(first, "/connectors/" + CONNECTOR + "/config", body).statusCode() / 100 == 2);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> runningTasks(first, 2));
        String ledger = SCHEMA + ".\"BRONZE_INGESTION_LOG\"";

        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
        List<String> offsets = new ArrayList<>();
        long rowsAtKill;
        Map<TopicPartition, Long> committedAtKill;
        Worker killed;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            // The kill window, made deterministic: the table holds rows past the committed offset of every partition.
            // Land a first part and wait until Connect has committed all of it; then land one more chunk and check that
            // no offset commit (every offset.flush.interval.ms) came in between. If one did, commit-wait and try again.
            produce(producer, offsets, FIRST_PART);
            awaitLandedAndCommitted(offsets);
            String workerId =
                    status(first).path("tasks").get(0).path("worker_id").asText();
            int port = Integer.parseInt(workerId.substring(workerId.lastIndexOf(':') + 1));
            killed = workers.stream()
                    .filter(w -> w.port() == port)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no worker listens on " + workerId));
            Map<TopicPartition, Long> before = broker.committedOffsets(GROUP);
            for (int attempt = 1; ; attempt++) {
                produce(producer, offsets, CHUNK);
                awaitLanded(offsets);
                if (broker.committedOffsets(GROUP).equals(before)) {
                    break; // rows of the last chunk are in the table on every partition; none of them is committed
                }
                assertThat(attempt)
                        .as("attempts to land a chunk between two offset commits (interval %d ms)", FLUSH_INTERVAL_MS)
                        .isLessThan(MAX_ATTEMPTS);
                before = awaitLandedAndCommitted(offsets);
            }
            rowsAtKill = pg.count("SELECT COUNT(*) FROM " + bronze());
            killed.process().destroyForcibly(); // SIGKILL: no task stop, no offset commit, no group leave
            assertThat(killed.process().waitFor(30, TimeUnit.SECONDS))
                    .as("the worker JVM died")
                    .isTrue();
            assertThat(killed.process().exitValue())
                    .as("exit status of a SIGKILLed JVM")
                    .isEqualTo(137);
            committedAtKill = broker.committedOffsets(GROUP);
            // The rest of the stream goes to the survivor, which takes the dead worker's tasks over.
            produce(producer, offsets, EVENTS - offsets.size());
        }
        Worker survivor = workers.stream().filter(w -> w != killed).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> committed() == EVENTS);
        assertThat(runningTasks(survivor, 2))
                .as("the surviving worker runs both tasks")
                .isTrue();

        Set<String> expectedDead = new HashSet<>();
        Set<String> expectedRows = new HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
            (malformed(i) ? expectedDead : expectedRows).add(offsets.get(i));
        }
        Set<String> landed = new HashSet<>();
        pg.column("SELECT \"KAFKA_PARTITION\" || ':' || \"KAFKA_OFFSET\" FROM " + bronze())
                .forEach(o -> landed.add((String) o));
        List<Object> deadRows =
                pg.column("SELECT \"KAFKA_PARTITION\" || ':' || \"KAFKA_OFFSET\" FROM " + deadLetters());
        Set<String> dead = new HashSet<>();
        deadRows.forEach(o -> dead.add((String) o));
        long rows = pg.count("SELECT COUNT(*) FROM " + bronze());
        long distinct = pg.count("SELECT COUNT(DISTINCT \"INGESTION_ID\") FROM " + bronze());
        // Offsets written twice: covered by ledger entries of two different batches (written, then re-delivered).
        long rewritten =
                pg.count("SELECT COUNT(*) FROM " + bronze() + " b WHERE (SELECT COUNT(*) FROM " + ledger + " l WHERE "
                        + "l.\"SOURCE_TOPIC\" = b.\"SOURCE_TOPIC\" AND l.\"KAFKA_PARTITION\" = b.\"KAFKA_PARTITION\" AND "
                        + "b.\"KAFKA_OFFSET\" BETWEEN l.\"FIRST_OFFSET\" AND l.\"LAST_OFFSET\") > 1");
        System.out.printf(
                "connect crash: produced=%d rows=%d distinct=%d missing=%d dead-lettered=%d (rows %d) "
                        + "rows-at-kill=%d committed-at-kill=%d re-delivered-rows=%d killed-worker=%d%n",
                EVENTS,
                rows,
                distinct,
                expectedRows.stream().filter(o -> !landed.contains(o)).count(),
                dead.size(),
                deadRows.size(),
                rowsAtKill,
                committedAtKill.values().stream().mapToLong(Long::longValue).sum(),
                rewritten,
                killed.port());

        assertThat(rowsAtKill).as("rows when the worker was killed: mid-stream").isLessThan(EVENTS / 2);
        assertThat(committedAtKill.values().stream().mapToLong(Long::longValue).sum())
                .as("offsets committed when the worker was killed: less than what was in the tables")
                .isLessThan(rowsAtKill);
        assertThat(rows).as("duplicate ingestion ids").isEqualTo(distinct);
        assertThat(landed).as("landed offsets (missing or extra)").isEqualTo(expectedRows);
        assertThat(deadRows).as("dead letters, each once").hasSize(expectedDead.size());
        assertThat(dead).as("dead-lettered offsets").isEqualTo(expectedDead);
        assertThat(rewritten)
                .as("rows the killed worker wrote without committing their offsets, re-delivered to the "
                        + "survivor (proof that the kill skipped the offset commit)")
                .isPositive();
    }
}
