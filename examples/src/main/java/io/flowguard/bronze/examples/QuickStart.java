package io.flowguard.bronze.examples;

import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.snowflake.SnowflakeMergeSink;
import javax.sql.DataSource;

/**
 * The README's quick start, compiled by every build. {@code QuickStartReadmeTest} fails when the README and the lines
 * between the markers below drift apart.
 */
public final class QuickStart {

    private QuickStart() {}

    /**
     * Starts an engine landing {@code orders} and {@code clicks} in Snowflake; bad events go to the sink's companion
     * {@code BRONZE_DEAD_LETTER} table in the same database.
     */
    public static IngestionEngine start(DataSource dataSource) {
        // spotless:off (the README shows these lines exactly as written)
        // quick-start:begin
        IngestionEngine engine = IngestionEngine.builder()
            .bootstrapServers("kafka:9092").groupId("bronze").topics("orders", "clicks")
            .sink(new SnowflakeMergeSink(dataSource))
            .start();
        // quick-start:end
        // spotless:on
        return engine;
    }
}
