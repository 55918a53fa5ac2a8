package io.flowguard.bronze.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.EngineHealth;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code BronzeSink.storedPositions} on the real broker: a sink that already holds records past the group's committed
 * offset (a crash between the warehouse commit and the Kafka commit) is not written twice, and a topic deleted and
 * recreated under the same name is detected instead of its new events being ignored as duplicates.
 */
class StoredPositionsIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private final List<IngestionEngine> engines = new ArrayList<>();

    @AfterEach
    void stop() {
        engines.forEach(IngestionEngine::abort);
    }

    /** An appending sink that knows its position per partition: one past the highest offset it stored. */
    static final class PositionedSink implements BronzeSink {
        final InMemoryBronzeSink delegate = InMemoryBronzeSink.create();
        final List<Long> offsetsWritten = new ArrayList<>();

        @Override
        public WriteResult write(List<BronzeRecord> records) {
            return write(records, BatchInfo.adHoc(Instant.now()));
        }

        @Override
        public synchronized WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            records.forEach(r -> offsetsWritten.add(r.offset()));
            return delegate.write(records, batch);
        }

        @Override
        public synchronized Map<SourcePartition, Long> storedPositions(Collection<SourcePartition> partitions) {
            Map<SourcePartition, Long> out = new HashMap<>();
            for (BronzeRecord r : delegate.records()) {
                SourcePartition sp = new SourcePartition(r.sourceTopic(), r.partition());
                if (partitions.contains(sp)) {
                    out.merge(sp, r.offset() + 1, Math::max);
                }
            }
            return out;
        }

        synchronized List<Long> offsetsWritten() {
            return new ArrayList<>(offsetsWritten);
        }
    }

    private IngestionEngine start(String group, String topic, BronzeSink sink) {
        IngestionEngine e = IngestionEngine.builder()
                .name(group + "-" + engines.size())
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(InMemoryDeadLetterSink.create())
                .maxBatchWait(Duration.ofMillis(100))
                .lagRefreshInterval(Duration.ofMillis(200))
                .start();
        engines.add(e);
        return e;
    }

    private static String order(int i) {
        return "{\"event_id\":\"evt-" + i + "\",\"event_type\":\"order_created\"}";
    }

    @Test
    void shouldResumeFromTheSinksPositionWhenTheKafkaCommitWasLost() {
        String topic = KAFKA.createUniqueTopic("positions", 1);
        KAFKA.produceJson(topic, 10, StoredPositionsIT::order);
        PositionedSink sink = new PositionedSink();
        // The warehouse committed offsets 0..5, then the process died before the Kafka commit.
        List<BronzeRecord> landed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            landed.add(BronzeRecord.builder()
                    .ingestionId(topic + "-0-" + i)
                    .sourceTopic(topic)
                    .partition(0)
                    .offset(i)
                    .ingestedAt(Instant.now())
                    .rawEvent(order(i))
                    .build());
        }
        sink.write(landed);

        start("g-" + topic, topic, sink);
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        KAFKA.committedOffsets("g-" + topic).getOrDefault(new TopicPartition(topic, 0), 0L) == 10L);

        assertThat(sink.offsetsWritten())
                .as("nothing written twice")
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void shouldDetectATopicDeletedAndRecreatedAndNotDropItsNewEvents() throws Exception {
        String topic = KAFKA.createUniqueTopic("recreated", 1);
        String group = "g-" + topic;
        KAFKA.produceJson(topic, 50, StoredPositionsIT::order);
        PositionedSink sink = new PositionedSink();
        IngestionEngine first = start(group, topic, sink);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> KAFKA.committedOffsets(group).getOrDefault(new TopicPartition(topic, 0), 0L) == 50L);
        first.close();

        recreate(topic);
        KAFKA.produceJson(topic, 5, i -> order(1000 + i)); // offsets 0..4 again: ids topic-0-0.. collide
        IngestionEngine second = start(group, topic, sink);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> second.health().reasons().stream().anyMatch(r -> r.contains("looks recreated")));
        EngineHealth h = second.health();
        assertThat(h.status()).isEqualTo(EngineHealth.Status.DEGRADED);
        assertThat(h.reasons())
                .anyMatch(r -> r.contains("topic " + topic + " partition 0") && r.contains("docs/reliability.md"));
        assertThat(sink.offsetsWritten())
                .as("the new events wait; nothing was silently skipped")
                .hasSize(50);
        System.out.println("topic recreated: " + h.reasons());
    }

    private static void recreate(String topic) throws ExecutionException, InterruptedException {
        KAFKA.admin().deleteTopics(List.of(topic)).all().get();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            KAFKA.createTopic(topic, 1);
            return true;
        });
    }
}
