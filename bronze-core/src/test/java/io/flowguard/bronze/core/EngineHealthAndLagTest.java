package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.WriteResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineHealthAndLagTest {
    private static final String TOPIC = "orders";

    private final TestConsumer consumer = new TestConsumer();
    private final RecordingSink sink = new RecordingSink();
    private final RecordingDeadLetterSink dlq = new RecordingDeadLetterSink();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private IngestionEngine engine;

    private final EngineListener listener = new EngineListener() {
        @Override
        public void onStateChange(String name, EngineState from, EngineState to) {
            events.add("state " + from + "->" + to);
        }

        @Override
        public void onHealthChange(String name, EngineHealth previous, EngineHealth current) {
            events.add("health " + (previous == null ? "none" : previous.status()) + "->" + current.status());
        }
    };

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.abort();
        }
    }

    private IngestionEngine.Builder builder() {
        return IngestionEngine.builder()
                .groupId("g1")
                .topics(TOPIC)
                .sink(sink)
                .deadLetterSink(dlq)
                .meterRegistry(registry)
                .maxBatchWait(Duration.ofMillis(20))
                .lagRefreshInterval(Duration.ofMillis(20))
                .listener(listener)
                .consumerFactory(props -> consumer);
    }

    private double lag(int partition) {
        return registry.get(BronzeMeters.CONSUMER_LAG)
                .tag(BronzeMeters.TAG_PARTITION, Integer.toString(partition))
                .gauge()
                .value();
    }

    private void feed(int partition, List<String> values) {
        consumer.schedulePollTask(() -> {
            long o = 0;
            for (String v : values) {
                consumer.add(TOPIC, partition, o++, v);
            }
        });
    }

    @Test
    void shouldReportLagFromLogEndOffsetsAlsoOnAnIdlePartition() {
        consumer.assign(TOPIC, 2);
        consumer.schedulePollTask(() ->
                consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 10L, new TopicPartition(TOPIC, 1), 0L)));
        feed(0, TestConsumer.orders(0, 10));
        engine = builder().start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 10);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(lag(0)).isZero());
        assertThat(lag(1)).isZero();

        // Partition 1's log grows but no record reaches the engine (idle for us): lag must still show it.
        consumer.schedulePollTask(() -> consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 1), 7L)));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(lag(1)).isEqualTo(7.0));
        assertThat(registry.get(BronzeMeters.CONSUMER_LAG_MAX).gauge().value()).isEqualTo(7.0);
        assertThat(engine.health().maxLag()).isEqualTo(7);
    }

    @Test
    void shouldCountFetchedButUnwrittenRecordsAsLagBeforeTheFirstCommit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BronzeSink stalled = new BronzeSink() {
            @Override
            public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return sink.write(records, batch);
            }
        };
        consumer.assign(TOPIC, 1);
        consumer.schedulePollTask(() -> consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 10L)));
        feed(0, TestConsumer.orders(0, 10));
        engine = builder().sink(stalled).start();
        try {
            // The records are fetched (the position is 10) but the sink holds them and nothing is committed.
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(lag(0)).isEqualTo(10.0));
            assertThat(engine.health().maxLag()).isEqualTo(10);
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(lag(0)).isZero());
    }

    @Test
    void shouldTurnDegradedWhenLagExceedsTheThresholdAndTellTheListener() {
        consumer.assign(TOPIC, 1);
        engine = builder().lagThreshold(100).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.health().status() == EngineHealth.Status.UP);

        consumer.schedulePollTask(() -> consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 5_000L)));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.health().status() == EngineHealth.Status.DEGRADED);

        assertThat(engine.health().reasons()).anyMatch(r -> r.contains("lag 5000 exceeds lagThreshold 100"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("health UP->DEGRADED"));
    }

    @Test
    void shouldTurnDegradedWhileTheSinkIsFailingAndUpAgainWhenItRecovers() {
        sink.transientFailuresLeft.set(3);
        consumer.assign(TOPIC, 1);
        feed(0, TestConsumer.orders(0, 5));
        engine = builder()
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(10)
                        .initialBackoff(Duration.ofMillis(300))
                        .maxBackoff(Duration.ofMillis(300))
                        .build())
                .start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.health().reasons().stream().anyMatch(r -> r.startsWith("sink failing")));
        assertThat(engine.health().status()).isEqualTo(EngineHealth.Status.DEGRADED);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.health().status() == EngineHealth.Status.UP);
    }

    @Test
    void shouldTurnDegradedWhenTheDeadLetterRateIsOverTheThreshold() {
        consumer.assign(TOPIC, 1);
        feed(0, List.of("{bad", "{bad", TestConsumer.order(2), TestConsumer.order(3)));
        engine = builder().deadLetterRateThreshold(0.25).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> dlq.count() == 2);
        assertThat(engine.health().deadLetterRate()).isEqualTo(0.5);
        assertThat(engine.health().reasons()).anyMatch(r -> r.startsWith("dead-letter rate 0.5000 exceeds"));
    }

    @Test
    void shouldReportEveryLifecycleMoveToTheListenerAndBeDownOnceClosed() {
        consumer.assign(TOPIC, 1);
        engine = builder().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state() == EngineState.RUNNING);
        engine.close();

        assertThat(events)
                .filteredOn(e -> e.startsWith("state"))
                .containsExactly(
                        "state CREATED->STARTING",
                        "state STARTING->RUNNING",
                        "state RUNNING->DRAINING",
                        "state DRAINING->CLOSED");
        assertThat(engine.health().status()).isEqualTo(EngineHealth.Status.DOWN);
        assertThat(engine.health().reasons()).containsExactly("engine is CLOSED");
    }

    @Test
    void shouldSurviveAListenerThatThrows() {
        consumer.assign(TOPIC, 1);
        feed(0, TestConsumer.orders(0, 3));
        engine = builder()
                .listener(new EngineListener() {
                    @Override
                    public void onStateChange(String name, EngineState from, EngineState to) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 3);
        assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
    }
}
