package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import java.util.Optional;

/** Placeholder while the engine is written. */
public final class DefaultIngestionEngine implements IngestionEngine {
    private final EngineConfig config;

    public DefaultIngestionEngine(EngineConfig config) {
        this.config = config;
    }

    @Override public IngestionEngine start() { throw new UnsupportedOperationException("engine under construction"); }
    @Override public String name() { return config.name(); }
    @Override public EngineState state() { return EngineState.CREATED; }
    @Override public EngineConfig config() { return config; }
    @Override public Optional<Throwable> failure() { return Optional.empty(); }
    @Override public void close() { }
    @Override public void abort() { }
}
