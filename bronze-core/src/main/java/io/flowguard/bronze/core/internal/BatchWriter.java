package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.DeadLetterBreaker;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.RetryPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch: converts the raw records, lands the good ones in the sink, dead-letters the rest, and returns only when
 * every record is stored one way or the other.
 *
 * <p>Two steps, so that the {@link WriterQueue} can convert batch n+1 while batch n is being written: {@link #convert}
 * (pure: records to rows, dead letters and skips, no sink call; runs on the converter thread only) and
 * {@link #write(Batch, Converted, BooleanSupplier)} (every sink call; runs on the writer thread only). Each step keeps its
 * own {@link RecordConverter}, which is not thread-safe; the class is otherwise not thread-safe either.
 *
 * <p>Transient failures (any exception but a {@link SinkWriteException} of kind {@code DATA}) are retried per the
 * {@link RetryPolicy}, whose attempts and time budget are per batch (shared by every sink call the batch needs:
 * bisection parts, the dead-letter write); when the budget is spent a {@link BatchFailedException} is thrown and nothing
 * is committed. A {@code DATA} failure that names its rejected rows ({@link SinkWriteException#rejectedIngestionIds()})
 * dead-letters those and writes the rest again; one that does not bisects the batch until the rejected records are
 * isolated; only those are dead-lettered — unless the {@link DeadLetterBreaker} judges the dead letters systemic, then none are written and a
 * {@link SystemicDeadLettersException} is thrown.
 */
final class BatchWriter {
    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    /** A converted record with the raw record it came from, so a rejected row can be dead-lettered byte for byte. */
    private record Landing(BronzeRecord record, ConsumerRecord<byte[], byte[]> source) {}

    /**
     * A batch converted and not yet written: its rows, the dead letters and skips conversion found, and the time stamped
     * into {@code INGESTED_AT} (when conversion began).
     */
    record Converted(
            Instant now,
            List<Landing> landings,
            List<DeadLetter> dead,
            Map<String, Integer> skippedByTopic,
            Set<Coordinate> skippedAt) {}

    /** Which timer a sink call is measured by. */
    private enum Call {
        SINK,
        DEAD_LETTER_SINK
    }

    /** The retry budget of one batch: attempts and elapsed time count across every sink call the batch makes. */
    private static final class Budget {
        final long startNanos = System.nanoTime();
        int attempts = 1;
    }

    /** Sleeps between retries; a seam for tests. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final String engine;
    private final BronzeSink sink;
    private final DeadLetterSink deadLetterSink;
    /** Used by {@link #convert} only (the converter thread). */
    private final RecordConverter converter;
    /** Used by the write step only (the writer thread): dead letters for rows the sink rejected. */
    private final RecordConverter writeConverter;

    private final RetryPolicy retryPolicy;
    private final BreakerWindow breakerWindow;
    private final Clock clock;
    private final EngineMetrics metrics;
    private final Sleeper sleeper;
    private final Random jitter = new Random();
    private final String groupId;
    /** Makes batch ids unique across restarts: the engine's start time in base 36. */
    private final String runId;

    private final EngineStatus status;

    BatchWriter(EngineConfig config, EngineMetrics metrics, EngineStatus status, Sleeper sleeper) {
        this(config, metrics, status, sleeper, config.deadLetterBreaker());
    }

    BatchWriter(
            EngineConfig config,
            EngineMetrics metrics,
            EngineStatus status,
            Sleeper sleeper,
            DeadLetterBreaker breaker) {
        this.status = status;
        this.engine = config.name();
        this.sink = config.sink();
        this.deadLetterSink = config.deadLetterSink();
        this.converter = new RecordConverter(config);
        this.writeConverter = new RecordConverter(config);
        this.retryPolicy = config.retryPolicy();
        this.breakerWindow = new BreakerWindow(breaker);
        this.clock = config.clock();
        this.metrics = metrics;
        this.sleeper = sleeper;
        this.groupId = config.groupId();
        this.runId = Long.toString(config.clock().millis(), 36);
    }

    /**
     * Writes a batch.
     *
     * @param aborted tells the writer to stop retrying because the engine is aborting (or the batch was abandoned)
     * @throws BatchFailedException when the sink or dead-letter sink could not take the batch within the retry budget
     * @throws SystemicDeadLettersException when the dead letters look systemic; nothing was dead-lettered
     */
    BatchResult write(Batch batch, BooleanSupplier aborted) {
        return write(batch, convert(batch), aborted);
    }

    /**
     * Converts a batch's records (strict UTF-8, JSON scan, metadata rules, envelope); touches no sink and commits
     * nothing, so it may run ahead of the write of earlier batches. Converter thread only.
     */
    Converted convert(Batch batch) {
        Instant now = clock.instant();
        List<Landing> landings = new ArrayList<>(batch.records().size());
        List<DeadLetter> dead = new ArrayList<>();
        Map<String, Integer> skippedByTopic = new TreeMap<>();
        Set<Coordinate> skippedAt = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : batch.records()) {
            Outcome o = converter.convert(r, now);
            if (o instanceof Outcome.Land land) {
                landings.add(new Landing(land.record(), r));
            } else if (o instanceof Outcome.Dead d) {
                dead.add(d.deadLetter());
            } else {
                skippedByTopic.merge(((Outcome.Skip) o).topic(), 1, Integer::sum);
                skippedAt.add(Coordinate.of(r));
            }
        }
        return new Converted(now, landings, dead, skippedByTopic, skippedAt);
    }

    /**
     * Writes a batch converted by {@link #convert}: dead letters first, then the rows, isolating rejected ones. Writer
     * thread only.
     *
     * @param aborted tells the writer to stop retrying because the engine is aborting (or the batch was abandoned)
     * @throws BatchFailedException when the sink or dead-letter sink could not take the batch within the retry budget
     * @throws SystemicDeadLettersException when the dead letters look systemic; nothing was dead-lettered
     */
    BatchResult write(Batch batch, Converted converted, BooleanSupplier aborted) {
        Instant now = converted.now();
        List<Landing> landings = converted.landings();
        List<DeadLetter> dead = new ArrayList<>(converted.dead());
        Map<String, Integer> skippedByTopic = converted.skippedByTopic();
        Set<Coordinate> skippedAt = converted.skippedAt();
        Budget budget = new Budget();
        String batchId = engine + '-' + runId + '-' + batch.id();
        String trigger = batch.trigger().name().toLowerCase(Locale.ROOT);
        BatchInfo info =
                BatchInfo.of(batchId, engine, groupId, trigger, now, BatchRanges.of(batch.records(), dead, skippedAt));
        breakerWindow.check(batch.id(), batch.records().size(), dead); // conversion failures alone may be systemic
        // Dead letters known before the sink call are written first: a sink that reports stored positions (append mode)
        // makes a restarted engine seek past everything its ledger covers, so a dead letter written after the rows
        // could
        // be lost by a crash between the two writes. Both writes are idempotent, so the order costs nothing otherwise.
        writeDeadLetters(batch, dead, budget, aborted);
        int beforeSink = dead.size();
        List<ConsumerRecord<byte[], byte[]>> rows = new ArrayList<>(landings.size());
        landings.forEach(l -> rows.add(l.source()));
        BatchRanges tiling = new BatchRanges(batch.records(), rows, skippedAt);
        WriteResult result = landings.isEmpty()
                ? WriteResult.of(0, 0)
                : writeIsolating(batch.id(), info, landings, dead, budget, aborted, tiling, true);
        if (dead.size() > beforeSink) {
            List<DeadLetter> rejected = List.copyOf(dead.subList(beforeSink, dead.size()));
            if (result.records() == 0) {
                // Nothing of the batch is in the sink yet: a systemic trip leaves it all to be re-read.
                breakerWindow.check(batch.id(), batch.records().size(), dead);
                writeDeadLetters(batch, rejected, budget, aborted);
            } else {
                // Written parts' ledger ranges cover the rows rejected before them, and a ledger-fenced (append) sink
                // passes covered offsets on a re-read: those rows are dead-lettered whatever the breaker decides.
                writeDeadLetters(batch, rejected, budget, aborted);
                breakerWindow.check(batch.id(), batch.records().size(), dead);
            }
        }
        List<BatchInfo.PartitionRange> uncovered = tiling.uncovered(dead);
        if (!uncovered.isEmpty()) {
            // Offsets no call with rows covered (all of a batch whose records were all dead-lettered or skipped, or the
            // last offsets of partitions whose last rows the sink rejected) are announced to the sink in an empty call,
            // after their dead letters, so a ledger-keeping sink accounts for them only once they are stored.
            BatchInfo rest = BatchInfo.of(batchId, engine, groupId, trigger, now, uncovered);
            retrying(
                    batch.id(),
                    "sink " + sink.name(),
                    Call.SINK,
                    () -> sink.write(List.of(), rest),
                    budget,
                    aborted,
                    true);
        }
        int skipped = 0;
        for (Map.Entry<String, Integer> e : skippedByTopic.entrySet()) {
            metrics.skipped(e.getKey(), e.getValue());
            skipped += e.getValue();
        }
        breakerWindow.written(batch.records().size(), dead);
        countLanded(landings, dead);
        status.batchDone(batch.records().size(), dead.size());
        return new BatchResult(result.records(), result.inserted(), dead.size(), skipped, budget.attempts);
    }

    private void writeDeadLetters(Batch batch, List<DeadLetter> letters, Budget budget, BooleanSupplier aborted) {
        if (letters.isEmpty()) {
            return;
        }
        retrying(
                batch.id(),
                "dead-letter sink " + deadLetterSink.name(),
                Call.DEAD_LETTER_SINK,
                () -> {
                    deadLetterSink.write(letters);
                    return null;
                },
                budget,
                aborted,
                true);
        for (DeadLetter d : letters) {
            metrics.deadLettered(d.topic(), d.stage());
        }
        log.debug("[{}] batch {}: {} record(s) dead-lettered", engine, batch.id(), letters.size());
    }

    private void countLanded(List<Landing> landings, List<DeadLetter> dead) {
        if (landings.isEmpty()) {
            return;
        }
        // Rejected rows were dead-lettered; count the rest per topic.
        Set<Coordinate> rejected = new HashSet<>();
        for (DeadLetter d : dead) {
            if (d.stage() == DeadLetter.Stage.WRITE) {
                rejected.add(Coordinate.of(d));
            }
        }
        Map<String, Integer> byTopic = new TreeMap<>();
        for (Landing l : landings) {
            if (rejected.isEmpty() || !rejected.contains(Coordinate.of(l.source()))) {
                byTopic.merge(l.source().topic(), 1, Integer::sum);
            }
        }
        byTopic.forEach(metrics::landed);
    }

    /** Writes with retries; on a DATA error splits the list in two and recurses, dead-lettering single rejected rows. */
    private WriteResult writeIsolating(
            long batchId,
            BatchInfo info,
            List<Landing> landings,
            List<DeadLetter> dead,
            Budget budget,
            BooleanSupplier aborted,
            BatchRanges tiling,
            boolean whole) {
        List<BronzeRecord> records = new ArrayList<>(landings.size());
        List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>(landings.size());
        for (Landing l : landings) {
            records.add(l.record());
            sources.add(l.source());
        }
        BatchInfo partInfo = whole
                ? info
                : BatchInfo.of(
                        info.batchId(),
                        info.engine(),
                        info.groupId(),
                        info.trigger(),
                        info.startedAt(),
                        tiling.part(sources, dead));
        try {
            WriteResult r = retrying(
                    batchId,
                    "sink " + sink.name(),
                    Call.SINK,
                    () -> sink.write(records, partInfo),
                    budget,
                    aborted,
                    false);
            metrics.inserted(r.inserted());
            tiling.written(partInfo.ranges());
            return r;
        } catch (SinkWriteException e) {
            if (e.kind() != SinkWriteException.ErrorKind.DATA) {
                throw e;
            }
            if (landings.size() == 1) {
                Landing l = landings.get(0);
                log.warn(
                        "[{}] batch {}: sink rejected {}-{}-{}: {}",
                        engine,
                        batchId,
                        l.source().topic(),
                        l.source().partition(),
                        l.source().offset(),
                        e.getMessage());
                dead.add(writeConverter.deadLetter(
                        l.source(),
                        DeadLetter.Stage.WRITE,
                        e.getClass().getName(),
                        e.getMessage(),
                        e,
                        clock.instant(),
                        budget.attempts));
                return WriteResult.of(0, 0);
            }
            if (!e.rejectedIngestionIds().isEmpty()) {
                Set<String> rejectedIds = new HashSet<>(e.rejectedIngestionIds());
                List<Landing> rejected = new ArrayList<>();
                List<Landing> rest = new ArrayList<>();
                for (Landing l : landings) {
                    (rejectedIds.contains(l.record().ingestionId()) ? rejected : rest).add(l);
                }
                if (!rejected.isEmpty()) { // else the sink named rows of another call: bisect
                    log.warn(
                            "[{}] batch {}: sink named {} rejected record(s) of {}, dead-lettering them without "
                                    + "bisection: {}",
                            engine,
                            batchId,
                            rejected.size(),
                            landings.size(),
                            e.getMessage());
                    for (Landing l : rejected) {
                        dead.add(writeConverter.deadLetter(
                                l.source(),
                                DeadLetter.Stage.WRITE,
                                e.getClass().getName(),
                                e.getMessage(),
                                e,
                                clock.instant(),
                                budget.attempts));
                    }
                    return rest.isEmpty()
                            ? WriteResult.of(0, 0)
                            : writeIsolating(batchId, info, rest, dead, budget, aborted, tiling, false);
                }
            }
            int mid = landings.size() / 2;
            log.debug("[{}] batch {}: data error on {} records, bisecting", engine, batchId, landings.size());
            WriteResult left =
                    writeIsolating(batchId, info, landings.subList(0, mid), dead, budget, aborted, tiling, false);
            WriteResult right = writeIsolating(
                    batchId, info, landings.subList(mid, landings.size()), dead, budget, aborted, tiling, false);
            return left.plus(right);
        }
    }

    private void time(Call call, long nanos, boolean success) {
        if (call == Call.DEAD_LETTER_SINK) {
            metrics.deadLetterWrite(nanos, success);
        } else {
            metrics.write(nanos, success);
        }
    }

    /**
     * Runs {@code op} until it succeeds, retrying transient failures with backoff within the batch's budget. A
     * {@code DATA} failure is rethrown at once unless {@code dataIsFatal}, in which case it fails the batch (nothing can
     * isolate a dead-letter sink's rejection, or a rejection of an empty announcement).
     */
    private <T> T retrying(
            long batchId,
            String what,
            Call call,
            Supplier<T> op,
            Budget budget,
            BooleanSupplier aborted,
            boolean dataIsFatal) {
        int tries = 0;
        while (true) {
            tries++;
            long t0 = System.nanoTime();
            status.callStarted(what + " (batch " + batchId + ")", t0);
            try {
                T result = op.get();
                time(call, System.nanoTime() - t0, true);
                status.retryDone();
                return result;
            } catch (RuntimeException e) {
                time(call, System.nanoTime() - t0, false);
                boolean data = e instanceof SinkWriteException swe && swe.kind() == SinkWriteException.ErrorKind.DATA;
                if (data && !dataIsFatal) {
                    throw e;
                }
                long elapsedMs = (System.nanoTime() - budget.startNanos) / 1_000_000;
                if (data
                        || budget.attempts >= retryPolicy.maxAttempts()
                        || elapsedMs >= retryPolicy.maxRetryDuration().toMillis()
                        || aborted.getAsBoolean()) {
                    throw new BatchFailedException(
                            "batch " + batchId + ": " + what + " failed (" + budget.attempts
                                    + " attempt(s) for this batch in " + elapsedMs + " ms)"
                                    + (data ? " with a data error" : ", retry budget " + retryPolicy + " spent")
                                    + "; nothing of this batch was committed: " + e.getMessage(),
                            e);
                }
                budget.attempts++;
                status.retrying(budget.attempts, budget.startNanos);
                long delay = retryPolicy.delayFor(tries, jitter.nextDouble()).toMillis();
                log.warn(
                        "[{}] batch {}: {} failed (attempt {}/{} of the batch), retrying in {} ms: {}",
                        engine,
                        batchId,
                        what,
                        budget.attempts - 1,
                        retryPolicy.maxAttempts(),
                        delay,
                        e.toString());
                metrics.retry();
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new BatchFailedException("batch " + batchId + ": interrupted while retrying " + what, e);
                }
            } finally {
                status.callEnded();
            }
        }
    }
}
