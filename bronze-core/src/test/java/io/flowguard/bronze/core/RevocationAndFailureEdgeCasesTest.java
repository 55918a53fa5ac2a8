package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.WriteResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Edge cases found in review: abandoned batches after a timed-out revocation, and lag with nothing committed. */
class RevocationAndFailureEdgeCasesTest {
    private static final String TOPIC = "orders";
    private final TestConsumer consumer = new TestConsumer();
    private final RecordingDeadLetterSink dlq = new RecordingDeadLetterSink();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock();
    private IngestionEngine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.abort();
        }
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** The first write blocks on a gate, then fails with a checked exception thrown sneakily; later writes land. */
    static final class FirstWriteFailsSink implements BronzeSink {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final Set<String> stored = ConcurrentHashMap.newKeySet();

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            if (calls.incrementAndGet() == 1) {
                entered.countDown();
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw sneaky(new java.sql.SQLException("connection reset (checked, thrown sneakily)"));
            }
            records.forEach(r -> stored.add(r.ingestionId()));
            return WriteResult.of(records.size(), records.size());
        }
    }

    @Test
    void shouldFailAndNeverCommitPastABatchThatAbandonedByARevocationFailsLater() throws Exception {
        FirstWriteFailsSink sink = new FirstWriteFailsSink();
        consumer.assign(TOPIC, 2);
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < 5; i++) {
                consumer.add(TOPIC, 1, i, TestConsumer.order(i));
            }
        });
        engine = IngestionEngine.builder()
                .groupId("g1")
                .topics(TOPIC)
                .sink(sink)
                .deadLetterSink(dlq)
                .meterRegistry(registry)
                .clock(clock)
                .maxBatchRecords(5)
                .revocationTimeout(Duration.ofMillis(300))
                .consumerFactory(props -> consumer)
                .start();
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).isTrue(); // batch W = p1 0..4 is being written
        consumer.schedulePollTask(
                () -> consumer.rebalance(List.of(new TopicPartition(TOPIC, 1)))); // p0 revoked: W abandoned
        int polls = consumer.polls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.polls.get() > polls + 5);
        consumer.schedulePollTask(() -> {
            for (int i = 5; i < 10; i++) {
                consumer.add(TOPIC, 1, i, TestConsumer.order(i));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.polls.get() > polls + 10);

        sink.gate.countDown(); // W fails after it was let go

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state() == EngineState.FAILED);
        assertThat(consumer.committedOffset(TOPIC, 1).orElse(0L))
                .as("nothing committed past the failed batch")
                .isZero();
        assertThat(sink.stored)
                .as("later batches are skipped, not written past the gap")
                .isEmpty();
        assertThat(engine.failure())
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("connection reset");
    }

    @Test
    void shouldLetGoOfRevokedPartitionsRecordsItCouldNotWriteInTime() throws Exception {
        RecordingSink sink = new RecordingSink();
        sink.gate = new CountDownLatch(1);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        consumer.assign(TOPIC, 2);
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < 5; i++) {
                consumer.add(TOPIC, 1, i, TestConsumer.order(i));
            }
        });
        engine = IngestionEngine.builder()
                .groupId("g1")
                .topics(TOPIC)
                .sink(sink)
                .deadLetterSink(dlq)
                .meterRegistry(registry)
                .clock(clock)
                .maxBatchRecords(5)
                .revocationTimeout(Duration.ofMillis(300))
                .consumerFactory(props -> consumer)
                .start();
        assertThat(sink.writeEntered.await(10, TimeUnit.SECONDS)).isTrue(); // p1 0..4 is being written (held)
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < 3; i++) {
                consumer.add(TOPIC, 0, i, TestConsumer.order(100 + i)); // buffered: a partial batch
            }
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        registry.get(BronzeMeters.RECORDS_CONSUMED).counter().count() == 8.0);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(p1))); // p0 revoked while the write is held
        int polls = consumer.polls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.polls.get() > polls + 5);

        sink.gate.countDown();
        clock.advance(Duration.ofSeconds(10)); // any buffered partial batch would now flush on WAIT
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.contains("orders-1-4"));
        int pollsAfter = consumer.polls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.polls.get() > pollsAfter + 20);

        assertThat(sink.contains("orders-0-0"))
                .as("the new owner of p0 writes its records, not us")
                .isFalse();
        assertThat(consumer.committedOffset(TOPIC, 0)).isEmpty();
    }

    @Test
    void shouldMeasureLagFromThePositionWhenTheGroupHasNoCommittedOffset() {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        consumer.assign(TOPIC, 1);
        consumer.schedulePollTask(() -> {
            consumer.updateEndOffsets(Map.of(tp, 50_000L));
            consumer.seek(tp, 50_000L); // as with auto.offset.reset=latest: nothing to read
        });
        engine = IngestionEngine.builder()
                .groupId("g1")
                .topics(TOPIC)
                .sink(new RecordingSink())
                .deadLetterSink(dlq)
                .meterRegistry(registry)
                .lagRefreshInterval(Duration.ofMillis(20))
                .consumerFactory(props -> consumer)
                .start();

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.health().maxLag() >= 0 && consumer.polls.get() > 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.health().maxLag() == 0);
        assertThat(engine.health().status()).isEqualTo(EngineHealth.Status.UP);
    }

    @Test
    void shouldReturnAtOnceWhenAListenerClosesAnUnstartedEngineFromItsClosedCallback() {
        AtomicReference<IngestionEngine> self = new AtomicReference<>();
        List<Boolean> nested = new CopyOnWriteArrayList<>();
        IngestionEngine unstarted = IngestionEngine.builder()
                .groupId("g1")
                .topics(TOPIC)
                .sink(new RecordingSink())
                .deadLetterSink(dlq)
                .meterRegistry(registry)
                .closeTimeout(Duration.ofMinutes(10))
                .listener(new EngineListener() {
                    @Override
                    public void onStateChange(String name, EngineState from, EngineState to) {
                        if (to == EngineState.CLOSED) {
                            nested.add(self.get().close(Duration.ofMinutes(10)));
                        }
                    }
                })
                .consumerFactory(props -> consumer)
                .build();
        self.set(unstarted);

        // Before the fix the nested close waited its full timeout (10 min) for the outer one: a hang, not a delay.
        boolean closed =
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> unstarted.close(Duration.ofMinutes(10)));

        assertThat(closed).isTrue();
        assertThat(nested).containsExactly(true);
        assertThat(unstarted.state()).isEqualTo(EngineState.CLOSED);
    }

    @Test
    void shouldNotWaitForItselfWhenASinkClosesTheEngineFromItsWrite() {
        AtomicReference<IngestionEngine> self = new AtomicReference<>();
        List<Boolean> fromWriter = new CopyOnWriteArrayList<>();
        RecordingSink landed = new RecordingSink();
        BronzeSink closing = new BronzeSink() {
            @Override
            public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
                if (fromWriter.isEmpty()) {
                    fromWriter.add(self.get().close(Duration.ofMinutes(10)));
                }
                return landed.write(records, batch);
            }
        };
        consumer.assign(TOPIC, 1);
        consumer.schedulePollTask(() -> consumer.add(TOPIC, 0, 0, TestConsumer.order(0)));
        engine = IngestionEngine.builder()
                .groupId("g1")
                .topics(TOPIC)
                .sink(closing)
                .deadLetterSink(dlq)
                .meterRegistry(registry)
                .maxBatchWait(Duration.ofMillis(20))
                .closeTimeout(Duration.ofMinutes(10))
                .consumerFactory(props -> consumer)
                .build();
        self.set(engine);
        engine.start();

        // The close requested from the writer thread returns false at once (it cannot wait for its own batch); the
        // engine then drains that batch, commits it and closes. Before the fix the write waited 10 minutes.
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.state() == EngineState.CLOSED);
        assertThat(fromWriter).containsExactly(false);
        assertThat(landed.count()).isEqualTo(1);
        assertThat(consumer.committedOffset(TOPIC, 0)).contains(1L);
    }
}
