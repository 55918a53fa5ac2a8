package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.DeadLetter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestionEngineTest {
    private static final String TOPIC = "orders";

    private final TestConsumer consumer = new TestConsumer();
    private final RecordingSink sink = new RecordingSink();
    private final RecordingDeadLetterSink dlq = new RecordingDeadLetterSink();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock();
    private IngestionEngine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            CountDownLatch g = sink.gate;
            if (g != null) {
                g.countDown();
            }
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
                .clock(clock)
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(5))
                        .build())
                .consumerFactory(props -> {
                    consumer.properties = props;
                    return consumer;
                });
    }

    private void feed(int partition, long fromOffset, List<String> values) {
        consumer.schedulePollTask(() -> {
            long o = fromOffset;
            for (String v : values) {
                consumer.add(TOPIC, partition, o++, v);
            }
        });
    }

    private double flushes(FlushTrigger trigger) {
        return registry.get(BronzeMeters.BATCH_FLUSHES)
                .tag(BronzeMeters.TAG_TRIGGER, trigger.name().toLowerCase())
                .counter()
                .count();
    }

    @Test
    void shouldFlushWhenMaxBatchRecordsIsReached() {
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 10));
        engine = builder().maxBatchRecords(5).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 10);
        assertThat(sink.batchSizes()).containsExactly(5, 5);
        assertThat(flushes(FlushTrigger.RECORDS)).isEqualTo(2.0);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 10L);
    }

    @Test
    void shouldFlushWhenMaxBatchBytesIsReached() {
        consumer.assign(TOPIC, 1);
        List<String> values = TestConsumer.orders(0, 6);
        int perRecord = values.get(0).length() + 3; // value + 3-byte key
        feed(0, 0, values);
        engine = builder().maxBatchBytes(perRecord * 3L).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 6);
        assertThat(sink.batchSizes()).containsExactly(3, 3);
        assertThat(flushes(FlushTrigger.BYTES)).isEqualTo(2.0);
    }

    @Test
    void shouldFlushAPartialBatchOnlyAfterMaxBatchWaitSinceItsFirstRecord() {
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 3));
        engine = builder()
                .flushWhenIdle(false)
                .maxBatchWait(Duration.ofSeconds(5))
                .start();

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.polls.get() > 20);
        assertThat(sink.count()).as("nothing flushes before the wait elapses").isZero();

        clock.advance(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 3);
        assertThat(flushes(FlushTrigger.WAIT)).isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 3L);
    }

    @Test
    void shouldWriteBufferedRecordsAtOnceWhenTheWriterIsIdle() {
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 3));
        // Neither limit can be reached: only flushWhenIdle (the default) writes these three records.
        engine =
                builder().maxBatchRecords(100).maxBatchWait(Duration.ofHours(1)).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 3);
        assertThat(sink.batchSizes()).containsExactly(3);
        assertThat(flushes(FlushTrigger.IDLE)).isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 3L);
    }

    @Test
    void shouldGrowTheNextBatchWhileTheWriterIsBusyWhenFlushingWhenIdle() throws Exception {
        sink.gate = new CountDownLatch(1);
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 2)); // the first poll: written at once, and the write is held
        feed(0, 2, TestConsumer.orders(2, 7)); // later polls, while the writer is busy
        feed(0, 7, TestConsumer.orders(7, 10));
        engine =
                builder().maxBatchRecords(100).maxBatchWait(Duration.ofHours(1)).start();

        assertThat(sink.writeEntered.await(10, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(BronzeMeters.RECORDS_CONSUMED).counters().stream()
                                .mapToDouble(c -> c.count())
                                .sum()
                        == 10.0);
        assertThat(sink.batchSizes())
                .as("nothing more is written while the writer is busy")
                .isEmpty();

        sink.gate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 10);
        assertThat(sink.batchSizes())
                .as("the records that arrived during the first write go together in one batch")
                .containsExactly(2, 8);
        assertThat(flushes(FlushTrigger.IDLE)).isEqualTo(2.0);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 10L);
    }

    @Test
    void shouldNotCommitOffsetsBeforeTheSinkWriteReturns() throws Exception {
        sink.gate = new CountDownLatch(1);
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 5));
        engine = builder().maxBatchRecords(5).start();

        assertThat(sink.writeEntered.await(10, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        int pollsBefore = consumer.polls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.polls.get() > pollsBefore + 10);
        assertThat(consumer.committedOffset(TOPIC, 0))
                .as("no commit while the write is in progress")
                .isEmpty();

        sink.gate.countDown();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 5L);
        assertThat(sink.count()).isEqualTo(5);
    }

    @Test
    void shouldConvertTheNextBatchWhileTheCurrentOneIsBeingWrittenAndStillCommitOnlyWhatWasWritten() {
        sink.gate = new CountDownLatch(1);
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 10));
        AtomicInteger conversions = new AtomicInteger();
        Clock watched = new Clock() { // counts the converter thread's time stamps
                    @Override
                    public ZoneId getZone() {
                        return clock.getZone();
                    }

                    @Override
                    public Clock withZone(ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        if (Thread.currentThread().getName().endsWith("-converter")) {
                            conversions.incrementAndGet();
                        }
                        return clock.instant();
                    }
                };
        Instant convertedAt = clock.instant();
        engine = builder().clock(watched).maxBatchRecords(5).start();

        await("batch 2 converted while batch 1 is held in the sink")
                .atMost(Duration.ofSeconds(10))
                .until(() -> conversions.get() >= 2);
        assertThat(sink.writeCalls.get()).isEqualTo(1);
        assertThat(consumer.committedOffset(TOPIC, 0))
                .as("no commit while the write is in progress")
                .isEmpty();

        clock.advance(Duration.ofMinutes(1));
        sink.gate.countDown();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 10L);
        assertThat(sink.batchSizes()).containsExactly(5, 5);
        assertThat(sink.records())
                .as("INGESTED_AT is stamped at conversion, before batch 1's write returned")
                .allSatisfy(r -> assertThat(r.ingestedAt()).isEqualTo(convertedAt));
    }

    @Test
    void shouldKeepPollingWithPartitionsPausedWhileAFullBatchWaitsForASlowSink() throws Exception {
        sink.gate = new CountDownLatch(1);
        consumer.assign(TOPIC, 2);
        feed(0, 0, TestConsumer.orders(0, 10));
        feed(1, 0, TestConsumer.orders(10, 20));
        engine = builder().maxBatchRecords(5).start();

        assertThat(sink.writeEntered.await(10, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !consumer.paused().isEmpty());
        assertThat(consumer.paused())
                .containsExactlyInAnyOrder(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
        int pollsWhilePaused = consumer.polls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.polls.get() > pollsWhilePaused + 5);

        sink.gate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.paused().isEmpty());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 1).orElse(-1L) == 10L);
    }

    @Test
    void shouldRetryTransientFailuresThenCommit() {
        sink.transientFailuresLeft.set(2);
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 4));
        engine = builder().maxBatchRecords(4).start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 4L);
        assertThat(sink.writeCalls.get()).isEqualTo(3);
        assertThat(registry.get(BronzeMeters.SINK_RETRIES).counter().count()).isEqualTo(2.0);
        assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
    }

    @Test
    void shouldFailWithoutCommittingWhenTheRetryBudgetIsSpent() {
        sink.transientFailuresLeft.set(100);
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 4));
        engine = builder().maxBatchRecords(4).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state() == EngineState.FAILED);
        assertThat(engine.failure())
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("3 attempt(s) for this batch")
                .contains("nothing of this batch was committed");
        assertThat(consumer.committedOffset(TOPIC, 0)).isEmpty();
        assertThat(sink.count()).isZero();
    }

    @Test
    void shouldDeadLetterInvalidJsonAndCommitPastIt() {
        consumer.assign(TOPIC, 1);
        feed(0, 0, List.of(TestConsumer.order(0), "{not json", TestConsumer.order(2), "[1,2]"));
        engine = builder().maxBatchRecords(4).start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 4L);
        assertThat(sink.count()).isEqualTo(2);
        assertThat(dlq.letters()).extracting(DeadLetter::offset).containsExactly(1L, 3L);
        assertThat(dlq.letters()).allSatisfy(d -> assertThat(d.stage()).isEqualTo(DeadLetter.Stage.DESERIALIZE));
        assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
    }

    @Test
    void shouldRetryAFailingDeadLetterSinkAndCommitOnlyOnceItHasTheRecords() {
        dlq.failuresLeft.set(2);
        consumer.assign(TOPIC, 1);
        feed(0, 0, List.of(TestConsumer.order(0), "{bad", TestConsumer.order(2)));
        engine = builder().maxBatchRecords(3).start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 3L);
        assertThat(dlq.letters()).extracting(DeadLetter::offset).containsExactly(1L);
        assertThat(dlq.letters().get(0).attempts()).isEqualTo(1);
        assertThat(registry.get(BronzeMeters.SINK_RETRIES).counter().count()).isEqualTo(2.0);
    }

    @Test
    void shouldFailLoudlyAndCommitNothingPastARecordTheDeadLetterSinkNeverTook() {
        dlq.failuresLeft.set(1_000);
        consumer.assign(TOPIC, 1);
        feed(0, 0, List.of(TestConsumer.order(0), "{bad", TestConsumer.order(2)));
        engine = builder().maxBatchRecords(3).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state() == EngineState.FAILED);
        assertThat(engine.failure())
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("dead-letter sink");
        assertThat(consumer.committedOffset(TOPIC, 0)).isEmpty();
        assertThat(engine.health().status()).isEqualTo(EngineHealth.Status.DOWN);
    }

    @Test
    void shouldDeadLetterOnlyTheRowsTheSinkRejects() {
        sink.rejects = r -> r.offset() == 3 || r.offset() == 6;
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 8));
        engine = builder().maxBatchRecords(8).start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 8L);
        assertThat(sink.count()).isEqualTo(6);
        assertThat(dlq.letters()).extracting(DeadLetter::offset).containsExactlyInAnyOrder(3L, 6L);
        assertThat(dlq.letters()).allSatisfy(d -> assertThat(d.stage()).isEqualTo(DeadLetter.Stage.WRITE));
    }

    @Test
    void shouldWriteAndCommitBufferedRecordsOfRevokedPartitionsBeforeTheyGo() {
        consumer.assign(TOPIC, 2);
        feed(0, 0, TestConsumer.orders(0, 3));
        feed(1, 0, TestConsumer.orders(3, 5));
        engine = builder().flushWhenIdle(false).maxBatchRecords(100).start();
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        registry.get(BronzeMeters.RECORDS_CONSUMED).counter().count() == 5.0);
        assertThat(sink.count()).isZero();

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(new TopicPartition(TOPIC, 1))));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 3L);
        assertThat(sink.records()).extracting(r -> r.partition()).containsOnly(0);
        assertThat(flushes(FlushTrigger.REVOCATION)).isEqualTo(1.0);
        assertThat(consumer.committedOffset(TOPIC, 1))
                .as("partition 1 stays buffered")
                .isEmpty();
    }

    @Test
    void shouldDropBufferedRecordsOfLostPartitionsWithoutCommitting() {
        consumer.assign(TOPIC, 2);
        feed(0, 0, TestConsumer.orders(0, 3));
        feed(1, 0, TestConsumer.orders(3, 5));
        engine = builder().flushWhenIdle(false).maxBatchRecords(100).start();
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        registry.get(BronzeMeters.RECORDS_CONSUMED).counter().count() == 5.0);

        consumer.schedulePollTask(() -> consumer.listener().onPartitionsLost(List.of(new TopicPartition(TOPIC, 0))));
        int polls = consumer.polls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.polls.get() > polls + 3);
        engine.close();

        assertThat(sink.records()).extracting(r -> r.partition()).containsOnly(1);
        assertThat(consumer.committedOffset(TOPIC, 1)).contains(2L);
    }

    @Test
    void shouldDrainBufferedRecordsOnClose() {
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 7));
        engine = builder().flushWhenIdle(false).maxBatchRecords(100).start();
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        registry.get(BronzeMeters.RECORDS_CONSUMED).counter().count() == 7.0);

        engine.close();

        assertThat(engine.state()).isEqualTo(EngineState.CLOSED);
        assertThat(sink.count()).isEqualTo(7);
        assertThat(consumer.committedOffset(TOPIC, 0)).contains(7L);
        assertThat(flushes(FlushTrigger.SHUTDOWN)).isEqualTo(1.0);
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldNotWriteOrCommitBufferedRecordsOnAbort() {
        consumer.assign(TOPIC, 1);
        feed(0, 0, TestConsumer.orders(0, 7));
        engine = builder().flushWhenIdle(false).maxBatchRecords(100).start();
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        registry.get(BronzeMeters.RECORDS_CONSUMED).counter().count() == 7.0);

        engine.abort();

        assertThat(engine.state()).isEqualTo(EngineState.CLOSED);
        assertThat(sink.count()).isZero();
        assertThat(consumer.committedOffset(TOPIC, 0)).isEmpty();
    }

    @Test
    void shouldSkipTombstonesByDefaultAndCommitPastThem() {
        consumer.assign(TOPIC, 1);
        feed(0, 0, java.util.Arrays.asList(TestConsumer.order(0), null, ""));
        engine = builder().maxBatchRecords(3).start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 3L);
        assertThat(sink.count()).isEqualTo(1);
        assertThat(dlq.count()).isZero();
        assertThat(registry.get(BronzeMeters.RECORDS_SKIPPED).counter().count()).isEqualTo(2.0);
    }

    @Test
    void shouldSetTheConsumerPropertiesTheEngineOwns() {
        consumer.assign(TOPIC, 1);
        engine = builder().consumerProperty("max.poll.records", 50).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state() == EngineState.RUNNING);

        assertThat(consumer.properties)
                .containsEntry("enable.auto.commit", false)
                .containsEntry("group.id", "g1")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("max.poll.records", 50)
                .containsEntry(
                        "partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")
                .containsEntry("client.id", "bronze-g1");
    }

    @Test
    void shouldLandEveryRecordOfManyPartitionsExactlyOnceInOffsetOrder() {
        consumer.assign(TOPIC, 3);
        for (int p = 0; p < 3; p++) {
            feed(p, 0, TestConsumer.orders(p * 1000, p * 1000 + 1000));
        }
        engine = builder().maxBatchRecords(50).start(); // 3000 is a multiple of 50: every batch flushes on RECORDS

        await().atMost(Duration.ofSeconds(20)).until(() -> sink.count() == 3000);
        for (int p = 0; p < 3; p++) {
            int part = p;
            List<Long> offsets = sink.records().stream()
                    .filter(r -> r.partition() == part)
                    .map(r -> r.offset())
                    .toList();
            assertThat(offsets)
                    .containsExactlyElementsOf(
                            IntStream.range(0, 1000).mapToObj(i -> (long) i).toList());
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 2).orElse(-1L) == 1000L);
    }

    @Test
    void shouldRefuseToStartTwice() {
        consumer.assign(TOPIC, 1);
        engine = builder().start();
        assertThatThrownBy(engine::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("can be started once");
    }
}
