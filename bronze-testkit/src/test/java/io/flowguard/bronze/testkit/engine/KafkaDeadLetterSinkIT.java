package io.flowguard.bronze.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.KafkaDeadLetterSink;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The review's F2 scenario on the real broker: a source topic that allows 8 MB records gets a record with a 2 MB key
 * and a value that is not JSON. The dead letter must fit the dead-letter topic's 1 MB limit, so the engine stays
 * RUNNING and commits past the record instead of failing on it after every restart.
 */
class KafkaDeadLetterSinkIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create(Map.of("message.max.bytes", Integer.toString(8 * 1024 * 1024)));

    @Test
    void shouldDeadLetterARecordWithATwoMegabyteKeyAndCommitPastIt() throws Exception {
        String topic = "big-keys";
        KAFKA.admin()
                .createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                        .configs(Map.of("max.message.bytes", Integer.toString(8 * 1024 * 1024)))))
                .all()
                .get();
        KAFKA.createTopic(topic + ".dlq", 1); // default 1 MB limit
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            topic, 0, new byte[2_000_000], "not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
            producer.send(new ProducerRecord<>(
                            topic,
                            0,
                            "k".getBytes(StandardCharsets.UTF_8),
                            "{\"event_id\":\"e-1\",\"event_type\":\"order_created\"}".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        try (KafkaDeadLetterSink dlq = KafkaDeadLetterSink.builder()
                        .bootstrapServers(KAFKA.bootstrapServers())
                        .consumerGroup("g-big")
                        .build();
                IngestionEngine engine = IngestionEngine.builder()
                        .bootstrapServers(KAFKA.bootstrapServers())
                        .groupId("g-big")
                        .topics(topic)
                        .sink(sink)
                        .deadLetterSink(dlq)
                        .maxBatchWait(Duration.ofMillis(100))
                        .consumerProperty("max.partition.fetch.bytes", 8 * 1024 * 1024)
                        .start()) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> KAFKA.committedOffsets("g-big").getOrDefault(new TopicPartition(topic, 0), 0L) == 2L);

            assertThat(engine.state()).isEqualTo(EngineState.RUNNING);
            assertThat(sink.count()).isEqualTo(1);
            List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.consume(topic + ".dlq", 1, Duration.ofSeconds(30));
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not json");
            assertThat(new String(
                            dead.get(0)
                                    .headers()
                                    .lastHeader(KafkaDeadLetterSink.H_KEY_SIZE)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("2000000");
        }
    }
}
