package io.flowguard.bronze.testkit;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BatchLimits;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.api.WriteResult;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A {@link BronzeSink} decorator that fails, rejects or slows down writes on demand, to test how an engine retries,
 * isolates bad records and copes with a slow warehouse.
 *
 * <pre>{@code
 * FaultInjectingSink sink = FaultInjectingSink.wrap(InMemoryBronzeSink.create())
 *     .failNextWrites(2)                                   // TRANSIENT twice, then pass through
 *     .rejectRecordsMatching(r -> r.offset() == 7);        // DATA whenever a batch holds offset 7
 * }</pre>
 *
 * <p>Faults, checked in this order on every write: the {@linkplain #delayPerWrite(Duration) delay}; {@link #failAlways(boolean)}
 * (TRANSIENT); {@link #failNextWrites(int)} (TRANSIENT, counts down); {@link #rejectRecordsMatching(Predicate)} (DATA
 * naming the first matching record, so an engine can bisect the batch down to it); then the delegate writes, and
 * {@link #failNextWritesAfterStoring(int)} may still throw TRANSIENT — the batch <em>is</em> stored, as when a
 * warehouse commits but the acknowledgement is lost, which proves a retry is idempotent. A failed write never reaches
 * the delegate unless it failed after storing. Defaults: no faults, no delay.
 *
 * <p>Unlike configuration values elsewhere, the faults are meant to change while an engine runs ("the warehouse is down
 * now ... and back"), so the fault setters mutate this sink and return it. Thread-safe: faults and counters are atomic;
 * the delegate must be thread-safe itself. {@link #close()} closes the delegate.
 *
 * @since 0.1.0
 */
public final class FaultInjectingSink implements BronzeSink {

    /**
     * Waits for a duration; the default is {@link Thread#sleep(long, int)}. Inject one that advances a fake clock (or
     * records the request) to keep tests fast and deterministic.
     */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final BronzeSink delegate;
    private final Sleeper sleeper;
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger failNextAfterStoring = new AtomicInteger();
    private volatile boolean failAlways;
    private volatile Predicate<BronzeRecord> reject;
    private volatile Duration delay = Duration.ZERO;

    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong transientFailures = new AtomicLong();
    private final AtomicLong dataFailures = new AtomicLong();

    private FaultInjectingSink(BronzeSink delegate, Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
    }

    /** Wraps {@code delegate} with no faults yet, sleeping for real when a delay is set. */
    public static FaultInjectingSink wrap(BronzeSink delegate) {
        return new FaultInjectingSink(delegate, FaultInjectingSink::realSleep);
    }

    /** Wraps {@code delegate} with no faults yet, waiting out delays with {@code sleeper}. */
    public static FaultInjectingSink wrap(BronzeSink delegate, Sleeper sleeper) {
        return new FaultInjectingSink(delegate, sleeper);
    }

    /**
     * Makes the next {@code n} writes throw a TRANSIENT {@link SinkWriteException} without reaching the delegate;
     * replaces any count still pending.
     *
     * @throws IllegalArgumentException when {@code n < 0}
     */
    public FaultInjectingSink failNextWrites(int n) {
        failNext.set(requireNonNegative(n, "failNextWrites"));
        return this;
    }

    /**
     * Makes the next {@code n} writes store the batch in the delegate and then throw a TRANSIENT
     * {@link SinkWriteException}; replaces any count still pending.
     *
     * @throws IllegalArgumentException when {@code n < 0}
     */
    public FaultInjectingSink failNextWritesAfterStoring(int n) {
        failNextAfterStoring.set(requireNonNegative(n, "failNextWritesAfterStoring"));
        return this;
    }

    /** While {@code on}, every write throws a TRANSIENT {@link SinkWriteException}: the warehouse is down. */
    public FaultInjectingSink failAlways(boolean on) {
        this.failAlways = on;
        return this;
    }

    /**
     * Makes every write whose batch holds a record matching {@code rejected} throw a DATA {@link SinkWriteException}
     * naming that record; {@code null} stops rejecting. The predicate must be thread-safe and must not throw.
     */
    public FaultInjectingSink rejectRecordsMatching(Predicate<BronzeRecord> rejected) {
        this.reject = rejected;
        return this;
    }

    /**
     * Delays every write by {@code delay} before anything else happens; {@link Duration#ZERO} (the default) for none.
     *
     * @throws IllegalArgumentException when {@code delay} is negative
     */
    public FaultInjectingSink delayPerWrite(Duration delay) {
        Objects.requireNonNull(delay, "delay must not be null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delayPerWrite must be >= 0, but was " + delay);
        }
        this.delay = delay;
        return this;
    }

    /** Removes every fault and the delay; counters are kept. */
    public FaultInjectingSink clearFaults() {
        failNext.set(0);
        failNextAfterStoring.set(0);
        failAlways = false;
        reject = null;
        delay = Duration.ZERO;
        return this;
    }

    /** Injects the configured faults, then passes {@code records} and {@code batch}, unchanged, to the delegate. */
    @Override
    public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
        Objects.requireNonNull(records, "records must not be null");
        Objects.requireNonNull(batch, "batch must not be null");
        attempts.incrementAndGet();
        Duration d = delay;
        if (!d.isZero()) {
            try {
                sleeper.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw transientFailure("interrupted during the injected delay of " + d, e);
            }
        }
        if (failAlways) {
            throw transientFailure("injected TRANSIENT failure: failAlways is on", null);
        }
        if (takeOne(failNext)) {
            throw transientFailure("injected TRANSIENT failure: failNextWrites", null);
        }
        Predicate<BronzeRecord> rejected = reject;
        if (rejected != null) {
            for (BronzeRecord r : records) {
                if (rejected.test(r)) {
                    dataFailures.incrementAndGet();
                    throw new SinkWriteException(
                            "injected DATA failure: record " + r.ingestionId() + " at " + r.sourceTopic() + '-'
                                    + r.partition() + '-' + r.offset() + " is rejected",
                            null,
                            ErrorKind.DATA);
                }
            }
        }
        WriteResult result = delegate.write(records, batch);
        if (takeOne(failNextAfterStoring)) {
            throw transientFailure("injected TRANSIENT failure after the delegate stored " + result, null);
        }
        successes.incrementAndGet();
        return result;
    }

    /** How many times {@link #write(List, BatchInfo)} was called. */
    public long attempts() {
        return attempts.get();
    }

    /** How many writes returned normally. */
    public long successes() {
        return successes.get();
    }

    /** How many writes threw, of either kind. */
    public long failures() {
        return transientFailures.get() + dataFailures.get();
    }

    /** How many writes threw a TRANSIENT failure (including failures after storing and interrupted delays). */
    public long transientFailures() {
        return transientFailures.get();
    }

    /** How many writes threw a DATA failure because a record matched the rejection predicate. */
    public long dataFailures() {
        return dataFailures.get();
    }

    /** The wrapped sink. */
    public BronzeSink delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return "fault-injecting(" + delegate.name() + ")";
    }

    /** The delegate's companion dead-letter sink: a decorator never hides it. */
    @Override
    public Optional<DeadLetterSink> companionDeadLetterSink() {
        return delegate.companionDeadLetterSink();
    }

    @Override
    public Optional<BatchLimits> recommendedBatchLimits() {
        return delegate.recommendedBatchLimits();
    }

    /** The delegate's stored positions: a decorator never hides them. */
    @Override
    public Map<SourcePartition, Long> storedPositions(Collection<SourcePartition> partitions) {
        return delegate.storedPositions(partitions);
    }

    /** Closes the delegate. */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "FaultInjectingSink{" + delegate.name() + ", attempts=" + attempts + ", successes=" + successes
                + ", transientFailures=" + transientFailures + ", dataFailures=" + dataFailures + '}';
    }

    private SinkWriteException transientFailure(String message, Throwable cause) {
        transientFailures.incrementAndGet();
        return new SinkWriteException(message, cause, ErrorKind.TRANSIENT);
    }

    // A sink that is meant to be slow may sleep; this is the one place the testkit does.
    private static void realSleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    }

    /** Takes one from a countdown, never below zero; {@code true} when there was one to take. */
    static boolean takeOne(AtomicInteger countdown) {
        return countdown.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    static int requireNonNegative(int n, String name) {
        if (n < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, but was " + n);
        }
        return n;
    }
}
