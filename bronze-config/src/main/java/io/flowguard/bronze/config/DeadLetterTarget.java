package io.flowguard.bronze.config;

import java.util.Locale;

/**
 * Where records that cannot land go, from {@code bronze.dead-letter.type}.
 *
 * @since 0.2.0
 */
public enum DeadLetterTarget {
    /** The default: a dead-letter table in the warehouse ({@code bronze.dead-letter.table}). */
    TABLE,
    /** A Kafka topic per source topic ({@code <topic>.dlq}) or one topic ({@code bronze.dead-letter.topic}). */
    KAFKA,
    /** Log only: the record stays in Kafka; for trials, not production. */
    LOG;

    /** The value as written in a configuration: {@code table}, {@code kafka}, {@code log}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
