package io.flowguard.bronze.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.core.BronzeMeters;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meters the runbook tells on-call to alert on, after a known workload on a real broker. */
class EngineMetersIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    static final int RECORDS = 1_000;
    static final int BATCH = 100;

    private static boolean malformed(int i) {
        return i % 100 == 7;
    }

    @Test
    void shouldCountConsumedLandedDeadLetteredBatchesWritesAndFlushTriggers() {
        String topic = KAFKA.createUniqueTopic("orders", 1);
        KAFKA.produceJson(
                topic,
                RECORDS,
                i -> malformed(i)
                        ? "{\"order_id\": " + i
                        : "{\"event_id\":\"e-" + i + "\",\"event_type\":\"order_created\",\"order_id\":\"o-" + i
                                + "\"}");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        InMemoryDeadLetterSink dead = InMemoryDeadLetterSink.create();
        String group = "meters-" + topic;

        try (IngestionEngine engine = IngestionEngine.builder()
                .name("meters")
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(dead)
                .meterRegistry(registry)
                .maxBatchRecords(BATCH)
                .maxBatchWait(Duration.ofSeconds(30))
                .flushWhenIdle(false) // every batch full: the meters below count exact batches
                .start()) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> KAFKA.committedOffsets(group).values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum()
                            == RECORDS);
        }

        int bad = RECORDS / 100;
        assertThat(registry.get(BronzeMeters.RECORDS_CONSUMED)
                        .tag("topic", topic)
                        .counter()
                        .count())
                .isEqualTo(RECORDS);
        assertThat(registry.get(BronzeMeters.RECORDS_LANDED)
                        .tag("topic", topic)
                        .counter()
                        .count())
                .isEqualTo(RECORDS - bad);
        assertThat(registry.get(BronzeMeters.RECORDS_INSERTED).counter().count())
                .isEqualTo(RECORDS - bad);
        assertThat(registry.get(BronzeMeters.RECORDS_DEAD_LETTERED)
                        .tag("topic", topic)
                        .tag("stage", "deserialize")
                        .counter()
                        .count())
                .isEqualTo(bad);
        assertThat(registry.get(BronzeMeters.BATCH_RECORDS).summary().count())
                .as("batches")
                .isEqualTo(RECORDS / BATCH);
        assertThat(registry.get(BronzeMeters.BATCH_RECORDS).summary().totalAmount())
                .isEqualTo(RECORDS);
        assertThat(registry.get(BronzeMeters.BATCH_FLUSHES)
                        .tag("trigger", "records")
                        .counter()
                        .count())
                .isEqualTo(RECORDS / BATCH);
        assertThat(registry.get(BronzeMeters.BATCH_FLUSHES)
                        .tag("trigger", "wait")
                        .counter()
                        .count())
                .isZero();
        assertThat(registry.get(BronzeMeters.SINK_WRITE)
                        .tag("outcome", "success")
                        .timer()
                        .count())
                .isEqualTo(RECORDS / BATCH);
        assertThat(registry.get(BronzeMeters.DEAD_LETTER_WRITE)
                        .tag("outcome", "success")
                        .timer()
                        .count())
                .as("each batch held one malformed record")
                .isEqualTo(bad);
        assertThat(registry.get(BronzeMeters.SINK_WRITE)
                        .tag("outcome", "failure")
                        .timer()
                        .count())
                .isZero();
        assertThat(sink.count()).isEqualTo(RECORDS - bad);
        assertThat(dead.deadLetters()).hasSize(bad);
    }
}
