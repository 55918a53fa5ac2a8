package io.flowguard.bronze.connect.internal;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.config.BronzeWarehouse;
import io.flowguard.bronze.connect.BronzeConnectorConfig;
import io.flowguard.bronze.core.BronzeRecordFactory;
import io.flowguard.bronze.core.RetryPolicy;

/**
 * What a task writes with, made from its {@code bronze.*} keys by {@link BronzeConfig} exactly as for the library, the
 * CLI and the Spring Boot starter: the warehouse's sink and dead-letter sink, the record factory (tombstones, sizes,
 * idempotency key) and the retry policy. {@link #close()} closes the warehouse (sinks, and a DataSource it opened).
 */
public final class TaskResources implements AutoCloseable {
    private final BronzeWarehouse warehouse;
    private final BronzeSink sink;
    private final BronzeRecordFactory recordFactory;
    private final RetryPolicy retryPolicy;

    private TaskResources(BronzeWarehouse warehouse, BronzeRecordFactory recordFactory, RetryPolicy retryPolicy) {
        this.warehouse = warehouse;
        this.sink = warehouse.sink();
        this.recordFactory = recordFactory;
        this.retryPolicy = retryPolicy;
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
            BronzeRecordFactory factory = BronzeRecordFactory.from(warehouse.engineBuilder().config());
            return new TaskResources(warehouse, factory, bronze.retryPolicy());
        } catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }

    public BronzeSink sink() {
        return sink;
    }

    /** The dead-letter sink of {@code bronze.dead-letter.type}, made on first use (not when Connect's queue is used). */
    public DeadLetterSink deadLetterSink() {
        return warehouse.deadLetterSink();
    }

    public BronzeRecordFactory recordFactory() {
        return recordFactory;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    @Override
    public void close() {
        warehouse.close();
    }
}
