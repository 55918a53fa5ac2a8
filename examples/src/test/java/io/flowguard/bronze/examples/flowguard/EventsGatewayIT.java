package io.flowguard.bronze.examples.flowguard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gateway against a real (in-JVM) Kafka broker: what it answers, and what it does and does not write. */
class EventsGatewayIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private static final String V1 =
            "{\"event_type\":\"order_created\",\"schema_version\":\"v1\",\"producer_service\":\"order-service\","
                    + "\"order_id\":\"ord-1\",\"user_id\":42,\"total_price\":10.90}";
    private static final String V2 = "{\"event_id\":\"e-2\",\"event_type\":\"order_paid\",\"schema_version\":\"v2\","
            + "\"producer_service\":\"order-service\",\"order_id\":\"ord-2\",\"customer_id\":43,\"total_price\":4.50}";

    private static String orders;
    private static String clicks;
    private static EventsGateway gateway;
    private static GatewayClient client;

    @BeforeAll
    static void startGateway() throws Exception {
        orders = KAFKA.createUniqueTopic("orders", 3);
        clicks = KAFKA.createUniqueTopic("clicks", 1);
        gateway = EventsGateway.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .topics(orders, clicks)
                .maxBodyBytes(4_096)
                .start();
        client = new GatewayClient(gateway.uri());
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shouldAnswer202WithWhereTheEventLandedAndStampTheHeaders() throws Exception {
        GatewayClient.Answer answer = client.post(orders, V1);

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body().get("accepted").asInt()).isEqualTo(1);
        JsonNode event = answer.body().get("events").get(0);
        assertThat(event.get("topic").asText()).isEqualTo(orders);
        assertThat(event.get("event_id_generated").asBoolean()).isTrue();
        ConsumerRecord<byte[], byte[]> record = recordAt(
                orders, event.get("partition").asInt(), event.get("offset").asLong());
        Map<String, String> headers = headers(record);
        assertThat(headers)
                .containsEntry("event_id", event.get("event_id").asText())
                .containsEntry("event_type", "order_created")
                .containsEntry("schema_version", "v1")
                .containsEntry("producer_service", "order-service");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("ord-1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .as("the payload is the event as posted")
                .isEqualTo(V1);
    }

    @Test
    void shouldProduceEveryEventOfAnArrayAndKeepTheirIds() throws Exception {
        GatewayClient.Answer answer = client.post(orders, "[" + V1 + "," + V2 + "]");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body().get("accepted").asInt()).isEqualTo(2);
        JsonNode second = answer.body().get("events").get(1);
        assertThat(second.get("index").asInt()).isEqualTo(1);
        assertThat(second.get("event_id").asText()).isEqualTo("e-2");
        assertThat(second.get("event_id_generated").asBoolean()).isFalse();
        ConsumerRecord<byte[], byte[]> record = recordAt(
                orders, second.get("partition").asInt(), second.get("offset").asLong());
        assertThat(headers(record)).containsEntry("event_id", "e-2").containsEntry("schema_version", "v2");
    }

    @Test
    void shouldTakeTheProducerServiceFromTheRequestHeaderWhenTheEventHasNone() throws Exception {
        GatewayClient.Answer answer = client.post(
                clicks,
                ("{\"event_type\":\"page_view\",\"schema_version\":\"v2\","
                                + "\"customer_id\":7,\"session_id\":\"s-1\"}")
                        .getBytes(StandardCharsets.UTF_8),
                "web-gateway");

        assertThat(answer.status()).isEqualTo(202);
        JsonNode event = answer.body().get("events").get(0);
        assertThat(headers(recordAt(
                        clicks,
                        event.get("partition").asInt(),
                        event.get("offset").asLong())))
                .containsEntry("producer_service", "web-gateway");
    }

    @Test
    void shouldAnswer400AndWriteNothingWhenAnyEventOfTheArrayIsBad() throws Exception {
        long before = endOffsets(orders);

        GatewayClient.Answer answer = client.post(orders, "[" + V1 + "," + V2 + ",{\"schema_version\":\"v1\"}]");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("error").asText()).contains("event [2]: event_type is missing");
        assertThat(answer.body().get("index").asInt()).isEqualTo(2);
        assertThat(endOffsets(orders)).as("nothing of the array was produced").isEqualTo(before);
    }

    @Test
    void shouldAnswer400WithAReasonForBadInput() throws Exception {
        long before = endOffsets(orders);

        assertThat(client.post(orders, "{\"event_type\":\"order_created\", oops"))
                .satisfies(a -> {
                    assertThat(a.status()).isEqualTo(400);
                    assertThat(a.body().get("error").asText()).startsWith("the body is not valid JSON");
                });
        assertThat(client.post(orders, "[1, 2]")).satisfies(a -> {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body().get("error").asText()).contains("event [0] must be a JSON object, but was a number");
        });
        assertThat(client.post("payments", V1)).satisfies(a -> {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body().get("error").asText()).contains("unknown topic 'payments'");
        });
        assertThat(client.post(orders, V1.replace("\"v1\"", "\"v7\""))).satisfies(a -> {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body().get("error").asText()).contains("schema_version must be one of [v1, v2], but was 'v7'");
        });
        assertThat(endOffsets(orders)).isEqualTo(before);
    }

    @Test
    void shouldAnswer413WhenTheBodyIsLargerThanTheLimit() throws Exception {
        String big = "[" + String.join(",", java.util.Collections.nCopies(40, V1)) + "]";

        GatewayClient.Answer answer = client.post(orders, big);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body().get("error").asText()).contains("larger than 4096 bytes");
    }

    @Test
    void shouldAnswer503AndWriteNothingWhenKafkaCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (EventsGateway unreachable = EventsGateway.builder()
                .name("unreachable")
                .bootstrapServers("127.0.0.1:" + closedPort)
                .topics(orders)
                .kafkaTimeout(Duration.ofMillis(500))
                .start()) {
            GatewayClient.Answer answer = new GatewayClient(unreachable.uri()).post(orders, "[" + V1 + "," + V2 + "]");

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.body().get("error").asText())
                    .contains("Kafka is unavailable")
                    .contains("nothing was written");
            assertThat(answer.body().get("written")).isEmpty();
            assertThat(answer.body().get("not_written").toString()).isEqualTo("[0,1]");
        }
    }

    @Test
    void shouldAnswerHealthAndRejectOtherMethods() throws Exception {
        assertThat(client.get("/health")).satisfies(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body().get("status").asText()).isEqualTo("UP");
        });
        assertThat(client.get("/events/" + orders)).satisfies(a -> {
            assertThat(a.status()).isEqualTo(405);
            assertThat(a.body().get("error").asText()).contains("POST events to /events/{topic}");
        });
    }

    static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static ConsumerRecord<byte[], byte[]> recordAt(String topic, int partition, long offset) {
        List<ConsumerRecord<byte[], byte[]>> all =
                KAFKA.consume(topic, (int) endOffsets(topic), Duration.ofSeconds(20));
        return all.stream()
                .filter(r -> r.partition() == partition && r.offset() == offset)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no record at " + topic + "-" + partition + "@" + offset));
    }

    private static long endOffsets(String topic) {
        return KAFKA.endOffsets(topic).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }
}
