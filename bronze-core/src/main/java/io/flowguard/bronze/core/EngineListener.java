package io.flowguard.bronze.core;

/**
 * Receives an engine's lifecycle and health changes. Callbacks run on an engine thread: they must be fast and must not
 * block. An exception thrown by a callback is caught and logged; it never disturbs the engine.
 *
 * @since 0.1.0
 */
public interface EngineListener {

    /** The engine moved from one state to another (see {@link EngineState}). */
    default void onStateChange(String engine, EngineState from, EngineState to) {}

    /** The health status changed, e.g. UP to DEGRADED because lag crossed the threshold. */
    default void onHealthChange(String engine, EngineHealth previous, EngineHealth current) {}

    /** A listener that does nothing; the default. */
    static EngineListener none() {
        return new EngineListener() {};
    }
}
