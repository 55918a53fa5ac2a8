package io.flowguard.bronze.connect.internal;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.config.BronzeWarehouse;
import io.flowguard.bronze.connect.BronzeConnectorConfig;
import io.flowguard.bronze.core.BronzeRecordFactory;
import io.flowguard.bronze.core.RetryPolicy;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a task writes with, made from its {@code bronze.*} keys by {@link BronzeConfig} exactly as for the library, the
 * CLI and the Spring Boot starter: the warehouse's sink and dead-letter sink, the record factory (tombstones, sizes,
 * idempotency key) and the retry policy. {@link #close()} closes the warehouse (sinks, and a DataSource it opened).
 */
public final class TaskResources implements AutoCloseable {
    private final BronzeSink sink;
    private final Supplier<DeadLetterSink> deadLetterSink;
    private final BronzeRecordFactory recordFactory;
    private final RetryPolicy retryPolicy;
    private final Runnable closer;

    private TaskResources(
            BronzeSink sink,
            Supplier<DeadLetterSink> deadLetterSink,
            BronzeRecordFactory recordFactory,
            RetryPolicy retryPolicy,
            Runnable closer) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.deadLetterSink = Objects.requireNonNull(deadLetterSink, "deadLetterSink");
        this.recordFactory = Objects.requireNonNull(recordFactory, "recordFactory");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.closer = Objects.requireNonNull(closer, "closer");
    }

    /**
     * Opens the warehouse of a task's configuration.
     *
     * @throws org.apache.kafka.common.config.ConfigException listing every configuration problem
     */
    public static TaskResources open(BronzeConnectorConfig config) {
        ConnectorKeys.check(config);
        BronzeConfig bronze = BronzeConfig.from(ConnectorKeys.bronzeMap(config));
        BronzeWarehouse warehouse = bronze.openWarehouse();
        try {
            // The factory takes its settings from the very engine configuration the library would build.
            BronzeRecordFactory factory =
                    BronzeRecordFactory.from(warehouse.engineBuilder().config());
            // The dead-letter sink is made on first use: not at all when Connect's own queue takes the dead letters.
            return new TaskResources(
                    warehouse.sink(), warehouse::deadLetterSink, factory, bronze.retryPolicy(), warehouse::close);
        } catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }

    /** Resources made by the caller (tests, embedding); {@code closer} runs on {@link #close()}. */
    public static TaskResources of(
            BronzeSink sink,
            DeadLetterSink deadLetterSink,
            BronzeRecordFactory recordFactory,
            RetryPolicy retryPolicy,
            Runnable closer) {
        Objects.requireNonNull(deadLetterSink, "deadLetterSink");
        return new TaskResources(sink, () -> deadLetterSink, recordFactory, retryPolicy, closer);
    }

    public BronzeSink sink() {
        return sink;
    }

    /** The dead-letter sink of {@code bronze.dead-letter.type}. */
    public DeadLetterSink deadLetterSink() {
        return deadLetterSink.get();
    }

    public BronzeRecordFactory recordFactory() {
        return recordFactory;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    @Override
    public void close() {
        closer.run();
    }
}
