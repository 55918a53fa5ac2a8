package io.flowguard.bronze.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetadataRulesTest {

    @Test
    void shouldReadSnakeCaseHeaderThenFieldByDefault() {
        MetadataRules rules = MetadataRules.defaults();
        EventView event = FakeEventView.any()
                .header("event_id", "h-1")
                .field("event_id", "f-1")
                .field("event_type", "order_created")
                .header("producer_service", "svc");

        assertThat(rules.eventId().resolve(event, "eventId")).isEqualTo("h-1");
        assertThat(rules.eventType().resolve(event, "eventType")).isEqualTo("order_created");
        assertThat(rules.producerService().resolve(event, "producerService")).isEqualTo("svc");
    }

    @Test
    void shouldFallBackToV1SchemaVersionAndNullOthersByDefault() {
        MetadataRules rules = MetadataRules.defaults();
        EventView empty = FakeEventView.any();

        assertThat(rules.schemaVersion().resolve(empty, "schemaVersion"))
                .isEqualTo(MetadataRules.DEFAULT_SCHEMA_VERSION)
                .isEqualTo("v1");
        assertThat(rules.eventId().resolve(empty, "eventId")).isNull();
        assertThat(rules.eventType().resolve(empty, "eventType")).isNull();
        assertThat(rules.producerService().resolve(empty, "producerService")).isNull();
        assertThat(rules.readsPayload()).isTrue();
    }

    @Test
    void shouldKeepDefaultsForRulesNotOverridden() {
        MetadataRules rules = MetadataRules.builder()
                .eventId(MetadataRule.field("id").required())
                .build();

        assertThat(rules.eventId().isRequired()).isTrue();
        assertThat(rules.schemaVersion().fallback()).isEqualTo("v1");
    }

    @Test
    void shouldNotReadPayloadWhenEveryRuleUsesHeaders() {
        MetadataRules rules = MetadataRules.builder()
                .eventId(MetadataRule.header("id"))
                .eventType(MetadataRule.header("t"))
                .schemaVersion(MetadataRule.constant("v1"))
                .producerService(MetadataRule.none())
                .build();

        assertThat(rules.readsPayload()).isFalse();
    }

    @Test
    void shouldRejectNullRuleNamingIt() {
        assertThatThrownBy(() -> MetadataRules.builder().eventType(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("eventType rule");
    }
}
