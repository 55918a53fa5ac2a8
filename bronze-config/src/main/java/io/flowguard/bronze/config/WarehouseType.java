package io.flowguard.bronze.config;

import java.util.Locale;

/**
 * The warehouse of {@code bronze.warehouse.type}.
 *
 * @since 0.2.0
 */
public enum WarehouseType {
    /** PostgreSQL through {@code JdbcBronzeSink} (driver {@code org.postgresql:postgresql}). */
    POSTGRES("org.postgresql.Driver", "org.postgresql:postgresql"),
    /** DuckDB through {@code JdbcBronzeSink} (driver {@code org.duckdb:duckdb_jdbc}). */
    DUCKDB("org.duckdb.DuckDBDriver", "org.duckdb:duckdb_jdbc"),
    /** Snowflake through {@code SnowflakeMergeSink} (driver {@code net.snowflake:snowflake-jdbc}). */
    SNOWFLAKE("net.snowflake.client.jdbc.SnowflakeDriver", "net.snowflake:snowflake-jdbc");

    private final String driverClass;
    private final String driverArtifact;

    WarehouseType(String driverClass, String driverArtifact) {
        this.driverClass = driverClass;
        this.driverArtifact = driverArtifact;
    }

    /** The JDBC driver's class name, e.g. {@code org.postgresql.Driver}. */
    public String driverClass() {
        return driverClass;
    }

    /** The Maven coordinates of the driver, e.g. {@code org.postgresql:postgresql}. */
    public String driverArtifact() {
        return driverArtifact;
    }

    /** Whether the driver is on the class path (a split install of {@code bin/bronze} may lack it). */
    public boolean driverAvailable() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Class.forName(driverClass, false, loader != null ? loader : WarehouseType.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * What to do when {@link #driverAvailable()} is false: which artifact to add, and for {@code bin/bronze} which
     * {@code lib/} directory.
     */
    public String missingDriverMessage() {
        return "the " + key() + " JDBC driver (" + driverClass + ") is not on the class path: add " + driverArtifact
                + " to the application, or with bin/bronze put its jar in lib/" + key()
                + "/ next to the bronze-cli jar "
                + "(and include " + key() + " in BRONZE_DRIVERS if you set it)";
    }

    /** The value as written in a configuration: {@code postgres}, {@code duckdb}, {@code snowflake}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
