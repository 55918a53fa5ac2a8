package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.flowguard.bronze.testkit.TestRecords;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end on fakesnow through the real driver: in-JVM Kafka broker → {@link IngestionEngine} →
 * {@link SnowflakeMergeSink} (ledger on) and {@link SnowflakeDeadLetterSink}, with a crash in the middle that re-delivers
 * records already written. Mirrors bronze-jdbc's {@code AbstractEngineToJdbcIT}.
 */
class EngineToSnowflakeIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    static final String SCHEMA = "E2E";
    static final int EVENTS = 20_000;
    static final int PARTITIONS = 3;
    /** fakesnow takes ~100–400 ms per MERGE, so batches are large to keep the run short. */
    static final int MAX_BATCH_RECORDS = 1_500;
    /** The first engine "loses the acknowledgement" of the write that takes it past this many records, then is aborted. */
    static final int CRASH_AFTER_RECORDS = 5_000;

    private final List<IngestionEngine> engines = new ArrayList<>();

    @AfterEach
    void stopEngines() {
        engines.forEach(IngestionEngine::abort);
    }

    static boolean malformed(int i) {
        return i % 1_000 == 13;
    }

    private IngestionEngine start(String group, String topic, BronzeSink sink, SnowflakeDeadLetterSink deadLetters) {
        IngestionEngine engine = IngestionEngine.builder()
                .name(group + "-" + engines.size())
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(deadLetters)
                .maxBatchRecords(MAX_BATCH_RECORDS)
                .maxBatchWait(Duration.ofMillis(200))
                .consumerProperty("session.timeout.ms", 10_000)
                .consumerProperty("heartbeat.interval.ms", 1_000)
                .start();
        engines.add(engine);
        return engine;
    }

    private static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long count(DataSource dataSource, String sql) {
        return SnowRows.count(dataSource, sql);
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void shouldLandEveryEventOnceAndAccountForEveryOffsetAcrossACrash(WriteMode mode) throws SQLException {
        long t0 = System.nanoTime();
        String schema = SCHEMA + "_" + mode;
        DataSource dataSource = SNOW.dataSource("BRONZE_IT", schema);
        String topic = KAFKA.createUniqueTopic("orders", PARTITIONS);
        List<RecordMetadata> acks = KAFKA.produceJson(
                topic,
                EVENTS,
                i -> malformed(i) ? "{\"broken\": " + i : TestRecords.orderJson(topic, i % PARTITIONS, i / PARTITIONS));
        Set<String> malformedOffsets = new HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
            if (malformed(i)) {
                malformedOffsets.add(acks.get(i).partition() + ":" + acks.get(i).offset());
            }
        }
        String bronze = schema + "." + TableRouter.fromTopicName().tableFor(topic);
        String ledger = schema + ".BRONZE_INGESTION_LOG";
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .writeMode(mode)
                .build();
        SnowflakeDeadLetterSink deadLetters =
                SnowflakeDeadLetterSink.builder(dataSource).schema(schema).build();
        AcknowledgementLosingSink crashing = new AcknowledgementLosingSink(sink, CRASH_AFTER_RECORDS);
        String group = "e2e-" + topic;

        IngestionEngine first = start(group, topic, crashing, deadLetters);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> crashing.lost.get() > 0);
        first.abort(); // a crash: the batch whose acknowledgement was lost is in the table but its offsets are not
        // committed
        long committedAtCrash = total(KAFKA.committedOffsets(group));
        long rowsAtCrash = count(dataSource, "SELECT COUNT(*) FROM " + bronze);
        assertThat(committedAtCrash)
                .as("the crash left part of the topic uncommitted")
                .isLessThan(EVENTS);
        assertThat(rowsAtCrash)
                .as("written but not committed at the crash")
                .isGreaterThan(committedAtCrash - malformedOffsets.size());
        long tRestart = System.nanoTime();

        IngestionEngine second = start(group, topic, sink, deadLetters);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                        total(KAFKA.committedOffsets(group)) == EVENTS && total(KAFKA.endOffsets(topic)) == EVENTS);
        second.close();
        double drainSeconds = (System.nanoTime() - tRestart) / 1e9;

        long expected = EVENTS - malformedOffsets.size();
        long rows = count(dataSource, "SELECT COUNT(*) FROM " + bronze);
        long distinct = count(dataSource, "SELECT COUNT(DISTINCT INGESTION_ID) FROM " + bronze);
        assertThat(rows).isEqualTo(expected);
        assertThat(distinct).isEqualTo(expected);
        Set<String> deadLettered = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT KAFKA_PARTITION, KAFKA_OFFSET FROM " + schema
                        + ".BRONZE_DEAD_LETTER WHERE SOURCE_TOPIC = '" + topic + "'")) {
            while (rs.next()) {
                deadLettered.add(rs.getInt(1) + ":" + rs.getLong(2));
            }
        }
        assertThat(deadLettered).as("dead-lettered offsets").isEqualTo(malformedOffsets);
        assertThat(count(
                        dataSource,
                        "SELECT COUNT(*) FROM " + bronze + " b WHERE NOT EXISTS (SELECT 1 FROM " + ledger + " l WHERE "
                                + "l.SOURCE_TOPIC = b.SOURCE_TOPIC AND l.KAFKA_PARTITION = b.KAFKA_PARTITION AND "
                                + "b.KAFKA_OFFSET BETWEEN l.FIRST_OFFSET AND l.LAST_OFFSET AND l.ROWS_LANDED > 0)"))
                .as("landed rows no ledger row covers")
                .isZero();
        IngestionLedger ledgerReader =
                SnowflakeIngestionLedger.builder(dataSource).schema(schema).build();
        assertThat(ledgerReader.gaps(topic))
                .as("offsets neither the ledger nor the dead-letter table accounts for")
                .isEmpty();
        Map<TopicPartition, Long> end = KAFKA.endOffsets(topic);
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(count(dataSource, "SELECT MIN(FIRST_OFFSET) FROM " + ledger + " WHERE KAFKA_PARTITION = " + p))
                    .isZero();
            assertThat(count(dataSource, "SELECT MAX(LAST_OFFSET) FROM " + ledger + " WHERE KAFKA_PARTITION = " + p))
                    .isEqualTo(end.get(new TopicPartition(topic, p)) - 1);
        }
        List<IngestionLedger.Entry> entries =
                ledgerReader.landedBetween(Instant.EPOCH, Instant.now().plusSeconds(60), Optional.of(topic));
        long landed =
                entries.stream().mapToLong(IngestionLedger.Entry::rowsLanded).sum();
        long ledgerDead = entries.stream()
                .mapToLong(IngestionLedger.Entry::rowsDeadLettered)
                .sum();
        if (mode == WriteMode.MERGE) {
            assertThat(landed - expected)
                    .as("re-delivered rows absorbed by the MERGE")
                    .isPositive();
        } else {
            assertThat(landed)
                    .as("append mode: the ledger check skipped every re-delivered offset")
                    .isEqualTo(expected);
            assertThat(ledgerReader.overlaps(topic))
                    .as("no offset written twice")
                    .isEmpty();
        }
        if (mode == WriteMode.MERGE) {
            // In append mode a range the fence cut short counts only what it lands: its dead letters are in the
            // dead-letter table (asserted above), not in the ledger's count.
            assertThat(ledgerDead)
                    .as("dead letters the ledger saw, re-deliveries included")
                    .isGreaterThanOrEqualTo(malformedOffsets.size());
        }
        System.out.printf(
                "SNOWFLAKE-E2E mode=" + mode
                        + " produced=%d partitions=%d maxBatchRecords=%d rows=%d distinct=%d dead-lettered=%d "
                        + "committed-at-crash=%d rows-at-crash=%d ledger-rows=%d landed-per-ledger=%d duplicates-absorbed=%d "
                        + "gaps=0 drain-after-restart=%.1f s total=%.1f s%n",
                EVENTS,
                PARTITIONS,
                MAX_BATCH_RECORDS,
                rows,
                distinct,
                deadLettered.size(),
                committedAtCrash,
                rowsAtCrash,
                entries.size(),
                landed,
                landed - expected,
                drainSeconds,
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Writes through, and once more than {@code threshold} records have gone through, throws a transient error after
     * each write as if the acknowledgement of a committed transaction had been lost on the way back.
     */
    private static final class AcknowledgementLosingSink implements BronzeSink {
        private final BronzeSink delegate;
        private final int threshold;
        private final AtomicInteger written = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();

        AcknowledgementLosingSink(BronzeSink delegate, int threshold) {
            this.delegate = delegate;
            this.threshold = threshold;
        }

        @Override
        public WriteResult write(List<BronzeRecord> records) {
            return write(records, BatchInfo.adHoc(Instant.now()));
        }

        @Override
        public Map<io.flowguard.bronze.api.SourcePartition, Long> storedPositions(
                java.util.Collection<io.flowguard.bronze.api.SourcePartition> partitions) {
            return delegate.storedPositions(partitions);
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            WriteResult result = delegate.write(records, batch);
            if (written.addAndGet(records.size()) > threshold) {
                lost.incrementAndGet();
                throw new SinkWriteException(
                        "connection reset after commit (test)", null, SinkWriteException.ErrorKind.TRANSIENT);
            }
            return result;
        }
    }
}
