package io.flowguard.bronze.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.snowflake.SnowflakeDeadLetterSink;
import io.flowguard.bronze.snowflake.SnowflakeMergeSink;
import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.FlowGuardTraffic;
import io.flowguard.bronze.testkit.KafkaBroker;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CLI against Snowflake — fakesnow through the real snowflake-jdbc driver, the CLI opening its own connection from a
 * {@code jdbc:snowflake:} URL, user and password — seeded by a real {@link IngestionEngine} with
 * {@link SnowflakeMergeSink} (ingestion ledger on) and {@link SnowflakeDeadLetterSink} over FlowGuard traffic. fakesnow
 * takes 100–400 ms per MERGE, so batches are large and the topics few.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnowflakeBronzeCliIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    static final String DATABASE = "BRONZE_CLI";
    static final String SCHEMA = "BRONZE";
    static final int EVENTS = 3_000;
    static final String PASSWORD = "Fake-Sn0w-Secret";

    private DataSource dataSource;
    private Seeded main;
    /** A whole second after the main seed's last commit: landed windows ending here exclude other tests' replays. */
    private Instant seededBy;

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
        dataSource = SNOW.dataSource(DATABASE, SCHEMA);
        long t0 = System.nanoTime();
        main = seed("orders", 3, EVENTS, 0.02, 0.25, 1_000);
        System.out.printf("seeded %d events into fakesnow in %.1f s%n", EVENTS, (System.nanoTime() - t0) / 1e9);
        seededBy = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Instant.now().isAfter(seededBy));
    }

    Seeded seed(String prefix, int partitions, int count, double malformed, double v2, int maxBatchRecords) {
        String topic = KAFKA.createUniqueTopic(prefix, partitions);
        Instant startedAt = Instant.now();
        List<FlowGuardTraffic.Event> events = FlowGuardTraffic.builder()
                .topics(topic)
                .ordersTopic(topic)
                .seed(7)
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
        try (IngestionEngine engine = IngestionEngine.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(SnowflakeMergeSink.builder(dataSource).schema(SCHEMA).build())
                .deadLetterSink(SnowflakeDeadLetterSink.builder(dataSource)
                        .schema(SCHEMA)
                        .build())
                .maxBatchRecords(maxBatchRecords)
                .maxBatchWait(Duration.ofMillis(200))
                .start()) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> KAFKA.committedOffsets(group).values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum()
                            == count);
        }
        return new Seeded(topic, group, events, acks, startedAt);
    }

    /** The CLI as an operator runs it: URL, user and password from the environment; no DataSource handed in. */
    Cli cli() {
        return cli(Map.of());
    }

    Cli cli(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("BRONZE_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers());
        // maxHttpRetries=1: fakesnow answers some SQL errors with HTTP 500, which the driver would retry for ~44 s.
        env.put("BRONZE_JDBC_URL", SNOW.jdbcUrl(DATABASE, SCHEMA) + "&maxHttpRetries=1");
        env.put("BRONZE_JDBC_USER", "fake");
        env.put("BRONZE_JDBC_PASSWORD", PASSWORD);
        env.putAll(extra);
        return new Cli(env, null);
    }

    long scalar(String sql) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    void execute(String sql) {
        try (Connection c = dataSource.getConnection();
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
        return table(TableRouter.fromTopicName().tableFor(topic));
    }

    static String n(long v) {
        return TextTable.n(v);
    }

    @Test
    void shouldCountWhatLandedPerMinuteAndPerEventTypeAsProduced() {
        String from = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")
                .withZone(ZoneOffset.UTC)
                .format(main.startedAt().minus(1, ChronoUnit.MINUTES));

        String to = seededBy.toString();

        Cli.Result byMinute =
                cli().run("landed", "--from", from, "--to", to, "--topic", main.topic(), "--by", "minute");
        Cli.Result byType =
                cli().run("landed", "--from", from, "--to", to, "--topic", main.topic(), "--by", "event_type");
        transcript(byMinute, byType);

        assertThat(byMinute.exitCode()).as(byMinute.toString()).isZero();
        Matcher m = Pattern.compile("(?m)^\\S+:00Z\\s+" + Pattern.quote(main.topic())
                        + "\\s+\\d+\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)")
                .matcher(byMinute.out());
        long newRows = 0;
        long dead = 0;
        while (m.find()) {
            newRows += Long.parseLong(m.group(2).replace(",", ""));
            dead += Long.parseLong(m.group(3).replace(",", ""));
        }
        assertThat(newRows).as("NEW over every minute").isEqualTo(main.valid());
        assertThat(dead).as("DEAD_LETTERED over every minute").isGreaterThanOrEqualTo(main.malformed());
        assertThat(byMinute.out())
                .contains("Total: " + n(main.valid()) + " landed (" + n(main.valid()) + " new, 0 already present)")
                .contains("from ledger BRONZE.BRONZE_INGESTION_LOG by COMMITTED_AT");

        Map<String, Long> types = new TreeMap<>();
        main.events().stream()
                .filter(FlowGuardTraffic.Event::valid)
                .forEach(e -> types.merge(e.eventType(), 1L, Long::sum));
        assertThat(byType.exitCode()).as(byType.toString()).isZero();
        types.forEach((type, count) -> assertThat(byType.out())
                .containsPattern("(?m)\\s" + Pattern.quote(main.topic()) + "\\s+" + type + "\\s+"
                        + Pattern.quote(n(count)) + "$"));
        assertThat(byType.out()).contains("Total: " + n(main.valid()) + " rows");
    }

    /** {@code target/snowflake-transcript.txt}: the landed outputs docs/operations.md shows. */
    private static void transcript(Cli.Result... results) {
        StringBuilder text = new StringBuilder();
        for (Cli.Result r : results) {
            text.append("$ bronze ")
                    .append(String.join(" ", r.args()))
                    .append('\n')
                    .append(r.out())
                    .append(r.err())
                    .append("(exit ")
                    .append(r.exitCode())
                    .append(")\n\n");
        }
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "snowflake-transcript.txt"), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldShowAndWatchTheLedgerRowsOfTheGroupWithoutPrintingThePassword() {
        Cli.Result r = cli().run("status", "--group", main.group(), "--batches", "3", "--verbose");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("Total lag 0 over 3 partition(s)")
                .contains("Newest 3 ledger row(s) of group " + main.group() + " in BRONZE.BRONZE_INGESTION_LOG");
        assertThat(r.out() + r.err()).doesNotContain(PASSWORD).contains("jdbc.password=******");

        Cli.Result watch = cli().run("watch", "--group", main.group(), "--iterations", "1", "--no-clear");
        assertThat(watch.exitCode()).as(watch.toString()).isZero();
        assertThat(watch.out()).contains("throughput").contains("dead letters").contains("last batch");
    }

    @Test
    void shouldPassEveryCheckOnAHealthyPipeline() {
        Cli.Result r =
                cli().run("check", "--group", main.group(), "--topic", main.topic(), "--max-dead-letters", "100000");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .containsPattern("(?m)^OK\\s+broker")
                .containsPattern("(?m)^OK\\s+warehouse\\s+.*jdbc:snowflake:")
                .containsPattern("(?m)^OK\\s+lag")
                .containsPattern("(?m)^OK\\s+dead-letters\\s+" + main.malformed() + " in the last")
                .containsPattern("(?m)^OK\\s+offset-gaps\\s+none in 1 topic")
                .containsPattern("(?m)^OK\\s+ledger-overlaps\\s+none in 1 topic")
                .contains("All checks passed.");
    }

    @Test
    void shouldFailTheCheckOnAMissingOffsetRangeUntilAReplayClosesIt() {
        Seeded s = seed("gappy", 1, 300, 0, 0, 100);
        String ledger = table("BRONZE_INGESTION_LOG");
        String where = " WHERE \"SOURCE_TOPIC\" = '" + s.topic() + "' AND \"FIRST_OFFSET\" = "
                + scalar("SELECT \"FIRST_OFFSET\" FROM " + ledger + " WHERE \"SOURCE_TOPIC\" = '" + s.topic()
                        + "' ORDER BY \"FIRST_OFFSET\" LIMIT 1 OFFSET 1");
        long first = scalar("SELECT \"FIRST_OFFSET\" FROM " + ledger + where);
        long last = scalar("SELECT \"LAST_OFFSET\" FROM " + ledger + where);
        execute("DELETE FROM " + bronzeTable(s.topic()) + " WHERE \"KAFKA_OFFSET\" BETWEEN " + first + " AND " + last);
        execute("DELETE FROM " + ledger + where);

        Cli.Result r = cli().run("check", "--group", s.group(), "--topic", s.topic());
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
        Cli.Result after = cli().run("check", "--group", s.group(), "--topic", s.topic());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out())
                .containsPattern("(?m)^FAIL\\s+offset-gaps\\s+" + (last - first + 1) + " offset\\(s\\)")
                .contains(s.topic() + "-0 offsets " + first + ".." + last)
                .contains("1 of 6 checks failed.");
        assertThat(repaired.out()).containsPattern("inserted\\s+" + (last - first + 1) + "\\b");
        assertThat(after.exitCode()).as("gap closed by the replay: " + after).isZero();
        assertThat(scalar("SELECT COUNT(*) FROM " + bronzeTable(s.topic()))).isEqualTo(300);
    }

    @Test
    void shouldCountARetriedBatchsRepeatedLedgerRowOnceAndReportOverlappingRanges() {
        Seeded s = seed("retried", 1, 300, 0, 0, 100);
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

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .containsPattern("read\\s+51\\b")
                .containsPattern("inserted\\s+0\\b")
                .contains("Committed nothing");
        assertThat(KAFKA.committedOffsets(main.group())).isEqualTo(committedBefore);
        assertThat(scalar("SELECT COUNT(*) FROM " + bronzeTable(main.topic()))).isEqualTo(rowsBefore);
        assertThat(scalar("SELECT COUNT(*) FROM " + table("BRONZE_DEAD_LETTER")))
                .isEqualTo(deadBefore);
    }

    @Test
    void shouldListShowAndReplayDeadLettersFromTheTable() {
        int i = 0;
        while (main.events().get(i).valid()) {
            i++;
        }
        RecordMetadata bad = main.acks().get(i);
        String coordinates = main.topic() + "-" + bad.partition() + "-" + bad.offset();
        long deadInPartition = 0;
        for (int j = 0; j < main.events().size(); j++) {
            if (!main.events().get(j).valid() && main.acks().get(j).partition() == bad.partition()) {
                deadInPartition++;
            }
        }

        Cli.Result list = cli().run("dlq", "list", "--topic", main.topic(), "--limit", "5");
        Cli.Result show = cli().run("dlq", "show", coordinates);
        Cli.Result replay = cli().run("dlq", "replay", "--topic", main.topic(), "--partition", "" + bad.partition());

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out())
                .contains(main.malformed() + " dead letter(s) in BRONZE.BRONZE_DEAD_LETTER")
                .contains("showing the newest 5")
                .contains("DESERIALIZE");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out())
                .contains("Dead letter " + coordinates)
                .contains("Kafka metadata:")
                .contains("\"offset\" : " + bad.offset())
                .contains("Payload:");
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out())
                .containsPattern("inserted\\s+0\\b")
                .containsPattern("dead-lettered\\s+" + deadInPartition + "\\b");
    }
}
