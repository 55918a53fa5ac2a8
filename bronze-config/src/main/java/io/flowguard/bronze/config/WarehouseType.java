package io.flowguard.bronze.config;

import java.util.Locale;

/**
 * The warehouse of {@code bronze.warehouse.type}.
 *
 * @since 0.2.0
 */
public enum WarehouseType {
    /** PostgreSQL through {@code JdbcBronzeSink} (driver {@code org.postgresql:postgresql}). */
    POSTGRES,
    /** DuckDB through {@code JdbcBronzeSink} (driver {@code org.duckdb:duckdb_jdbc}). */
    DUCKDB,
    /** Snowflake through {@code SnowflakeMergeSink} (driver {@code net.snowflake:snowflake-jdbc}). */
    SNOWFLAKE;

    /** The value as written in a configuration: {@code postgres}, {@code duckdb}, {@code snowflake}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
