package io.flowguard.bronze.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The batches handed to the single writer thread, oldest first, and the rules that keep their order safe: the writer
 * completes them in order; a failed batch makes every later one skip (so no commit can pass it); a batch that trips
 * the dead-letter breaker makes every later one skip until the poll loop rewinds. Batches let go by a timed-out
 * revocation or drain ("abandoned") may still run: they count against the queue limit until they end, are credited in
 * order when they were written, and are skipped unstarted when all their partitions left this member.
 *
 * <p>A second thread, the converter, converts each batch as soon as it is queued ({@link BatchWriter#convert}), so batch
 * n+1 is converted while batch n is being written; the writer takes the converted batch in the same order. Conversion
 * writes and commits nothing, so the rules above are unchanged: only a batch's write future says it landed.
 *
 * <p>Methods are for the poll thread; the flags are volatile because the writer thread sets and reads them.
 */
final class WriterQueue {
    /**
     * A batch handed to the writer and its future. {@code dropped} tells a batch that has not started that its partitions
     * all left this member: it then returns {@code null} without writing (a running batch is never cancelled, so it keeps
     * counting against the queue limit until it really ends).
     */
    record InFlight(Batch batch, Future<BatchResult> future, AtomicBoolean dropped) {}

    /** Thrown by a queued batch that must not be written because an earlier one tripped the dead-letter breaker. */
    static final class SkippedForRewind extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SkippedForRewind(long batchId) {
            super(
                    "batch " + batchId + " skipped: an earlier batch tripped the dead-letter breaker",
                    null,
                    false,
                    false);
        }
    }

    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final List<InFlight> abandoned = new ArrayList<>();
    private final ExecutorService executor;
    private final ExecutorService converter;
    private final BatchWriter writer;
    private final BooleanSupplier aborted;
    private volatile Throwable firstWriteFailure;
    private volatile boolean rewindRequested;
    private volatile Thread writerThread;

    WriterQueue(String engineName, BatchWriter writer, BooleanSupplier aborted) {
        this.writer = writer;
        this.aborted = aborted;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bronze-" + engineName + "-writer");
            t.setDaemon(true);
            writerThread = t;
            return t;
        });
        this.converter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bronze-" + engineName + "-converter");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether {@code t} is this queue's writer thread (where sink calls run). */
    boolean isWriterThread(Thread t) {
        return t == writerThread;
    }

    /** Batches queued or running, abandoned ones included. */
    int queued() {
        return inFlight.size() + abandoned.size();
    }

    boolean hasInFlight() {
        return !inFlight.isEmpty();
    }

    long oldestInFlightId() {
        return inFlight.isEmpty() ? -1 : inFlight.peekFirst().batch().id();
    }

    /** The failure that stopped the writer, or null. */
    Throwable firstWriteFailure() {
        return firstWriteFailure;
    }

    void dispatch(Batch batch) {
        AtomicBoolean dropped = new AtomicBoolean();
        // Converted ahead of its write; the write task alone decides whether the batch is written, and cancels the
        // conversion when it skips the batch (so no time, memory or user code is spent on a batch that will not land).
        Future<BatchWriter.Converted> converted = converter.submit(() -> writer.convert(batch));
        Future<BatchResult> f = executor.submit(() -> {
            if (dropped.get()) {
                converted.cancel(false);
                return null;
            }
            Throwable earlier = firstWriteFailure;
            if (earlier != null) {
                converted.cancel(false);
                throw new BatchFailedException(
                        "batch " + batch.id() + " skipped: an earlier batch failed: " + earlier.getMessage(), earlier);
            }
            if (rewindRequested) {
                converted.cancel(false);
                throw new SkippedForRewind(batch.id());
            }
            try {
                BatchWriter.Converted ready = converted(batch, converted);
                if (dropped.get()) {
                    return null; // its partitions all left this member while it was being converted
                }
                return writer.write(batch, ready, aborted);
            } catch (SystemicDeadLettersException e) {
                rewindRequested = true; // nothing written past it: the poll thread rewinds and pauses
                throw e;
            } catch (Throwable e) {
                // Any failure (also an Error, or a checked exception a sink threw sneakily) stops every later batch, so
                // no commit can pass a batch that did not land, even one abandoned by a timed-out revocation.
                firstWriteFailure = e;
                throw e;
            }
        });
        inFlight.addLast(new InFlight(batch, f, dropped));
    }

    /** Waits for the converter's result of {@code batch}; a conversion failure becomes the batch's failure. */
    private static BatchWriter.Converted converted(Batch batch, Future<BatchWriter.Converted> converted)
            throws InterruptedException {
        try {
            return converted.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof Error err) {
                throw err;
            }
            throw asRuntime(cause, "converting batch " + batch.id() + " failed");
        } catch (CancellationException e) {
            throw new BatchFailedException("converting batch " + batch.id() + " was cancelled (engine stopping)", e);
        }
    }

    /** Whether the oldest in-flight batch is done (so {@link #takeOldest()} does not block). */
    boolean oldestDone() {
        return !inFlight.isEmpty() && inFlight.peekFirst().future().isDone();
    }

    /**
     * Takes the oldest in-flight batch, which must be done: returns it when it was written, returns null and leaves it
     * queued when it asks for a rewind ({@link #rewindCause()}), throws its failure otherwise.
     */
    Batch takeOldest() {
        InFlight f = inFlight.peekFirst();
        Throwable cause = failureOf(f.future());
        if (isRewind(cause)) {
            pendingRewind = (RuntimeException) cause;
            return null;
        }
        inFlight.pollFirst();
        if (cause != null) {
            throw asRuntime(cause, "batch " + f.batch().id() + " failed");
        }
        return f.batch();
    }

    private RuntimeException pendingRewind;

    /** Why a rewind is needed (set when {@link #takeOldest()} or {@link #pruneAbandoned} returned the signal), or null. */
    RuntimeException rewindCause() {
        return pendingRewind;
    }

    /**
     * Takes abandoned batches that finished off the head of the list, in order, passing each one that was written to
     * {@code credit} (the writer is FIFO, so every batch before it finished too). Returns false when one of them asks
     * for a rewind ({@link #rewindCause()}).
     */
    boolean pruneAbandoned(Consumer<Batch> credit) {
        for (Iterator<InFlight> it = abandoned.iterator(); it.hasNext(); ) {
            InFlight f = it.next();
            if (!f.future().isDone()) {
                break;
            }
            Throwable cause = failureOf(f.future());
            if (isRewind(cause)) {
                pendingRewind = (RuntimeException) cause;
                return false;
            }
            if (cause != null) {
                break; // firstWriteFailure is set: the poll loop fails the engine
            }
            it.remove();
            if (!f.dropped().get() || resultOf(f.future()) != null) {
                credit.accept(f.batch());
            }
        }
        return true;
    }

    /** Throws when the oldest abandoned batch failed (nothing may pass it). */
    void failIfAbandonedFailed() {
        if (!abandoned.isEmpty() && abandoned.get(0).future().isDone()) {
            Throwable cause = failureOf(abandoned.get(0).future());
            if (cause != null && !isRewind(cause)) {
                throw asRuntime(cause, "a batch let go by a timed-out revocation failed");
            }
        }
    }

    boolean hasAbandoned() {
        return !abandoned.isEmpty();
    }

    /** Lets every in-flight batch go uncommitted; they still count against the limit until they end. */
    int abandonAll() {
        int n = inFlight.size();
        abandoned.addAll(inFlight);
        inFlight.clear();
        return n;
    }

    /** Abandoned batches not started yet whose partitions all left this member are never written. */
    void dropAbandonedOf(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        for (InFlight f : abandoned) {
            if (gone.containsAll(f.batch().commitOffsets().keySet())) {
                f.dropped().set(true); // skipped if it has not started; FIFO order keeps later batches behind it
            }
        }
    }

    /** Waits up to {@code millis} for the oldest queued write; returns whether it finished (true when none is queued). */
    boolean awaitOldest(long millis) {
        InFlight oldest = !abandoned.isEmpty() ? abandoned.get(0) : inFlight.peekFirst();
        if (oldest == null) {
            return true;
        }
        try {
            oldest.future().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | CancellationException e) {
            return true; // takeOldest() or pruneAbandoned() reports it
        }
    }

    /**
     * After a breaker trip: waits for every queued batch (they skip at once), empties the queue, and returns the lowest
     * offset per partition among them: where a rewind must start at the latest.
     */
    Map<TopicPartition, Long> clearForRewind(long timeoutMillis) {
        Map<TopicPartition, Long> from = new HashMap<>();
        List<InFlight> all = new ArrayList<>(abandoned);
        all.addAll(inFlight);
        for (InFlight f : all) {
            try {
                f.future().get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new BatchFailedException(
                        "a batch queued behind a dead-letter breaker trip did not finish in time", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BatchFailedException("interrupted while rewinding", e);
            } catch (ExecutionException | CancellationException e) {
                // expected: skipped
            }
            f.batch().firstOffsets().forEach((tp, o) -> from.merge(tp, o, Math::min));
        }
        abandoned.clear();
        inFlight.clear();
        rewindRequested = false;
        pendingRewind = null;
        Throwable failed = firstWriteFailure;
        if (failed != null) {
            throw asRuntime(failed, "a batch failed");
        }
        return from;
    }

    /**
     * Stops the writer and converter threads, waiting up to {@code millis} for the writer; returns whether the writer
     * stopped. The converter runs no user I/O (a conversion takes milliseconds), so it gets a short bound of its own and
     * a conversion still running then is only logged by the caller through {@link #converterStopped()}.
     */
    boolean shutdown(long millis) throws InterruptedException {
        executor.shutdownNow();
        converter.shutdownNow();
        boolean writerStopped = executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
        converterStopped = converter.awaitTermination(CONVERTER_STOP_MILLIS, TimeUnit.MILLISECONDS);
        return writerStopped;
    }

    /** How long {@link #shutdown} waits for the converter thread after the writer. */
    static final long CONVERTER_STOP_MILLIS = 1_000;

    private volatile boolean converterStopped = true;

    /** Whether the converter thread had stopped when {@link #shutdown} returned. */
    boolean converterStopped() {
        return converterStopped;
    }

    private static boolean isRewind(Throwable cause) {
        return cause instanceof SystemicDeadLettersException || cause instanceof SkippedForRewind;
    }

    private static BatchResult resultOf(Future<BatchResult> f) {
        try {
            return f.get();
        } catch (ExecutionException | CancellationException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Throwable failureOf(Future<BatchResult> f) {
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (CancellationException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    static RuntimeException asRuntime(Throwable t, String what) {
        return t instanceof RuntimeException re ? re : new BatchFailedException(what + ": " + t, t);
    }
}
