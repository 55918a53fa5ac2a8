package io.flowguard.bronze.api;

/**
 * What a record's Kafka timestamp means, mirroring Kafka's own {@code TimestampType} without depending on kafka-clients.
 *
 * @since 0.1.0
 */
public enum KafkaTimestampType {
    /** The producer set the timestamp when it created the record. */
    CREATE_TIME,
    /** The broker set the timestamp when it appended the record to the log. */
    LOG_APPEND_TIME,
    /** The record carries no timestamp. */
    NO_TIMESTAMP
}
