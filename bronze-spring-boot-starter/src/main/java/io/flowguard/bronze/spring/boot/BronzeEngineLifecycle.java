package io.flowguard.bronze.spring.boot;

import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link IngestionEngine} when the application context has started and drains it when the context closes:
 * {@link IngestionEngine#close()} flushes the buffered records, writes them and commits their offsets (within
 * {@code bronze.close-timeout}) before the {@code DataSource} and the other beans it writes through are destroyed.
 *
 * <p>Phase {@value #PHASE}: started after, and stopped before, the web server (whose graceful shutdown runs at
 * {@code SmartLifecycle.DEFAULT_PHASE - 1024}) and anything in lower phases.
 *
 * @since 0.2.0
 */
public final class BronzeEngineLifecycle implements SmartLifecycle {
    /** The lifecycle phase: {@code Integer.MAX_VALUE - 2048}, after the web server's graceful shutdown phase. */
    public static final int PHASE = Integer.MAX_VALUE - 2048;

    private static final Logger log = LoggerFactory.getLogger(BronzeEngineLifecycle.class);

    private final IngestionEngine engine;
    private final boolean autoStartup;

    public BronzeEngineLifecycle(IngestionEngine engine, boolean autoStartup) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.autoStartup = autoStartup;
    }

    @Override
    public void start() {
        if (engine.state() == EngineState.CREATED) {
            engine.start();
            log.info("[{}] started with the application context", engine.name());
        }
    }

    /** Drains the engine on the caller's thread (Spring waits up to {@code spring.lifecycle.timeout-per-shutdown-phase}). */
    @Override
    public void stop() {
        if (isRunning()) {
            log.info("[{}] draining: the application context is closing", engine.name());
            engine.close();
            log.info("[{}] drained and stopped ({})", engine.name(), engine.state());
        }
    }

    @Override
    public boolean isRunning() {
        EngineState s = engine.state();
        return s != EngineState.CREATED && s != EngineState.CLOSED && s != EngineState.FAILED;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
