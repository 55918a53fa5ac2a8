package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.api.WriteResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine-hardening findings of the review (F3–F9, F11, F12, F14) and stored positions, on a MockConsumer. */
class EngineHardeningTest {
    private static final String TOPIC = "orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final TestConsumer consumer = new TestConsumer();
    private final RecordingSink sink = new RecordingSink();
    private final RecordingDeadLetterSink dlq = new RecordingDeadLetterSink();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<IngestionEngine> engines = new ArrayList<>();

    @AfterEach
    void tearDown() {
        CountDownLatch g = sink.gate;
        if (g != null) {
            g.countDown();
        }
        engines.forEach(IngestionEngine::abort);
    }

    private IngestionEngine.Builder builder(TestConsumer c, BronzeSink s) {
        return IngestionEngine.builder()
                .groupId("g1")
                .topics(TOPIC)
                .sink(s)
                .deadLetterSink(dlq)
                .meterRegistry(registry)
                .maxBatchWait(Duration.ofMillis(50))
                .lagRefreshInterval(Duration.ofMillis(50))
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(5))
                        .build())
                .consumerFactory(props -> {
                    c.properties = props;
                    return c;
                });
    }

    private IngestionEngine start(IngestionEngine.Builder b) {
        IngestionEngine e = b.build();
        engines.add(e);
        return e.start();
    }

    private void feed(TestConsumer c, int partition, long fromOffset, List<String> values) {
        c.schedulePollTask(() -> {
            long o = fromOffset;
            for (String v : values) {
                c.add(TOPIC, partition, o++, v);
            }
        });
    }

    private void awaitPolls(TestConsumer c, int more) {
        int before = c.polls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> c.polls.get() > before + more);
    }

    // --- F9: safe dead-letter defaults and the systemic dead-letter breaker ---

    @Test
    void shouldUseTheSinksCompanionDeadLetterSinkWhenTheBuilderGotNone() {
        RecordingDeadLetterSink companion = new RecordingDeadLetterSink();
        BronzeSink withCompanion = new ForwardingSink(sink) {
            @Override
            public Optional<DeadLetterSink> companionDeadLetterSink() {
                return Optional.of(companion);
            }
        };
        EngineConfig config = IngestionEngine.builder()
                .groupId("g1")
                .topics(TOPIC)
                .bootstrapServers("kafka:9092")
                .sink(withCompanion)
                .config();
        EngineConfig explicit = IngestionEngine.builder()
                .groupId("g1")
                .topics(TOPIC)
                .bootstrapServers("kafka:9092")
                .sink(withCompanion)
                .deadLetterSink(dlq)
                .config();
        EngineConfig none = IngestionEngine.builder()
                .groupId("g1")
                .topics(TOPIC)
                .bootstrapServers("kafka:9092")
                .sink(sink)
                .config();

        assertThat(config.deadLetterSink()).isSameAs(companion);
        assertThat(explicit.deadLetterSink()).isSameAs(dlq);
        assertThat(none.deadLetterSink().name()).isEqualTo("logging");
    }

    @Test
    void shouldPauseAndReportDegradedInsteadOfDeadLetteringASystemicRunThenLandOnceTheCauseIsFixed() {
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 100));
        sink.rejects = r -> true; // e.g. a NOT NULL column was added: every row is rejected as DATA
        IngestionEngine engine = start(builder(consumer, sink)
                .maxBatchRecords(100)
                .maxBatchWait(Duration.ofSeconds(30))
                .deadLetterBreaker(DeadLetterBreaker.of(100, 0.5, Duration.ofMillis(300))));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.health().reasons().stream().anyMatch(r -> r.contains("dead-letter breaker open")));
        EngineHealth h = engine.health();
        assertThat(h.status()).isEqualTo(EngineHealth.Status.DEGRADED);
        assertThat(h.reasons())
                .anyMatch(r -> r.contains("100 of 100") && r.contains(SinkWriteException.class.getName()));
        assertThat(dlq.count())
                .as("the stream is not quarantined into the dead-letter sink")
                .isZero();
        assertThat(consumer.committedOffset(TOPIC, 0))
                .as("nothing committed past unwritten records")
                .isEmpty();
        assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.position(P0) == 0L); // rewound

        sink.rejects = r -> false; // the operator fixes the table
        feed(consumer, 0, 0, TestConsumer.orders(0, 100)); // MockConsumer forgets returned records: offer them again
        await().atMost(Duration.ofSeconds(20))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 100L);
        assertThat(sink.count()).isEqualTo(100);
        assertThat(dlq.count()).isZero();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.health().reasons().stream().noneMatch(r -> r.contains("dead-letter breaker")));
    }

    @Test
    void shouldTripTheBreakerOnARunOfSmallBatchesThatEachStayBelowItsMinimum() {
        // At a low input rate batches close on maxBatchWait long before they reach the breaker's minimum (100). A
        // stream
        // that turned systemic must still be stopped after about that many records, not dead-lettered batch by batch.
        consumer.assign(TOPIC, 1);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            bad.add("{not json " + i);
        }
        feed(consumer, 0, 0, bad);
        IngestionEngine engine = start(builder(consumer, sink)
                .maxBatchRecords(80)
                .deadLetterBreaker(DeadLetterBreaker.of(100, 0.5, Duration.ofMinutes(10))));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.health().reasons().stream().anyMatch(r -> r.contains("dead-letter breaker open")));
        assertThat(engine.health().reasons())
                .anyMatch(r -> r.contains("160 of 160 records") && r.contains("and the 1 batch(es) before it"));
        assertThat(dlq.count())
                .as("only the first small batch was dead-lettered before the run looked systemic")
                .isEqualTo(80);
        assertThat(consumer.committedOffset(TOPIC, 0)).contains(80L);
        assertThat(sink.count()).isZero();
    }

    @Test
    void shouldNeverConvertTheBatchesSkippedBehindABreakerTrip() throws Exception {
        // Batch 1 (offsets 0-99) is held in the sink until batches 2 and 3 are queued, then every row is rejected: the
        // breaker trips. Batch 2 is being converted meanwhile (its key blocks at offset 100) and batch 3 waits for the
        // converter. Both are skipped for the rewind, so batch 3 must never be converted: no time, memory or user code
        // spent on records this pass will not land.
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 300));
        CountDownLatch converting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Set<Long> keyed = ConcurrentHashMap.newKeySet();
        IdempotencyKey slowKey = event -> {
            if (event.offset() == 100) {
                converting.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            keyed.add(event.offset());
            return IdempotencyKey.formatTopicPartitionOffset(event.topic(), event.partition(), event.offset());
        };
        CountDownLatch gate = new CountDownLatch(1);
        sink.gate = gate;
        sink.rejects = r -> r.offset() < 100;
        IngestionEngine engine = start(builder(consumer, sink)
                .maxBatchRecords(100)
                .idempotencyKey(slowKey)
                .deadLetterBreaker(DeadLetterBreaker.of(100, 0.5, Duration.ofMinutes(10))));
        try {
            assertThat(converting.await(20, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> registry.find(BronzeMeters.BATCH_FLUSHES).counters().stream()
                                    .mapToDouble(c -> c.count())
                                    .sum()
                            >= 3);
            gate.countDown();
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            engine.health().reasons().stream().anyMatch(r -> r.contains("dead-letter breaker open")));
        } finally {
            gate.countDown();
            release.countDown();
        }
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> keyed.stream().noneMatch(o -> o >= 200));
        assertThat(sink.count()).isZero();
    }

    @Test
    void shouldStopTheWriterAndConverterThreadsWhenClosed() {
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 10));
        IngestionEngine engine = start(builder(consumer, sink).name("threads-closed"));
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.count() == 10);

        assertThat(engine.close(Duration.ofSeconds(10))).isTrue();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                        .filteredOn(Thread::isAlive)
                        .extracting(Thread::getName)
                        .noneMatch(n -> n.startsWith("bronze-threads-closed-")));
    }

    /** A sink that rejects (DATA) any call holding a record at a rejected offset and keeps the ranges of the rest. */
    private BronzeSink rangeKeepingSink(
            java.util.function.LongPredicate rejected, List<BatchInfo.PartitionRange> kept) {
        return new BronzeSink() {
            @Override
            public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
                if (records.stream().anyMatch(r -> rejected.test(r.offset()))) {
                    throw new SinkWriteException("rejected row", null, SinkWriteException.ErrorKind.DATA);
                }
                WriteResult r = sink.write(records, batch);
                kept.addAll(batch.ranges());
                return r;
            }
        };
    }

    /** Every offset the ranges cover, once per range that covers it. */
    private static List<Long> covered(List<BatchInfo.PartitionRange> ranges) {
        List<Long> covered = new ArrayList<>();
        for (BatchInfo.PartitionRange r : ranges) {
            for (long o = r.firstOffset(); o <= r.lastOffset(); o++) {
                covered.add(o);
            }
        }
        return covered;
    }

    /** Lands offsets 0-9 of p0 (null values are tombstones) as one batch through {@code s}. */
    private void landTenAsOneBatch(BronzeSink s, List<String> values) {
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, values);
        start(builder(consumer, s).maxBatchRecords(10).maxBatchWait(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 10L);
    }

    @Test
    void shouldDescribeBisectedPartsWithRangesThatTileTheBatchIncludingSkippedTombstones() {
        // Offsets 0-9 of p0: tombstones at 0, 3 and 9 (skipped), offset 5 rejected by the sink (bisection). The ledger
        // ranges of the parts that were written must tile 0-9, each offset once (as in an unsplit batch, a range holds
        // its dead letters and skips, counted): before, each part's range held its own rows only, so 0, 3, 5 and 9
        // were in no ledger row and showed as gaps.
        List<BatchInfo.PartitionRange> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> values = new ArrayList<>(TestConsumer.orders(0, 10));
        values.set(0, null);
        values.set(3, null);
        values.set(9, null);

        landTenAsOneBatch(rangeKeepingSink(o -> o == 5, written), values);

        assertThat(covered(written)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(dlq.count()).isEqualTo(1);
        assertThat(written.stream()
                        .mapToInt(BatchInfo.PartitionRange::deadLettered)
                        .sum())
                .isEqualTo(1);
        assertThat(sink.count()).isEqualTo(6);
        assertThat(written.stream().mapToInt(BatchInfo.PartitionRange::skipped).sum())
                .isEqualTo(3);
    }

    @Test
    void shouldAccountForTrailingOffsetsWhenTheLastRowsOfAPartitionWereAllRejected() {
        List<BatchInfo.PartitionRange> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> values = new ArrayList<>(TestConsumer.orders(0, 10));
        values.set(9, null); // a trailing tombstone after the rejected rows 6-8

        landTenAsOneBatch(rangeKeepingSink(o -> o >= 6, written), values);

        // 0-5 by the written part, 6-9 by the closing empty call (6-8 are dead letters, 9 a skipped tombstone).
        assertThat(covered(written)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(dlq.count()).isEqualTo(3);
    }

    @Test
    void shouldRetryAFailedClosingCallWithTheSameRangeAfterTheDeadLettersAreStored() {
        List<BatchInfo.PartitionRange> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<BatchInfo.PartitionRange> attempted = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger emptyCalls = new AtomicInteger();
        List<Integer> deadLettersAtClosingCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
        BronzeSink rejecting = rangeKeepingSink(o -> o >= 6, written);
        BronzeSink flakyClosingCall = new BronzeSink() {
            @Override
            public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
                if (records.isEmpty()) {
                    attempted.addAll(batch.ranges());
                    deadLettersAtClosingCalls.add(dlq.count());
                    if (emptyCalls.incrementAndGet() == 1) {
                        throw new SinkWriteException("connection reset", null, SinkWriteException.ErrorKind.TRANSIENT);
                    }
                }
                return rejecting.write(records, batch);
            }
        };

        landTenAsOneBatch(flakyClosingCall, TestConsumer.orders(0, 10));

        BatchInfo.PartitionRange closing = new BatchInfo.PartitionRange(TOPIC, 0, 6, 9, 4, 4, 0);
        assertThat(attempted).as("the retry carries the same range").containsExactly(closing, closing);
        assertThat(deadLettersAtClosingCalls)
                .as("the rejected rows' dead letters are stored before each closing call")
                .containsExactly(4, 4);
        assertThat(covered(written)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(dlq.count()).isEqualTo(4);
    }

    @Test
    void shouldAccountForEveryOffsetWhenTheSinkRejectedEveryRowOfABatch() {
        // No call with rows succeeded, so no part was written: the closing empty call must still cover the batch.
        List<BatchInfo.PartitionRange> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> values = new ArrayList<>(TestConsumer.orders(0, 10));
        values.set(9, null);

        landTenAsOneBatch(rangeKeepingSink(o -> true, written), values);

        assertThat(written).containsExactly(new BatchInfo.PartitionRange(TOPIC, 0, 0, 9, 10, 9, 1));
        assertThat(dlq.count()).isEqualTo(9);
        assertThat(sink.count()).isZero();
    }

    @Test
    void shouldLeaveNoLedgerRangeWhenTheBreakerTripsOnABatchWhoseEveryRowWasRejected() {
        // The closing empty call comes after the breaker: a ledger row covering the batch would make an append-mode
        // sink pass these offsets on the re-read, and they would be neither rows nor dead letters.
        List<BatchInfo.PartitionRange> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 100));
        IngestionEngine engine = start(builder(consumer, rangeKeepingSink(o -> true, written))
                .maxBatchRecords(100)
                .maxBatchWait(Duration.ofSeconds(30))
                .deadLetterBreaker(DeadLetterBreaker.of(100, 0.5, Duration.ofMinutes(10))));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.health().reasons().stream().anyMatch(r -> r.contains("dead-letter breaker open")));
        assertThat(written).as("no ledger range covers the rejected batch").isEmpty();
        assertThat(dlq.count()).isZero();
        assertThat(consumer.committedOffset(TOPIC, 0)).isEmpty();
    }

    @Test
    void shouldDeadLetterRejectedRowsThatWrittenPartsCoverBeforeTheBreakerTrips() {
        // Offsets 0-59 are rejected, 60-99 land in a part whose range starts at 0: those 60 rows are covered by the
        // ledger, so they must be dead-lettered even though the breaker trips on this batch.
        List<BatchInfo.PartitionRange> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 100));
        IngestionEngine engine = start(builder(consumer, rangeKeepingSink(o -> o < 60, written))
                .maxBatchRecords(100)
                .maxBatchWait(Duration.ofSeconds(30))
                .deadLetterBreaker(DeadLetterBreaker.of(100, 0.5, Duration.ofMinutes(10))));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.health().reasons().stream().anyMatch(r -> r.contains("dead-letter breaker open")));
        assertThat(covered(written)).contains(0L, 59L, 99L);
        assertThat(dlq.count())
                .as("every covered rejected row has its dead letter")
                .isEqualTo(60);
        assertThat(sink.count()).isEqualTo(40);
    }

    @Test
    void shouldStillDeadLetterAMinorityOfBadRecordsInALargeBatch() {
        consumer.assign(TOPIC, 1);
        List<String> values = new ArrayList<>(TestConsumer.orders(0, 100));
        for (int i = 0; i < 40; i++) {
            values.set(i * 2, "{bad " + i);
        }
        feed(consumer, 0, 0, values);
        IngestionEngine engine = start(builder(consumer, sink).maxBatchRecords(100));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 100L);
        assertThat(dlq.count()).isEqualTo(40);
        assertThat(sink.count()).isEqualTo(60);
        assertThat(engine.health().reasons()).noneMatch(r -> r.contains("breaker"));
    }

    /** Rejects the records at {@code badOffsets} as DATA, naming them when {@code names} (or naming {@code named}). */
    static final class NamingSink implements BronzeSink {
        final RecordingSink stored = new RecordingSink();
        final Set<Long> badOffsets;
        final boolean names;
        final AtomicInteger calls = new AtomicInteger();

        NamingSink(Set<Long> badOffsets, boolean names) {
            this.badOffsets = badOffsets;
            this.names = names;
        }

        @Override
        public WriteResult write(List<BronzeRecord> records) {
            return write(records, BatchInfo.adHoc(Instant.now()));
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            calls.incrementAndGet();
            List<String> bad = records.stream()
                    .filter(r -> badOffsets.contains(r.offset()))
                    .map(BronzeRecord::ingestionId)
                    .toList();
            if (!bad.isEmpty()) {
                throw names
                        ? SinkWriteException.rejectedRows(
                                "cannot cast " + bad.size() + " row(s)", null, "ORDERS_RAW", "22018", 100038, bad)
                        : SinkWriteException.rejectedRows(
                                "a row of another call",
                                null,
                                "ORDERS_RAW",
                                "22018",
                                100038,
                                List.of("no-such-ingestion-id"));
            }
            return stored.write(records, batch);
        }
    }

    @Test
    void shouldDeadLetterExactlyTheRowsTheSinkNamesWithoutBisecting() {
        NamingSink naming = new NamingSink(Set.of(3L, 40L, 77L), true);
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 100));
        start(builder(consumer, naming).maxBatchRecords(100));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 100L);
        assertThat(dlq.letters()).extracting(DeadLetter::offset).containsExactlyInAnyOrder(3L, 40L, 77L);
        assertThat(dlq.letters()).allSatisfy(d -> assertThat(d.stage()).isEqualTo(DeadLetter.Stage.WRITE));
        assertThat(naming.stored.count()).isEqualTo(97);
        assertThat(naming.calls)
                .as("the failed call and one rewrite of the 97 others; bisection would take ~20")
                .hasValue(2);
    }

    @Test
    void shouldBisectWhenTheNamedRowsAreNotInTheCall() {
        NamingSink naming = new NamingSink(Set.of(40L), false);
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 100));
        start(builder(consumer, naming).maxBatchRecords(100));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 100L);
        assertThat(dlq.letters()).extracting(DeadLetter::offset).containsExactly(40L);
        assertThat(naming.stored.count()).isEqualTo(99);
        assertThat(naming.calls.get()).as("bisection").isGreaterThan(2);
    }

    // --- F3: revocation must fit in max.poll.interval.ms ---

    @Test
    void shouldRejectARevocationTimeoutThatCannotFitInMaxPollIntervalAndSayHowToFixIt() {
        assertThatThrownBy(() -> IngestionEngine.builder()
                        .groupId("g")
                        .topics(TOPIC)
                        .bootstrapServers("k:9092")
                        .sink(sink)
                        .consumerProperty("max.poll.interval.ms", 15_000)
                        .config())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("revocationTimeout (30000 ms)")
                .hasMessageContaining("max.poll.interval.ms (15000 ms)")
                .hasMessageContaining("revocationTimeout(Duration.ofMillis(2500))");
        assertThat(IngestionEngine.builder()
                        .groupId("g")
                        .topics(TOPIC)
                        .bootstrapServers("k:9092")
                        .sink(sink)
                        .consumerProperty("max.poll.interval.ms", "15000")
                        .revocationTimeout(Duration.ofSeconds(5))
                        .config()
                        .revocationTimeout())
                .isEqualTo(Duration.ofSeconds(5));
    }

    // --- F4: close(timeout) is bounded, also when the consumer revokes partitions inside close() ---

    /** As the real client does: close() calls onPartitionsRevoked for the whole assignment. */
    static final class RevokingOnCloseConsumer extends TestConsumer {
        final AtomicInteger revocationsInClose = new AtomicInteger();

        @Override
        public synchronized void close(CloseOptions option) {
            ConsumerRebalanceListener l = listener();
            if (l != null && !assignment().isEmpty()) {
                revocationsInClose.incrementAndGet();
                l.onPartitionsRevoked(assignment());
            }
            super.close(option);
        }
    }

    @Test
    void shouldReturnFromCloseStoppedAndSayItDidNotDrainWhenTheSinkHangs() throws Exception {
        RevokingOnCloseConsumer c = new RevokingOnCloseConsumer();
        sink.gate = new CountDownLatch(1); // hangs
        c.assign(TOPIC, 1);
        feed(c, 0, 0, TestConsumer.orders(0, 10));
        IngestionEngine engine = start(builder(c, sink).maxBatchRecords(1).revocationTimeout(Duration.ofSeconds(15)));
        assertThat(sink.writeEntered.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        registry.get(BronzeMeters.RECORDS_CONSUMED).counter().count() == 10.0);

        boolean drained = engine.close(Duration.ofMillis(200));

        assertThat(drained).isFalse();
        assertThat(engine.state().isTerminal())
                .as("close() returned with the engine stopped, not DRAINING")
                .isTrue();
        assertThat(c.revocationsInClose.get()).isEqualTo(1);
        assertThat(sink.writeCalls.get())
                .as("the revocation inside close() did not re-dispatch the buffer")
                .isEqualTo(1);
        assertThat(c.committedOffset(TOPIC, 0)).isEmpty();
    }

    @Test
    void shouldSayItDrainedWhenEverythingWasWrittenAndCommitted() {
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 7));
        // Not flushed when idle: the seven records stay buffered, so close() must drain them.
        IngestionEngine engine = start(
                builder(consumer, sink).maxBatchWait(Duration.ofSeconds(30)).flushWhenIdle(false));
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        registry.get(BronzeMeters.RECORDS_CONSUMED).counter().count() == 7.0);
        assertThat(sink.count()).isZero();

        assertThat(engine.close(Duration.ofSeconds(10))).isTrue();
        assertThat(engine.state()).isEqualTo(EngineState.CLOSED);
        assertThat(consumer.committedOffset(TOPIC, 0)).contains(7L);
    }

    /** A sink whose writes hang (without throwing) until released, longer than any engine wait. */
    static final class HangingSink extends ForwardingSink {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);

        HangingSink(BronzeSink delegate) {
            super(delegate);
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            entered.countDown();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.write(records, batch);
        }
    }

    @Test
    void shouldStopAtOnceWhenAbortedDuringARevocationWait() throws Exception {
        HangingSink hanging = new HangingSink(sink);
        CountDownLatch revoking = new CountDownLatch(1);
        consumer.assign(TOPIC, 2);
        feed(consumer, 0, 0, TestConsumer.orders(0, 5));
        IngestionEngine engine =
                start(builder(consumer, hanging).maxBatchRecords(5).revocationTimeout(Duration.ofSeconds(60)));
        try {
            assertThat(hanging.entered.await(10, TimeUnit.SECONDS)).isTrue();
            consumer.schedulePollTask(() -> {
                revoking.countDown();
                consumer.rebalance(List.of(P1)); // p0 revoked: the callback waits up to 60 s for the hung write
            });
            assertThat(revoking.await(10, TimeUnit.SECONDS)).isTrue();
            Thread poll = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("bronze-g1-poll"))
                    .findFirst()
                    .orElseThrow();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> poll.getState() == Thread.State.TIMED_WAITING
                            && java.util.Arrays.stream(poll.getStackTrace())
                                    .anyMatch(f -> f.getMethodName().equals("onPartitionsRevoked")));

            engine.abort();

            assertThat(engine.state().isTerminal())
                    .as("abort() ended the 60 s revocation wait")
                    .isTrue();
            assertThat(consumer.committedOffset(TOPIC, 0)).isEmpty();
        } finally {
            hanging.release.countDown();
        }
    }

    // --- F5: timed-out revocations never grow the writer queue ---

    @Test
    void shouldKeepTheWriterQueueBoundedAcrossTwentyTimedOutRevocationsDuringASinkStall() throws Exception {
        sink.gate = new CountDownLatch(1);
        consumer.assign(TOPIC, 2);
        feed(consumer, 0, 0, TestConsumer.orders(0, 200));
        feed(consumer, 1, 0, TestConsumer.orders(1000, 1200));
        IngestionEngine engine =
                start(builder(consumer, sink).maxBatchRecords(1).revocationTimeout(Duration.ofMillis(20)));
        assertThat(sink.writeEntered.await(10, TimeUnit.SECONDS)).isTrue();
        long maxQueued = 0;
        java.util.concurrent.atomic.AtomicLong nextP0 = new java.util.concurrent.atomic.AtomicLong(200);
        java.util.concurrent.atomic.AtomicLong nextP1 = new java.util.concurrent.atomic.AtomicLong(200);
        for (int i = 0; i < 20; i++) {
            consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1))); // p0 revoked: its flush times out
            awaitPolls(consumer, 3);
            consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
            // both partitions keep receiving events, so full batches keep forming
            consumer.schedulePollTask(() -> {
                for (int k = 0; k < 10; k++) {
                    consumer.add(TOPIC, 0, nextP0.getAndIncrement(), TestConsumer.order(k));
                    consumer.add(TOPIC, 1, nextP1.getAndIncrement(), TestConsumer.order(k));
                }
            });
            awaitPolls(consumer, 5);
            double flushes = registry.find(BronzeMeters.BATCH_FLUSHES).counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum();
            maxQueued = Math.max(maxQueued, (long) flushes - sink.writeCalls.get());
        }

        assertThat(maxQueued).as("batches handed to the writer but not started").isLessThanOrEqualTo(3);
        sink.gate.countDown();
        // MockConsumer.rebalance forgets records not yet returned: offer p1's again, and the engine carries on.
        long end = nextP1.get();
        feed(consumer, 1, end, TestConsumer.orders(1000, 1050));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> consumer.committedOffset(TOPIC, 1).orElse(-1L) == end + 50);
        assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
    }

    @Test
    void shouldNotWriteABatchWhosePartitionsLeftWhileItWaitedForItsConversion() throws Exception {
        // The writer has started batch A (p0) and waits for its conversion (the key blocks); p0 is revoked, the
        // revocation times out and lets A go, and p0's new owner takes over. A must not be written when its conversion
        // finally completes: its partition is no longer ours.
        consumer.assign(TOPIC, 2);
        feed(consumer, 0, 0, TestConsumer.orders(0, 100));
        CountDownLatch converting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IdempotencyKey slowKey = event -> {
            if (event.partition() == 0 && event.offset() == 0) {
                converting.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return IdempotencyKey.formatTopicPartitionOffset(event.topic(), event.partition(), event.offset());
        };
        IngestionEngine engine = start(builder(consumer, sink)
                .maxBatchRecords(100)
                .idempotencyKey(slowKey)
                .revocationTimeout(Duration.ofMillis(20)));
        try {
            assertThat(converting.await(20, TimeUnit.SECONDS)).isTrue();
            consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1))); // p0 revoked: A is let go
            awaitPolls(consumer, 3);
        } finally {
            release.countDown();
        }
        feed(consumer, 1, 0, TestConsumer.orders(1000, 1010));

        // The writer is FIFO: once p1's batch is committed, A has been settled one way or the other.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> consumer.committedOffset(TOPIC, 1).orElse(-1L) == 10L);
        assertThat(sink.count())
                .as("only p1's rows: A was dropped, not written")
                .isEqualTo(10);
        assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
    }

    // --- F6: health tells the truth ---

    @Test
    void shouldReportAHungSinkCallAsDegradedWithTheReason() throws Exception {
        sink.gate = new CountDownLatch(1); // the call never returns, and never throws
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 10));
        IngestionEngine engine = start(builder(consumer, sink).writeTimeout(Duration.ofMillis(200)));
        assertThat(sink.writeEntered.await(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.health().status() != EngineHealth.Status.UP);
        assertThat(engine.health().reasons())
                .anyMatch(r -> r.contains("over writeTimeout 200 ms") && r.contains("batch 1"));
        assertThat(consumer.committedOffset(TOPIC, 0)).isEmpty();
    }

    @Test
    void shouldNotReportUpWhenTheBrokerCannotBeReached() {
        IngestionEngine engine = start(IngestionEngine.builder()
                .groupId("g-unreachable")
                .topics(TOPIC)
                .sink(sink)
                .deadLetterSink(dlq)
                .meterRegistry(registry)
                .bootstrapServers("localhost:1")
                .lagRefreshInterval(Duration.ofMillis(100)));

        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        engine.state() == EngineState.RUNNING && engine.health().status() != EngineHealth.Status.UP);
        assertThat(engine.health().reasons()).anyMatch(r -> r.contains("lag unknown"));
        assertThat(registry.get(BronzeMeters.CONSUMER_LAG_MAX).gauge().value())
                .as("unknown lag is NaN, not 0")
                .isNaN();
    }

    @Test
    void shouldReportStaleLagWhenTheBrokerStopsAnswering() {
        TestConsumer c = new TestConsumer() {
            volatile boolean down;

            @Override
            public synchronized Map<TopicPartition, Long> endOffsets(
                    Collection<TopicPartition> partitions, Duration timeout) {
                if (polls.get() > 50) {
                    throw new org.apache.kafka.common.errors.TimeoutException("broker unreachable");
                }
                return super.endOffsets(partitions, timeout);
            }
        };
        c.assign(TOPIC, 1);
        IngestionEngine engine = start(builder(c, sink));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.health().maxLag() == 0);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.health().reasons().stream().anyMatch(r -> r.contains("lag not read for")));
        assertThat(engine.health().status()).isEqualTo(EngineHealth.Status.DEGRADED);
    }

    // --- F7: the retry budget is per batch ---

    /** Fails TRANSIENT the first time it sees each record list, then rejects offset 37 as DATA. */
    static final class FlappingSink implements BronzeSink {
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public WriteResult write(List<BronzeRecord> records) {
            return write(records, BatchInfo.adHoc(Instant.now()));
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            calls.incrementAndGet();
            if (records.isEmpty()) {
                return WriteResult.empty();
            }
            String key = records.get(0).offset() + "+" + records.size();
            if (seen.add(key)) {
                throw new SinkWriteException("flapping connection", null, SinkWriteException.ErrorKind.TRANSIENT);
            }
            if (records.stream().anyMatch(r -> r.offset() == 37)) {
                throw new SinkWriteException("row 37 rejected", null, SinkWriteException.ErrorKind.DATA);
            }
            return WriteResult.of(records.size(), records.size());
        }
    }

    @Test
    void shouldSpendOneRetryBudgetPerBatchAcrossBisectedSinkCalls() {
        FlappingSink flapping = new FlappingSink();
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 64));
        IngestionEngine engine = start(builder(consumer, flapping)
                .maxBatchRecords(64)
                .deadLetterBreaker(DeadLetterBreaker.disabled())
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(2))
                        .maxRetryDuration(Duration.ofMinutes(1))
                        .build()));

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state() == EngineState.FAILED);
        assertThat(engine.failure())
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("3 attempt(s) for this batch");
        assertThat(flapping.calls.get())
                .as("each bisection part does not get a budget of its own")
                .isLessThan(8);
        assertThat(consumer.committedOffset(TOPIC, 0)).isEmpty();
    }

    // --- F8: gauges are never shared or lost ---

    @Test
    void shouldGiveAnEngineBuiltAfterAnUnstartedOneItsOwnGauges() {
        TestConsumer first = new TestConsumer();
        IngestionEngine a = builder(first, sink).build();
        a.close();
        consumer.assign(TOPIC, 1);
        consumer.schedulePollTask(() -> consumer.updateEndOffsets(Map.of(P0, 500L)));
        consumer.schedulePollTask(() -> consumer.seek(P0, 0L));
        start(builder(consumer, sink));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(BronzeMeters.CONSUMER_LAG_MAX).gauge().value() == 500.0);
    }

    @Test
    void shouldRefuseASecondRunningEngineWithTheSameNameInOneRegistry() {
        consumer.assign(TOPIC, 1);
        start(builder(consumer, sink));
        IngestionEngine twin = builder(new TestConsumer(), sink).build();
        engines.add(twin);

        assertThatThrownBy(twin::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another running engine is named 'g1'");
    }

    @Test
    void shouldLetASupervisorRestartAFailedEngineFromItsListenerWithWorkingGauges() {
        sink.transientFailuresLeft.set(1_000);
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 3));
        TestConsumer second = new TestConsumer();
        second.assign(TOPIC, 1);
        second.schedulePollTask(() -> second.updateEndOffsets(Map.of(P0, 42L)));
        List<IngestionEngine> restarted = new ArrayList<>();
        start(builder(consumer, sink).listener(new EngineListener() {
            @Override
            public void onStateChange(String name, EngineState from, EngineState to) {
                if (to == EngineState.FAILED) {
                    IngestionEngine b = builder(second, new RecordingSink()).build();
                    engines.add(b);
                    restarted.add(b.start());
                }
            }
        }));

        await().atMost(Duration.ofSeconds(10)).until(() -> !restarted.isEmpty());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(BronzeMeters.CONSUMER_LAG_MAX).gauge().value() == 42.0);
        assertThat(registry.find(BronzeMeters.CONSUMER_LAG)
                        .tag(BronzeMeters.TAG_PARTITION, "0")
                        .gauge())
                .isNotNull();
    }

    // --- F11: the announcement of an all-dead-lettered batch is a sink write ---

    @Test
    void shouldTimeTheAnnouncementOfAnAllDeadLetteredBatchAsASinkWrite() {
        sink.transientFailuresLeft.set(1);
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, List.of("{bad", "{bad", "{bad"));
        start(builder(consumer, sink).maxBatchRecords(3));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 3L);
        assertThat(registry.get(BronzeMeters.SINK_WRITE)
                        .tag(BronzeMeters.TAG_OUTCOME, "failure")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(BronzeMeters.DEAD_LETTER_WRITE)
                        .tag(BronzeMeters.TAG_OUTCOME, "failure")
                        .timer()
                        .count())
                .isZero();
    }

    // --- F12: a stale batch never moves the group's offset backwards ---

    @Test
    void shouldNotMoveTheCommittedOffsetBackWhenALostPartitionComesBackWhileABatchIsInFlight() throws Exception {
        sink.gate = new CountDownLatch(1);
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 5));
        start(builder(consumer, sink).maxBatchRecords(5).revocationTimeout(Duration.ofMillis(50)));
        assertThat(sink.writeEntered.await(10, TimeUnit.SECONDS)).isTrue(); // p0 0..4 in flight
        consumer.schedulePollTask(() -> {
            consumer.listener().onPartitionsLost(List.of(P0)); // fenced: another member takes p0 ...
            consumer.rebalance(List.of());
            consumer.commitSync(Map.of(P0, new OffsetAndMetadata(100))); // ... and commits 100
            consumer.updateEndOffsets(Map.of(P0, 100L));
        });
        awaitPolls(consumer, 3);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0)); // p0 comes back to us
            sink.gate.countDown(); // the stale batch finishes during this poll
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 5);
        });
        awaitPolls(consumer, 20);

        assertThat(consumer.committedOffset(TOPIC, 0))
                .as("the stale batch did not rewind the group")
                .contains(100L);
    }

    // --- F14: batch deadlines run on the monotonic clock ---

    @Test
    void shouldFlushByMaxBatchWaitEvenWithAFixedClock() {
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 1));
        start(builder(consumer, sink)
                .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .maxBatchWait(Duration.ofMillis(50)));

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == 1);
        assertThat(sink.records().get(0).ingestedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    // --- stored positions: append mode and a recreated topic ---

    /** A sink that says where it already is, like an appending sink with a resume position. */
    static class PositionedSink extends ForwardingSink {
        volatile Map<SourcePartition, Long> positions = Map.of();
        volatile RuntimeException failure;
        final AtomicInteger asked = new AtomicInteger();

        PositionedSink(BronzeSink delegate) {
            super(delegate);
        }

        @Override
        public Map<SourcePartition, Long> storedPositions(Collection<SourcePartition> partitions) {
            asked.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            return positions;
        }
    }

    @Test
    void shouldSeekToTheSinksStoredPositionWhenItIsAheadOfTheCommittedOffset() {
        PositionedSink positioned = new PositionedSink(sink);
        positioned.positions = Map.of(new SourcePartition(TOPIC, 0), 6L); // 0..5 landed, the Kafka commit was lost
        consumer.assign(TOPIC, 1, 10L);
        feed(consumer, 0, 0, TestConsumer.orders(0, 10));
        IngestionEngine engine = start(builder(consumer, positioned));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 10L);
        assertThat(sink.records()).extracting(BronzeRecord::offset).containsExactly(6L, 7L, 8L, 9L);
        assertThat(engine.health().reasons()).noneMatch(r -> r.contains("recreated"));
    }

    @Test
    void shouldPauseAndReportATopicRecreatedWhenTheSinkHoldsMoreThanTheLog() {
        PositionedSink positioned = new PositionedSink(sink);
        positioned.positions = Map.of(new SourcePartition(TOPIC, 0), 5_000L); // the old topic went to 4999
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 10)); // the new topic's first events
        IngestionEngine engine = start(builder(consumer, positioned));

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.health().status() == EngineHealth.Status.DEGRADED);
        assertThat(engine.health().reasons())
                .anyMatch(r ->
                        r.contains("topic orders partition 0 looks recreated") && r.contains("docs/reliability.md"));
        awaitPolls(consumer, 20);
        assertThat(sink.count())
                .as("new events are not silently dropped as duplicates: they wait")
                .isZero();
        assertThat(consumer.committedOffset(TOPIC, 0)).isEmpty();
        assertThat(consumer.paused()).contains(P0);
    }

    @Test
    void shouldFallBackToTheCommittedOffsetAndReportDegradedWhenStoredPositionsFails() {
        PositionedSink positioned = new PositionedSink(sink);
        positioned.failure =
                new SinkWriteException("warehouse unreachable", null, SinkWriteException.ErrorKind.TRANSIENT);
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 4));
        IngestionEngine engine = start(builder(consumer, positioned));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 4L);
        assertThat(positioned.asked.get()).isEqualTo(1);
        assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
        assertThat(engine.health().reasons()).anyMatch(r -> r.contains("stored position of orders-0 unknown"));
    }

    // --- F15: listener errors, bootstrap servers as a consumer property ---

    @Test
    void shouldIgnoreAnErrorThrownByTheListener() {
        consumer.assign(TOPIC, 1);
        feed(consumer, 0, 0, TestConsumer.orders(0, 3));
        IngestionEngine engine = start(builder(consumer, sink).listener(new EngineListener() {
            @Override
            public void onStateChange(String name, EngineState from, EngineState to) {
                throw new AssertionError("a listener bug");
            }

            @Override
            public void onHealthChange(String name, EngineHealth previous, EngineHealth current) {
                throw new NoClassDefFoundError("another listener bug");
            }
        }));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.committedOffset(TOPIC, 0).orElse(-1L) == 3L);
        assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
    }

    @Test
    void shouldAcceptBootstrapServersGivenAsAConsumerProperty() {
        EngineConfig config = IngestionEngine.builder()
                .groupId("g")
                .topics(TOPIC)
                .sink(sink)
                .consumerProperty("bootstrap.servers", "kafka:9092")
                .config();

        assertThat(config.consumerProperties()).containsEntry("bootstrap.servers", "kafka:9092");
    }

    // --- static membership and the KIP-848 protocol ---

    @Test
    void shouldSetStaticMembershipAndTheConsumerGroupProtocol() {
        consumer.assign(TOPIC, 1);
        IngestionEngine engine =
                start(builder(consumer, sink).instanceId("host-a").groupProtocol(GroupProtocol.CONSUMER));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state() == EngineState.RUNNING);

        assertThat(consumer.properties)
                .containsEntry("group.instance.id", "host-a")
                .containsEntry("group.protocol", "consumer")
                .doesNotContainKey("partition.assignment.strategy");
    }

    /** Forwards every call to a delegate, also {@code write(List, BatchInfo)}. */
    static class ForwardingSink implements BronzeSink {
        private final BronzeSink delegate;

        ForwardingSink(BronzeSink delegate) {
            this.delegate = delegate;
        }

        @Override
        public WriteResult write(List<BronzeRecord> records) {
            return delegate.write(records);
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            return delegate.write(records, batch);
        }
    }
}
