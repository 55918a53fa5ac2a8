package io.flowguard.bronze.api;

import java.util.Objects;

/**
 * The rules that fill a Bronze row's event id, event type, schema version and producer service.
 *
 * <p>Defaults ({@link #defaults()}): each value comes from the header of the same snake_case name, then the top-level
 * payload field of that name — {@code event_id}, {@code event_type}, {@code schema_version}, {@code producer_service} —
 * and schema version falls back to {@value #DEFAULT_SCHEMA_VERSION}; the others fall back to null.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class MetadataRules {
    /** Schema version assumed when an event does not say, {@value}. */
    public static final String DEFAULT_SCHEMA_VERSION = "v1";

    private static final MetadataRules DEFAULTS = builder().build();

    private final MetadataRule eventId;
    private final MetadataRule eventType;
    private final MetadataRule schemaVersion;
    private final MetadataRule producerService;

    private MetadataRules(Builder b) {
        this.eventId = b.eventId;
        this.eventType = b.eventType;
        this.schemaVersion = b.schemaVersion;
        this.producerService = b.producerService;
    }

    public static MetadataRules defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public MetadataRule eventId() {
        return eventId;
    }

    public MetadataRule eventType() {
        return eventType;
    }

    public MetadataRule schemaVersion() {
        return schemaVersion;
    }

    public MetadataRule producerService() {
        return producerService;
    }

    /** {@code true} when any rule reads the JSON payload. */
    public boolean readsPayload() {
        return eventId.readsPayload()
                || eventType.readsPayload()
                || schemaVersion.readsPayload()
                || producerService.readsPayload();
    }

    @Override
    public String toString() {
        return "MetadataRules{eventId=" + eventId + ", eventType=" + eventType + ", schemaVersion=" + schemaVersion
                + ", producerService=" + producerService + '}';
    }

    /** Builds {@link MetadataRules}; unset rules keep their defaults. Not thread-safe. */
    public static final class Builder {
        private MetadataRule eventId = MetadataRule.header("event_id").orField("event_id");
        private MetadataRule eventType = MetadataRule.header("event_type").orField("event_type");
        private MetadataRule schemaVersion =
                MetadataRule.header("schema_version").orField("schema_version").orElse(DEFAULT_SCHEMA_VERSION);
        private MetadataRule producerService =
                MetadataRule.header("producer_service").orField("producer_service");

        private Builder() {}

        public Builder eventId(MetadataRule rule) {
            this.eventId = Objects.requireNonNull(rule, "eventId rule");
            return this;
        }

        public Builder eventType(MetadataRule rule) {
            this.eventType = Objects.requireNonNull(rule, "eventType rule");
            return this;
        }

        public Builder schemaVersion(MetadataRule rule) {
            this.schemaVersion = Objects.requireNonNull(rule, "schemaVersion rule");
            return this;
        }

        public Builder producerService(MetadataRule rule) {
            this.producerService = Objects.requireNonNull(rule, "producerService rule");
            return this;
        }

        public MetadataRules build() {
            return new MetadataRules(this);
        }
    }
}
