package io.flowguard.bronze.api;

/**
 * A metadata value (event id, event type, schema version, producer service or idempotency key) could not be extracted
 * from a record: a required value was absent, or a JSON field held an object or array where a scalar was expected.
 * The engine dead-letters such a record with stage {@link DeadLetter.Stage#EXTRACT}.
 *
 * @since 0.1.0
 */
public class MetadataExtractionException extends BronzeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public MetadataExtractionException(String field, String message) {
        super(message, false);
        this.field = field;
    }

    /** The metadata field that failed, e.g. {@code "eventId"}. */
    public String field() {
        return field;
    }
}
