package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    @Test
    void shouldCreateTopicWithRequestedPartitions() {
        String topic = KAFKA.createUniqueTopic("orders", 3);

        assertThat(KAFKA.endOffsets(topic))
                .containsOnlyKeys(
                        new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
        assertThat(KAFKA.endOffsets(topic).values()).containsOnly(0L);
    }

    @Test
    void shouldFailNamingTheTopicWhenItAlreadyExists() {
        String topic = KAFKA.createUniqueTopic("dupe", 1);

        assertThatThrownBy(() -> KAFKA.createTopic(topic, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(topic);
    }

    @Test
    void shouldProduceRecordsThatConsumerReadsBack() {
        String topic = KAFKA.createUniqueTopic("orders", 2);

        RecordMetadata meta = KAFKA.produce(topic, 1, "customer-1", "{\"event_id\":\"e-1\"}");
        KAFKA.produce(topic, 0, null, null);

        assertThat(meta.partition()).isEqualTo(1);
        assertThat(meta.offset()).isZero();
        List<ConsumerRecord<byte[], byte[]>> read = KAFKA.consume(topic, 2, TIMEOUT);
        assertThat(read).hasSize(2);
        ConsumerRecord<byte[], byte[]> first =
                read.stream().filter(r -> r.partition() == 1).findFirst().orElseThrow();
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("customer-1");
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{\"event_id\":\"e-1\"}");
        assertThat(read.stream()
                        .filter(r -> r.partition() == 0)
                        .findFirst()
                        .orElseThrow()
                        .value())
                .isNull();
    }

    @Test
    void shouldSpreadJsonRoundRobinOverPartitions() {
        String topic = KAFKA.createUniqueTopic("clicks", 3);

        List<RecordMetadata> acks = KAFKA.produceJson(topic, 30, i -> TestRecords.clickJson(topic, i % 3, i / 3));

        assertThat(acks).hasSize(30);
        assertThat(acks.get(4).partition()).isEqualTo(1);
        assertThat(KAFKA.endOffsets(topic).values()).containsOnly(10L);
    }

    @Test
    void shouldProduceRecordsWithHeadersInBulk() {
        String topic = KAFKA.createUniqueTopic("bulk", 1);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                topic,
                0,
                (byte[]) null,
                "{}".getBytes(StandardCharsets.UTF_8),
                List.<org.apache.kafka.common.header.Header>of(
                        new RecordHeader("event_type", "order_created".getBytes(StandardCharsets.UTF_8))));

        KAFKA.produce(topic, List.of(record, record));

        List<ConsumerRecord<byte[], byte[]>> read = KAFKA.consume(topic, 2, TIMEOUT);
        assertThat(read).hasSize(2);
        assertThat(new String(read.get(0).headers().lastHeader("event_type").value(), StandardCharsets.UTF_8))
                .isEqualTo("order_created");
    }

    @Test
    void shouldRejectBulkRecordForAnotherTopic() {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("elsewhere", new byte[0]);

        assertThatThrownBy(() -> KAFKA.produce("here", List.of(record)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every record must be for topic 'here', but one was for 'elsewhere'");
    }

    @Test
    void shouldReportCommittedOffsetsOfConsumerGroup() {
        String topic = KAFKA.createUniqueTopic("committed", 2);
        KAFKA.produceJson(topic, 10, i -> "{\"n\":" + i + "}");
        String group = "group-" + topic;

        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            int[] seen = {0};
            await().atMost(TIMEOUT).until(() -> {
                seen[0] += consumer.poll(Duration.ofMillis(100)).count();
                return seen[0] >= 10;
            });
            consumer.commitSync(Map.of(
                    new TopicPartition(topic, 0),
                    new OffsetAndMetadata(5),
                    new TopicPartition(topic, 1),
                    new OffsetAndMetadata(3)));
        }

        assertThat(KAFKA.committedOffsets(group))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(new TopicPartition(topic, 0), 5L, new TopicPartition(topic, 1), 3L));
        assertThat(KAFKA.committedOffsets("never-committed")).isEmpty();
    }

    @Test
    void shouldWaitUntilTheGroupHasCommittedUpToTheEndOffsets() throws Exception {
        String topic = KAFKA.createUniqueTopic("caught-up", 3);
        KAFKA.produceJson(topic, 6, i -> "{\"n\":" + i + "}"); // partitions 0, 1, 2 get 2 records each
        String group = "awaiter-" + topic;
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        TopicPartition p2 = new TopicPartition(topic, 2);
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.commitSync(Map.of(p0, new OffsetAndMetadata(2), p1, new OffsetAndMetadata(1)));

            assertThatThrownBy(() -> KAFKA.awaitCommitted(group, List.of(topic), Duration.ofMillis(300)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("consumer group '" + group + "' did not commit up to the end offsets")
                    .hasMessageContaining(p1 + " committed 1 of end offset 2")
                    .hasMessageContaining(p2 + " committed nothing of end offset 2")
                    .hasMessageNotContaining(p0 + " committed");

            CompletableFuture<Map<TopicPartition, Long>> waiting =
                    CompletableFuture.supplyAsync(() -> KAFKA.awaitCommitted(group, List.of(topic), TIMEOUT));
            consumer.commitSync(Map.of(p1, new OffsetAndMetadata(2), p2, new OffsetAndMetadata(2)));

            assertThat(waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .containsOnly(Map.entry(p0, 2L), Map.entry(p1, 2L), Map.entry(p2, 2L));
        }
    }

    @Test
    void shouldTreatAnEmptyTopicAsCaughtUpWithoutCommits() {
        String topic = KAFKA.createUniqueTopic("empty", 2);

        assertThat(KAFKA.awaitCommitted("nobody-" + topic, topic))
                .containsOnly(Map.entry(new TopicPartition(topic, 0), 0L), Map.entry(new TopicPartition(topic, 1), 0L));
    }

    @Test
    void shouldKeepDataAndServeClientsWhenBrokerRestarts() {
        String topic = KAFKA.createUniqueTopic("restart", 1);
        KAFKA.produceJson(topic, 5, i -> "{\"n\":" + i + "}");
        String bootstrap = KAFKA.bootstrapServers();

        KAFKA.restartBroker();

        assertThat(KAFKA.bootstrapServers()).isEqualTo(bootstrap);
        KAFKA.produceJson(topic, 5, i -> "{\"n\":" + (5 + i) + "}");
        assertThat(KAFKA.endOffsets(topic)).containsEntry(new TopicPartition(topic, 0), 10L);
        assertThat(KAFKA.consume(topic, 10, TIMEOUT)).hasSize(10);
    }

    @Test
    void shouldShareOneRunningBrokerAcrossTests() {
        assertThat(KAFKA.isRunning()).isTrue();
        assertThat(KAFKA.start()).isSameAs(KAFKA);
        assertThat(KAFKA.toString()).contains(KAFKA.bootstrapServers());
    }

    @Nested
    class WhenNested {
        @Test
        void shouldKeepBrokerRunningForNestedClasses() {
            assertThat(KAFKA.isRunning()).isTrue();
            assertThat(KAFKA.createUniqueTopic("nested", 1)).startsWith("nested-");
        }
    }

    @Test
    void shouldRefuseHelpersWhenNotStarted() {
        KafkaBroker idle = KafkaBroker.create();

        assertThat(idle.isRunning()).isFalse();
        assertThatThrownBy(idle::bootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");
        idle.close();
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
