package io.flowguard.bronze.cli;

import static io.flowguard.bronze.cli.ServiceFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLI replay given the engine's own {@code bronze.*} file lands with the engine's table routing and idempotency key,
 * so replaying a range that landed inserts nothing (review finding B.4: with the CLI's defaults it landed every event a
 * second time, in another table, under other ids).
 */
class ReplayWithIngestConfigIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

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
    void shouldReplayWithTheRoutingAndIdempotencyKeyOfTheIngestConfig(@TempDir Path dir) throws Exception {
        String topic = KAFKA.createUniqueTopic("payments", 2);
        String group = "payments-" + topic;
        Map<String, String> config = ServiceFixtures.postgresConfig(KAFKA.bootstrapServers(), pg, topic, group);
        config.put("bronze.tables." + topic, "PAYMENTS_LANDING");
        config.put("bronze.idempotency.payload-field", "event_id");
        config.put("bronze.typed-columns.PAYMENTS_LANDING", "AMOUNT:amount:DOUBLE");
        KAFKA.produceJson(topic, 30, i -> "{\"event_id\":\"pay-" + i + "\",\"amount\":" + i + ".5}");
        try (IngestService service = IngestService.start(BronzeConfig.from(config), null, Clock.systemUTC())) {
            KAFKA.awaitCommitted(group, List.of(topic), Duration.ofSeconds(60));
        }
        assertThat(ServiceFixtures.count(db, "SELECT COUNT(*) FROM \"PAYMENTS_LANDING\""))
                .isEqualTo(30);
        Path file = Files.writeString(
                dir.resolve("bronze.properties"),
                config.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining("\n")) + "\n");

        Cli.Result replay = new Cli(Map.of(), null).run("replay", "--config", file.toString(), "--topic", topic);

        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).containsPattern("landed\\s+30\\b").containsPattern("inserted\\s+0\\b");
        assertThat(ServiceFixtures.count(db, "SELECT COUNT(*) FROM \"PAYMENTS_LANDING\""))
                .isEqualTo(30);
        assertThat(ServiceFixtures.count(db, "SELECT COUNT(\"AMOUNT\") FROM \"PAYMENTS_LANDING\""))
                .isEqualTo(30);
        assertThat(rows(db, topic))
                .as("nothing in the default table %s_RAW", topic)
                .isZero();
    }

    @Test
    void shouldRefuseAnInvalidIngestConfigNamingTheKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("bronze.properties"),
                "bronze.bootstrap-servers=" + KAFKA.bootstrapServers()
                        + "\nbronze.group=g\nbronze.topics=t\nbronze.warehouse.url="
                        + pg.getJdbcUrl("postgres", "postgres")
                        + "\nbronze.idempotency.payload-feild=event_id\n");

        Cli.Result r = new Cli(Map.of(), null).run("replay", "--config", file.toString(), "--topic", "t");

        assertThat(r.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(r.err())
                .contains("bronze.idempotency.payload-feild: is not a Bronze setting; did you mean "
                        + "bronze.idempotency.payload-field?");
    }
}
