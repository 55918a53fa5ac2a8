package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.IdempotencyKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;

/**
 * Nothing lost, nothing duplicated: for random data (some of it poison), random transient sink failure schedules and
 * random crashes (abort without drain) followed by restarts from the committed offsets, every produced offset ends up
 * exactly once in sink ∪ dead-letter sink, and no commit ever passes an offset that is in neither.
 */
class ExactlyOncePropertiesTest {
    private static final String TOPIC = "orders";

    private final List<IngestionEngine> engines = new ArrayList<>();

    @AfterTry
    void stopEngines() {
        engines.forEach(IngestionEngine::abort);
        engines.clear();
    }

    @Provide
    Arbitrary<List<Boolean>> failureSchedule() {
        return Arbitraries.of(true, false, false, false).list().ofMaxSize(40);
    }

    @Property(tries = 25)
    void everyOffsetLandsOrIsDeadLetteredExactlyOnceAcrossFailuresAndRestarts(
            @ForAll @IntRange(min = 1, max = 3) int partitions,
            @ForAll @IntRange(min = 1, max = 150) int recordsPerPartition,
            @ForAll @IntRange(min = 0, max = 20) int poisonPercent,
            @ForAll("failureSchedule") List<Boolean> failures,
            @ForAll @IntRange(min = 0, max = 4) int crashes,
            @ForAll @IntRange(min = 1, max = 40) int maxBatchRecords,
            @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        Map<Integer, List<String>> log = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < recordsPerPartition; i++) {
                values.add(
                        random.nextInt(100) < poisonPercent
                                ? "{broken json " + i
                                : TestConsumer.order(p * 100_000 + i));
            }
            log.put(p, values);
        }
        RecordingSink sink = new RecordingSink();
        AtomicInteger writeNo = new AtomicInteger();
        RecordingDeadLetterSink dlq = new RecordingDeadLetterSink();
        Map<Integer, Long> committed = new ConcurrentHashMap<>();
        AtomicReference<String> violation = new AtomicReference<>();

        for (int run = 0; run <= crashes; run++) {
            boolean crashThisRun = run < crashes;
            TestConsumer consumer = new TestConsumer() {
                @Override
                public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                    check(offsets);
                    super.commitSync(offsets);
                }

                @Override
                public synchronized void commitAsync(
                        Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback cb) {
                    check(offsets);
                    super.commitAsync(offsets, cb);
                }

                private void check(Map<TopicPartition, OffsetAndMetadata> offsets) {
                    Set<String> dead = new HashSet<>();
                    dlq.letters().forEach(d -> dead.add(d.ingestionId()));
                    offsets.forEach((tp, om) -> {
                        for (long o = committed.getOrDefault(tp.partition(), 0L); o < om.offset(); o++) {
                            String id = IdempotencyKey.formatTopicPartitionOffset(TOPIC, tp.partition(), o);
                            if (!sink.contains(id) && !dead.contains(id)) {
                                violation.compareAndSet(null, "commit " + om.offset() + " on " + tp + " passes " + id);
                            }
                        }
                        committed.merge(tp.partition(), om.offset(), Math::max);
                    });
                }
            };
            consumer.assign(TOPIC, partitions);
            consumer.schedulePollTask(() -> log.forEach((p, values) -> {
                for (long o = committed.getOrDefault(p, 0L); o < values.size(); o++) {
                    consumer.add(TOPIC, p, o, values.get((int) o));
                }
            }));
            sink.transientFailuresLeft.set(0);
            io.flowguard.bronze.api.BronzeSink flaky = (records, batch) -> {
                int n = writeNo.getAndIncrement();
                if (n < failures.size() && failures.get(n)) {
                    throw new io.flowguard.bronze.api.SinkWriteException(
                            "scheduled failure " + n,
                            null,
                            io.flowguard.bronze.api.SinkWriteException.ErrorKind.TRANSIENT);
                }
                return sink.write(records);
            };
            IngestionEngine engine = IngestionEngine.builder()
                    .groupId("g")
                    .topics(TOPIC)
                    .sink(flaky)
                    .deadLetterSink(dlq)
                    .maxBatchRecords(maxBatchRecords)
                    .maxBatchWait(Duration.ofMillis(20))
                    .retryPolicy(RetryPolicy.builder()
                            .maxAttempts(2)
                            .initialBackoff(Duration.ofMillis(1))
                            .maxBackoff(Duration.ofMillis(2))
                            .build())
                    .consumerFactory(props -> consumer)
                    .start();
            engines.add(engine);
            if (crashThisRun) {
                int stopAt = random.nextInt(partitions * recordsPerPartition + 1);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> sink.count() + dlq.count() >= stopAt
                                || done(committed, log)
                                || engine.state() == EngineState.FAILED);
                engine.abort();
            } else {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> done(committed, log) || engine.state() == EngineState.FAILED);
                if (engine.state() == EngineState.FAILED) {
                    crashes++; // a spent retry budget is a crash too: restart once more
                    engine.abort();
                    continue;
                }
                engine.close();
            }
        }

        assertThat(violation.get())
                .as("a commit passed a record in neither sink")
                .isNull();
        assertThat(done(committed, log)).isTrue();
        Set<String> landed = new HashSet<>();
        sink.records().stream().map(BronzeRecord::ingestionId).forEach(landed::add);
        Set<String> dead = new HashSet<>();
        for (DeadLetter d : dlq.letters()) {
            dead.add(d.ingestionId());
        }
        Set<String> both = new HashSet<>(landed);
        both.retainAll(dead);
        assertThat(both).as("offsets both landed and dead-lettered").isEmpty();
        Set<String> expected = new HashSet<>();
        log.forEach((p, values) -> {
            for (int o = 0; o < values.size(); o++) {
                expected.add(IdempotencyKey.formatTopicPartitionOffset(TOPIC, p, o));
            }
        });
        Set<String> union = new HashSet<>(landed);
        union.addAll(dead);
        assertThat(union).isEqualTo(expected);
        assertThat(sink.count()).as("sink rows are unique by ingestion id").isEqualTo(landed.size());
    }

    private static boolean done(Map<Integer, Long> committed, Map<Integer, List<String>> log) {
        for (Map.Entry<Integer, List<String>> e : log.entrySet()) {
            if (committed.getOrDefault(e.getKey(), 0L) < e.getValue().size()) {
                return false;
            }
        }
        return true;
    }
}
