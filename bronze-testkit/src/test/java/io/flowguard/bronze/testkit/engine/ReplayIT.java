package io.flowguard.bronze.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.core.BackfillJob;
import io.flowguard.bronze.core.BackfillResult;
import io.flowguard.bronze.core.DeadLetterReplay;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.KafkaDeadLetterSink;
import io.flowguard.bronze.testkit.FaultInjectingSink;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Backfills by offset and time, the Kafka dead-letter topic and its replay, against a real broker. */
class ReplayIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private static String order(int i) {
        return "{\"event_id\":\"evt-" + i + "\",\"event_type\":\"order_created\",\"user_id\":" + i + "}";
    }

    private static EngineConfig config(String topic, io.flowguard.bronze.api.BronzeSink sink) {
        return IngestionEngine.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId("replay-tool")
                .topics(topic)
                .sink(sink)
                .maxBatchRecords(7)
                .config();
    }

    @Test
    void shouldBackfillExactlyTheOffsetRangeAndAddNothingWhenRunTwice() {
        String topic = KAFKA.createUniqueTopic("orders", 4);
        KAFKA.produceJson(topic, 400, ReplayIT::order);
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();

        BackfillResult first = BackfillJob.builder(config(topic, sink))
                .topic(topic)
                .partition(3)
                .fromOffset(10)
                .toOffset(59)
                .build()
                .run();
        BackfillResult second = BackfillJob.builder(config(topic, sink))
                .topic(topic)
                .partition(3)
                .fromOffset(10)
                .toOffset(59)
                .build()
                .run();

        assertThat(first.read()).isEqualTo(50);
        assertThat(first.inserted()).isEqualTo(50);
        assertThat(second.read()).isEqualTo(50);
        assertThat(second.inserted())
                .as("replaying a range that landed changes nothing")
                .isZero();
        assertThat(sink.count()).isEqualTo(50);
        assertThat(sink.records()).allSatisfy(r -> {
            assertThat(r.partition()).isEqualTo(3);
            assertThat(r.offset()).isBetween(10L, 59L);
        });
        assertThat(KAFKA.committedOffsets("replay-tool"))
                .as("a backfill commits nothing")
                .isEmpty();
    }

    @Test
    void shouldBackfillByTimeRange() {
        String topic = KAFKA.createUniqueTopic("orders", 1);
        long base = 1_700_000_000_000L;
        List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(
                    new ProducerRecord<>(topic, 0, base + i * 1000L, null, order(i).getBytes(StandardCharsets.UTF_8)));
        }
        KAFKA.produce(topic, records);
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();

        BackfillResult r = BackfillJob.builder(config(topic, sink))
                .topic(topic)
                .fromTime(Instant.ofEpochMilli(base + 20_000))
                .toTime(Instant.ofEpochMilli(base + 29_000))
                .build()
                .run();

        assertThat(r.read()).isEqualTo(10);
        assertThat(sink.records())
                .extracting(BronzeRecord::offset)
                .containsExactlyInAnyOrder(20L, 21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L);
    }

    @Test
    void shouldDeadLetterToAKafkaTopicWithProvenanceHeadersAndReplayItIdempotentlyAfterAFix() {
        String topic = KAFKA.createUniqueTopic("orders", 2);
        KAFKA.createTopic(topic + ".dlq", 1);
        List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            RecordHeaders h = new RecordHeaders();
            h.add("trace-id", ("t-" + i).getBytes(StandardCharsets.UTF_8));
            records.add(new ProducerRecord<>(
                    topic,
                    i % 2,
                    null,
                    ("k" + i).getBytes(StandardCharsets.UTF_8),
                    order(i).getBytes(StandardCharsets.UTF_8),
                    h));
        }
        KAFKA.produce(topic, records);
        InMemoryBronzeSink table = InMemoryBronzeSink.create();
        // The warehouse rejects user 13 and 42 (say, a bad value), until the fix.
        FaultInjectingSink warehouse = FaultInjectingSink.wrap(table)
                .rejectRecordsMatching(r ->
                        r.rawEvent().contains("\"user_id\":13}") || r.rawEvent().contains("\"user_id\":42}"));
        KafkaDeadLetterSink dlq = KafkaDeadLetterSink.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .consumerGroup("g-dlq")
                .build();
        IngestionEngine engine = IngestionEngine.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId("g-dlq")
                .topics(topic)
                .sink(warehouse)
                .deadLetterSink(dlq)
                .maxBatchWait(Duration.ofMillis(100))
                .start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> KAFKA.committedOffsets("g-dlq").values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum()
                            == 60);
        } finally {
            engine.close();
        }
        assertThat(table.count()).isEqualTo(58);

        List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.consume(topic + ".dlq", 2, Duration.ofSeconds(30));
        assertThat(dead).hasSize(2);
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            String originalOffset = header(d, KafkaDeadLetterSink.H_OFFSET);
            int i = Integer.parseInt(header(d, KafkaDeadLetterSink.H_PARTITION)) + 2 * Integer.parseInt(originalOffset);
            assertThat(i).isIn(13, 42);
            assertThat(header(d, KafkaDeadLetterSink.H_TOPIC)).isEqualTo(topic);
            assertThat(header(d, KafkaDeadLetterSink.H_STAGE)).isEqualTo(DeadLetter.Stage.WRITE.name());
            assertThat(header(d, KafkaDeadLetterSink.H_GROUP)).isEqualTo("g-dlq");
            assertThat(header(d, KafkaDeadLetterSink.H_EXCEPTION_CLASS))
                    .isEqualTo("io.flowguard.bronze.api.SinkWriteException");
            assertThat(header(d, KafkaDeadLetterSink.H_ATTEMPTS)).isNotNull();
            assertThat(header(d, KafkaDeadLetterSink.H_STACKTRACE)).contains("SinkWriteException");
            assertThat(header(d, "trace-id")).isEqualTo("t-" + i);
            assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("k" + i);
            assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo(order(i));
        }

        warehouse.clearFaults(); // the fix
        EngineConfig replayConfig = IngestionEngine.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId("g-dlq")
                .topics(topic)
                .sink(warehouse)
                .deadLetterSink(dlq)
                .config();
        BackfillResult first =
                DeadLetterReplay.of(replayConfig, topic + ".dlq", r -> true).run();
        BackfillResult second =
                DeadLetterReplay.of(replayConfig, topic + ".dlq", r -> true).run();
        dlq.close();

        assertThat(first.inserted()).isEqualTo(2);
        assertThat(second.inserted()).as("replaying twice lands nothing twice").isZero();
        assertThat(table.count()).isEqualTo(60);
        assertThat(table.recordsForTopic(topic))
                .filteredOn(r -> r.rawEvent().contains("\"user_id\":13}"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.ingestionId()).isEqualTo(topic + "-1-6");
                    assertThat(r.headers())
                            .containsEntry("trace-id", "t-13")
                            .doesNotContainKey(KafkaDeadLetterSink.H_STAGE);
                });
        Map<TopicPartition, Long> dlqEnd = KAFKA.endOffsets(topic + ".dlq");
        assertThat(dlqEnd.values().stream().mapToLong(Long::longValue).sum())
                .as("nothing failed again")
                .isEqualTo(2);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
