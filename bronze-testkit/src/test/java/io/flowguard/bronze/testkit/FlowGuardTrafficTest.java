package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class FlowGuardTrafficTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneOffset.UTC);

    private static FlowGuardTraffic traffic(double malformed, double v2) {
        return FlowGuardTraffic.builder()
                .seed(7)
                .malformedShare(malformed)
                .v2Share(v2)
                .clock(CLOCK)
                .build();
    }

    @Test
    void shouldProduceTheConfiguredSharesOfMalformedAndV2Events() {
        List<FlowGuardTraffic.Event> events = traffic(0.05, 0.2).next(20_000);

        long malformed = events.stream().filter(e -> !e.valid()).count();
        long valid = events.size() - malformed;
        long v2 = events.stream()
                .filter(e -> e.valid() && e.schemaVersion().equals("v2"))
                .count();
        long orders = events.stream().filter(e -> e.topic().equals("orders")).count();

        assertThat(malformed / 20_000.0).isCloseTo(0.05, within(0.01));
        assertThat(v2 / (double) valid).isCloseTo(0.2, within(0.02));
        assertThat(orders / 20_000.0).isCloseTo(0.5, within(0.02));
        assertThat(events.stream()
                        .filter(e -> !e.valid())
                        .map(FlowGuardTraffic.Event::malformation)
                        .distinct())
                .containsExactlyInAnyOrder(FlowGuardTraffic.Malformation.values());
    }

    @Test
    void shouldBeDeterministicForASeed() {
        List<FlowGuardTraffic.Event> a = traffic(0.1, 0.3).next(500);
        List<FlowGuardTraffic.Event> b = traffic(0.1, 0.3).next(500);

        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).value()).isEqualTo(b.get(i).value());
            assertThat(a.get(i).headers()).isEqualTo(b.get(i).headers());
        }
    }

    @Test
    void shouldBuildRealisticOrdersAndClicksWithMetadataInPayloadAndHeaders() throws Exception {
        List<FlowGuardTraffic.Event> events = traffic(0, 0.5).next(200);

        for (FlowGuardTraffic.Event e : events) {
            JsonNode n = JSON.readTree(e.value());
            assertThat(n.get("event_id").asText()).isEqualTo(e.headers().get("event_id"));
            assertThat(n.get("event_type").asText())
                    .isEqualTo(e.headers().get("event_type"))
                    .isEqualTo(e.eventType());
            assertThat(n.get("schema_version").asText())
                    .isEqualTo(e.headers().get("schema_version"))
                    .isEqualTo(e.schemaVersion());
            assertThat(n.get("producer_service").asText()).isEqualTo(e.headers().get("producer_service"));
            String userField = e.schemaVersion().equals("v2") ? "customer_id" : "user_id";
            String otherField = e.schemaVersion().equals("v2") ? "user_id" : "customer_id";
            assertThat(n.has(userField))
                    .as("v%s has %s", e.schemaVersion(), userField)
                    .isTrue();
            assertThat(n.has(otherField)).isFalse();
            if (e.topic().equals("orders")) {
                assertThat(n.get("order_id").asText()).startsWith("ord-");
                assertThat(n.get("restaurant").get("name").asText()).isNotBlank();
                assertThat(n.get("items").size()).isBetween(1, 3);
                double sum = 0;
                for (JsonNode item : n.get("items")) {
                    sum += item.get("quantity").asInt() * item.get("unit_price").asDouble();
                }
                assertThat(n.get("total_price").asDouble()).isCloseTo(sum, within(0.001));
                assertThat(e.headers().get("producer_service")).isEqualTo("order-service");
            } else {
                assertThat(n.get("page").asText()).startsWith("/");
                assertThat(n.get("element").asText()).isNotBlank();
                assertThat(n.get("session_id").asText()).startsWith("sess-");
                assertThat(e.headers().get("producer_service")).isEqualTo("web-gateway");
            }
        }
    }

    @Test
    void shouldBreakEachMalformedEventTheWayItsKindSays() {
        for (FlowGuardTraffic.Event e : traffic(0.5, 0.2).next(400)) {
            if (e.valid()) {
                continue;
            }
            switch (e.malformation()) {
                case BROKEN_JSON ->
                    assertThatThrownBy(() -> JSON.readTree(e.value())).isInstanceOf(java.io.IOException.class);
                case NOT_AN_OBJECT -> assertThat(readTree(e.value()).isArray()).isTrue();
                case INVALID_UTF8 ->
                    assertThatThrownBy(() ->
                                    StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(e.value())))
                            .isInstanceOf(java.nio.charset.CharacterCodingException.class);
                case WRONG_TYPED_METADATA -> {
                    assertThat(readTree(e.value()).get("event_type").isObject()).isTrue();
                    assertThat(e.headers())
                            .as("a header would win over the payload field")
                            .isEmpty();
                }
                default -> throw new AssertionError(e.malformation());
            }
        }
    }

    private static JsonNode readTree(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldSendTheRequestedCountAndReportWhatItSent() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

        FlowGuardTraffic.Summary s = traffic(0.1, 0.2).send(producer, 1_000, 0, null);

        assertThat(s.sent()).isEqualTo(1_000);
        assertThat(producer.history()).hasSize(1_000);
        assertThat(s.valid() + s.malformed()).isEqualTo(1_000);
        assertThat(s.byTopic().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(1_000);
        assertThat(s.malformedByKind().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(s.malformed());
    }

    @Test
    void shouldStopAtTheDurationWhenTheRateAllowsFewerThanTheCount() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        AtomicLong fakeNanos = new AtomicLong();
        // Every read of the clock advances it 1 ms: pacing sees time pass without sleeping for real.
        FlowGuardTraffic.Summary s = traffic(0, 0)
                .send(producer, 1_000_000, 100_000.0, Duration.ofMillis(50), () -> fakeNanos.addAndGet(1_000_000));

        assertThat(s.sent()).isBetween(20L, 50L);
    }

    @Test
    void shouldRejectBadSettingsNamingThem() {
        assertThatThrownBy(() -> FlowGuardTraffic.builder().malformedShare(1.5))
                .hasMessage("malformedShare must be within [0, 1], but was 1.5");
        assertThatThrownBy(() -> traffic(0, 0).send(new MockProducer<>(), -1, 0, null))
                .hasMessageContaining("give a count, a duration or both");
    }
}
