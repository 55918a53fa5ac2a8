package io.flowguard.bronze.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.BronzeMeters;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.EngineHealth;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.TombstonePolicy;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus: every kind of malformed, oversized or odd record a topic can carry, interleaved with normal
 * events, through a real broker into the engine. Each input has a documented outcome (the table in
 * {@code docs/reliability.md} is this class's {@link #corpus()}): landed, dead-lettered at a stage, or skipped. The
 * engine never stops, and landed + dead-lettered + skipped equals produced.
 *
 * <p>Runs the corpus under each {@link TombstonePolicy} with in-memory sinks, and once against PostgreSQL through
 * {@link JdbcBronzeSink} and {@link JdbcDeadLetterSink}, where the warehouse itself rejects a few inputs the engine
 * accepts (stage {@code WRITE}).
 */
class BadInputCorpusIT {
    /** Large enough for the 5 MB record; the engine's own limit (4 MiB) is what rejects it. */
    private static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create(Map.of(
            "message.max.bytes",
            Integer.toString(MAX_MESSAGE_BYTES),
            "replica.fetch.max.bytes",
            Integer.toString(MAX_MESSAGE_BYTES)));

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static KafkaProducer<byte[], byte[]> producer;
    private IngestionEngine engine;

    /** Where a record ended up. */
    enum Fate {
        LANDED,
        DEAD_LETTERED,
        SKIPPED
    }

    /** The documented outcome of one input. */
    record Outcome(Fate fate, DeadLetter.Stage stage) {
        static final Outcome LANDED = new Outcome(Fate.LANDED, null);
        static final Outcome SKIPPED = new Outcome(Fate.SKIPPED, null);

        static Outcome dead(DeadLetter.Stage stage) {
            return new Outcome(Fate.DEAD_LETTERED, stage);
        }

        @Override
        public String toString() {
            return fate == Fate.DEAD_LETTERED
                    ? "dead-lettered " + stage
                    : fate.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which sinks a run uses. */
    enum Warehouse {
        IN_MEMORY,
        POSTGRES
    }

    /**
     * One corpus entry: a record to produce and its outcome per tombstone policy and warehouse.
     *
     * @param postgres the outcome with PostgreSQL when it differs from the in-memory one (the warehouse rejects it), or null
     */
    record Input(
            String name,
            byte[] key,
            byte[] value,
            List<RecordHeader> headers,
            Map<TombstonePolicy, Outcome> outcome,
            Outcome postgres) {
        Outcome expected(TombstonePolicy policy, Warehouse warehouse) {
            return warehouse == Warehouse.POSTGRES && postgres != null ? postgres : outcome.get(policy);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Input input(String name, byte[] value, Outcome outcome) {
        return new Input(name, utf8("k-" + name), value, List.of(), allPolicies(outcome), null);
    }

    private static Input input(String name, String value, Outcome outcome) {
        return input(name, utf8(value), outcome);
    }

    private static Map<TombstonePolicy, Outcome> allPolicies(Outcome o) {
        Map<TombstonePolicy, Outcome> m = new HashMap<>();
        for (TombstonePolicy p : TombstonePolicy.values()) {
            m.put(p, o);
        }
        return m;
    }

    private static Input withHeaders(Input in, RecordHeader... headers) {
        return new Input(in.name, in.key, in.value, List.of(headers), in.outcome, in.postgres);
    }

    private static Input withKey(Input in, byte[] key) {
        return new Input(in.name, key, in.value, in.headers, in.outcome, in.postgres);
    }

    private static Input inPostgres(Input in, Outcome postgresOutcome) {
        return new Input(in.name, in.key, in.value, in.headers, in.outcome, postgresOutcome);
    }

    /** The corpus, in the order produced; docs/reliability.md documents the same table. */
    static List<Input> corpus() {
        DeadLetter.Stage deserialize = DeadLetter.Stage.DESERIALIZE;
        Outcome notParsed = Outcome.dead(deserialize);
        Map<TombstonePolicy, Outcome> tombstone = Map.of(
                TombstonePolicy.SKIP,
                Outcome.SKIPPED,
                TombstonePolicy.DEAD_LETTER,
                Outcome.dead(deserialize),
                TombstonePolicy.LAND,
                Outcome.LANDED);
        List<Input> c = new ArrayList<>();
        c.add(input(
                "invalid UTF-8",
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                notParsed));
        c.add(input(
                "overlong UTF-8 encoding",
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'},
                notParsed));
        c.add(input("not JSON", "hello, world", notParsed));
        c.add(input("truncated JSON", "{\"event_id\":\"e-1\",", notParsed));
        c.add(input("top-level array", "[{\"event_id\":\"e-1\"}]", notParsed));
        c.add(input("top-level number", "42", notParsed));
        c.add(input("top-level string", "\"just a string\"", notParsed));
        c.add(input("JSON null literal", "null", notParsed));
        c.add(input("whitespace only", "  \n ", notParsed));
        c.add(input("two JSON objects", "{\"a\":1}{\"b\":2}", notParsed));
        c.add(input("trailing garbage", "{\"a\":1} trailing", notParsed));
        c.add(input("NaN literal", "{\"a\":NaN}", notParsed));
        c.add(input("20,000-digit number", "{\"a\":" + "9".repeat(20_000) + "}", notParsed));
        c.add(new Input("empty bytes", utf8("k-empty"), new byte[0], List.of(), tombstone, null));
        c.add(new Input("null value (tombstone)", utf8("k-tombstone"), null, List.of(), tombstone, null));
        c.add(input(
                "5 MB payload",
                "{\"event_id\":\"big\",\"blob\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}",
                Outcome.dead(DeadLetter.Stage.SIZE_LIMIT)));
        c.add(input("10,000 nested objects", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), notParsed));
        c.add(input("10,000 nested arrays", "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}", notParsed));
        c.add(input("100 nested objects", "{\"a\":".repeat(100) + "1" + "}".repeat(100), Outcome.LANDED));
        c.add(input("metadata fields missing", "{\"foo\":\"bar\"}", Outcome.LANDED));
        c.add(input(
                "event_type is an object",
                "{\"event_id\":\"e-2\",\"event_type\":{\"name\":\"x\"}}",
                Outcome.dead(DeadLetter.Stage.EXTRACT)));
        c.add(input("event_id is an array", "{\"event_id\":[1,2]}", Outcome.dead(DeadLetter.Stage.EXTRACT)));
        c.add(input("event_type is a number", "{\"event_type\":42}", Outcome.LANDED));
        c.add(input("event_type is null", "{\"event_type\":null}", Outcome.LANDED));
        c.add(withHeaders(
                input(
                        "event_type header wins over an object field",
                        "{\"event_type\":{\"name\":\"x\"}}",
                        Outcome.LANDED),
                new RecordHeader("event_type", utf8("from-header"))));
        c.add(input("duplicate keys", "{\"a\":1,\"a\":2}", notParsed));
        c.add(input("duplicate metadata key", "{\"event_id\":\"x\",\"event_id\":\"y\"}", notParsed));
        c.add(withHeaders(
                input("100 KB header value", "{\"event_id\":\"e-3\"}", Outcome.LANDED),
                new RecordHeader("trace-blob", utf8("h".repeat(100 * 1024)))));
        c.add(withHeaders(
                input("header value not UTF-8", "{\"event_id\":\"e-4\"}", Outcome.LANDED),
                new RecordHeader("bin", new byte[] {(byte) 0xFF, (byte) 0xFE, 'x'})));
        // Headers land as JSON in KAFKA_HEADERS; PostgreSQL's jsonb cannot hold U+0000, so the JDBC sink stores it as
        // U+FFFD.
        c.add(withHeaders(
                input("header value with a NUL byte", "{\"event_id\":\"e-6\"}", Outcome.LANDED),
                new RecordHeader("bin", new byte[] {'a', 0, 'b'})));
        c.add(withKey(input("null key", "{\"event_id\":\"e-5\"}", Outcome.LANDED), null));
        // Valid JSON that PostgreSQL's jsonb cannot store: the engine lands it, the warehouse rejects it (WRITE).
        c.add(inPostgres(
                input("escaped NUL character", "{\"a\":\"nul\\u0000here\"}", Outcome.LANDED),
                Outcome.dead(DeadLetter.Stage.WRITE)));
        c.add(inPostgres(
                input("lone surrogate escape", "{\"a\":\"\\ud800\"}", Outcome.LANDED),
                Outcome.dead(DeadLetter.Stage.WRITE)));
        c.add(inPostgres(
                input("UTF-8 byte order mark", "\uFEFF{\"a\":1}", Outcome.LANDED),
                Outcome.dead(DeadLetter.Stage.WRITE)));
        return c;
    }

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of(TombstonePolicy.SKIP, Warehouse.IN_MEMORY),
                Arguments.of(TombstonePolicy.DEAD_LETTER, Warehouse.IN_MEMORY),
                Arguments.of(TombstonePolicy.LAND, Warehouse.IN_MEMORY),
                Arguments.of(TombstonePolicy.SKIP, Warehouse.POSTGRES));
    }

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.start();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
        producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stopEngine() {
        if (engine != null) {
            engine.abort();
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String normal(int i) {
        return "{\"event_id\":\"normal-" + i + "\",\"event_type\":\"order_created\",\"schema_version\":\"v3\",\"n\":"
                + i + "}";
    }

    @ParameterizedTest(name = "tombstones {0}, warehouse {1}")
    @MethodSource("runs")
    void shouldGiveEveryBadInputItsDocumentedOutcomeAndNeverStop(TombstonePolicy policy, Warehouse warehouse)
            throws Exception {
        String topic = KAFKA.createUniqueTopic("corpus", 1);
        List<Input> corpus = corpus();
        Map<Long, Input> byOffset = new LinkedHashMap<>();
        List<Long> normalOffsets = new ArrayList<>();
        int normals = 0;
        for (Input in : corpus) {
            normalOffsets.add(send(topic, utf8("n-" + normals), utf8(normal(normals++)), List.of()));
            byOffset.put(send(topic, in.key, in.value, in.headers), in);
        }
        normalOffsets.add(send(topic, utf8("n-" + normals), utf8(normal(normals++)), List.of()));
        long produced = byOffset.size() + normalOffsets.size();

        InMemoryBronzeSink landed = InMemoryBronzeSink.create();
        InMemoryDeadLetterSink dead = InMemoryDeadLetterSink.create();
        BronzeSink sink = landed;
        DeadLetterSink deadLetterSink = dead;
        String schema = null;
        if (warehouse == Warehouse.POSTGRES) {
            schema = "CORPUS_" + SCHEMAS.incrementAndGet();
            DataSource ds = postgres.getPostgresDatabase();
            execute(ds, "CREATE SCHEMA \"" + schema + '"');
            sink = recording(
                    JdbcBronzeSink.builder(ds, SqlDialect.postgres())
                            .schema(schema)
                            .build(),
                    landed);
            deadLetterSink = recording(
                    JdbcDeadLetterSink.builder(ds, SqlDialect.postgres())
                            .schema(schema)
                            .build(),
                    dead);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String group = "corpus-" + topic;
        engine = IngestionEngine.builder()
                .name(group)
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(deadLetterSink)
                .tombstonePolicy(policy)
                .meterRegistry(registry)
                .maxBatchWait(Duration.ofMillis(200))
                .start();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> KAFKA.committedOffsets(group).getOrDefault(new TopicPartition(topic, 0), -1L) == produced);

        SoftAssertions soft = new SoftAssertions();
        for (long o : normalOffsets) {
            soft.assertThat(landed.contains(topic + "-0-" + o))
                    .as("normal event at offset %d landed", o)
                    .isTrue();
        }
        for (Map.Entry<Long, Input> e : byOffset.entrySet()) {
            Input in = e.getValue();
            Outcome expected = in.expected(policy, warehouse);
            soft.assertThat(actual(topic, e.getKey(), landed, dead))
                    .as("outcome of '%s' (offset %d)", in.name, e.getKey())
                    .isEqualTo(expected);
        }
        double skipped = registry.find(BronzeMeters.RECORDS_SKIPPED).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        soft.assertThat(landed.count() + dead.count() + (long) skipped)
                .as("landed + dead-lettered + skipped == produced")
                .isEqualTo(produced);
        long expectedSkipped = byOffset.values().stream()
                .filter(in -> in.expected(policy, warehouse).fate() == Fate.SKIPPED)
                .count();
        soft.assertThat((long) skipped).as("bronze.records.skipped").isEqualTo(expectedSkipped);
        soft.assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
        soft.assertThat(engine.health().status())
                .as("health: %s", engine.health())
                .isNotEqualTo(EngineHealth.Status.DOWN);
        soft.assertAll();

        assertDetails(topic, byOffset, landed, dead, policy, warehouse);
        if (warehouse == Warehouse.POSTGRES) {
            DataSource ds = postgres.getPostgresDatabase();
            String table = '"' + schema + "\".\""
                    + topic.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_RAW\"";
            assertThat(count(ds, "SELECT count(*) FROM " + table))
                    .as("rows in PostgreSQL")
                    .isEqualTo(landed.count());
            assertThat(count(ds, "SELECT count(*) FROM \"" + schema + "\".\"BRONZE_DEAD_LETTER\""))
                    .as("dead letters in PostgreSQL")
                    .isEqualTo(dead.count());
        }
    }

    /** What the records and dead letters carry, beyond where they went. */
    private static void assertDetails(
            String topic,
            Map<Long, Input> byOffset,
            InMemoryBronzeSink landed,
            InMemoryDeadLetterSink dead,
            TombstonePolicy policy,
            Warehouse warehouse) {
        for (Map.Entry<Long, Input> e : byOffset.entrySet()) {
            String id = topic + "-0-" + e.getKey();
            Input in = e.getValue();
            switch (in.name) {
                case "5 MB payload" -> {
                    DeadLetter d = deadLetter(dead, e.getKey());
                    assertThat(d.payloadSizeBytes()).isEqualTo(in.value.length);
                    assertThat(d.payloadTruncated()).isTrue();
                    assertThat(d.rawPayload())
                            .hasSize(EngineConfig.DEFAULT_MAX_DEAD_LETTER_PAYLOAD_BYTES)
                            .isEqualTo(Arrays.copyOf(in.value, EngineConfig.DEFAULT_MAX_DEAD_LETTER_PAYLOAD_BYTES));
                    assertThat(d.errorMessage()).contains("maxRecordBytes=" + EngineConfig.DEFAULT_MAX_RECORD_BYTES);
                }
                case "invalid UTF-8" ->
                    assertThat(deadLetter(dead, e.getKey()).rawPayload())
                            .as("kept byte for byte")
                            .isEqualTo(in.value);
                case "metadata fields missing" -> {
                    BronzeRecord r = record(landed, id);
                    assertThat(r.eventId()).isNull();
                    assertThat(r.eventType()).isNull();
                    assertThat(r.schemaVersion()).isEqualTo("v1");
                }
                case "event_type is a number" ->
                    assertThat(record(landed, id).eventType()).isEqualTo("42");
                case "event_type header wins over an object field" ->
                    assertThat(record(landed, id).eventType()).isEqualTo("from-header");
                case "event_type is an object" ->
                    assertThat(deadLetter(dead, e.getKey()).errorMessage())
                            .contains("event_type")
                            .contains("scalar");
                case "100 KB header value" -> {
                    if (warehouse == Warehouse.IN_MEMORY) {
                        assertThat(record(landed, id).headers().get("trace-blob"))
                                .hasSize(100 * 1024);
                    }
                }
                case "null key" -> assertThat(record(landed, id).key()).isNull();
                case "null value (tombstone)" -> {
                    if (policy == TombstonePolicy.LAND) {
                        assertThat(record(landed, id).rawEvent()).isNull();
                    } else if (policy == TombstonePolicy.DEAD_LETTER) {
                        assertThat(deadLetter(dead, e.getKey()).rawPayload()).isNull();
                    }
                }
                default -> {}
            }
        }
    }

    private static Outcome actual(String topic, long offset, InMemoryBronzeSink landed, InMemoryDeadLetterSink dead) {
        boolean isLanded = landed.contains(topic + "-0-" + offset);
        List<DeadLetter> letters =
                dead.deadLetters().stream().filter(d -> d.offset() == offset).toList();
        if (isLanded && letters.isEmpty()) {
            return Outcome.LANDED;
        }
        if (!isLanded && letters.size() == 1) {
            return Outcome.dead(letters.get(0).stage());
        }
        if (!isLanded && letters.isEmpty()) {
            return Outcome.SKIPPED;
        }
        return new Outcome(null, null); // landed and dead-lettered, or dead-lettered twice: never expected
    }

    private static BronzeRecord record(InMemoryBronzeSink landed, String id) {
        return landed.records().stream()
                .filter(r -> r.ingestionId().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static DeadLetter deadLetter(InMemoryDeadLetterSink dead, long offset) {
        return dead.deadLetters().stream()
                .filter(d -> d.offset() == offset)
                .findFirst()
                .orElseThrow();
    }

    private static long send(String topic, byte[] key, byte[] value, List<RecordHeader> headers) throws Exception {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, 0, key, value);
        headers.forEach(h -> r.headers().add(h));
        return producer.send(r).get().offset();
    }

    /** A sink that writes to {@code delegate} and, once that returned, records the batch in {@code copy}. */
    private static BronzeSink recording(BronzeSink delegate, InMemoryBronzeSink copy) {
        return new BronzeSink() {
            @Override
            public WriteResult write(List<BronzeRecord> records) {
                return write(records, BatchInfo.adHoc(java.time.Instant.now()));
            }

            @Override
            public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
                WriteResult r = delegate.write(records, batch);
                copy.write(records);
                return r;
            }

            @Override
            public String name() {
                return delegate.name();
            }
        };
    }

    private static DeadLetterSink recording(DeadLetterSink delegate, InMemoryDeadLetterSink copy) {
        return new DeadLetterSink() {
            @Override
            public void write(List<DeadLetter> deadLetters) {
                delegate.write(deadLetters);
                copy.write(deadLetters);
            }

            @Override
            public String name() {
                return delegate.name();
            }
        };
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
