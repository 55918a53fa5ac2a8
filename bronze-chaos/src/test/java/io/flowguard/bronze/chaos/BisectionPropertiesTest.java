package io.flowguard.bronze.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;

/**
 * Bisection isolates exactly the rejected rows: for any batch size and any set of poison positions, when the sink rejects
 * every write that contains a poison record ({@link SinkWriteException} of kind {@code DATA}, as a warehouse rejects a
 * whole statement for one bad row), the engine dead-letters exactly the poison offsets with stage {@code WRITE} and lands
 * every other record once.
 */
class BisectionPropertiesTest {
    private static final String TOPIC = "orders";

    private IngestionEngine engine;

    @AfterTry
    void stopEngine() {
        if (engine != null) {
            engine.abort();
            engine = null;
        }
    }

    /** Per record: is it poison? Any length 1..300, any density from none to all. */
    @Provide
    Arbitrary<List<Boolean>> poisonFlags() {
        return Arbitraries.integers()
                .between(0, 100)
                .flatMap(percent -> Arbitraries.integers()
                        .between(0, 99)
                        .map(i -> i < percent)
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(300));
    }

    @Property(tries = 60)
    void shouldDeadLetterExactlyThePoisonOffsetsAtStageWriteAndLandAllOthers(
            @ForAll("poisonFlags") List<Boolean> poison, @ForAll @IntRange(min = 1, max = 128) int maxBatchRecords) {
        List<String> values = new ArrayList<>();
        Set<Long> poisonOffsets = new TreeSet<>();
        for (int i = 0; i < poison.size(); i++) {
            values.add("{\"event_id\":\"e-" + i + "\",\"poison\":" + poison.get(i) + "}");
            if (poison.get(i)) {
                poisonOffsets.add((long) i);
            }
        }
        InMemoryBronzeSink table = InMemoryBronzeSink.create();
        InMemoryDeadLetterSink dlq = InMemoryDeadLetterSink.create();
        AtomicLong writes = new AtomicLong();
        BronzeSink rejecting = (records, batch) -> {
            writes.incrementAndGet();
            for (BronzeRecord r : records) {
                if (r.rawEvent().contains("\"poison\":true")) {
                    throw new SinkWriteException(
                            "row rejected in a batch of " + records.size(),
                            null,
                            SinkWriteException.ErrorKind.DATA,
                            "ORDERS_RAW",
                            "22P02",
                            0);
                }
            }
            return table.write(records);
        };
        MockKafkaConsumer consumer = new MockKafkaConsumer();
        consumer.assignAndFeed(TOPIC, 1, values);
        engine = IngestionEngine.builder()
                .groupId("bisect")
                .topics(TOPIC)
                .sink(rejecting)
                .deadLetterSink(dlq)
                .maxBatchRecords(maxBatchRecords)
                .maxBatchWait(Duration.ofMillis(5))
                // any density of poison, up to all of a batch: that is what the breaker would pause on
                .deadLetterBreaker(io.flowguard.bronze.core.DeadLetterBreaker.disabled())
                .consumerFactory(props -> consumer)
                .start();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> consumer.committed(TOPIC, 0) == values.size() || engine.state() == EngineState.FAILED);

        assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
        assertThat(dlq.deadLetters()).allSatisfy(d -> {
            assertThat(d.stage()).isEqualTo(DeadLetter.Stage.WRITE);
            assertThat(d.errorClass()).isEqualTo(SinkWriteException.class.getName());
        });
        Set<Long> deadOffsets =
                dlq.deadLetters().stream().map(DeadLetter::offset).collect(Collectors.toCollection(TreeSet::new));
        assertThat(deadOffsets).as("dead-lettered offsets").isEqualTo(poisonOffsets);
        assertThat(dlq.count()).as("each poison record dead-lettered once").isEqualTo(poisonOffsets.size());
        Set<Long> landed =
                table.records().stream().map(BronzeRecord::offset).collect(Collectors.toCollection(TreeSet::new));
        Set<Long> landedPoison = new TreeSet<>(landed);
        landedPoison.retainAll(poisonOffsets);
        assertThat(landedPoison).as("poison offsets that landed").isEmpty();
        assertThat(landed).as("landed offsets").hasSize(values.size() - poisonOffsets.size());
        assertThat(table.duplicatesSeen()).as("nothing landed twice").isZero();
    }
}
