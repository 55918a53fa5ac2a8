package io.flowguard.bronze.examples.flowguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.testkit.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway when its broker goes away after the gateway knew it (metadata cached): 503 with nothing written, and
 * 202 again once the broker is back, with the idempotent producer still usable (no OUT_OF_ORDER_SEQUENCE_NUMBER).
 */
class EventsGatewayOutageIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private static final String EVENT =
            "{\"event_type\":\"page_view\",\"schema_version\":\"v1\",\"producer_service\":\"web\","
                    + "\"session_id\":\"s-%d\",\"user_id\":%d}";

    @Test
    void shouldAnswer503WhileTheBrokerIsDownAndWriteOnlyWhatWasAcknowledged() throws Exception {
        String topic = KAFKA.createUniqueTopic("clicks", 2);
        try (EventsGateway gateway = EventsGateway.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .topics(topic)
                .kafkaTimeout(Duration.ofSeconds(2))
                .start()) {
            GatewayClient client = new GatewayClient(gateway.uri());
            assertThat(client.post(topic, EVENT.formatted(1, 1)).status()).isEqualTo(202);

            KAFKA.stopBroker();
            GatewayClient.Answer down;
            try {
                down = client.post(topic, "[" + EVENT.formatted(2, 2) + "," + EVENT.formatted(3, 3) + "]");
            } finally {
                KAFKA.startBroker();
            }

            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body().get("written")).isEmpty();
            assertThat(down.body().get("not_written").toString()).isEqualTo("[0,1]");
            // The producer reconnects with backoff: until it does, an answer may still be 503, which writes nothing.
            String again = "[" + EVENT.formatted(4, 4) + "," + EVENT.formatted(5, 5) + "]";
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> client.post(topic, again).status() == 202);
            assertThat(KAFKA.endOffsets(topic).values().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .as("the 503 events were not written")
                    .isEqualTo(3);
        }
    }
}
