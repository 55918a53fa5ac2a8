package io.flowguard.bronze.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetadataRuleTest {
    private final MetadataRule rule =
            MetadataRule.header("schema_version").orField("meta.schema_version").orElse("v1");

    @Test
    void shouldPreferFirstSourceWhenSeveralHaveValues() {
        EventView event = FakeEventView.any().header("schema_version", "v3").field("meta.schema_version", "v2");

        assertThat(rule.resolve(event, "schemaVersion")).isEqualTo("v3");
    }

    @Test
    void shouldFallThroughToNextSourceWhenEarlierIsAbsent() {
        EventView event = FakeEventView.any().field("meta.schema_version", "v2");

        assertThat(rule.resolve(event, "schemaVersion")).isEqualTo("v2");
    }

    @Test
    void shouldTrySourcesInDeclaredOrderWhenFieldComesFirst() {
        MetadataRule fieldFirst = MetadataRule.field("type").orHeader("type");
        EventView event = FakeEventView.any().header("type", "from-header").field("type", "from-field");

        assertThat(fieldFirst.resolve(event, "eventType")).isEqualTo("from-field");
    }

    @Test
    void shouldUseFallbackWhenNoSourceHasValue() {
        assertThat(rule.resolve(FakeEventView.any(), "schemaVersion")).isEqualTo("v1");
        assertThat(rule.fallback()).isEqualTo("v1");
    }

    @Test
    void shouldResolveToNullWhenNoFallbackIsSet() {
        assertThat(MetadataRule.header("event_id").resolve(FakeEventView.any(), "eventId"))
                .isNull();
    }

    @Test
    void shouldThrowNamingFieldWhenRequiredValueIsAbsent() {
        MetadataRule required =
                MetadataRule.header("event_id").orField("event_id").required();

        assertThat(required.isRequired()).isTrue();
        assertThatThrownBy(() -> required.resolve(FakeEventView.any(), "eventId"))
                .isInstanceOfSatisfying(
                        MetadataExtractionException.class,
                        e -> assertThat(e.field()).isEqualTo("eventId"))
                .hasMessageContaining("eventId is required")
                .hasMessageContaining("header:event_id")
                .hasMessageContaining("field:event_id");
    }

    @Test
    void shouldReturnValueWhenRequiredValueIsPresent() {
        MetadataRule required = MetadataRule.field("event_id").required();

        assertThat(required.resolve(FakeEventView.any().field("event_id", "e-1"), "eventId"))
                .isEqualTo("e-1");
    }

    @Test
    void shouldDropRequirementWhenFallbackIsSetAfterwards() {
        MetadataRule relaxed = MetadataRule.field("event_id").required().orElse("unknown");

        assertThat(relaxed.isRequired()).isFalse();
        assertThat(relaxed.resolve(FakeEventView.any(), "eventId")).isEqualTo("unknown");
    }

    @Test
    void shouldPropagateExtractionExceptionWhenFieldIsNotScalar() {
        MetadataRule fieldRule = MetadataRule.field("meta");

        assertThatThrownBy(() -> fieldRule.resolve(FakeEventView.any().nonScalar("meta"), "eventType"))
                .isInstanceOf(MetadataExtractionException.class);
    }

    @Test
    void shouldNotReadPayloadWhenHeaderSourceAnswers() {
        // A non-scalar field after a header that has a value is never consulted.
        MetadataRule headerFirst = MetadataRule.header("type").orField("type");

        assertThat(headerFirst.resolve(FakeEventView.any().header("type", "t").nonScalar("type"), "eventType"))
                .isEqualTo("t");
    }

    @Test
    void shouldResolveConstantAndNone() {
        assertThat(MetadataRule.constant("orders-svc").resolve(FakeEventView.any(), "producerService"))
                .isEqualTo("orders-svc");
        assertThat(MetadataRule.none().resolve(FakeEventView.any().header("x", "y"), "eventId"))
                .isNull();
        assertThat(MetadataRule.none().readsPayload()).isFalse();
    }

    @Test
    void shouldTellWhetherItReadsPayload() {
        assertThat(MetadataRule.header("a").readsPayload()).isFalse();
        assertThat(MetadataRule.header("a").orField("b").readsPayload()).isTrue();
    }

    @Test
    void shouldReturnNewRuleFromEachOrCall() {
        MetadataRule base = MetadataRule.header("a");
        MetadataRule extended = base.orField("b");

        assertThat(base.readsPayload()).isFalse();
        assertThat(extended.readsPayload()).isTrue();
    }

    @Test
    void shouldRejectBlankHeaderNameNamingIt() {
        assertThatThrownBy(() -> MetadataRule.header(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name must be non-blank, but was ' '");
        assertThatThrownBy(() -> MetadataRule.header(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name must be non-blank, but was 'null'");
    }

    @Test
    void shouldRejectInvalidPathNamingIt() {
        assertThatThrownBy(() -> MetadataRule.field("meta..type"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "JSON path must be dot-separated non-empty names like 'meta.event_type', but was 'meta..type'");
    }

    @Test
    void shouldDescribeSourcesInToString() {
        assertThat(rule).hasToString("[header:schema_version, field:meta.schema_version] else v1");
        assertThat(MetadataRule.field("id").required()).hasToString("[field:id] required");
    }
}
