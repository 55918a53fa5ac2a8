package io.flowguard.bronze.examples.flowguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    private static final UUID FIXED = UUID.fromString("00000000-0000-4000-8000-000000000042");
    private final Envelope envelope = new Envelope(Set.of("v1", "v2"), 3, () -> FIXED);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldGenerateAnEventIdOnlyWhenTheEventHasNone() throws Exception {
        List<Envelope.Event> events = envelope.parse(
                utf8(
                        "[{\"event_type\":\"order_created\",\"schema_version\":\"v1\","
                                + "\"producer_service\":\"order-service\",\"order_id\":\"ord-1\",\"user_id\":7},"
                                + "{\"event_id\":\"e-2\",\"event_type\":\"page_view\",\"schema_version\":\"v2\",\"customer_id\":8}]"),
                "web");

        assertThat(events).hasSize(2);
        assertThat(events.get(0).eventId()).isEqualTo(FIXED.toString());
        assertThat(events.get(0).eventIdGenerated()).isTrue();
        assertThat(events.get(0).key()).as("order_id keys an order").isEqualTo("ord-1");
        assertThat(events.get(0).producerService())
                .as("the event's field wins over the header")
                .isEqualTo("order-service");
        assertThat(events.get(1).eventId()).isEqualTo("e-2");
        assertThat(events.get(1).eventIdGenerated()).isFalse();
        assertThat(events.get(1).producerService()).isEqualTo("web");
        assertThat(events.get(1).key()).isEqualTo("8");
        assertThat(events.get(1).schemaVersion()).isEqualTo("v2");
    }

    @Test
    void shouldKeepTheWrittenFormOfNumbers() throws Exception {
        Envelope.Event e = envelope.parse(
                        utf8(
                                "{ \"event_type\": \"order_paid\", \"schema_version\": \"v1\", "
                                        + "\"producer_service\": \"p\", \"total_price\": 4.50, \"big\": 12345678901234567890 }"),
                        null)
                .get(0);

        assertThat(new String(e.payload(), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"event_type\":\"order_paid\","
                                + "\"schema_version\":\"v1\",\"producer_service\":\"p\",\"total_price\":4.50,\"big\":12345678901234567890}");
    }

    @Test
    void shouldRejectBodiesThatAreNotJsonObjectsOrArraysOfObjects() {
        assertRejected("", "the body is empty");
        assertRejected("{\"event_type\":", "the body is not valid JSON");
        assertRejected("\"hello\"", "must be a JSON object (one event) or an array of objects, but was a string");
        assertRejected("[]", "empty JSON array");
        assertRejected(
                "{\"event_type\":\"a\",\"schema_version\":\"v1\",\"producer_service\":\"p\"} {}", "not valid JSON");
        assertRejected(
                "[{\"event_type\":\"a\",\"schema_version\":\"v1\",\"producer_service\":\"p\"}, 42]",
                "event [1] must be a JSON object, but was a number");
        assertRejected("[{},{},{},{}]", "holds 4 events, but at most 3");
    }

    @Test
    void shouldRejectInvalidUtf8() {
        byte[] body = utf8("{\"event_type\":\"a\",\"schema_version\":\"v1\",\"producer_service\":\"p\",\"x\":\"?\"}");
        body[body.length - 3] = (byte) 0xC3;
        assertThatThrownBy(() -> envelope.parse(body, null))
                .isInstanceOf(Envelope.RejectedException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void shouldNameTheEventAndFieldToFix() {
        assertRejected(
                "[{\"event_type\":\"a\",\"schema_version\":\"v1\",\"producer_service\":\"p\"},"
                        + "{\"schema_version\":\"v1\",\"producer_service\":\"p\"}]",
                "event [1]: event_type is missing");
        assertRejected(
                "{\"event_type\":{\"name\":\"a\"},\"schema_version\":\"v1\",\"producer_service\":\"p\"}",
                "the event: event_type must be a string, but was a JSON object");
        assertRejected(
                "{\"event_type\":\"a\",\"schema_version\":\"v3\",\"producer_service\":\"p\"}",
                "schema_version must be one of [v1, v2], but was 'v3'");
        assertRejected(
                "{\"event_type\":\"a\",\"schema_version\":\"v1\"}",
                "producer_service is missing: set it in the event or send the X-Producer-Service header");
        assertRejected(
                "{\"event_type\":\"a\",\"schema_version\":\"v1\",\"producer_service\":\"p\",\"event_id\":\"  \"}",
                "event_id must not be blank");
        assertRejected(
                "{\"event_type\":\"a\",\"event_type\":\"b\",\"schema_version\":\"v1\",\"producer_service\":\"p\"}",
                "Duplicate field 'event_type'");
    }

    @Test
    void shouldReportTheIndexOfTheRejectedEvent() {
        assertThatThrownBy(() -> envelope.parse(
                        utf8("[{\"event_type\":\"a\",\"schema_version\":\"v1\",\"producer_service\":\"p\"},"
                                + "{\"event_type\":\"a\",\"schema_version\":\"v9\",\"producer_service\":\"p\"}]"),
                        null))
                .isInstanceOfSatisfying(
                        Envelope.RejectedException.class,
                        e -> assertThat(e.index()).isEqualTo(1));
    }

    private void assertRejected(String body, String reason) {
        assertThatThrownBy(() -> envelope.parse(utf8(body), null))
                .isInstanceOf(Envelope.RejectedException.class)
                .hasMessageContaining(reason);
    }
}
