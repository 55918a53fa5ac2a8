package io.flowguard.bronze.api;

import java.util.Optional;

/**
 * A read-only view of one consumed event while its envelope is being built: its Kafka position, its headers and its
 * parsed JSON payload. Handed to {@link IdempotencyKey} and {@link MetadataRule}; valid only during that call.
 *
 * @since 0.1.0
 */
public interface EventView {

    String topic();

    int partition();

    long offset();

    /** The last header with this name, decoded as UTF-8; empty when absent or null-valued. */
    Optional<String> header(String name);

    /**
     * The scalar at a dotted path of the JSON payload ({@code "event_id"}, {@code "meta.schema_version"}), as text
     * (numbers and booleans in their JSON spelling); empty when the path is absent or JSON {@code null}. A path is the
     * field names joined with dots, so {@code "meta.event_type"} names field {@code event_type} of object {@code meta},
     * or a field literally named {@code "meta.event_type"}.
     *
     * @throws MetadataExtractionException when the path holds an object or an array
     */
    Optional<String> field(String path);
}
