package io.flowguard.bronze.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.KafkaDeadLetterSink;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.testkit.FlowGuardTraffic;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every command of the CLI against a real in-JVM broker and a real database (per subclass), seeded by a real
 * {@link IngestionEngine} with {@link JdbcBronzeSink} (and its ingestion ledger) over FlowGuard traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractBronzeCliIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    static final String SCHEMA = "BRONZE";
    static final int EVENTS = 900;
    static final ObjectMapper JSON = new ObjectMapper();

    abstract DataSource dataSource();

    abstract SqlDialect dialect();

    /** The URL the CLI is given. */
    abstract String jdbcUrl();

    /** How the CLI opens it: null for its own connection, else a shared DataSource (in-memory DuckDB). */
    abstract Warehouse.DataSourceFactory dataSourceFactory();

    abstract void closeDatabase() throws Exception;

    Seeded main;

    record Seeded(
            String topic,
            String group,
            List<FlowGuardTraffic.Event> events,
            List<RecordMetadata> acks,
            Instant startedAt) {
        long valid() {
            return events.stream().filter(FlowGuardTraffic.Event::valid).count();
        }

        long malformed() {
            return events.size() - valid();
        }
    }

    @BeforeAll
    void seedMain() {
        main = seed("orders", 3, EVENTS, 0.05, 0.25, b -> {});
    }

    @AfterAll
    void close() throws Exception {
        closeDatabase();
    }

    Cli cli() {
        return cli(Map.of());
    }

    Cli cli(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("BRONZE_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers());
        env.put("BRONZE_JDBC_URL", jdbcUrl());
        env.put("BRONZE_SCHEMA", SCHEMA);
        env.putAll(extra);
        env.values().removeIf(v -> v == null);
        return new Cli(env, dataSourceFactory());
    }

    Seeded seed(
            String prefix,
            int partitions,
            int count,
            double malformed,
            double v2,
            Consumer<IngestionEngine.Builder> tweak) {
        String topic = KAFKA.createUniqueTopic(prefix, partitions);
        Instant startedAt = Instant.now();
        List<FlowGuardTraffic.Event> events = FlowGuardTraffic.builder()
                .topics(topic)
                .ordersTopic(topic)
                .seed(42)
                .malformedShare(malformed)
                .v2Share(v2)
                .build()
                .next(count);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            ProducerRecord<byte[], byte[]> r = events.get(i).toProducerRecord();
            records.add(new ProducerRecord<>(topic, i % partitions, r.key(), r.value(), r.headers()));
        }
        List<RecordMetadata> acks = KAFKA.produce(topic, records);
        String group = "bronze-" + topic;
        IngestionEngine.Builder b = IngestionEngine.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(JdbcBronzeSink.builder(dataSource(), dialect())
                        .schema(SCHEMA)
                        .build())
                .deadLetterSink(JdbcDeadLetterSink.builder(dataSource(), dialect())
                        .schema(SCHEMA)
                        .build())
                .maxBatchRecords(100)
                .maxBatchWait(Duration.ofMillis(200));
        tweak.accept(b);
        try (IngestionEngine engine = b.start()) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> KAFKA.committedOffsets(group).values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum()
                            == count);
        }
        return new Seeded(topic, group, events, acks, startedAt);
    }

    long scalar(String sql) {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    void execute(String sql) {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static String table(String name) {
        return "\"" + SCHEMA + "\".\"" + name + "\"";
    }

    static String bronzeTable(String topic) {
        return table(io.flowguard.bronze.api.TableRouter.fromTopicName().tableFor(topic));
    }

    static String n(long v) {
        return TextTable.n(v);
    }

    @Test
    void shouldShowTheLagOfAPartitionThatWentIdle() {
        for (int i = 0; i < 7; i++) {
            KAFKA.produce(
                    main.topic(),
                    1,
                    "late-" + i,
                    FlowGuardTraffic.builder()
                            .topics(main.topic())
                            .seed(i)
                            .malformedShare(0)
                            .build()
                            .next()
                            .valueText());
        }
        Map<TopicPartition, Long> end = KAFKA.endOffsets(main.topic());

        Cli.Result r = cli().run("status", "--group", main.group());

        assertThat(r.exitCode()).isZero();
        for (int p = 0; p < 3; p++) {
            long e = end.get(new TopicPartition(main.topic(), p));
            long lag = p == 1 ? 7 : 0;
            assertThat(r.out())
                    .containsPattern("(?m)^" + Pattern.quote(main.topic()) + "\\s+" + p + "\\s+"
                            + Pattern.quote(n(e - lag)) + "\\s+" + Pattern.quote(n(e)) + "\\s+" + lag + "$");
        }
        assertThat(r.out()).contains("Total lag 7 over 3 partition(s); largest " + main.topic() + "-1 (7)");
        assertThat(r.out())
                .contains("ledger row(s) of group " + main.group())
                .contains("COMMITTED_AT")
                .contains("records");
    }

    @Test
    void shouldCountWhatLandedPerMinuteAndPerEventTypeAsProduced() {
        String from = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")
                .withZone(ZoneOffset.UTC)
                .format(main.startedAt().minus(1, ChronoUnit.MINUTES));

        Cli.Result byMinute =
                cli().run("landed", "--from", from, "--to", "now", "--topic", main.topic(), "--by", "minute");
        Cli.Result byType = cli().run("landed", "--from", from, "--topic", main.topic(), "--by", "event_type");
        Cli.Result byVersion = cli().run("landed", "--from", from, "--topic", main.topic(), "--by", "schema_version");

        assertThat(byMinute.exitCode()).isZero();
        assertThat(byMinute.out()).contains("read as UTC");
        // Every minute bucket's NEW column adds up to the valid events (replays by other tests add only already-present
        // rows).
        Matcher m = Pattern.compile("(?m)^\\S+:00Z\\s+" + Pattern.quote(main.topic())
                        + "\\s+\\d+\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)")
                .matcher(byMinute.out());
        long newRows = 0;
        long dead = 0;
        while (m.find()) {
            newRows += Long.parseLong(m.group(2).replace(",", ""));
            dead += Long.parseLong(m.group(3).replace(",", ""));
        }
        assertThat(newRows).isEqualTo(main.valid());
        assertThat(dead).isGreaterThanOrEqualTo(main.malformed());

        Map<String, Long> types = new TreeMap<>();
        Map<String, Long> versions = new TreeMap<>();
        main.events().stream().filter(FlowGuardTraffic.Event::valid).forEach(e -> {
            types.merge(e.eventType(), 1L, Long::sum);
            versions.merge(e.schemaVersion(), 1L, Long::sum);
        });
        assertThat(byType.exitCode()).isZero();
        types.forEach((type, count) -> assertThat(byType.out())
                .containsPattern("(?m)\\s" + Pattern.quote(main.topic()) + "\\s+" + type + "\\s+"
                        + Pattern.quote(n(count)) + "$"));
        assertThat(byType.out()).contains("Total: " + n(main.valid()) + " rows");
        versions.forEach((v, count) -> assertThat(byVersion.out())
                .containsPattern(
                        "(?m)\\s" + Pattern.quote(main.topic()) + "\\s+" + v + "\\s+" + Pattern.quote(n(count)) + "$"));
    }

    @Test
    void shouldReplayARangeWithoutDuplicatesAndWithoutCommitting() {
        Map<TopicPartition, Long> committedBefore = KAFKA.committedOffsets(main.group());
        long rowsBefore = scalar("SELECT COUNT(*) FROM " + bronzeTable(main.topic()));
        long deadBefore = scalar("SELECT COUNT(*) FROM " + table("BRONZE_DEAD_LETTER"));

        Cli.Result r = cli().run(
                        "replay",
                        "--topic",
                        main.topic(),
                        "--partition",
                        "2",
                        "--from-offset",
                        "10",
                        "--to-offset",
                        "60");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("read\\s+51\\b").containsPattern("inserted\\s+0\\b");
        Matcher landed = Pattern.compile("landed\\s+(\\d+)").matcher(r.out());
        Matcher dead = Pattern.compile("dead-lettered\\s+(\\d+)").matcher(r.out());
        assertThat(landed.find() && dead.find()).isTrue();
        assertThat(Long.parseLong(landed.group(1)) + Long.parseLong(dead.group(1)))
                .isEqualTo(51);
        assertThat(r.out()).contains("Committed nothing");
        assertThat(KAFKA.committedOffsets(main.group())).isEqualTo(committedBefore);
        assertThat(scalar("SELECT COUNT(*) FROM " + bronzeTable(main.topic()))).isEqualTo(rowsBefore);
        assertThat(scalar("SELECT COUNT(*) FROM " + table("BRONZE_DEAD_LETTER")))
                .isEqualTo(deadBefore);
    }

    @Test
    void shouldPassEveryCheckOnAHealthyPipeline() {
        Cli.Result r =
                cli().run("check", "--group", main.group(), "--topic", main.topic(), "--max-dead-letters", "100000");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .containsPattern("(?m)^OK\\s+broker")
                .containsPattern("(?m)^OK\\s+warehouse")
                .containsPattern("(?m)^OK\\s+lag")
                .containsPattern("(?m)^OK\\s+dead-letters")
                .containsPattern("(?m)^OK\\s+offset-gaps")
                .containsPattern("(?m)^OK\\s+ledger-overlaps")
                .contains("All checks passed.");
    }

    @Test
    void shouldFailTheCheckOnAMissingOffsetRange() {
        Seeded s = seed("gappy", 1, 400, 0, 0, b -> b.maxBatchRecords(50));
        String ledger = table("BRONZE_INGESTION_LOG");
        String where = " WHERE \"SOURCE_TOPIC\" = '" + s.topic()
                + "' AND \"FIRST_OFFSET\" = (SELECT \"FIRST_OFFSET\" FROM " + ledger + " WHERE \"SOURCE_TOPIC\" = '"
                + s.topic() + "' ORDER BY \"FIRST_OFFSET\" LIMIT 1 OFFSET 2)";
        long first = scalar("SELECT \"FIRST_OFFSET\" FROM " + ledger + where);
        long last = scalar("SELECT \"LAST_OFFSET\" FROM " + ledger + where);
        execute("DELETE FROM " + bronzeTable(s.topic()) + " WHERE \"KAFKA_OFFSET\" BETWEEN " + first + " AND " + last);
        execute("DELETE FROM " + ledger + where);

        Cli.Result r = cli().run("check", "--group", s.group(), "--topic", s.topic());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .containsPattern("(?m)^FAIL\\s+offset-gaps\\s+" + (last - first + 1) + " offset\\(s\\)")
                .contains(s.topic() + "-0 offsets " + first + ".." + last)
                .containsPattern("(?m)^OK\\s+broker")
                .contains("1 of 6 checks failed.");

        Cli.Result repaired = cli().run(
                        "replay",
                        "--topic",
                        s.topic(),
                        "--partition",
                        "0",
                        "--from-offset",
                        "" + first,
                        "--to-offset",
                        "" + last);
        assertThat(repaired.out()).containsPattern("inserted\\s+" + (last - first + 1) + "\\b");
        assertThat(cli().run("check", "--group", s.group(), "--topic", s.topic())
                        .exitCode())
                .as("gap closed by the replay")
                .isZero();
    }

    @Test
    void shouldCountARetriedBatchsRepeatedLedgerRowOnceAndReportOverlappingRanges() {
        Seeded s = seed("retried", 1, 300, 0, 0, b -> b.maxBatchRecords(100));
        String copy = table("RETRIED_LEDGER");
        String topicIs = " WHERE \"SOURCE_TOPIC\" = '" + s.topic() + "'";
        // A ledger without a unique key (Snowflake's is INSERT-only): the copy has none on any database.
        execute("CREATE TABLE " + copy + " AS SELECT * FROM " + table("BRONZE_INGESTION_LOG") + topicIs);
        long rows = scalar("SELECT COUNT(*) FROM " + copy);
        String firstRow = topicIs + " AND \"FIRST_OFFSET\" = " + scalar("SELECT MIN(\"FIRST_OFFSET\") FROM " + copy);
        long first = scalar("SELECT \"FIRST_OFFSET\" FROM " + copy + firstRow);
        long last = scalar("SELECT \"LAST_OFFSET\" FROM " + copy + firstRow);
        execute("INSERT INTO " + copy + " SELECT * FROM " + copy + firstRow); // a retried call's second row
        Map<String, String> env = Map.of("BRONZE_LEDGER_TABLE", "RETRIED_LEDGER");

        Cli.Result status = cli(env).run("status", "--group", s.group(), "--batches", "50");
        Cli.Result check = cli(env).run("check", "--group", s.group(), "--topic", s.topic());

        assertThat(scalar("SELECT COUNT(*) FROM " + copy)).isEqualTo(rows + 1);
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("Newest " + rows + " ledger row(s) of group " + s.group());
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out())
                .containsPattern("(?m)^OK\\s+ledger-overlaps\\s+none in 1 topic")
                .contains("All checks passed.");

        // A zombie writer's batch over the same offsets (append mode on Snowflake): another batch id, rows added again.
        execute("CREATE TABLE " + table("ZOMBIE_ROW") + " AS SELECT * FROM " + copy + firstRow);
        execute("UPDATE " + table("ZOMBIE_ROW") + " SET \"BATCH_ID\" = 'zombie-batch'");
        execute("INSERT INTO " + copy + " SELECT * FROM " + table("ZOMBIE_ROW"));

        Cli.Result zombie = cli(env).run("check", "--group", s.group(), "--topic", s.topic());

        assertThat(zombie.exitCode()).as(zombie.toString()).isEqualTo(1);
        assertThat(zombie.out())
                .containsPattern("(?m)^FAIL\\s+ledger-overlaps\\s+" + n(last - first + 1)
                        + " offset\\(s\\) landed by two batches of BRONZE.RETRIED_LEDGER")
                .contains(s.topic() + "-0 " + (first == last ? "offset " + first : "offsets " + first + ".." + last))
                .contains("zombie-batch")
                .containsPattern("(?m)^OK\\s+offset-gaps")
                .contains("1 of 6 checks failed.");
    }

    @Test
    void shouldFailTheCheckWhenTheBrokerIsUnreachable() {
        Cli.Result r = cli(Map.of("BRONZE_BOOTSTRAP_SERVERS", "127.0.0.1:1"))
                .run("check", "--group", main.group(), "--timeout", "2s", "--max-dead-letters", "100000");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .containsPattern("(?m)^FAIL\\s+broker\\s+cannot reach Kafka at 127.0.0.1:1 within 2s")
                .containsPattern("(?m)^OK\\s+warehouse")
                .containsPattern("(?m)^SKIP\\s+lag");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void shouldListShowAndReplayDeadLettersFromTheTable() {
        int i = 0;
        while (main.events().get(i).valid()) {
            i++;
        }
        RecordMetadata bad = main.acks().get(i);
        String coordinates = main.topic() + "-" + bad.partition() + "-" + bad.offset();

        Cli.Result list = cli().run("dlq", "list", "--topic", main.topic(), "--limit", "5");
        Cli.Result show = cli().run("dlq", "show", coordinates);
        Cli.Result replay = cli().run("dlq", "replay", "--topic", main.topic());

        assertThat(list.exitCode()).isZero();
        assertThat(list.out())
                .contains(main.malformed() + " dead letter(s)")
                .contains("showing the newest 5")
                .contains("DESERIALIZE");
        assertThat(show.exitCode()).isZero();
        assertThat(show.out())
                .contains("Dead letter " + coordinates)
                .contains("stage")
                .contains("Kafka metadata:")
                .contains("\"offset\" : " + bad.offset())
                .contains("Payload:")
                .contains("bronze dlq replay --topic " + main.topic() + " --partition " + bad.partition());
        assertThat(replay.exitCode()).isZero();
        assertThat(replay.out())
                .containsPattern("inserted\\s+0\\b")
                .containsPattern("dead-lettered\\s+" + main.malformed() + "\\b")
                .contains("failed again");
        assertThat(cli().run("dlq", "show", main.topic() + "-0-999999").exitCode())
                .isEqualTo(1);
    }

    @Test
    void shouldReplayDeadLettersThatLandOnceTheCauseIsFixed() {
        Seeded s = seed("big-orders", 2, 60, 0, 0, b -> b.maxRecordBytes(400).maxDeadLetterPayloadBytes(400));
        long dead = scalar("SELECT COUNT(*) FROM " + table("BRONZE_DEAD_LETTER") + " WHERE \"SOURCE_TOPIC\" = '"
                + s.topic() + "'");
        assertThat(dead).as("orders over 400 bytes").isPositive();

        Cli.Result list = cli().run("dlq", "list", "--topic", s.topic());
        Cli.Result first = cli().run("dlq", "replay", "--topic", s.topic(), "--max-record-bytes", "100000");
        Cli.Result second = cli().run("dlq", "replay", "--topic", s.topic(), "--max-record-bytes", "100000");

        assertThat(list.out()).contains("SIZE_LIMIT");
        assertThat(first.out())
                .containsPattern("inserted\\s+" + dead + "\\b")
                .containsPattern("dead-lettered\\s+0\\b")
                .contains("Every re-read record landed.");
        assertThat(second.out()).containsPattern("inserted\\s+0\\b");
        assertThat(scalar("SELECT COUNT(*) FROM " + bronzeTable(s.topic()))).isEqualTo(60);
    }

    @Test
    void shouldListShowAndReplayADeadLetterTopic() {
        Seeded s = seed(
                "kafka-dlq-orders",
                2,
                200,
                0.1,
                0,
                b -> b.deadLetterSink(KafkaDeadLetterSink.builder()
                        .bootstrapServers(KAFKA.bootstrapServers())
                        .consumerGroup("bronze-kafka-dlq")
                        .build()));
        String dlq = s.topic() + ".dlq";
        int i = 0;
        while (s.events().get(i).valid()) {
            i++;
        }
        RecordMetadata bad = s.acks().get(i);

        Cli.Result list = cli().run("dlq", "list", "--topic", dlq);
        Cli.Result show =
                cli().run("dlq", "show", "--topic", dlq, s.topic() + "-" + bad.partition() + "-" + bad.offset());
        Cli.Result replay = cli().run("dlq", "replay", "--topic", dlq);

        assertThat(list.out()).contains(s.malformed() + " dead letter(s) in topic " + dlq);
        assertThat(show.out())
                .contains("Dead letter " + s.topic() + "-" + bad.partition() + "-" + bad.offset() + "  (at " + dlq)
                .contains("\"consumerGroup\" : \"bronze-kafka-dlq\"");
        assertThat(replay.out())
                .containsPattern("read\\s+" + s.malformed() + "\\b")
                .containsPattern("inserted\\s+0\\b")
                .containsPattern("dead-lettered\\s+" + s.malformed() + "\\b");
    }

    @Test
    void shouldGenerateTheRequestedTrafficWithTheRightShares() throws Exception {
        String orders = "orders-gen-" + System.nanoTime();
        String clicks = "clicks-gen-" + System.nanoTime();

        Cli.Result r = cli().run(
                        "generate-traffic",
                        "--count",
                        "3000",
                        "--rate",
                        "0",
                        "--malformed",
                        "0.05",
                        "--v2",
                        "0.3",
                        "--topics",
                        orders + "," + clicks,
                        "--seed",
                        "11",
                        "--partitions",
                        "2");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Created topic " + orders).contains("Sent 3,000 events");
        List<ConsumerRecord<byte[], byte[]>> read =
                new ArrayList<>(KAFKA.consume(orders, 3000, Duration.ofSeconds(10)));
        read.addAll(KAFKA.consume(clicks, 3000 - read.size(), Duration.ofSeconds(20)));
        assertThat(read).hasSize(3000);
        long malformed = 0;
        long valid = 0;
        long v2 = 0;
        for (ConsumerRecord<byte[], byte[]> c : read) {
            JsonNode n = parse(c.value());
            if (n == null || !n.isObject() || !n.path("event_type").isTextual()) {
                malformed++;
                continue;
            }
            valid++;
            String version = new String(c.headers().lastHeader("schema_version").value(), StandardCharsets.UTF_8);
            assertThat(n.get("schema_version").asText()).isEqualTo(version);
            if (version.equals("v2")) {
                v2++;
                assertThat(n.has("customer_id")).isTrue();
                assertThat(n.has("user_id")).isFalse();
            }
        }
        assertThat(malformed / 3000.0).isBetween(0.035, 0.065);
        assertThat(v2 / (double) valid).isBetween(0.26, 0.34);
    }

    private static JsonNode parse(byte[] value) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(value));
            return JSON.readTree(value);
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void shouldRefreshTheWatchViewForTheGivenIterations() {
        Cli.Result r =
                cli().run("watch", "--group", main.group(), "--iterations", "2", "--interval", "200ms", "--no-clear");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out().split("bronze watch ", -1)).hasSize(3);
        assertThat(r.out())
                .contains("throughput")
                .contains("rows/s")
                .contains("lag ")
                .contains("dead letters")
                .contains("last batch");
    }

    @Test
    void shouldSayWhatToFixWithoutAStackTrace() {
        Cli.Result noBroker =
                cli(new HashMap<>(Map.of("BRONZE_BOOTSTRAP_SERVERS", ""))).run("status", "--group", "g");
        Cli.Result badTime = cli().run("landed", "--from", "yesterday-ish");
        Cli.Result snowflake = cli(Map.of("BRONZE_JDBC_URL", "jdbc:snowflake://acme.snowflakecomputing.com"))
                .run("landed", "--from", "now");

        assertThat(noBroker.exitCode()).isEqualTo(2);
        assertThat(noBroker.err())
                .contains("pass --bootstrap-servers")
                .contains("BRONZE_BOOTSTRAP_SERVERS")
                .doesNotContain("at io.");
        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.err()).contains("--from must be a time like 2026-11-27T02:00 (UTC)");
        assertThat(snowflake.exitCode()).isEqualTo(2);
        assertThat(snowflake.err())
                .contains("cannot connect to Snowflake: no user: pass --jdbc-user")
                .contains("no credential: set BRONZE_JDBC_PASSWORD")
                .doesNotContain("at io.");
    }

    @Test
    void shouldNeverPrintThePassword() {
        Cli.Result r =
                cli(Map.of("BRONZE_JDBC_PASSWORD", "Sup3r-S3cret")).run("status", "--group", main.group(), "--verbose");

        assertThat(r.out() + r.err()).doesNotContain("Sup3r-S3cret").contains("jdbc.password=******");
    }

    @Test
    void shouldPrintHelpForEveryCommand() {
        for (String[] cmd : new String[][] {
            {},
            {"status"},
            {"landed"},
            {"watch"},
            {"check"},
            {"dlq"},
            {"dlq", "list"},
            {"dlq", "show"},
            {"dlq", "replay"},
            {"replay"},
            {"generate-traffic"}
        }) {
            List<String> args = new ArrayList<>(List.of(cmd));
            args.add("--help");
            Cli.Result r = cli().run(args.toArray(String[]::new));
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).startsWith("Usage: bronze");
        }
    }
}
