package io.flowguard.bronze.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BronzeRecordTest {
    private static final Instant NOW = Instant.parse("2025-03-14T09:30:00Z");

    private static BronzeRecord.Builder valid() {
        return BronzeRecord.builder()
                .ingestionId("orders-3-1042")
                .sourceTopic("orders")
                .partition(3)
                .offset(1042)
                .ingestedAt(NOW)
                .rawEvent("{\"event_id\":\"e-1\"}");
    }

    @Test
    void shouldBuildWithOnlyRequiredFieldsAndDefaultTheRest() {
        BronzeRecord r = BronzeRecord.builder()
                .ingestionId("id")
                .sourceTopic("orders")
                .partition(0)
                .offset(0)
                .ingestedAt(NOW)
                .build();

        assertThat(r.eventId()).isNull();
        assertThat(r.eventType()).isNull();
        assertThat(r.schemaVersion()).isNull();
        assertThat(r.producerService()).isNull();
        assertThat(r.kafkaTimestamp()).isNull();
        assertThat(r.timestampType()).isEqualTo(KafkaTimestampType.NO_TIMESTAMP);
        assertThat(r.key()).isNull();
        assertThat(r.headers()).isEmpty();
        assertThat(r.rawEvent()).isNull();
    }

    @Test
    void shouldRejectMissingIngestionIdNamingTheValue() {
        assertThatThrownBy(() -> valid().ingestionId(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ingestionId must be a non-empty string, but was null");
        assertThatThrownBy(() -> valid().ingestionId("").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ingestionId must be a non-empty string, but was \"\"");
    }

    @Test
    void shouldRejectMissingSourceTopicNamingTheValue() {
        assertThatThrownBy(() -> valid().sourceTopic(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sourceTopic must be a non-empty string, but was null");
        assertThatThrownBy(() -> valid().sourceTopic("").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sourceTopic must be a non-empty string, but was \"\"");
    }

    @Test
    void shouldRejectNegativePartitionNamingTheValue() {
        assertThatThrownBy(() -> valid().partition(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition must be >= 0, but was -1");
    }

    @Test
    void shouldRejectNegativeOffsetNamingTheValue() {
        assertThatThrownBy(() -> valid().offset(-7).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("offset must be >= 0, but was -7");
    }

    @Test
    void shouldRejectUnsetPartitionAndOffset() {
        assertThatThrownBy(() -> BronzeRecord.builder()
                        .ingestionId("id")
                        .sourceTopic("t")
                        .ingestedAt(NOW)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition must be >= 0, but was -1");
    }

    @Test
    void shouldRejectMissingIngestedAt() {
        assertThatThrownBy(() -> valid().ingestedAt(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("ingestedAt must not be null");
    }

    @Test
    void shouldCopyHeadersAndKeepOrderAndNullValues() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("z", "1");
        headers.put("a", null);
        BronzeRecord r = valid().headers(headers).build();

        headers.put("late", "x");

        assertThat(r.headers())
                .containsExactly(Map.entry("z", "1"), new java.util.AbstractMap.SimpleEntry<>("a", null));
        assertThatThrownBy(() -> r.headers().put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldRoundTripThroughToBuilder() {
        Map<String, String> headers = new HashMap<>();
        headers.put("event_type", "order_created");
        BronzeRecord r = valid().eventId("e-1")
                .eventType("order_created")
                .schemaVersion("v2")
                .producerService("svc")
                .kafkaTimestamp(NOW.minusSeconds(5))
                .timestampType(KafkaTimestampType.CREATE_TIME)
                .key("k")
                .headers(headers)
                .build();

        BronzeRecord copy = r.toBuilder().build();

        assertThat(copy).isEqualTo(r).hasSameHashCodeAs(r);
        assertThat(r.toBuilder().key("other").build()).isNotEqualTo(r);
    }

    @Test
    void shouldTellWhenIngestionIdIsOffsetDerived() {
        assertThat(valid().build().hasOffsetDerivedIngestionId()).isTrue();
        assertThat(valid().ingestionId("e-1").build().hasOffsetDerivedIngestionId())
                .isFalse();
        assertThat(valid().offset(1043).build().hasOffsetDerivedIngestionId()).isFalse();
    }

    @Test
    void shouldNotPrintPayloadInToString() {
        BronzeRecord r = valid().rawEvent("{\"card\":\"4111111111111111\"}").build();

        assertThat(r.toString())
                .contains("orders-3-1042")
                .doesNotContain("4111111111111111")
                .contains("rawEventChars=");
    }
}
