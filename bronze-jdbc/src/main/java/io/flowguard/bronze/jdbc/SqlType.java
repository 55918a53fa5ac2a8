package io.flowguard.bronze.jdbc;

/**
 * The logical column types of Bronze tables; each {@link SqlDialect} maps them to its own type names.
 *
 * <p>Values bound for a column of a type are described in {@link SqlDialect#bindInsert}.
 *
 * @since 0.1.0
 */
public enum SqlType {
    /** Unbounded text: {@code VARCHAR} (PostgreSQL {@code varchar} without length, DuckDB {@code VARCHAR}). */
    VARCHAR,
    /** 32-bit signed integer. */
    INTEGER,
    /** 64-bit signed integer. */
    BIGINT,
    /** 64-bit IEEE floating point. */
    DOUBLE,
    /** {@code true}/{@code false}. */
    BOOLEAN,
    /** An instant: timestamp with time zone, stored in UTC. */
    TIMESTAMP,
    /** A JSON document (PostgreSQL {@code jsonb}, DuckDB {@code JSON}, Snowflake {@code VARIANT}). */
    JSON
}
