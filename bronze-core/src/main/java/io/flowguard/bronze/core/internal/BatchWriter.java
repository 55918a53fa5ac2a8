package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.RetryPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch: converts the raw records, lands the good ones in the sink, dead-letters the rest, and returns only when
 * every record is stored one way or the other. Runs on the writer thread only; not thread-safe.
 *
 * <p>Transient failures (any exception but a {@link SinkWriteException} of kind {@code DATA}) are retried per the
 * {@link RetryPolicy}; when the budget is spent a {@link BatchFailedException} is thrown and nothing is committed. A
 * {@code DATA} failure bisects the batch until the rejected records are isolated; only those are dead-lettered.
 */
final class BatchWriter {
    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    /** A converted record with the raw record it came from, so a rejected row can be dead-lettered byte for byte. */
    private record Landing(BronzeRecord record, ConsumerRecord<byte[], byte[]> source) {
    }

    /** Sleeps between retries; a seam for tests. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final String engine;
    private final BronzeSink sink;
    private final DeadLetterSink deadLetterSink;
    private final RecordConverter converter;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final EngineMetrics metrics;
    private final Sleeper sleeper;
    private final java.util.Random jitter = new java.util.Random();
    private final String groupId;
    /** Makes batch ids unique across restarts: the engine's start time in base 36. */
    private final String runId;

    private final EngineStatus status;

    BatchWriter(EngineConfig config, EngineMetrics metrics, EngineStatus status, Sleeper sleeper) {
        this.status = status;
        this.engine = config.name();
        this.sink = config.sink();
        this.deadLetterSink = config.deadLetterSink();
        this.converter = new RecordConverter(config);
        this.retryPolicy = config.retryPolicy();
        this.clock = config.clock();
        this.metrics = metrics;
        this.sleeper = sleeper;
        this.groupId = config.groupId();
        this.runId = Long.toString(config.clock().millis(), 36);
    }

    /**
     * Writes a batch.
     *
     * @param aborted tells the writer to stop retrying because the engine is aborting
     * @throws BatchFailedException when the sink or dead-letter sink could not take the batch within the retry budget
     */
    BatchResult write(Batch batch, BooleanSupplier aborted) {
        Instant now = clock.instant();
        List<Landing> landings = new ArrayList<>(batch.records().size());
        List<DeadLetter> dead = new ArrayList<>();
        Map<String, Integer> skippedByTopic = null;
        java.util.Set<String> skippedOffsets = null;
        for (ConsumerRecord<byte[], byte[]> r : batch.records()) {
            Outcome o = converter.convert(r, now);
            if (o instanceof Outcome.Land land) {
                landings.add(new Landing(land.record(), r));
            } else if (o instanceof Outcome.Dead d) {
                dead.add(d.deadLetter());
            } else {
                if (skippedByTopic == null) {
                    skippedByTopic = new TreeMap<>();
                }
                skippedByTopic.merge(((Outcome.Skip) o).topic(), 1, Integer::sum);
                if (skippedOffsets == null) {
                    skippedOffsets = new java.util.HashSet<>();
                }
                skippedOffsets.add(r.topic() + '-' + r.partition() + '-' + r.offset());
            }
        }
        int[] attempts = {1};
        String batchId = engine + '-' + runId + '-' + batch.id();
        String trigger = batch.trigger().name().toLowerCase(java.util.Locale.ROOT);
        BatchInfo info = BatchInfo.of(batchId, engine, groupId, trigger, now, ranges(batch.records(), dead, skippedOffsets));
        // A batch whose records were all dead-lettered or skipped is still announced to the sink (with no records), so
        // a ledger-keeping sink can account for its offsets.
        WriteResult result = landings.isEmpty()
                ? retrying(batch.id(), "sink " + sink.name(), () -> sink.write(List.of(), info), attempts, aborted, true)
                : writeIsolating(batch.id(), info, landings, dead, attempts, aborted, true);
        if (!dead.isEmpty()) {
            List<DeadLetter> letters = dead;
            retrying(batch.id(), "dead-letter sink " + deadLetterSink.name(), () -> {
                deadLetterSink.write(letters);
                return null;
            }, attempts, aborted, true);
            for (DeadLetter d : dead) {
                metrics.deadLettered(d.topic(), d.stage());
            }
            log.debug("[{}] batch {}: {} record(s) dead-lettered", engine, batch.id(), dead.size());
        }
        int skipped = 0;
        if (skippedByTopic != null) {
            for (Map.Entry<String, Integer> e : skippedByTopic.entrySet()) {
                metrics.skipped(e.getKey(), e.getValue());
                skipped += e.getValue();
            }
        }
        countLanded(landings, dead);
        status.batchDone(batch.records().size(), dead.size());
        return new BatchResult(result.records(), result.inserted(), dead.size(), skipped, attempts[0]);
    }

    private void countLanded(List<Landing> landings, List<DeadLetter> dead) {
        if (landings.isEmpty()) {
            return;
        }
        // Rejected rows were dead-lettered; count the rest per topic. Batches are small, so a linear pass is fine.
        java.util.Set<String> rejected = new java.util.HashSet<>();
        for (DeadLetter d : dead) {
            if (d.stage() == DeadLetter.Stage.WRITE) {
                rejected.add(d.topic() + '-' + d.partition() + '-' + d.offset());
            }
        }
        Map<String, Integer> byTopic = new TreeMap<>();
        for (Landing l : landings) {
            ConsumerRecord<byte[], byte[]> s = l.source();
            if (rejected.isEmpty() || !rejected.contains(s.topic() + '-' + s.partition() + '-' + s.offset())) {
                byTopic.merge(s.topic(), 1, Integer::sum);
            }
        }
        byTopic.forEach(metrics::landed);
    }

    /** Per-partition offset ranges of consumed records, with how many were dead-lettered or skipped before the write. */
    private static List<BatchInfo.PartitionRange> ranges(List<ConsumerRecord<byte[], byte[]>> records, List<DeadLetter> dead,
                                                         java.util.Set<String> skipped) {
        java.util.Map<String, long[]> acc = new java.util.LinkedHashMap<>(); // first, last, records, dead, skipped
        java.util.Map<String, ConsumerRecord<byte[], byte[]>> sample = new java.util.HashMap<>();
        java.util.Set<String> deadIds = new java.util.HashSet<>();
        for (DeadLetter d : dead) {
            deadIds.add(d.topic() + '-' + d.partition() + '-' + d.offset());
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = r.topic() + '\u0000' + r.partition();
            long[] a = acc.computeIfAbsent(key, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0, 0, 0});
            sample.putIfAbsent(key, r);
            a[0] = Math.min(a[0], r.offset());
            a[1] = Math.max(a[1], r.offset());
            a[2]++;
            if (!deadIds.isEmpty() || skipped != null) {
                String id = r.topic() + '-' + r.partition() + '-' + r.offset();
                if (deadIds.contains(id)) {
                    a[3]++;
                } else if (skipped != null && skipped.contains(id)) {
                    a[4]++;
                }
            }
        }
        List<BatchInfo.PartitionRange> out = new ArrayList<>(acc.size());
        acc.forEach((k, a) -> {
            ConsumerRecord<byte[], byte[]> r = sample.get(k);
            out.add(new BatchInfo.PartitionRange(r.topic(), r.partition(), a[0], a[1], (int) a[2], (int) a[3], (int) a[4]));
        });
        return out;
    }

    /** Writes with retries; on a DATA error splits the list in two and recurses, dead-lettering single rejected rows. */
    private WriteResult writeIsolating(long batchId, BatchInfo info, List<Landing> landings, List<DeadLetter> dead,
                                       int[] attempts, BooleanSupplier aborted, boolean whole) {
        List<BronzeRecord> records = new ArrayList<>(landings.size());
        List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>(landings.size());
        for (Landing l : landings) {
            records.add(l.record());
            sources.add(l.source());
        }
        BatchInfo partInfo = whole ? info : BatchInfo.of(info.batchId(), info.engine(), info.groupId(), info.trigger(),
                info.startedAt(), ranges(sources, List.of(), null));
        try {
            WriteResult r = retrying(batchId, "sink " + sink.name(), () -> sink.write(records, partInfo), attempts, aborted, false);
            metrics.inserted(r.inserted());
            return r;
        } catch (SinkWriteException e) {
            if (e.kind() != SinkWriteException.ErrorKind.DATA) {
                throw e;
            }
            if (landings.size() == 1) {
                Landing l = landings.get(0);
                log.warn("[{}] batch {}: sink rejected {}-{}-{}: {}", engine, batchId, l.source().topic(),
                        l.source().partition(), l.source().offset(), e.getMessage());
                dead.add(converter.deadLetter(l.source(), DeadLetter.Stage.WRITE, e.getClass().getName(), e.getMessage(), e,
                        clock.instant(), attempts[0]));
                return WriteResult.of(0, 0);
            }
            int mid = landings.size() / 2;
            log.debug("[{}] batch {}: data error on {} records, bisecting", engine, batchId, landings.size());
            WriteResult left = writeIsolating(batchId, info, landings.subList(0, mid), dead, attempts, aborted, false);
            WriteResult right = writeIsolating(batchId, info, landings.subList(mid, landings.size()), dead, attempts, aborted, false);
            return left.plus(right);
        }
    }

    /** Dead-letter writes (the only fatal-on-data ones) have their own timer. */
    private void time(boolean deadLetters, long nanos, boolean success) {
        if (deadLetters) {
            metrics.deadLetterWrite(nanos, success);
        } else {
            metrics.write(nanos, success);
        }
    }

    /**
     * Runs {@code op} until it succeeds, retrying transient failures with backoff. A {@code DATA} failure is rethrown at
     * once unless {@code dataIsFatal}, in which case it fails the batch (nothing can isolate a dead-letter sink's rejection).
     */
    private <T> T retrying(long batchId, String what, Supplier<T> op, int[] attempts, BooleanSupplier aborted, boolean dataIsFatal) {
        long startNanos = System.nanoTime();
        int tries = 0;
        while (true) {
            tries++;
            long t0 = System.nanoTime();
            try {
                T result = op.get();
                time(dataIsFatal, System.nanoTime() - t0, true);
                status.retryAttempt = 0;
                return result;
            } catch (RuntimeException e) {
                time(dataIsFatal, System.nanoTime() - t0, false);
                boolean data = e instanceof SinkWriteException swe && swe.kind() == SinkWriteException.ErrorKind.DATA;
                if (data && !dataIsFatal) {
                    throw e;
                }
                long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
                if (data || tries >= retryPolicy.maxAttempts() || elapsedMs >= retryPolicy.maxRetryDuration().toMillis()
                        || aborted.getAsBoolean()) {
                    throw new BatchFailedException("batch " + batchId + ": " + what + " failed " + tries + " time(s) in "
                            + elapsedMs + " ms" + (data ? " with a data error" : ", retry budget " + retryPolicy + " spent")
                            + "; nothing of this batch was committed: " + e.getMessage(), e);
                }
                if (tries == 1) {
                    status.retryStartedNanos = startNanos;
                }
                status.retryAttempt = tries + 1;
                long delay = retryPolicy.delayFor(tries, jitter.nextDouble()).toMillis();
                log.warn("[{}] batch {}: {} failed (attempt {}/{}), retrying in {} ms: {}", engine, batchId, what, tries,
                        retryPolicy.maxAttempts(), delay, e.toString());
                metrics.retry();
                attempts[0]++;
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new BatchFailedException("batch " + batchId + ": interrupted while retrying " + what, e);
                }
            }
        }
    }
}
