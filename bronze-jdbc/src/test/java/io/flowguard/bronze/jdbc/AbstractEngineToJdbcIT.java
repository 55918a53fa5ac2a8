package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.flowguard.bronze.testkit.TestRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end on real infrastructure, run against each database by a subclass: in-JVM Kafka broker →
 * {@link IngestionEngine} → {@link JdbcBronzeSink} and {@link JdbcDeadLetterSink}, with a crash in the middle.
 */
abstract class AbstractEngineToJdbcIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    static final int EVENTS = 20_000;
    static final int PARTITIONS = 3;
    /** The first engine "loses the acknowledgement" of the write that takes it past this many records, then is aborted. */
    static final int CRASH_AFTER_RECORDS = 5_000;

    private final List<IngestionEngine> engines = new ArrayList<>();

    abstract DataSource dataSource();

    abstract SqlDialect dialect();

    /** The schema tests write to, or null for the current one. */
    abstract String schema();

    @AfterEach
    void stopEngines() {
        engines.forEach(IngestionEngine::abort);
    }

    String table(String name) {
        return schema() == null ? '"' + name + '"' : '"' + schema() + "\".\"" + name + '"';
    }

    long count(String sql) {
        return ((Number) Rows.scalar(dataSource(), sql)).longValue();
    }

    static boolean malformed(int i) {
        return i % 1_000 == 13;
    }

    private IngestionEngine start(String group, String topic, BronzeSink sink, JdbcDeadLetterSink deadLetters) {
        IngestionEngine engine = IngestionEngine.builder()
                .name(group + "-" + engines.size())
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(deadLetters)
                .maxBatchRecords(500)
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

    @Test
    void shouldLandEveryEventOnceAndAccountForEveryOffsetAcrossACrash() {
        long t0 = System.nanoTime();
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
        String bronze = table(TableRouter.fromTopicName().tableFor(topic));
        JdbcBronzeSink sink =
                JdbcBronzeSink.builder(dataSource(), dialect()).schema(schema()).build();
        JdbcDeadLetterSink deadLetters = JdbcDeadLetterSink.builder(dataSource(), dialect())
                .schema(schema())
                .build();
        AcknowledgementLosingSink crashing = new AcknowledgementLosingSink(sink, CRASH_AFTER_RECORDS);
        String group = "e2e-" + topic;

        IngestionEngine first = start(group, topic, crashing, deadLetters);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> crashing.lost.get() > 0);
        first.abort(); // a crash: the batch whose acknowledgement was lost is in the table but its offsets are not
        // committed
        long committedAtCrash = total(KAFKA.committedOffsets(group));
        long rowsAtCrash = count("SELECT COUNT(*) FROM " + bronze);
        assertThat(committedAtCrash)
                .as("the crash left part of the topic uncommitted")
                .isLessThan(EVENTS);
        assertThat(rowsAtCrash)
                .as("written but not committed at the crash")
                .isGreaterThan(committedAtCrash - malformedOffsets.size());

        IngestionEngine second = start(group, topic, sink, deadLetters);
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                        total(KAFKA.committedOffsets(group)) == EVENTS && total(KAFKA.endOffsets(topic)) == EVENTS);
        second.close();

        long expected = EVENTS - malformedOffsets.size();
        String ledger = table(BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE);
        assertThat(count("SELECT COUNT(*) FROM " + bronze)).isEqualTo(expected);
        assertThat(count("SELECT COUNT(DISTINCT \"INGESTION_ID\") FROM " + bronze))
                .isEqualTo(expected);
        Set<String> deadLettered = new HashSet<>();
        Rows.column(
                        dataSource(),
                        "SELECT CAST(\"KAFKA_PARTITION\" AS VARCHAR) || ':' || CAST(\"KAFKA_OFFSET\" AS VARCHAR) FROM "
                                + table(BronzeTables.DEFAULT_DEAD_LETTER_TABLE) + " WHERE \"SOURCE_TOPIC\" = '" + topic
                                + "'")
                .forEach(o -> deadLettered.add((String) o));
        assertThat(deadLettered).as("dead-lettered offsets").isEqualTo(malformedOffsets);
        assertThat(
                        count(
                                "SELECT COUNT(*) FROM " + bronze + " b WHERE NOT EXISTS (SELECT 1 FROM " + ledger
                                        + " l WHERE "
                                        + "l.\"SOURCE_TOPIC\" = b.\"SOURCE_TOPIC\" AND l.\"KAFKA_PARTITION\" = b.\"KAFKA_PARTITION\" AND "
                                        + "b.\"KAFKA_OFFSET\" BETWEEN l.\"FIRST_OFFSET\" AND l.\"LAST_OFFSET\" AND l.\"ROWS_LANDED\" > 0)"))
                .as("landed rows no ledger row covers")
                .isZero();
        IngestionLedger ledgerReader = IngestionLedger.builder(dataSource(), dialect())
                .schema(schema())
                .build();
        assertThat(ledgerReader.gaps(topic)).isEmpty();
        Map<TopicPartition, Long> end = KAFKA.endOffsets(topic);
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(count("SELECT MIN(\"FIRST_OFFSET\") FROM " + ledger + " WHERE \"KAFKA_PARTITION\" = " + p))
                    .isZero();
            assertThat(count("SELECT MAX(\"LAST_OFFSET\") FROM " + ledger + " WHERE \"KAFKA_PARTITION\" = " + p))
                    .isEqualTo(end.get(new TopicPartition(topic, p)) - 1);
        }
        List<IngestionLedger.Entry> entries =
                ledgerReader.landedBetween(Instant.EPOCH, Instant.now().plusSeconds(60), java.util.Optional.of(topic));
        long landed =
                entries.stream().mapToLong(IngestionLedger.Entry::rowsLanded).sum();
        long ledgerDead = entries.stream()
                .mapToLong(IngestionLedger.Entry::rowsDeadLettered)
                .sum();
        assertThat(landed - expected).as("re-delivered rows absorbed").isPositive();
        assertThat(ledgerDead)
                .as("dead letters the ledger saw, re-deliveries included")
                .isGreaterThanOrEqualTo(malformedOffsets.size());
        System.out.printf(
                "%s e2e: produced=%d rows=%d distinct=%d dead-lettered=%d committed-at-crash=%d rows-at-crash=%d "
                        + "ledger-rows=%d landed-per-ledger=%d duplicates-absorbed=%d in %.1f s%n",
                dialect().name(),
                EVENTS,
                count("SELECT COUNT(*) FROM " + bronze),
                count("SELECT COUNT(DISTINCT \"INGESTION_ID\") FROM " + bronze),
                deadLettered.size(),
                committedAtCrash,
                rowsAtCrash,
                entries.size(),
                landed,
                landed - expected,
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
