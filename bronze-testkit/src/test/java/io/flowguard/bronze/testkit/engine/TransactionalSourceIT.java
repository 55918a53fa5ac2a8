package io.flowguard.bronze.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A source written by a transactional producer: aborted transactions never land (F1, {@code read_committed}). */
class TransactionalSourceIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private IngestionEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.abort();
        }
    }

    private static ProducerRecord<byte[], byte[]> event(String topic, int i, String attempt) {
        String json =
                "{\"event_id\":\"evt-" + i + "\",\"event_type\":\"order_created\",\"attempt\":\"" + attempt + "\"}";
        return new ProducerRecord<>(
                topic, 0, ("k-" + i).getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldLandOnlyCommittedTransactionsAndNoPhantomsFromAnAbortedOne() throws Exception {
        String topic = KAFKA.createUniqueTopic("tx-orders", 1);
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.transactionalProducer("tx-" + topic)) {
            producer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                producer.send(event(topic, i, "aborted"));
            }
            producer.flush();
            producer.abortTransaction(); // fenced or timed out: the same events are re-sent below
            producer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                producer.send(event(topic, i, "committed"));
            }
            producer.commitTransaction();
        }
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        InMemoryDeadLetterSink dlq = InMemoryDeadLetterSink.create();
        engine = IngestionEngine.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId("g-" + topic)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(dlq)
                .maxBatchWait(Duration.ofMillis(100))
                .start();

        // The log holds 3 aborted records, an abort marker, 3 committed records and a commit marker: end offset 8.
        long end = KAFKA.endOffsets(topic).get(new TopicPartition(topic, 0));
        assertThat(end).isEqualTo(8L);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        KAFKA.committedOffsets("g-" + topic).getOrDefault(new TopicPartition(topic, 0), 0L) == end);

        List<BronzeRecord> rows = sink.recordsForTopic(topic);
        assertThat(rows)
                .as("rows = committed events, no phantoms of the aborted transaction")
                .hasSize(3);
        assertThat(rows).allSatisfy(r -> assertThat(r.rawEvent()).contains("\"attempt\":\"committed\""));
        assertThat(rows).extracting(BronzeRecord::offset).containsExactly(4L, 5L, 6L);
        assertThat(dlq.count()).isZero();
        assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
    }
}
