package io.flowguard.bronze.core;

/**
 * What the engine does with a record whose value is {@code null} (a Kafka tombstone) or zero bytes long.
 *
 * @since 0.1.0
 */
public enum TombstonePolicy {
    /** Default: do not land it, count it in {@link BronzeMeters#RECORDS_SKIPPED}, and commit past it. */
    SKIP,
    /** Send it to the dead-letter sink with stage {@code DESERIALIZE}. */
    DEAD_LETTER,
    /** Land a Bronze row with a null {@code RAW_EVENT} (metadata from headers and the fallbacks only). */
    LAND
}
