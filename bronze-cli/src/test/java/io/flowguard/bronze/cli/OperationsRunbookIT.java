package io.flowguard.bronze.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scenario of docs/operations.md, run for real: traffic, an engine landing it in PostgreSQL, then every runbook
 * command. Writes the transcript to {@code target/operations-transcript.txt} (pasted into the runbook).
 */
class OperationsRunbookIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private final StringBuilder transcript = new StringBuilder();

    @Test
    void shouldRunTheRunbook() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            DataSource ds = pg.getPostgresDatabase();
            Cli cli = new Cli(
                    Map.of(
                            "BRONZE_BOOTSTRAP_SERVERS",
                            KAFKA.bootstrapServers(),
                            "BRONZE_JDBC_URL",
                            pg.getJdbcUrl("postgres", "postgres"),
                            "BRONZE_SCHEMA",
                            "BRONZE",
                            "BRONZE_GROUP",
                            "bronze"),
                    null);
            Instant start = Instant.now();
            run(
                    cli,
                    "generate-traffic",
                    "--count",
                    "4000",
                    "--rate",
                    "2000",
                    "--malformed",
                    "0.01",
                    "--v2",
                    "0.2",
                    "--topics",
                    "orders,clicks",
                    "--partitions",
                    "4");
            try (IngestionEngine engine = IngestionEngine.builder()
                    .bootstrapServers(KAFKA.bootstrapServers())
                    .groupId("bronze")
                    .topics("orders", "clicks")
                    .sink(JdbcBronzeSink.builder(ds, SqlDialect.postgres())
                            .schema("BRONZE")
                            .build())
                    .deadLetterSink(JdbcDeadLetterSink.builder(ds, SqlDialect.postgres())
                            .schema("BRONZE")
                            .build())
                    .maxBatchRecords(100)
                    .maxBatchWait(Duration.ofMillis(500))
                    .start()) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> KAFKA.committedOffsets("bronze").values().stream()
                                        .mapToLong(Long::longValue)
                                        .sum()
                                == 4000);
                run(cli, "watch", "--iterations", "1", "--interval", "5s");
            }
            // The engine is stopped: new traffic piles up as lag.
            run(cli, "generate-traffic", "--count", "300", "--rate", "0", "--topics", "orders", "--seed", "7");
            run(cli, "status", "--group", "bronze", "--batches", "6");
            String from = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")
                    .withZone(ZoneOffset.UTC)
                    .format(start);
            run(cli, "landed", "--from", from, "--to", "now", "--by", "minute");
            run(cli, "landed", "--from", from, "--topic", "orders", "--by", "event_type");
            run(cli, "landed", "--from", from, "--by", "schema_version");
            Cli.Result check = run(cli, "check", "--group", "bronze");
            assertThat(check.exitCode()).isEqualTo(1);
            Cli.Result list = run(cli, "dlq", "list", "--topic", "orders", "--limit", "5");
            String first = list.out().lines().skip(2).findFirst().orElseThrow();
            String[] cols = first.trim().split("\\s+");
            run(cli, "dlq", "show", cols[1] + "-" + cols[2] + "-" + cols[3]);
            run(cli, "replay", "--topic", "orders", "--partition", "3", "--from-offset", "100", "--to-offset", "150");
            // Simulate a lost batch: its rows and its ledger entry vanish.
            String ledger = "\"BRONZE\".\"BRONZE_INGESTION_LOG\"";
            String where =
                    " WHERE \"SOURCE_TOPIC\" = 'clicks' AND \"KAFKA_PARTITION\" = 1 AND \"FIRST_OFFSET\" = (SELECT MIN(\"FIRST_OFFSET\") "
                            + "FROM " + ledger
                            + " WHERE \"SOURCE_TOPIC\" = 'clicks' AND \"KAFKA_PARTITION\" = 1 AND \"FIRST_OFFSET\" > 200)";
            long a;
            long b;
            try (Connection c = ds.getConnection();
                    Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("SELECT \"FIRST_OFFSET\", \"LAST_OFFSET\" FROM " + ledger + where);
                rs.next();
                a = rs.getLong(1);
                b = rs.getLong(2);
                s.execute(
                        "DELETE FROM \"BRONZE\".\"CLICKS_RAW\" WHERE \"KAFKA_PARTITION\" = 1 AND \"KAFKA_OFFSET\" BETWEEN "
                                + a + " AND " + b);
                s.execute("DELETE FROM " + ledger + where);
            }
            transcript
                    .append("-- (deleted clicks-1 offsets ")
                    .append(a)
                    .append("..")
                    .append(b)
                    .append(" and their ledger row)\n\n");
            run(
                    cli,
                    "check",
                    "--group",
                    "bronze",
                    "--max-lag",
                    "1000",
                    "--max-dead-letters",
                    "100",
                    "--topic",
                    "clicks");
            run(cli, "replay", "--topic", "clicks", "--partition", "1", "--from-offset", "" + a, "--to-offset", "" + b);
            run(
                    cli,
                    "check",
                    "--group",
                    "bronze",
                    "--max-lag",
                    "1000",
                    "--max-dead-letters",
                    "100",
                    "--topic",
                    "clicks");
            sql(
                    ds,
                    "SELECT \"KAFKA_PARTITION\", \"KAFKA_OFFSET\", \"EVENT_TYPE\", \"SCHEMA_VERSION\", \"PRODUCER_SERVICE\", "
                            + "\"RAW_EVENT\"->>'order_id' AS order_id, COALESCE(\"RAW_EVENT\"->>'user_id', \"RAW_EVENT\"->>'customer_id') AS user_id, "
                            + "\"INGESTED_AT\" FROM \"BRONZE\".\"ORDERS_RAW\" WHERE \"SOURCE_TOPIC\" = 'orders' AND \"KAFKA_PARTITION\" = 3 "
                            + "AND \"KAFKA_OFFSET\" BETWEEN 100 AND 104 ORDER BY \"KAFKA_OFFSET\"");
            sql(
                    ds,
                    "SELECT \"KAFKA_PARTITION\", MIN(\"KAFKA_OFFSET\") AS first_offset, MAX(\"KAFKA_OFFSET\") AS last_offset, COUNT(*) AS rows_, "
                            + "MAX(\"KAFKA_OFFSET\") - MIN(\"KAFKA_OFFSET\") + 1 - COUNT(*) AS missing FROM \"BRONZE\".\"ORDERS_RAW\" "
                            + "WHERE \"SOURCE_TOPIC\" = 'orders' GROUP BY 1 ORDER BY 1");
            sql(
                    ds,
                    "SELECT \"KAFKA_PARTITION\", \"KAFKA_OFFSET\", \"STAGE\", \"ERROR_CLASS\", LEFT(\"ERROR_MESSAGE\", 60) AS error "
                            + "FROM \"BRONZE\".\"BRONZE_DEAD_LETTER\" WHERE \"SOURCE_TOPIC\" = 'orders' ORDER BY \"FAILED_AT\" DESC LIMIT 3");
            sql(
                    ds,
                    "SELECT \"EVENT_TYPE\", \"SCHEMA_VERSION\", COUNT(*) FROM \"BRONZE\".\"ORDERS_RAW\" GROUP BY 1, 2 ORDER BY 1, 2");
        } finally {
            Path out = Path.of("target", "operations-transcript.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, transcript);
        }
    }

    private Cli.Result run(Cli cli, String... args) {
        Cli.Result r = cli.run(args);
        transcript
                .append("$ bronze ")
                .append(String.join(" ", args))
                .append('\n')
                .append(r.out())
                .append(r.err())
                .append("(exit ")
                .append(r.exitCode())
                .append(")\n\n");
        return r;
    }

    private void sql(DataSource ds, String sql) throws Exception {
        StringWriter sw = new StringWriter();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            String[] header = new String[md.getColumnCount()];
            for (int i = 0; i < header.length; i++) {
                header[i] = md.getColumnLabel(i + 1);
            }
            TextTable t = new TextTable(header);
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= header.length; i++) {
                    row.add(rs.getString(i));
                }
                t.row(row.toArray());
            }
            t.print(new PrintWriter(sw));
        }
        transcript.append("psql> ").append(sql).append('\n').append(sw).append('\n');
    }
}
