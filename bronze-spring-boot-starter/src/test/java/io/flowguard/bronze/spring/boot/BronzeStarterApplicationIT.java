package io.flowguard.bronze.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.config.BronzeWarehouse;
import io.flowguard.bronze.core.BronzeMeters;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.flowguard.bronze.testkit.TestRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Spring Boot application (DataSource, Actuator, Micrometer auto-configured as in production) with the starter,
 * against the in-JVM broker and an embedded PostgreSQL: events produced, rows land, the context closes, the engine drains
 * what it buffered and commits.
 */
class BronzeStarterApplicationIT {
    private static final int PARTITIONS = 3;
    private static final int FULL_BATCHES = 10;
    private static final int BATCH = 100;
    private static final int BUFFERED = 37;

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private static EmbeddedPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @SpringBootApplication
    static class OrdersApplication {}

    private static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void shouldLandEventsAndDrainAndCommitWhenTheApplicationStops() throws Exception {
        String topic = KAFKA.createUniqueTopic("orders", PARTITIONS);
        String group = "orders-app-" + topic;
        SpringApplication app = new SpringApplication(OrdersApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        ConfigurableApplicationContext context = app.run(
                "--spring.datasource.url=" + pg.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--bronze.bootstrap-servers=" + KAFKA.bootstrapServers(),
                "--bronze.group=" + group,
                "--bronze.topics=" + topic,
                "--bronze.tables." + topic + "=ORDERS_RAW",
                "--bronze.warehouse.schema=public",
                // Full batches land at once; the rest waits (10 minutes, and not when the writer is idle) until the
                // shutdown drain flushes it.
                "--bronze.batch.max-records=" + BATCH,
                "--bronze.batch.max-wait=10m",
                "--bronze.batch.flush-when-idle=false",
                "--management.endpoint.health.show-details=always");
        IngestionEngine engine = context.getBean(IngestionEngine.class);
        int events = FULL_BATCHES * BATCH + BUFFERED;
        try {
            DataSource ds = context.getBean(DataSource.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(context.getBean(BronzeSink.class)).isInstanceOf(JdbcBronzeSink.class);
            assertThat(context.getBean(DeadLetterSink.class)).isInstanceOf(JdbcDeadLetterSink.class);
            assertThat(context.getBean(BronzeWarehouse.class).dataSource())
                    .as("the application's pool")
                    .isSameAs(ds);
            assertThat(engine.config().meterRegistry()).isSameAs(registry);
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.state() == EngineState.RUNNING);

            KAFKA.produceJson(topic, events, i -> TestRecords.orderJson(topic, i % PARTITIONS, i / PARTITIONS));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions() // table not yet created
                    .until(() ->
                            count(ds, "SELECT COUNT(*) FROM public.\"ORDERS_RAW\"") == (long) FULL_BATCHES * BATCH);
            HealthEndpoint health = context.getBean(HealthEndpoint.class);
            assertThat(health.healthForPath("bronze").getStatus()).isEqualTo(Status.UP);
            assertThat(registry.get(BronzeMeters.RECORDS_LANDED).counters().stream()
                            .mapToDouble(c -> c.count())
                            .sum())
                    .isEqualTo(FULL_BATCHES * BATCH);
            long committedWhileRunning = KAFKA.committedOffsets(group).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            assertThat(committedWhileRunning)
                    .as("the last partial batch is buffered, not committed")
                    .isLessThan(events);

            context.close();
        } finally {
            if (context.isActive()) {
                context.close();
            }
        }

        assertThat(engine.state()).isEqualTo(EngineState.CLOSED);
        DataSource fresh = pg.getPostgresDatabase(); // the application's pool is closed now
        assertThat(count(fresh, "SELECT COUNT(*) FROM public.\"ORDERS_RAW\""))
                .as("rows after the drain")
                .isEqualTo(events);
        assertThat(count(fresh, "SELECT COUNT(DISTINCT \"INGESTION_ID\") FROM public.\"ORDERS_RAW\""))
                .isEqualTo(events);
        assertThat(count(
                        fresh,
                        "SELECT COALESCE(SUM(\"ROWS_LANDED\"), 0) FROM public.\"BRONZE_INGESTION_LOG\" WHERE \"ENGINE\" = '"
                                + engine.name() + "'"))
                .as("ledger")
                .isEqualTo(events);
        assertThat(KAFKA.committedOffsets(group).values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .as("committed after the drain")
                .isEqualTo(events);
    }
}
