package io.flowguard.bronze.core;

/**
 * The lifecycle of an {@link IngestionEngine}. Moves only forward:
 * {@code CREATED → STARTING → RUNNING → DRAINING → CLOSED}, or to {@code FAILED} from {@code STARTING}, {@code RUNNING}
 * or {@code DRAINING} when the engine cannot go on without losing data.
 *
 * @since 0.1.0
 */
public enum EngineState {
    /** Built, not started. */
    CREATED,
    /** {@code start()} was called; the consumer thread is subscribing. */
    STARTING,
    /** Polling, writing and committing. */
    RUNNING,
    /** {@code close()} was called: flushing buffered records, writing, committing. */
    DRAINING,
    /** Stopped; the consumer is closed. Terminal. */
    CLOSED,
    /** Stopped because a batch could not be written within the retry budget (or an unexpected error). Terminal;
     * nothing past the last written record was committed. See {@link IngestionEngine#failure()}. */
    FAILED;

    /** {@code true} for {@link #CLOSED} and {@link #FAILED}. */
    public boolean isTerminal() {
        return this == CLOSED || this == FAILED;
    }
}
