package io.flowguard.bronze.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.connect.internal.SinkRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The connector on an embedded Connect cluster (connect-runtime's test utilities: two distributed workers on an in-JVM
 * KRaft broker) writing to an embedded PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BronzeSinkConnectorIT {
    private static final int PARTITIONS = 4;
    private static final int WAVE = 1_500;

    private static EmbeddedPostgres pg;
    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.start();
        Map<String, String> worker = new HashMap<>();
        // Reassign a stopped worker's tasks at once instead of after the default 5-minute grace period.
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        // Commit sink offsets every half second, so a worker is stopped between commits, not before the first one.
        worker.put("offset.flush.interval.ms", "500");
        connect = new EmbeddedConnectCluster.Builder()
                .name("bronze-connect-it")
                .numWorkers(2)
                .numBrokers(1)
                .workerProps(worker)
                .build();
        connect.start();
        connect.assertions().assertExactlyNumWorkersAreUp(2, "workers did not start");
    }

    @AfterAll
    static void stop() throws Exception {
        if (connect != null) {
            connect.stop();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static Map<String, String> connectorConfig(String topic, String schema) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", BronzeSinkConnector.class.getName());
        c.put("tasks.max", "2");
        c.put("topics", topic);
        c.put("key.converter", SinkRecords.BYTE_ARRAY_CONVERTER);
        c.put("value.converter", SinkRecords.BYTE_ARRAY_CONVERTER);
        c.put("header.converter", SinkRecords.BYTE_ARRAY_CONVERTER);
        c.put("bronze.warehouse.url", pg.jdbcUrl());
        c.put("bronze.warehouse.schema", schema);
        return c;
    }

    private static boolean malformed(int i) {
        return i % 250 == 7;
    }

    /** Produces {@code count} events (every 250th one not JSON) and returns each one's {@code partition:offset}. */
    private static List<String> produce(KafkaProducer<byte[], byte[]> producer, String topic, int from, int count)
            throws ExecutionException, InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String value = malformed(i)
                    ? "{\"broken\": " + i
                    : "{\"event_id\":\"e-" + i + "\",\"event_type\":\"order.created\",\"amount\":" + i + "}";
            acks.add(producer.send(new ProducerRecord<>(
                    topic,
                    i % PARTITIONS,
                    ("k" + i).getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8))));
        }
        List<String> out = new ArrayList<>();
        for (Future<RecordMetadata> f : acks) {
            RecordMetadata m = f.get();
            out.add(m.partition() + ":" + m.offset());
        }
        return out;
    }

    private static long committed(String group) throws Exception {
        try (Admin admin = connect.kafka().createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            return offsets.values().stream()
                    .filter(o -> o != null)
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        }
    }

    @Test
    @Order(0)
    void shouldReportEveryBronzeAndConverterProblemOnItsKeyWhenTheWorkerValidatesTheConfig() {
        Map<String, String> config = connectorConfig("orders", "public");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("bronze.group", "mine");
        config.put("bronze.warehouse.password", "s3cret-value");

        ConfigInfos infos = connect.validateConnectorConfig(BronzeSinkConnector.class.getSimpleName(), config);

        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigInfo info : infos.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        assertThat(errors).containsKeys("value.converter", "bronze.group");
        assertThat(errors.get("value.converter"))
                .anySatisfy(e -> assertThat(e).contains(SinkRecords.BYTE_ARRAY_CONVERTER));
        assertThat(errors.get("bronze.group")).anySatisfy(e -> assertThat(e).contains("consumer.override.group.id"));
        assertThat(infos.toString()).as("the password is masked").doesNotContain("s3cret-value");
    }

    @Test
    @Order(1)
    void shouldSendUnconvertibleRecordsToConnectsDeadLetterQueueWhenErrorsToleranceIsAll() throws Exception {
        String topic = "dlq-orders";
        String dlq = "dlq-orders.connect-dlq";
        String schema = "connect_dlq";
        connect.kafka().createTopic(topic, PARTITIONS);
        pg.execute("CREATE SCHEMA " + schema);
        Map<String, String> config = connectorConfig(topic, schema);
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        connect.configureConnector("bronze-dlq", config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("bronze-dlq", 2, "connector did not start");

        List<String> offsets;
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            offsets = produce(producer, topic, 0, 500);
        }
        String bronze = schema + ".\"DLQ_ORDERS_RAW\"";
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> pg.count("SELECT COUNT(*) FROM " + bronze) == 498);
        Set<String> expectedDead = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            if (malformed(i)) {
                expectedDead.add(offsets.get(i));
            }
        }
        Set<String> dead = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume(expectedDead.size(), 30_000, dlq)) {
            String original = header(r, "__connect.errors.partition") + ":" + header(r, "__connect.errors.offset");
            dead.add(original);
            assertThat(header(r, "__connect.errors.exception.message")).contains("stage=DESERIALIZE");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).startsWith("{\"broken\": ");
        }
        assertThat(dead).isEqualTo(expectedDead);
        assertThat(pg.count("SELECT COUNT(*) FROM " + schema + ".\"BRONZE_DEAD_LETTER\""))
                .as("nothing in the Bronze dead-letter table when Connect's queue is used")
                .isZero();
        connect.deleteConnector("bronze-dlq");
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    @Order(2)
    void shouldLandEveryRecordExactlyOnceWhenAWorkerStopsMidStream() throws Exception {
        String topic = "orders";
        String schema = "connect_e2e";
        String name = "bronze-orders";
        connect.kafka().createTopic(topic, PARTITIONS);
        pg.execute("CREATE SCHEMA " + schema);
        connect.configureConnector(name, connectorConfig(topic, schema));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 2, "connector did not start");
        String bronze = schema + ".\"ORDERS_RAW\"";
        String ledger = schema + ".\"BRONZE_INGESTION_LOG\"";
        String deadLetters = schema + ".\"BRONZE_DEAD_LETTER\"";
        int events = 2 * WAVE;

        // A producer streams the events in chunks of 50, never more than 500 ahead of the table (flow control, so the
        // stream is still flowing when the worker stops), while a worker that runs a task is stopped under it.
        ExecutorService producing = Executors.newSingleThreadExecutor();
        Future<List<String>> produced;
        long rowsAtStop;
        long committedAtStop;
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            produced = producing.submit(() -> {
                List<String> out = new ArrayList<>();
                for (int from = 0; from < events; from += 50) {
                    long ahead = from - 500;
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> pg.count("SELECT COUNT(*) FROM " + bronze) >= ahead);
                    out.addAll(produce(producer, topic, from, 50));
                }
                return out;
            });
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> pg.count("SELECT COUNT(*) FROM " + bronze) >= 300);
            rowsAtStop = pg.count("SELECT COUNT(*) FROM " + bronze);
            committedAtStop = committed("connect-" + name);
            connect.removeWorker(workerRunningTask(name));
            connect.assertions().assertExactlyNumWorkersAreUp(1, "the worker did not stop");
            produced.get(90, TimeUnit.SECONDS);
        } finally {
            producing.shutdownNow();
        }
        List<String> offsets = produced.get();
        Set<String> expectedDead = new HashSet<>();
        Set<String> expectedRows = new HashSet<>();
        for (int i = 0; i < events; i++) {
            (malformed(i) ? expectedDead : expectedRows).add(offsets.get(i));
        }
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> committed("connect-" + name) == events);

        Set<String> landed = new HashSet<>();
        pg.column("SELECT \"KAFKA_PARTITION\" || ':' || \"KAFKA_OFFSET\" FROM " + bronze)
                .forEach(o -> landed.add((String) o));
        Set<String> dead = new HashSet<>();
        pg.column("SELECT \"KAFKA_PARTITION\" || ':' || \"KAFKA_OFFSET\" FROM " + deadLetters)
                .forEach(o -> dead.add((String) o));
        long rows = pg.count("SELECT COUNT(*) FROM " + bronze);
        long distinct = pg.count("SELECT COUNT(DISTINCT \"INGESTION_ID\") FROM " + bronze);
        long ledgerLanded = pg.count("SELECT SUM(\"ROWS_LANDED\") FROM " + ledger);
        System.out.printf(
                "connect e2e: produced=%d rows=%d distinct=%d missing=%d dead-lettered=%d rows-at-stop=%d "
                        + "committed-at-stop=%d ledger-landed=%d%n",
                events,
                rows,
                distinct,
                expectedRows.stream().filter(o -> !landed.contains(o)).count(),
                dead.size(),
                rowsAtStop,
                committedAtStop,
                ledgerLanded);
        assertThat(rowsAtStop)
                .as("rows when the worker was stopped: mid-stream")
                .isLessThan(events / 2);
        assertThat(committedAtStop)
                .as("offsets committed when the worker was stopped")
                .isLessThan(events / 2);
        assertThat(rows).as("duplicates").isEqualTo(distinct);
        assertThat(landed).as("landed offsets (missing or extra)").isEqualTo(expectedRows);
        assertThat(dead).as("dead-lettered offsets").isEqualTo(expectedDead);
        assertThat(pg.count("SELECT COUNT(*) FROM " + bronze
                        + " WHERE \"INGESTION_ID\" <> 'orders-' || \"KAFKA_PARTITION\" "
                        + "|| '-' || \"KAFKA_OFFSET\""))
                .as("ingestion ids not topic-partition-offset")
                .isZero();
        assertThat(pg.count(
                        "SELECT COUNT(*) FROM " + bronze + " b WHERE NOT EXISTS (SELECT 1 FROM " + ledger + " l WHERE "
                                + "l.\"SOURCE_TOPIC\" = b.\"SOURCE_TOPIC\" AND l.\"KAFKA_PARTITION\" = b.\"KAFKA_PARTITION\" AND "
                                + "b.\"KAFKA_OFFSET\" BETWEEN l.\"FIRST_OFFSET\" AND l.\"LAST_OFFSET\")"))
                .as("rows no ledger entry covers")
                .isZero();
        assertThat(pg.column("SELECT DISTINCT \"ENGINE\" || '/' || \"GROUP_ID\" FROM " + ledger))
                .as("ledger writers")
                .isNotEmpty()
                .allSatisfy(e -> assertThat((String) e).matches("bronze-orders-[01]/connect-bronze-orders"));
    }

    /** The handle of a worker that runs one of the connector's tasks (the REST port is in the task's worker id). */
    private static WorkerHandle workerRunningTask(String connector) {
        String workerId = connect.connectorStatus(connector).tasks().get(0).workerId();
        int port = Integer.parseInt(workerId.substring(workerId.lastIndexOf(':') + 1));
        return connect.workers().stream()
                .filter(w -> w.url().getPort() == port)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no worker listens on " + workerId));
    }
}
