package io.flowguard.bronze.examples.flowguard;

// Size note: over 400 lines because a demo script read top to bottom (start, send, crash, restart, report); it is an
// example, not library code.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowguard.bronze.core.BronzeMeters;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.testkit.FlowGuardTraffic;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

// Slightly over the ~400-line guide: a runnable walkthrough reads best top to bottom in one file; the part that must be
// right, the reconciliation, is its own class (Reconciliation) with its own tests.
/**
 * The FlowGuard system end to end on embedded defaults ({@code bin/demo}): an in-JVM Kafka broker, a warehouse (a DuckDB
 * file, or an embedded PostgreSQL with {@code --warehouse postgres}), the {@link EventsGateway}, and an ingestion engine
 * running beside the gateway. Generated FlowGuard traffic (orders and clicks, schema v1 and v2) goes through the gateway
 * over HTTP; the malformed share is rejected there with 400 and then written straight to Kafka by a "legacy producer"
 * that bypasses the gateway, so the engine dead-letters it. Mid-stream the engine is aborted (a crash: no drain, no final
 * commit) while the gateway keeps accepting; a new engine takes over. The report then reads the warehouse only: rows per
 * table, the Silver views by schema version, dead letters by reason, what the ledger says landed between the crash and
 * the end, and a last line {@code RECONCILED produced=P landed=L dead_lettered=D skipped=S duplicates=0 missing=0}
 * that classifies every acknowledged Kafka offset by what the warehouse holds for it.
 *
 * <p>Arguments: {@code [--events N (default 5000)] [--warehouse duckdb|postgres] [--duckdb-file F (default
 * target/flowguard-demo.duckdb)]}. Exits 1 when the numbers do not reconcile.
 *
 * @since 0.2.0
 */
public final class FlowGuardDemo {
    static final String GROUP = "flowguard-bronze";
    static final List<String> TOPICS = List.of("orders", "clicks");
    private static final int EVENTS_PER_REQUEST = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowGuardDemo() {}

    /** The demo's settings. */
    record Options(int events, DemoWarehouse.Kind warehouse, Path duckdbFile, boolean serve, int gatewayPort) {
        Options(int events, DemoWarehouse.Kind warehouse, Path duckdbFile) {
            this(events, warehouse, duckdbFile, false, 0);
        }

        static Options parse(String[] args) {
            int events = 5_000;
            DemoWarehouse.Kind warehouse = DemoWarehouse.Kind.DUCKDB;
            Path file = Path.of("target/flowguard-demo.duckdb");
            boolean serve = false;
            int port = 8000;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--events" -> events = positive(value(args, ++i, a), a);
                    case "--warehouse" -> warehouse = DemoWarehouse.Kind.parse(value(args, ++i, a));
                    case "--duckdb-file" -> file = Path.of(value(args, ++i, a));
                    case "--serve" -> serve = true;
                    case "--gateway-port" -> port = port(value(args, ++i, a));
                    case "-h", "--help" -> throw new IllegalArgumentException("usage");
                    default -> {
                        if (a.matches("\\d+")) {
                            events = positive(a, "events");
                        } else {
                            throw new IllegalArgumentException("unknown argument '" + a + "'");
                        }
                    }
                }
            }
            return new Options(events, warehouse, file, serve, port);
        }

        private static int port(String v) {
            try {
                int n = Integer.parseInt(v);
                if (n >= 0 && n <= 65_535) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--gateway-port must be within [0, 65535], but was '" + v + "'");
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        private static int positive(String v, String flag) {
            try {
                int n = Integer.parseInt(v);
                if (n >= 100) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(flag + " must be a whole number >= 100, but was '" + v + "'");
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage() + "\nusage: bin/demo [--events N (default 5000)] "
                    + "[--warehouse duckdb|postgres (default duckdb)] [--duckdb-file F (default target/flowguard-demo.duckdb)]"
                    + "\n       bin/demo --serve [--warehouse duckdb|postgres] [--gateway-port P (default 8000)]");
            System.exit(2);
            return;
        }
        if (options.serve()) {
            serve(options, System.out);
            return;
        }
        Reconciliation r = run(options, System.out);
        System.exit(r.reconciled() ? 0 : 1);
    }

    static Reconciliation run(Options options, PrintStream out) throws Exception {
        long start = System.nanoTime();
        out.printf("== FlowGuard demo: %d events through the gateway into %s%n", options.events(), options.warehouse());
        Reconciliation result;
        try (KafkaBroker kafka = KafkaBroker.create().start();
                DemoWarehouse warehouse = DemoWarehouse.open(options.warehouse(), options.duckdbFile())) {
            for (String topic : TOPICS) {
                kafka.createTopic(topic, 3);
            }
            out.printf(
                    "Kafka (in-JVM) at %s, topics %s with 3 partitions each; warehouse %s%n",
                    kafka.bootstrapServers(), TOPICS, warehouse);
            List<FlowGuardTraffic.Event> all =
                    FlowGuardTraffic.builder().topics(TOPICS).build().next(options.events());
            Sent sent = new Sent();
            try (EventsGateway gateway = EventsGateway.builder()
                    .name("flowguard-gateway")
                    .bootstrapServers(kafka.bootstrapServers())
                    .topics(TOPICS.toArray(String[]::new))
                    .start()) {
                GatewayClient client = new GatewayClient(gateway.uri());
                out.printf("gateway listening on %s (POST /events/{topic})%n%n", gateway.uri());
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                int half = all.size() / 2;

                IngestionEngine first = engine(kafka, warehouse, registry, "flowguard-1");
                send(client, kafka, all.subList(0, half), sent, out);
                awaitTrue(() -> landed(registry) >= half / 3.0, Duration.ofSeconds(60));
                first.abort();
                Instant crashedAt = Instant.now();
                out.printf(
                        "engine flowguard-1 CRASHED on purpose at %s (abort: no drain, no final commit); committed so far: %d of %d%n",
                        crashedAt, sum(kafka.committedOffsets(GROUP)), sent.acknowledged());

                send(client, kafka, all.subList(half, all.size()), sent, out);
                out.printf(
                        "the gateway kept accepting while no engine ran: %d events acknowledged in total%n",
                        sent.acknowledged());
                IngestionEngine second = engine(kafka, warehouse, new SimpleMeterRegistry(), "flowguard-2");
                long end = endOffsets(kafka);
                awaitTrue(() -> sum(kafka.committedOffsets(GROUP)) == end, Duration.ofSeconds(120));
                second.close();
                Instant caughtUp = Instant.now();
                out.printf(
                        "engine flowguard-2 took over, caught up with all %d offsets and closed at %s%n%n",
                        end, caughtUp);

                report(warehouse, out, sent, crashedAt, caughtUp.plusMillis(1));
                long rejected = sent.rejections.values().stream()
                        .mapToLong(Integer::longValue)
                        .sum();
                List<Reconciliation.Coordinate> acknowledged;
                synchronized (sent.coordinates) {
                    acknowledged = List.copyOf(sent.coordinates);
                }
                result = Reconciliation.count(warehouse.dataSource(), endOffsets(kafka), acknowledged, rejected);
            }
        }
        System.err.flush(); // the broker's shutdown logging goes before the result lines, not after them
        if (options.warehouse() == DemoWarehouse.Kind.DUCKDB) {
            out.printf(
                    "explore the warehouse it left: bin/bronze landed --jdbc-url jdbc:duckdb:%s --from -1h --by schema_version%n",
                    options.duckdbFile().toAbsolutePath());
        }
        out.printf(
                Locale.ROOT,
                "demo took %.1f s; the line below is counted in the warehouse (Bronze, dead letters, ledger), not taken from the engine%n",
                (System.nanoTime() - start) / 1e9);
        out.println(result.line());
        return result;
    }

    /**
     * Starts the broker, the warehouse, the gateway and an engine beside it, writes {@code target/flowguard.env} (the
     * endpoints as shell exports for curl, psql and the {@code bronze} CLI) and runs until the JVM is stopped (Ctrl-C),
     * then closes everything: the engine drains first.
     */
    static void serve(Options options, PrintStream out) throws Exception {
        KafkaBroker kafka = KafkaBroker.create().start();
        for (String topic : TOPICS) {
            kafka.createTopic(topic, 3);
        }
        DemoWarehouse warehouse = DemoWarehouse.open(options.warehouse(), options.duckdbFile());
        EventsGateway gateway = EventsGateway.builder()
                .name("flowguard-gateway")
                .bootstrapServers(kafka.bootstrapServers())
                .topics(TOPICS.toArray(String[]::new))
                .port(options.gatewayPort())
                .start();
        IngestionEngine engine = engine(kafka, warehouse, new SimpleMeterRegistry(), "flowguard");
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println("stopping: engine (drain), gateway, warehouse, Kafka");
                            for (AutoCloseable c : List.<AutoCloseable>of(engine::close, gateway, warehouse, kafka)) {
                                try {
                                    c.close();
                                } catch (Exception e) {
                                    System.err.println("demo: could not close " + c + ": " + e);
                                }
                            }
                            stopped.countDown();
                        },
                        "flowguard-demo-shutdown"));
        StringBuilder env = new StringBuilder();
        env.append("export FLOWGUARD_GATEWAY=").append(gateway.uri()).append('\n');
        env.append("export BRONZE_BOOTSTRAP_SERVERS=")
                .append(kafka.bootstrapServers())
                .append('\n');
        env.append("export BRONZE_GROUP=").append(GROUP).append('\n');
        env.append("export BRONZE_JDBC_URL='").append(warehouse.jdbcUrl()).append("'\n");
        warehouse
                .psqlUrl()
                .ifPresent(url -> env.append("export PGURL='").append(url).append("'\n"));
        Path envFile = Path.of("target/flowguard.env").toAbsolutePath();
        java.nio.file.Files.createDirectories(envFile.getParent());
        java.nio.file.Files.writeString(envFile, env);
        System.err.flush();
        out.printf(
                "FlowGuard is up: gateway %s, Kafka %s, warehouse %s, engine flowguard (group %s) beside the gateway.%n",
                gateway.uri(), kafka.bootstrapServers(), warehouse, GROUP);
        out.printf("Endpoints for curl, psql and bin/bronze: source %s%n", envFile);
        if (options.warehouse() == DemoWarehouse.Kind.DUCKDB) {
            out.println("(DuckDB lets one process open the file: stop this one before pointing bin/bronze at it)");
        }
        out.println("Ctrl-C stops it.");
        stopped.await();
    }

    private static IngestionEngine engine(
            KafkaBroker kafka, DemoWarehouse warehouse, SimpleMeterRegistry registry, String name) {
        return IngestionEngine.builder()
                .name(name)
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(GROUP)
                .topics(TOPICS)
                .sink(warehouse.sink())
                .deadLetterSink(warehouse.deadLetterSink())
                .maxBatchWait(Duration.ofMillis(300))
                .meterRegistry(registry)
                .deadLetterRateThreshold(0.05) // the generated traffic is about 1% malformed on purpose
                .start();
    }

    /** What the demo's producers were told: every acknowledged coordinate, and the gateway's 400 reasons. */
    static final class Sent {
        final List<Reconciliation.Coordinate> coordinates = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Integer> rejections = Collections.synchronizedMap(new TreeMap<>());
        volatile String sample202;
        volatile String sample400;

        long acknowledged() {
            return coordinates.size();
        }
    }

    /**
     * Sends the valid events through the gateway (arrays of {@value #EVENTS_PER_REQUEST}; every fifth array without
     * {@code event_id}, which the gateway then generates), posts each malformed one (expecting 400), and writes the
     * malformed ones straight to Kafka as a producer that bypasses the gateway would.
     */
    private static void send(
            GatewayClient client, KafkaBroker kafka, List<FlowGuardTraffic.Event> events, Sent sent, PrintStream out)
            throws Exception {
        List<FlowGuardTraffic.Event> valid =
                events.stream().filter(FlowGuardTraffic.Event::valid).toList();
        List<FlowGuardTraffic.Event> malformed =
                events.stream().filter(e -> !e.valid()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (String topic : TOPICS) {
                List<FlowGuardTraffic.Event> ofTopic =
                        valid.stream().filter(e -> e.topic().equals(topic)).toList();
                for (int from = 0; from < ofTopic.size(); from += EVENTS_PER_REQUEST) {
                    List<FlowGuardTraffic.Event> chunk =
                            ofTopic.subList(from, Math.min(from + EVENTS_PER_REQUEST, ofTopic.size()));
                    boolean withoutIds = (from / EVENTS_PER_REQUEST) % 5 == 4;
                    requests.add(pool.submit(() -> {
                        postValid(client, topic, chunk, withoutIds, sent);
                        return null;
                    }));
                }
            }
            for (FlowGuardTraffic.Event e : malformed) {
                // Over HTTP an array is a batch of events, so the Kafka-level "array instead of an object" is posted as
                // an
                // array holding that array: for the gateway, too, an event that is not an object.
                byte[] body = e.malformation() == FlowGuardTraffic.Malformation.NOT_AN_OBJECT
                        ? ("[" + e.valueText() + "]").getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        : e.value();
                requests.add(pool.submit(() -> {
                    GatewayClient.Answer a = client.post(e.topic(), body, null);
                    if (a.status() != 400) {
                        throw new IllegalStateException(
                                "the gateway answered " + a.status() + " to a malformed event: " + a.body());
                    }
                    sent.sample400 = a.body().toString();
                    sent.rejections.merge(reason(a.body().get("error").asText()), 1, Integer::sum);
                    return null;
                }));
            }
            for (Future<?> f : requests) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String topic : TOPICS) {
            List<ProducerRecord<byte[], byte[]>> legacy = malformed.stream()
                    .filter(e -> e.topic().equals(topic))
                    .map(FlowGuardTraffic.Event::toProducerRecord)
                    .toList();
            for (RecordMetadata m : kafka.produce(topic, legacy)) {
                sent.coordinates.add(new Reconciliation.Coordinate(m.topic(), m.partition(), m.offset()));
            }
        }
        long v2 = valid.stream().filter(e -> "v2".equals(e.schemaVersion())).count();
        out.printf(
                "sent %d events over HTTP: %d valid (%d v1, %d v2) answered 202, %d malformed answered 400; "
                        + "a legacy producer wrote those %d straight to Kafka%n",
                events.size(), valid.size(), valid.size() - v2, v2, malformed.size(), malformed.size());
    }

    private static void postValid(
            GatewayClient client, String topic, List<FlowGuardTraffic.Event> chunk, boolean withoutIds, Sent sent)
            throws Exception {
        ArrayNode body = JSON.createArrayNode();
        for (FlowGuardTraffic.Event e : chunk) {
            JsonNode event = JSON.readTree(e.value());
            if (withoutIds) {
                ((ObjectNode) event).remove("event_id");
            }
            body.add(event);
        }
        GatewayClient.Answer a = client.post(topic, JSON.writeValueAsBytes(body), null);
        if (a.status() != 202) {
            throw new IllegalStateException(
                    "the gateway answered " + a.status() + " to " + chunk.size() + " valid events: " + a.body());
        }
        if (sent.sample202 == null || withoutIds) {
            JsonNode firstEvent = a.body().get("events").get(0);
            sent.sample202 = "{\"accepted\":" + a.body().get("accepted") + ",\"events\":[" + firstEvent + ", ...]}";
        }
        for (JsonNode ev : a.body().get("events")) {
            sent.coordinates.add(new Reconciliation.Coordinate(
                    ev.get("topic").asText(),
                    ev.get("partition").asInt(),
                    ev.get("offset").asLong()));
        }
    }

    /** The gateway's 400 reason without the details that differ per event (positions, characters). */
    private static String reason(String error) {
        int paren = error.indexOf(" (");
        String shortened = paren > 0 ? error.substring(0, paren) : error;
        int colon = shortened.indexOf(": ", shortened.startsWith("the event: ") ? "the event: ".length() : 0);
        return colon > 0 && shortened.startsWith("the body is not valid JSON")
                ? shortened.substring(0, colon)
                : shortened;
    }

    private static void report(DemoWarehouse warehouse, PrintStream out, Sent sent, Instant t1, Instant t2)
            throws SQLException {
        out.println("-- The gateway's answers (what producers were told)");
        out.println("202 e.g. " + sent.sample202);
        out.println("400 e.g. " + sent.sample400);
        sent.rejections.forEach((reason, n) -> out.printf("  400 x %-3d %s%n", n, reason));
        out.println();
        try (Connection c = warehouse.dataSource().getConnection();
                Statement st = c.createStatement()) {
            SilverViews.create(c, warehouse.silver());
            Table.print(
                    st,
                    out,
                    "Rows per Bronze table (rows = distinct ingestion ids: nothing landed twice)",
                    "SELECT 'ORDERS_RAW' AS table_name, COUNT(*) AS row_count, COUNT(DISTINCT \"INGESTION_ID\") AS distinct_ids, "
                            + "COUNT(DISTINCT \"EVENT_ID\") AS distinct_event_ids FROM \"ORDERS_RAW\" UNION ALL "
                            + "SELECT 'CLICKS_RAW', COUNT(*), COUNT(DISTINCT \"INGESTION_ID\"), COUNT(DISTINCT \"EVENT_ID\") FROM \"CLICKS_RAW\"");
            Table.print(
                    st,
                    out,
                    "Silver by schema version (v1 sends user_id, v2 customer_id: both read as CUSTOMER_ID)",
                    "SELECT view_name, \"SCHEMA_VERSION\" AS schema_version, COUNT(*) AS row_count, COUNT(\"CUSTOMER_ID\") AS with_customer_id, "
                            + "MIN(\"CUSTOMER_ID\") AS min_customer_id, MAX(\"CUSTOMER_ID\") AS max_customer_id FROM ("
                            + "SELECT 'ORDERS_SILVER' AS view_name, \"SCHEMA_VERSION\", \"CUSTOMER_ID\" FROM \"ORDERS_SILVER\" UNION ALL "
                            + "SELECT 'CLICKS_SILVER', \"SCHEMA_VERSION\", \"CUSTOMER_ID\" FROM \"CLICKS_SILVER\") s "
                            + "GROUP BY view_name, \"SCHEMA_VERSION\" ORDER BY view_name DESC, \"SCHEMA_VERSION\"");
            Table.print(
                    st,
                    out,
                    "Silver orders: revenue by restaurant and schema version (typed columns)",
                    "SELECT \"RESTAURANT_NAME\" AS restaurant, \"SCHEMA_VERSION\" AS schema_version, COUNT(*) AS orders, "
                            + "SUM(\"TOTAL_PRICE\") AS revenue_eur FROM \"ORDERS_SILVER\" WHERE \"EVENT_TYPE\" = 'order_paid' "
                            + "GROUP BY 1, 2 ORDER BY 4 DESC, 1, 2 LIMIT 4");
            Table.print(
                    st,
                    out,
                    "Dead letters by reason (what the legacy producer wrote past the gateway)",
                    "SELECT \"SOURCE_TOPIC\" AS topic, \"STAGE\" AS stage, \"ERROR_CLASS\" AS error, COUNT(*) AS dead_letters "
                            + "FROM \"BRONZE_DEAD_LETTER\" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3");
        }
        IngestionLedger ledger = IngestionLedger.builder(warehouse.dataSource(), warehouse.dialect())
                .build();
        List<IngestionLedger.Entry> entries = ledger.landedBetween(t1, t2, Optional.empty());
        out.printf(
                "-- What landed between T1 = %s (the crash) and T2 = %s (caught up), from the ingestion ledger%n",
                t1, t2);
        Map<String, long[]> byTopic = new TreeMap<>();
        for (IngestionLedger.Entry e : entries) {
            long[] t = byTopic.computeIfAbsent(e.topic(), k -> new long[4]);
            t[0]++;
            t[1] += e.rowsLanded();
            t[2] += e.rowsInserted() == null ? 0 : e.rowsInserted();
            t[3] += e.rowsDeadLettered();
        }
        out.printf("%-8s %12s %12s %10s %14s%n", "topic", "ledger_rows", "rows_landed", "new_rows", "dead_lettered");
        byTopic.forEach((topic, t) -> out.printf("%-8s %12d %12d %10d %14d%n", topic, t[0], t[1], t[2], t[3]));
        out.println(
                "(rows_landed - new_rows = rows engine 1 had written but not committed: re-delivered after the crash and "
                        + "absorbed by INGESTION_ID)");
        out.println();
    }

    private static double landed(SimpleMeterRegistry registry) {
        return registry.find(BronzeMeters.RECORDS_LANDED).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private static long endOffsets(KafkaBroker kafka) {
        long total = 0;
        for (String topic : TOPICS) {
            total += sum(kafka.endOffsets(topic));
        }
        return total;
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("demo timed out after " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
