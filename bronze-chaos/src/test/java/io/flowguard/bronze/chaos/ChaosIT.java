package io.flowguard.bronze.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.testkit.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chaos with real processes: the engine runs in child JVMs ({@link ChaosEngineMain}) against the test's in-JVM Kafka
 * broker and embedded PostgreSQL, while a producer streams {@value #EVENTS} events (about 1% malformed) over about a
 * minute into a {@value #PARTITIONS}-partition topic. Meanwhile the engine is killed with SIGKILL at random moments
 * {@value #KILLS} times and restarted each time; PostgreSQL is stopped for {@link #DB_OUTAGE} and started again on the
 * same port and data directory; the broker is restarted; a second engine joins the group and leaves it.
 *
 * <p>Afterwards every offset of the topic must be in the Bronze table or the dead-letter table exactly once, and no
 * member may have been evicted from the group. Eviction is asserted from the child logs: neither Kafka's
 * {@code "consumer poll timeout has expired"} warning (a member that did not poll within {@code max.poll.interval.ms},
 * set to {@value ChaosEngineMain#MAX_POLL_INTERVAL_MS} ms, shorter than the outage) nor the engine's
 * {@code "partitions lost"} warning (its reaction to being fenced out of the group) may appear, and no engine may reach
 * {@code FAILED}.
 *
 * <p>Prints one line: {@code chaos: produced=P landed=L dead_lettered=D duplicates=0 missing=0 kills=K}. Child logs are
 * kept in {@code target/chaos-logs/} and their tails printed when the test fails. Set {@code -Dchaos.seed=N} to replay a
 * schedule.
 */
class ChaosIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    static final int EVENTS = 100_000;
    static final int PARTITIONS = 6;
    static final int KILLS = 5;
    static final Duration PRODUCE_SPAN = Duration.ofSeconds(60);
    static final Duration DB_OUTAGE = Duration.ofSeconds(20);
    static final String DEAD_LETTER_TABLE = "BRONZE_DEAD_LETTER";
    private static final Path LOG_DIR = Paths.get("target", "chaos-logs");

    private static EmbeddedPostgres postgres;
    private static Path pgDataDir;
    private static int pgPort;

    private final List<ChildJvm> children = new ArrayList<>();
    private ScheduledExecutorService producerThread;

    @BeforeAll
    static void startPostgres() throws IOException {
        pgDataDir = Files.createDirectories(Paths.get("target", "chaos-pg"))
                .toAbsolutePath()
                .resolve("data-" + System.currentTimeMillis());
        try (ServerSocket s = new ServerSocket(0)) {
            pgPort = s.getLocalPort();
        }
        postgres = startPostgresOnSameDirectory();
    }

    /** Starts PostgreSQL on {@link #pgPort} with {@link #pgDataDir}, keeping the data directory when closed. */
    private static EmbeddedPostgres startPostgresOnSameDirectory() throws IOException {
        return EmbeddedPostgres.builder()
                .setPort(pgPort)
                .setDataDirectory(pgDataDir.toFile())
                .setCleanDataDirectory(false)
                .start();
    }

    @AfterEach
    void killChildrenAndProducer() {
        if (producerThread != null) {
            producerThread.shutdownNow();
        }
        for (ChildJvm c : children) {
            if (c.isAlive()) {
                c.kill();
            }
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
        if (pgDataDir != null && Files.exists(pgDataDir)) {
            try (Stream<Path> files = Files.walk(pgDataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void shouldLandOrDeadLetterEveryOffsetExactlyOnceThroughKillsDatabaseOutageBrokerRestartAndRebalances()
            throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        String topic = KAFKA.createUniqueTopic("chaos", PARTITIONS);
        String table = topic.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9_]", "_") + "_RAW";
        String group = "chaos-" + topic;
        String jdbcUrl = "jdbc:postgresql://localhost:" + pgPort + "/postgres?user=postgres";
        Producer producer = new Producer(topic, new Random(seed ^ 0x5DEECE66DL));
        int kills = 0;
        try {
            ChildJvm a = startEngine("engine-a-0", topic, group, jdbcUrl);
            producerThread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "chaos-producer"));
            long tickMillis = 100;
            int perTick = (int) Math.ceil(EVENTS / (double) (PRODUCE_SPAN.toMillis() / tickMillis));
            producerThread.scheduleAtFixedRate(() -> producer.tick(perTick), 0, tickMillis, TimeUnit.MILLISECONDS);

            // 1. SIGKILL at random moments: either right after the new member got its partitions, or after random
            // progress.
            for (int k = 1; k <= KILLS; k++) {
                ChildJvm victim = a;
                if (random.nextInt(3) == 0) {
                    await("engine %s assigned".formatted(victim.label()))
                            .atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> victim.log().contains("partitions assigned"));
                } else {
                    long target = stored(table, topic) + 500 + random.nextInt(5_000);
                    await("progress to %d rows before kill %d".formatted(target, k))
                            .atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> stored(table, topic) >= target || producer.done() && caughtUp(group, topic));
                }
                victim.kill();
                kills++;
                a = startEngine("engine-a-" + k, topic, group, jdbcUrl);
            }
            awaitProgress(table, topic, group, producer);

            // 2. The database goes away for DB_OUTAGE while the engine keeps polling (paused) and retries with backoff.
            ChildJvm engineA = a;
            postgres.close();
            await("the engine retries through the outage")
                    .pollDelay(DB_OUTAGE)
                    .atMost(DB_OUTAGE.plusSeconds(30))
                    .untilAsserted(() -> {
                        assertThat(engineA.isAlive())
                                .as("engine process alive during the outage")
                                .isTrue();
                        assertThat(engineA.log()).as("engine retried the write").contains("failed (attempt");
                    });
            postgres = startPostgresOnSameDirectory();
            awaitProgress(table, topic, group, producer);

            // 3. The broker restarts (same port, data kept).
            KAFKA.restartBroker();
            awaitProgress(table, topic, group, producer);

            // 4. A second engine joins the group, writes, and leaves it (SIGTERM: drains, commits, leaves).
            ChildJvm b = startEngine("engine-b", topic, group, jdbcUrl);
            await("engine-b wrote a batch")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> b.log().contains("[engine-b] batch 1 written"));
            b.terminate(60);
            assertThat(b.log()).as("engine-b closed cleanly").contains("state DRAINING -> CLOSED");

            // 5. Everything produced is accounted for and committed.
            await("producer finished").atMost(Duration.ofSeconds(120)).until(producer::done);
            assertThat(producer.error.get()).as("producer errors").isNull();
            await("group caught up")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> caughtUp(group, topic));
            assertThat(a.isAlive()).as("engine-a still running").isTrue();

            Map<TopicPartition, Long> ends = KAFKA.endOffsets(topic);
            long produced = ends.values().stream().mapToLong(Long::longValue).sum();
            Accounting landed =
                    read(table, "SELECT \"KAFKA_PARTITION\", \"KAFKA_OFFSET\", \"INGESTION_ID\" FROM \"" + table + '"');
            Accounting dead = read(
                    table,
                    "SELECT \"KAFKA_PARTITION\", \"KAFKA_OFFSET\", \"INGESTION_ID\" FROM \"" + DEAD_LETTER_TABLE
                            + "\" WHERE \"SOURCE_TOPIC\" = '" + topic + '\'');
            long overlap = 0;
            long missing = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                BitSet both = (BitSet) landed.offsets[p].clone();
                both.and(dead.offsets[p]);
                overlap += both.cardinality();
                BitSet union = (BitSet) landed.offsets[p].clone();
                union.or(dead.offsets[p]);
                long end = ends.get(new TopicPartition(topic, p));
                missing += end - union.get(0, (int) end).cardinality();
                BitSet malformedNotDead = (BitSet) producer.malformed[p].clone();
                malformedNotDead.andNot(dead.offsets[p]);
                assertThat(malformedNotDead.cardinality())
                        .as("malformed events of partition %d not dead-lettered", p)
                        .isZero();
            }
            long duplicates = landed.duplicateRows + dead.duplicateRows + overlap;
            assertEvictionFree();
            System.out.printf(
                    "chaos: produced=%d landed=%d dead_lettered=%d duplicates=%d missing=%d kills=%d%n",
                    produced, landed.rows, dead.rows, duplicates, missing, kills);

            assertThat(produced)
                    .as("every acknowledged event is in the log")
                    .isGreaterThanOrEqualTo(producer.acked.get());
            assertThat(producer.acked.get()).isEqualTo(EVENTS);
            assertThat(landed.rows)
                    .as("Bronze: count(*) == count(distinct INGESTION_ID)")
                    .isEqualTo(landed.distinctIds);
            assertThat(dead.rows)
                    .as("dead letters: count(*) == count(distinct INGESTION_ID)")
                    .isEqualTo(dead.distinctIds);
            assertThat(duplicates).as("duplicates").isZero();
            assertThat(missing).as("missing").isZero();
            assertThat(landed.rows + dead.rows).isEqualTo(produced);
            if (produced == EVENTS) { // no chunk was half-sent and re-sent during the broker restart
                assertThat(dead.rows)
                        .as("dead letters are the malformed events")
                        .isEqualTo(producer.malformedCount.get());
            }
            assertThat(kills).isGreaterThanOrEqualTo(KILLS);
        } catch (Throwable t) {
            printChildLogs(seed);
            throw t;
        }
    }

    private ChildJvm startEngine(String name, String topic, String group, String jdbcUrl) {
        // PollLoop at DEBUG logs "batch N written" per batch, which the test reads to see that an engine took work.
        ChildJvm c = ChildJvm.start(
                name,
                LOG_DIR.resolve(name + ".log"),
                ChaosEngineMain.class,
                List.of(
                        "-Dorg.slf4j.simpleLogger.log.io.flowguard=info",
                        "-Dorg.slf4j.simpleLogger.log.io.flowguard.bronze.core.internal.PollLoop=debug"),
                List.of(KAFKA.bootstrapServers(), topic, group, jdbcUrl, name));
        children.add(c);
        await(name + " ready")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> c.log().contains(ChaosEngineMain.READY) || !c.isAlive());
        assertThat(c.isAlive())
                .as("%s started; log:%n%s", name, ChildJvm.tail(c.logFile(), 40))
                .isTrue();
        return c;
    }

    /** Waits until more rows are stored than now, or everything produced so far is committed. */
    private void awaitProgress(String table, String topic, String group, Producer producer) {
        long before = stored(table, topic);
        await("progress after " + before + " rows")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> stored(table, topic) > before || producer.done() && caughtUp(group, topic));
    }

    private static boolean caughtUp(String group, String topic) {
        Map<TopicPartition, Long> committed = KAFKA.committedOffsets(group);
        Map<TopicPartition, Long> ends = KAFKA.endOffsets(topic);
        return ends.entrySet().stream().allMatch(e -> e.getValue().equals(committed.getOrDefault(e.getKey(), -1L)));
    }

    /** Rows in the Bronze table plus dead letters of the topic; -1 while the database or a table is not there. */
    private static long stored(String table, String topic) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("SELECT (SELECT count(*) FROM \"" + table
                        + "\") + (SELECT count(*) FROM \"" + DEAD_LETTER_TABLE + "\" WHERE \"SOURCE_TOPIC\" = ?)")) {
            s.setString(1, topic);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + pgPort + "/postgres?user=postgres&connectTimeout=5");
    }

    /** Offsets per partition of one table's rows, with duplicate rows and distinct ingestion ids counted. */
    private static final class Accounting {
        final BitSet[] offsets = new BitSet[PARTITIONS];
        long rows;
        long duplicateRows;
        long distinctIds;

        Accounting() {
            for (int p = 0; p < PARTITIONS; p++) {
                offsets[p] = new BitSet();
            }
        }
    }

    private static Accounting read(String table, String sql) throws SQLException {
        Accounting a = new Accounting();
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                int p = rs.getInt(1);
                int o = Math.toIntExact(rs.getLong(2));
                a.rows++;
                if (a.offsets[p].get(o)) {
                    a.duplicateRows++;
                }
                a.offsets[p].set(o);
                ids.add(rs.getString(3));
            }
        }
        a.distinctIds = ids.size();
        return a;
    }

    /**
     * No member was evicted and no engine failed: Kafka logs {@code "consumer poll timeout has expired"} when a member
     * missed {@code max.poll.interval.ms}, and the engine logs {@code "partitions lost"} when the group fenced it out.
     */
    private void assertEvictionFree() {
        for (ChildJvm c : children) {
            String log = c.log();
            assertThat(log)
                    .as("%s: poll timeout (eviction)", c.label())
                    .doesNotContain("consumer poll timeout has expired");
            assertThat(log)
                    .as("%s: partitions lost (fenced out of the group)", c.label())
                    .doesNotContain("partitions lost");
            assertThat(log).as("%s: engine failed", c.label()).doesNotContain("-> FAILED");
        }
    }

    private void printChildLogs(long seed) {
        System.err.println("ChaosIT failed with -Dchaos.seed=" + seed + "; child logs in " + LOG_DIR.toAbsolutePath());
        for (ChildJvm c : children) {
            System.err.println("---- tail of " + c + " (" + c.logFile() + ") ----");
            System.err.println(ChildJvm.tail(c.logFile(), 60));
        }
    }

    /**
     * Streams {@value #EVENTS} events in chunks through the broker's shared producer, about 1% malformed (not JSON, invalid
     * UTF-8, a top-level array, truncated JSON), round-robin over the partitions; remembers where the malformed ones landed.
     * A chunk that failed (the broker restarting) is sent again on the next tick.
     */
    private static final class Producer {
        private final String topic;
        private final Random random;
        private final AtomicInteger next = new AtomicInteger();
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger malformedCount = new AtomicInteger();
        final BitSet[] malformed = new BitSet[PARTITIONS];
        final AtomicReference<Throwable> error = new AtomicReference<>();
        private List<ProducerRecord<byte[], byte[]>> pending;
        private List<Boolean> pendingFlags;
        private int failures;

        Producer(String topic, Random random) {
            this.topic = topic;
            this.random = random;
            for (int p = 0; p < PARTITIONS; p++) {
                malformed[p] = new BitSet();
            }
        }

        boolean done() {
            return acked.get() >= EVENTS;
        }

        /** Runs on the producer thread only. */
        void tick(int count) {
            if (pending == null) {
                int from = next.get();
                int to = Math.min(EVENTS, from + count);
                if (from >= to) {
                    return;
                }
                pending = new ArrayList<>(to - from);
                pendingFlags = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    boolean bad = random.nextInt(100) == 0;
                    byte[] value = bad ? malformedValue(i) : event(i).getBytes(StandardCharsets.UTF_8);
                    pending.add(new ProducerRecord<>(
                            topic, i % PARTITIONS, ("k-" + i).getBytes(StandardCharsets.UTF_8), value));
                    pendingFlags.add(bad);
                }
                next.set(to);
            }
            try {
                List<RecordMetadata> acks = KAFKA.produce(topic, pending);
                for (int j = 0; j < acks.size(); j++) {
                    if (pendingFlags.get(j)) {
                        RecordMetadata m = acks.get(j);
                        synchronized (malformed) {
                            malformed[m.partition()].set(Math.toIntExact(m.offset()));
                        }
                        malformedCount.incrementAndGet();
                    }
                }
                acked.addAndGet(acks.size());
                pending = null;
            } catch (RuntimeException e) {
                if (++failures > 50) {
                    error.compareAndSet(null, e);
                    pending = null;
                }
            }
        }

        private static String event(int i) {
            return "{\"event_id\":\"evt-" + i + "\",\"event_type\":\"page_view\",\"schema_version\":\"v2\","
                    + "\"user_id\":" + (i % 9973) + ",\"url\":\"/p/" + i + "\",\"ms\":" + (i % 1000) + "}";
        }

        private static byte[] malformedValue(int i) {
            switch (i % 4) {
                case 0:
                    return ("not json " + i).getBytes(StandardCharsets.UTF_8);
                case 1:
                    return new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
                case 2:
                    return ("[" + i + ",2,3]").getBytes(StandardCharsets.UTF_8);
                default:
                    return ("{\"event_id\":\"evt-" + i + "\",").getBytes(StandardCharsets.UTF_8);
            }
        }
    }
}
