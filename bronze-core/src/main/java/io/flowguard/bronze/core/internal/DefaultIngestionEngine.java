package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.EngineHealth;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's lifecycle: a state machine moved only by compare-and-set (each move logged), and the poll thread that runs
 * {@link PollLoop}. Thread-safe.
 */
public final class DefaultIngestionEngine implements IngestionEngine {
    private static final Logger log = LoggerFactory.getLogger(DefaultIngestionEngine.class);

    private final EngineConfig config;
    private final AtomicReference<EngineState> state = new AtomicReference<>(EngineState.CREATED);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicReference<EngineHealth> lastHealth = new AtomicReference<>();
    private final PollLoop loop;
    private volatile Thread pollThread;

    public DefaultIngestionEngine(EngineConfig config) {
        this.config = config;
        this.loop = new PollLoop(config, this);
        log.info("[{}] created: {}", config.name(), config);
        if (!config.batchLimitsFromSink().isEmpty()) {
            log.info(
                    "[{}] batch limits from sink {}'s recommendation: {} (maxBatchRecords={}, maxBatchBytes={}, "
                            + "maxBatchWait={}, flushWhenIdle={}); set them on the builder to override",
                    config.name(),
                    config.sink().name(),
                    config.batchLimitsFromSink(),
                    config.maxBatchRecords(),
                    config.maxBatchBytes(),
                    config.maxBatchWait(),
                    config.flushWhenIdle());
        }
        if ("logging".equals(config.deadLetterSink().name())) {
            log.warn(
                    "[{}] no dead-letter sink configured: records that cannot land are only logged, and their payloads are "
                            + "kept nowhere but in Kafka until retention; set deadLetterSink(...) to a table or topic sink",
                    config.name());
        }
    }

    @Override
    public IngestionEngine start() {
        if (!transition(EngineState.CREATED, EngineState.STARTING)) {
            throw new IllegalStateException(
                    "engine '" + config.name() + "' can be started once, from CREATED, but is " + state.get());
        }
        try {
            loop.registerGauges();
        } catch (RuntimeException e) {
            fail(e);
            terminated.countDown();
            throw e;
        }
        Thread t = new Thread(this::runLoop, "bronze-" + config.name() + "-poll");
        t.setDaemon(false);
        pollThread = t;
        t.start();
        return this;
    }

    private void runLoop() {
        try {
            loop.run();
        } catch (Throwable t) {
            fail(t);
        } finally {
            EngineState s = state.get();
            if (!s.isTerminal()) {
                transition(s, EngineState.CLOSED);
            }
            terminated.countDown();
        }
    }

    /** Moves {@code from → to} if the engine is in {@code from}; logs the move. */
    boolean transition(EngineState from, EngineState to) {
        if (state.compareAndSet(from, to)) {
            log.info("[{}] state {} -> {}", config.name(), from, to);
            notifyStateChange(from, to);
            return true;
        }
        return false;
    }

    private void notifyStateChange(EngineState from, EngineState to) {
        try {
            config.listener().onStateChange(config.name(), from, to);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            log.warn("[{}] listener threw on state change {} -> {}; ignored", config.name(), from, to, e);
        }
        checkHealth();
    }

    /** Re-evaluates health and tells the listener when the status changed. */
    void checkHealth() {
        EngineHealth current = health();
        EngineHealth previous = lastHealth.getAndSet(current);
        if (previous == null || previous.status() != current.status()) {
            if (previous != null) {
                log.info("[{}] health {} -> {}", config.name(), previous.status(), current);
            }
            try {
                config.listener().onHealthChange(config.name(), previous, current);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                log.warn("[{}] listener threw on health change; ignored", config.name(), e);
            }
        }
    }

    @Override
    public EngineHealth health() {
        return loop.status().health(state.get(), config, config.clock().instant());
    }

    void fail(Throwable t) {
        failure.compareAndSet(null, t);
        EngineState s = state.get();
        while (!s.isTerminal()) {
            if (state.compareAndSet(s, EngineState.FAILED)) {
                log.error("[{}] state {} -> FAILED: {}", config.name(), s, t.getMessage(), t);
                notifyStateChange(s, EngineState.FAILED);
                return;
            }
            s = state.get();
        }
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public EngineState state() {
        return state.get();
    }

    @Override
    public EngineConfig config() {
        return config;
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public void close() {
        close(config.closeTimeout());
    }

    @Override
    public boolean close(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, but was " + timeout);
        }
        if (closeUnstarted()) {
            return true;
        }
        if (pollThread == null && state.get() == EngineState.CLOSED) {
            return true; // never started and already closed (say, by a listener of that close): nothing to drain
        }
        loop.requestClose(System.nanoTime() + timeout.toNanos());
        boolean stopped = awaitTermination(timeout.toMillis() + CLOSE_GRACE_MILLIS);
        return stopped && state.get() == EngineState.CLOSED && loop.drained();
    }

    /**
     * Closes an engine that was never started. The termination latch is released before the listener hears of the move,
     * so a listener that calls {@code close()} from {@code onStateChange(→CLOSED)} returns at once instead of waiting
     * for its own caller.
     */
    private boolean closeUnstarted() {
        if (!state.compareAndSet(EngineState.CREATED, EngineState.CLOSED)) {
            return false;
        }
        terminated.countDown();
        log.info("[{}] state {} -> {}", config.name(), EngineState.CREATED, EngineState.CLOSED);
        notifyStateChange(EngineState.CREATED, EngineState.CLOSED);
        return true;
    }

    /** Beyond the drain deadline, time for the consumer to leave the group and the writer thread to stop. */
    static final long CLOSE_GRACE_MILLIS = 2_000;

    @Override
    public void abort() {
        if (closeUnstarted()) {
            return;
        }
        loop.requestAbort();
        awaitTermination(30_000);
    }

    private boolean awaitTermination(long millis) {
        Thread current = Thread.currentThread();
        if (current == pollThread || loop.isWriterThread(current)) {
            // Called from a callback on the poll thread, or by a sink on the writer thread: waiting here would wait
            // for ourselves. The loop sees the flag and ends by itself once this call returns.
            return false;
        }
        try {
            if (!terminated.await(millis, TimeUnit.MILLISECONDS)) {
                log.warn("[{}] did not stop within {} ms", config.name(), millis);
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "IngestionEngine{" + config.name() + ", " + state.get() + '}';
    }
}
