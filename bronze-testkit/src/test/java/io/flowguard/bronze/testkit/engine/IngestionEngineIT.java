package io.flowguard.bronze.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine against a real in-JVM Kafka broker: exactly-once landing across restarts, crashes and group changes. */
class IngestionEngineIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private final List<IngestionEngine> engines = new ArrayList<>();

    @AfterEach
    void stopEngines() {
        engines.forEach(IngestionEngine::abort);
    }

    private static String order(int i) {
        return "{\"event_id\":\"evt-" + i + "\",\"event_type\":\"order_created\",\"schema_version\":\"v1\","
                + "\"order_id\":\"ord-" + i + "\",\"user_id\":" + (i % 997) + ",\"price\":12.5}";
    }

    private IngestionEngine start(String group, String topic, BronzeSink sink, InMemoryDeadLetterSink dlq) {
        IngestionEngine e = IngestionEngine.builder()
                .name(group + "-" + engines.size())
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(dlq)
                .maxBatchWait(Duration.ofMillis(200))
                .consumerProperty("session.timeout.ms", 10_000)
                .consumerProperty("heartbeat.interval.ms", 1_000)
                .start();
        engines.add(e);
        return e;
    }

    private static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void awaitCommitted(String group, String topic, long expected) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                        total(KAFKA.committedOffsets(group)) == expected && total(KAFKA.endOffsets(topic)) == expected);
    }

    @Test
    void shouldLandFiftyThousandEventsOverThreePartitionsExactlyOnce() {
        String topic = KAFKA.createUniqueTopic("orders", 3);
        KAFKA.produceJson(topic, 50_000, IngestionEngineIT::order);
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        InMemoryDeadLetterSink dlq = InMemoryDeadLetterSink.create();

        start("g-50k", topic, sink, dlq);
        awaitCommitted("g-50k", topic, 50_000);

        assertThat(sink.count()).isEqualTo(50_000);
        assertThat(sink.ingestionIds()).hasSize(50_000);
        assertThat(sink.duplicatesSeen()).isZero();
        assertThat(dlq.count()).isZero();
        for (int p = 0; p < 3; p++) {
            int part = p;
            List<Long> offsets = sink.recordsForTopic(topic).stream()
                    .filter(r -> r.partition() == part)
                    .map(BronzeRecord::offset)
                    .toList();
            assertThat(offsets)
                    .as("partition %d in offset order, no gaps", p)
                    .isSorted()
                    .hasSize((int) (long) KAFKA.endOffsets(topic).get(new TopicPartition(topic, p)));
        }
        BronzeRecord any = sink.recordsForTopic(topic).get(0);
        assertThat(any.ingestionId()).isEqualTo(topic + "-" + any.partition() + "-" + any.offset());
        assertThat(any.eventType()).isEqualTo("order_created");
        assertThat(any.schemaVersion()).isEqualTo("v1");
        assertThat(any.kafkaTimestamp()).isNotNull();
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenAbortedMidStreamAndRestarted() {
        String topic = KAFKA.createUniqueTopic("orders", 3);
        KAFKA.produceJson(topic, 30_000, IngestionEngineIT::order);
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        InMemoryDeadLetterSink dlq = InMemoryDeadLetterSink.create();

        IngestionEngine first = start("g-crash", topic, sink, dlq);
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.count() >= 8_000);
        first.abort(); // as a crash: buffered and in-flight records are neither flushed nor committed
        long committedAtCrash = total(KAFKA.committedOffsets("g-crash"));
        assertThat(committedAtCrash)
                .as("the crash left part of the topic uncommitted")
                .isLessThan(30_000);
        assertThat((long) sink.count())
                .as("nothing committed that is not in the sink")
                .isGreaterThanOrEqualTo(committedAtCrash);

        KAFKA.produceJson(topic, 10_000, i -> order(30_000 + i));
        start("g-crash", topic, sink, dlq);
        awaitCommitted("g-crash", topic, 40_000);

        assertThat(sink.count()).as("every record landed once").isEqualTo(40_000);
        assertThat(sink.ingestionIds()).hasSize(40_000);
        System.out.printf(
                "crash/restart: committed at crash=%d, sink at crash>=%d, re-delivered duplicates absorbed=%d%n",
                committedAtCrash, 8_000, sink.duplicatesSeen());
    }

    @Test
    void shouldShareSixPartitionsBetweenTwoEnginesAndLandEveryRecordOnceWhileOneLeavesAndRejoins() {
        String topic = KAFKA.createUniqueTopic("clicks", 6);
        InMemoryBronzeSink table = InMemoryBronzeSink.create(); // one shared warehouse table
        InMemoryDeadLetterSink dlq = InMemoryDeadLetterSink.create();
        AtomicInteger byA = new AtomicInteger();
        AtomicInteger byB = new AtomicInteger();
        BronzeSink viaA = counting(table, byA);
        BronzeSink viaB = counting(table, byB);

        IngestionEngine a = start("g-pair", topic, viaA, dlq);
        IngestionEngine b = start("g-pair", topic, viaB, dlq);
        // Keep producing in small chunks until the group has settled and both members have written something.
        AtomicInteger produced = new AtomicInteger();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    int from = produced.getAndAdd(1_000);
                    KAFKA.produceJson(topic, 1_000, i -> order(from + i));
                    return byA.get() > 0 && byB.get() > 0;
                });

        KAFKA.produceJson(topic, 20_000, i -> order(produced.get() + i));
        produced.addAndGet(20_000);
        b.close(); // leaves the group: drains, commits, its partitions move to A
        assertThat(b.state()).isEqualTo(EngineState.CLOSED);
        int bBeforeRejoin = byB.get();

        KAFKA.produceJson(topic, 20_000, i -> order(produced.get() + i));
        produced.addAndGet(20_000);
        IngestionEngine b2 = start("g-pair", topic, viaB, dlq);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    int from = produced.getAndAdd(1_000);
                    KAFKA.produceJson(topic, 1_000, i -> order(from + i));
                    return byB.get() > bBeforeRejoin;
                });
        int total = produced.get();
        awaitCommitted("g-pair", topic, total);

        assertThat(table.count()).isEqualTo(total);
        assertThat(table.ingestionIds()).hasSize(total);
        assertThat(byA.get()).isPositive();
        assertThat(byB.get()).as("the rejoined engine took work").isGreaterThan(bBeforeRejoin);
        assertThat(table.duplicatesSeen())
                .as("graceful hand-overs commit before partitions move")
                .isZero();
        assertThat(a.state()).isEqualTo(EngineState.RUNNING);
        assertThat(b2.state()).isEqualTo(EngineState.RUNNING);
    }

    @Test
    void shouldDeadLetterBadEventsAndKeepGoing() {
        String topic = KAFKA.createUniqueTopic("orders", 1);
        KAFKA.produceJson(topic, 1_000, i -> i % 100 == 7 ? "{\"broken\": " + i : order(i));
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        InMemoryDeadLetterSink dlq = InMemoryDeadLetterSink.create();

        IngestionEngine e = start("g-bad", topic, sink, dlq);
        awaitCommitted("g-bad", topic, 1_000);

        assertThat(sink.count()).isEqualTo(990);
        assertThat(dlq.count()).isEqualTo(10);
        Set<Long> deadOffsets = new HashSet<>();
        for (DeadLetter d : dlq.deadLetters()) {
            deadOffsets.add(d.offset());
            assertThat(d.stage()).isEqualTo(DeadLetter.Stage.DESERIALIZE);
            assertThat(new String(d.rawPayload(), java.nio.charset.StandardCharsets.UTF_8))
                    .startsWith("{\"broken\": ");
        }
        assertThat(deadOffsets).hasSize(10).allMatch(o -> o % 100 == 7);
        assertThat(e.state()).isEqualTo(EngineState.RUNNING);
    }

    private static BronzeSink counting(BronzeSink delegate, AtomicInteger counter) {
        return new BronzeSink() {
            @Override
            public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
                WriteResult r = delegate.write(records, batch);
                counter.addAndGet(records.size());
                return r;
            }
        };
    }
}
