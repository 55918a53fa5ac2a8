package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrdersLandingTest {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create(); // a real Kafka broker in this JVM, started once per class

    @Test
    void shouldLandEveryOrderOnceAndQuarantineTheBrokenOne() {
        String topic = KAFKA.createUniqueTopic("orders", 3);
        KAFKA.produceJson(topic, 100, i -> "{\"event_id\":\"order-" + i + "\",\"event_type\":\"OrderPlaced\"}");
        KAFKA.produce(topic, 0, "broken", "{not json");
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        InMemoryDeadLetterSink deadLetters = InMemoryDeadLetterSink.create();

        try (IngestionEngine engine = IngestionEngine.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId("orders-test")
                .topics(topic)
                .maxBatchWait(Duration.ofMillis(200))
                .sink(sink)
                .deadLetterSink(deadLetters)
                .start()) {
            // returns once the group has committed every offset produced above
            KAFKA.awaitCommitted("orders-test", List.of(topic), Duration.ofSeconds(30));
        }

        assertThat(sink.count()).isEqualTo(100);
        assertThat(sink.recordsForTable("ORDERS_" + topic.substring("orders-".length()) + "_RAW"))
                .hasSize(100);
        assertThat(sink.duplicatesSeen()).isZero();
        assertThat(deadLetters.byStage(DeadLetter.Stage.DESERIALIZE)).hasSize(1);
    }
}
