package io.flowguard.bronze.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    @Test
    void shouldFormatTopicPartitionOffsetByDefault() {
        String key = IdempotencyKey.topicPartitionOffset().keyFor(FakeEventView.at("orders", 3, 1042));

        assertThat(key).isEqualTo("orders-3-1042");
    }

    @Test
    void shouldKeepDotsAndDashesOfTopicInDefaultKey() {
        assertThat(IdempotencyKey.topicPartitionOffset().keyFor(FakeEventView.at("web.clicks-v2", 0, 0)))
                .isEqualTo("web.clicks-v2-0-0");
        assertThat(IdempotencyKey.formatTopicPartitionOffset("t", 12, Long.MAX_VALUE))
                .isEqualTo("t-12-9223372036854775807");
    }

    @Test
    void shouldBeSingletonWithReadableName() {
        assertThat(IdempotencyKey.topicPartitionOffset()).isSameAs(IdempotencyKey.topicPartitionOffset());
        assertThat(IdempotencyKey.topicPartitionOffset()).hasToString("topic-partition-offset");
    }

    @Test
    void shouldUsePayloadFieldWhenPresent() {
        IdempotencyKey key = IdempotencyKey.payloadField("meta.event_id");

        assertThat(key.keyFor(FakeEventView.any().field("meta.event_id", "evt-42")))
                .isEqualTo("evt-42");
    }

    @Test
    void shouldThrowExtractionExceptionWhenPayloadFieldIsMissing() {
        IdempotencyKey key = IdempotencyKey.payloadField("event_id");

        assertThatThrownBy(() -> key.keyFor(FakeEventView.any()))
                .isInstanceOfSatisfying(MetadataExtractionException.class, e -> {
                    assertThat(e.field()).isEqualTo("ingestionId");
                    assertThat(e.isRetriable()).isFalse();
                })
                .hasMessageContaining("'event_id'");
    }

    @Test
    void shouldThrowExtractionExceptionWhenPayloadFieldIsEmpty() {
        IdempotencyKey key = IdempotencyKey.payloadField("event_id");

        assertThatThrownBy(() -> key.keyFor(FakeEventView.any().field("event_id", "")))
                .isInstanceOf(MetadataExtractionException.class);
    }

    @Test
    void shouldPropagateExtractionExceptionWhenPayloadFieldIsNotScalar() {
        IdempotencyKey key = IdempotencyKey.payloadField("event_id");

        assertThatThrownBy(() -> key.keyFor(FakeEventView.any().nonScalar("event_id")))
                .isInstanceOf(MetadataExtractionException.class);
    }

    @Test
    void shouldRejectInvalidPathNamingIt() {
        for (String bad : new String[] {"", "a..b", ".a", "a.", "has space"}) {
            assertThatThrownBy(() -> IdempotencyKey.payloadField(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("but was '" + bad + "'");
        }
        assertThatThrownBy(() -> IdempotencyKey.payloadField(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 'null'");
    }
}
