package io.flowguard.bronze.testkit;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DeadLetterSink} decorator that fails writes on demand, to prove an engine does not commit past a dead letter
 * it could not store.
 *
 * <p>{@link #failAlways(boolean)} and {@link #failNextWrites(int)} throw a TRANSIENT {@link SinkWriteException} without
 * reaching the delegate. Defaults: no faults. As with {@link FaultInjectingSink}, the setters mutate this sink so faults
 * can change while an engine runs. Thread-safe; {@link #close()} closes the delegate.
 *
 * @since 0.1.0
 */
public final class FaultInjectingDeadLetterSink implements DeadLetterSink {
    private final DeadLetterSink delegate;
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile boolean failAlways;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private FaultInjectingDeadLetterSink(DeadLetterSink delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /** Wraps {@code delegate} with no faults yet. */
    public static FaultInjectingDeadLetterSink wrap(DeadLetterSink delegate) {
        return new FaultInjectingDeadLetterSink(delegate);
    }

    /**
     * Makes the next {@code n} writes fail; replaces any count still pending.
     *
     * @throws IllegalArgumentException when {@code n < 0}
     */
    public FaultInjectingDeadLetterSink failNextWrites(int n) {
        failNext.set(FaultInjectingSink.requireNonNegative(n, "failNextWrites"));
        return this;
    }

    /** While {@code on}, every write fails. */
    public FaultInjectingDeadLetterSink failAlways(boolean on) {
        this.failAlways = on;
        return this;
    }

    /** Removes every fault; counters are kept. */
    public FaultInjectingDeadLetterSink clearFaults() {
        failNext.set(0);
        failAlways = false;
        return this;
    }

    @Override
    public void write(List<DeadLetter> deadLetters) {
        Objects.requireNonNull(deadLetters, "deadLetters must not be null");
        attempts.incrementAndGet();
        if (failAlways || FaultInjectingSink.takeOne(failNext)) {
            failures.incrementAndGet();
            throw new SinkWriteException(
                    "injected TRANSIENT dead-letter failure (" + deadLetters.size() + " dead letters)",
                    null,
                    ErrorKind.TRANSIENT);
        }
        delegate.write(deadLetters);
    }

    /** How many times {@link #write(List)} was called. */
    public long attempts() {
        return attempts.get();
    }

    /** How many writes threw an injected failure. */
    public long failures() {
        return failures.get();
    }

    /** The wrapped sink. */
    public DeadLetterSink delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return "fault-injecting(" + delegate.name() + ")";
    }

    /** Closes the delegate. */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "FaultInjectingDeadLetterSink{" + delegate.name() + ", attempts=" + attempts + ", failures=" + failures
                + '}';
    }
}
