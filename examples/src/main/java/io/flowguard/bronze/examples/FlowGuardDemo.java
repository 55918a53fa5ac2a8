package io.flowguard.bronze.examples;

import io.flowguard.bronze.core.BronzeMeters;
import io.flowguard.bronze.core.EngineHealth;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.jdbc.DuckDbDataSource;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.testkit.FlowGuardTraffic;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The FlowGuard demo on embedded defaults: an in-JVM Kafka broker, a DuckDB file as the warehouse, FlowGuard order and
 * click traffic (v1 and v2 schemas, 1% malformed). Half the traffic is ingested, the engine is killed without draining
 * (a crash), the rest arrives, a new engine takes over — and the Bronze tables end with every event exactly once, the
 * malformed ones in the dead-letter table, every batch in the ingestion ledger.
 *
 * <p>Arguments: {@code [events (default 5000)] [duckdb file (default target/flowguard-demo.duckdb)]}. The last line is
 * {@code demo: produced=P landed=L dead_lettered=D rows=R distinct_ingestion_ids=I gaps=G}.
 */
public final class FlowGuardDemo {

    private FlowGuardDemo() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        Path file = Path.of(args.length > 1 ? args[1] : "target/flowguard-demo.duckdb");
        run(events, file, System.out);
    }

    /** Runs the demo and returns {produced, landed, deadLettered, rows, distinctIds, gaps}. */
    static long[] run(int events, Path file, PrintStream out) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".wal"));
        out.println("== FlowGuard Bronze demo: " + events + " events, warehouse " + file);
        long[] result;
        try (KafkaBroker kafka = KafkaBroker.create().start(); DuckDbDataSource ds = DuckDbDataSource.file(file)) {
            kafka.createTopic("orders", 3);
            kafka.createTopic("clicks", 3);
            FlowGuardTraffic traffic = FlowGuardTraffic.builder().topics("orders", "clicks").build();
            List<FlowGuardTraffic.Event> all = traffic.next(events);
            long malformed = all.stream().filter(e -> !e.valid()).count();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            JdbcBronzeSink sink = JdbcBronzeSink.duckdb(ds);
            JdbcDeadLetterSink dlq = JdbcDeadLetterSink.duckdb(ds);
            IngestionEngine.Builder builder = IngestionEngine.builder().name("demo").bootstrapServers(kafka.bootstrapServers())
                    .groupId("flowguard-bronze").topics("orders", "clicks").sink(sink).deadLetterSink(dlq)
                    .maxBatchWait(Duration.ofMillis(500)).meterRegistry(registry)
                    .deadLetterRateThreshold(0.05); // the generated traffic is 1% malformed on purpose

            int half = events / 2;
            produce(kafka, all.subList(0, half));
            out.printf("produced %d events (%d malformed, %d in schema v2)%n", half,
                    all.subList(0, half).stream().filter(e -> !e.valid()).count(),
                    all.subList(0, half).stream().filter(e -> "v2".equals(e.schemaVersion())).count());
            IngestionEngine first = builder.start();
            awaitTrue(() -> registry.find(BronzeMeters.RECORDS_LANDED).counters().stream()
                    .mapToDouble(c -> c.count()).sum() >= half / 3.0, Duration.ofSeconds(60));
            first.abort();
            out.printf("engine 1 crashed on purpose (no drain, no final commit) after landing part of the stream; committed so far: %d%n",
                    sum(kafka.committedOffsets("flowguard-bronze")));

            produce(kafka, all.subList(half, events));
            out.printf("produced %d more events while no engine was running%n", events - half);
            IngestionEngine second = builder.start();
            awaitTrue(() -> sum(kafka.committedOffsets("flowguard-bronze")) == events, Duration.ofSeconds(120));
            EngineHealth health = second.health();
            second.close();
            out.printf("engine 2 caught up and closed; health before close: %s%n%n", health);

            result = report(ds, out, events, malformed);
        }
        System.err.flush(); // the broker's shutdown logging goes before the result line, not after it
        out.printf(Locale.ROOT, "demo: produced=%d landed=%d dead_lettered=%d rows=%d distinct_ingestion_ids=%d gaps=%d%n",
                result[0], result[1], result[2], result[3], result[4], result[5]);
        return result;
    }

    private static void produce(KafkaBroker kafka, List<FlowGuardTraffic.Event> events) {
        Map<String, List<ProducerRecord<byte[], byte[]>>> byTopic = new LinkedHashMap<>();
        for (FlowGuardTraffic.Event e : events) {
            byTopic.computeIfAbsent(e.topic(), t -> new ArrayList<>()).add(e.toProducerRecord());
        }
        byTopic.forEach(kafka::produce);
    }

    private static long sum(Map<?, Long> offsets) {
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

    private static long[] report(DuckDbDataSource ds, PrintStream out, long produced, long malformed) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            query(st, out, "Rows per Bronze table (each row once: rows = distinct ingestion ids)",
                    "SELECT 'ORDERS_RAW' AS table_name, COUNT(*) AS rows_landed, COUNT(DISTINCT INGESTION_ID) AS distinct_ids FROM ORDERS_RAW "
                            + "UNION ALL SELECT 'CLICKS_RAW', COUNT(*), COUNT(DISTINCT INGESTION_ID) FROM CLICKS_RAW");
            query(st, out, "Schema versions (v2 renamed user_id to customer_id)",
                    "SELECT SOURCE_TOPIC, SCHEMA_VERSION, COUNT(*) AS events FROM (SELECT SOURCE_TOPIC, SCHEMA_VERSION FROM ORDERS_RAW "
                            + "UNION ALL SELECT SOURCE_TOPIC, SCHEMA_VERSION FROM CLICKS_RAW) GROUP BY 1, 2 ORDER BY 1, 2");
            query(st, out, "Dead letters by stage and error",
                    "SELECT SOURCE_TOPIC, STAGE, ERROR_CLASS, COUNT(*) AS n FROM BRONZE_DEAD_LETTER GROUP BY 1, 2, 3 ORDER BY 1, 2, 3");
            query(st, out, "3 AM debugging: the newest orders of partition 1, by offset",
                    "SELECT SOURCE_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET, EVENT_TYPE, SCHEMA_VERSION, "
                            + "COALESCE(json_extract_string(RAW_EVENT, '$.user_id'), json_extract_string(RAW_EVENT, '$.customer_id')) AS user_or_customer, "
                            + "INGESTION_ID FROM ORDERS_RAW WHERE KAFKA_PARTITION = 1 ORDER BY KAFKA_OFFSET DESC LIMIT 3");
            query(st, out, "Ingestion ledger (one row per batch and partition, written with the batch)",
                    "SELECT COUNT(*) AS ledger_rows, SUM(ROWS_LANDED) AS rows_written, SUM(ROWS_LANDED) - ((SELECT COUNT(*) FROM ORDERS_RAW) "
                            + "+ (SELECT COUNT(*) FROM CLICKS_RAW)) AS redelivered_absorbed, SUM(ROWS_DEAD_LETTERED) AS dead_lettered "
                            + "FROM BRONZE_INGESTION_LOG");
            out.println("(rows_written counts re-delivered rows again; redelivered_absorbed is what the idempotent write ignored)");
            out.println();
            long rows = scalar(st, "SELECT (SELECT COUNT(*) FROM ORDERS_RAW) + (SELECT COUNT(*) FROM CLICKS_RAW)");
            long ids = scalar(st, "SELECT (SELECT COUNT(DISTINCT INGESTION_ID) FROM ORDERS_RAW) + (SELECT COUNT(DISTINCT INGESTION_ID) FROM CLICKS_RAW)");
            long dead = scalar(st, "SELECT COUNT(*) FROM BRONZE_DEAD_LETTER");
            IngestionLedger ledger = IngestionLedger.builder(ds, SqlDialect.duckdb()).build();
            long gaps = ledger.gaps("orders").size() + ledger.gaps("clicks").size();
            out.printf("expected malformed events: %d; offset gaps (neither landed nor dead-lettered): %d%n", malformed, gaps);
            return new long[] {produced, rows, dead, rows, ids, gaps};
        }
    }

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void query(Statement st, PrintStream out, String title, String sql) throws SQLException {
        out.println("-- " + title);
        List<String[]> rows = new ArrayList<>();
        int columns;
        try (ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            columns = md.getColumnCount();
            String[] header = new String[columns];
            for (int i = 1; i <= columns; i++) {
                header[i - 1] = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
            }
            rows.add(header);
            while (rs.next()) {
                String[] row = new String[columns];
                for (int i = 1; i <= columns; i++) {
                    row[i - 1] = String.valueOf(rs.getString(i));
                }
                rows.add(row);
            }
        }
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
    }
}
