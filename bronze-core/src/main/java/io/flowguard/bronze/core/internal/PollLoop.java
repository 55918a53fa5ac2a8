package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.FlushTrigger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import io.flowguard.bronze.core.BronzeMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread's work: poll, buffer, hand one batch at a time to the writer thread, commit after each write, pause
 * while a full batch waits, and handle rebalances. Everything here runs on the poll thread — the only thread that touches
 * the consumer — except {@link #requestClose()} and {@link #requestAbort()}, which only set flags.
 *
 * <p>Up to {@value #MAX_IN_FLIGHT} batches are queued to the writer so it never idles between batches; the writer
 * completes them in order and each is committed only after it and every batch before it was written. Memory is bounded:
 * the queued batches, one full batch waiting, and what one {@code poll} returned.
 */
final class PollLoop implements ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    /** A buffered record with when it arrived (engine clock, ms) and its size. */
    private record Pending(ConsumerRecord<byte[], byte[]> record, long arrivedAtMillis, int bytes) {
    }

    /** The batch being written and its future. */
    private record InFlight(Batch batch, Future<BatchResult> future) {
    }

    /** Batches queued to the writer at most. */
    static final int MAX_IN_FLIGHT = 3;

    private final EngineConfig config;
    private final DefaultIngestionEngine engine;
    private final String name;
    private final EngineMetrics metrics;
    private static final Duration LAG_CALL_TIMEOUT = Duration.ofSeconds(2);
    private final EngineStatus status = new EngineStatus();
    private final Map<TopicPartition, Gauge> lagGauges = new HashMap<>();
    /** Log-end offsets as of the last lag refresh. Poll thread only. */
    private final Map<TopicPartition, Long> logEnd = new HashMap<>();
    /** Gauges read this engine's live state, so they are removed when it stops (a restarted engine registers its own). */
    private final List<Gauge> engineGauges;
    private long lastLagRefreshNanos;
    private boolean lagRefreshDue = true;
    private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
    private long bufferedBytes;
    /** Batches handed to the writer, oldest first; the single writer thread completes them in this order. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** Set by the writer when a batch failed: later queued batches are skipped, never written past a gap. */
    private volatile Throwable firstWriteFailure;
    private long nextBatchId = 1;
    private boolean paused;
    private volatile boolean closeRequested;
    private volatile boolean abortRequested;
    private Consumer<byte[], byte[]> consumer;
    private ExecutorService writerExecutor;
    private BatchWriter writer;
    /** Per partition, the offset after the last record written to the sink or dead-letter sink. Poll thread only. */
    private final Map<TopicPartition, Long> written = new HashMap<>();
    private boolean asyncCommitInFlight;
    private static final long MAX_COMMIT_BACKOFF_MILLIS = 1_000;
    private long commitBackoffMillis;
    private long commitRetryAfterNanos;
    private boolean closing;
    /** Committed offsets (confirmed by the broker, or read back for lag), per partition. Poll thread only. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    PollLoop(EngineConfig config, DefaultIngestionEngine engine) {
        this.config = config;
        this.engine = engine;
        this.name = config.name();
        this.metrics = new EngineMetrics(config.meterRegistry(), name);
        MeterRegistry registry = config.meterRegistry();
        this.engineGauges = List.of(Gauge.builder(BronzeMeters.CONSUMER_LAG_MAX, status, s -> Math.max(0, s.maxLag())).tags(metrics.engineTags())
                .description("largest lag (log-end minus committed offset) over assigned partitions").register(registry),
                Gauge.builder(BronzeMeters.SECONDS_SINCE_LAST_COMMIT, status,
                        s -> s.lastCommitMillis == 0 ? 0.0 : (config.clock().millis() - s.lastCommitMillis) / 1000.0)
                .tags(metrics.engineTags()).baseUnit("seconds").register(registry));
    }

    EngineStatus status() {
        return status;
    }

    /**
     * Re-reads log-end offsets for every assigned partition (so lag stays right on idle partitions) and publishes
     * lag = log-end offset − committed offset; then re-evaluates health and tells the listener if it changed.
     */
    private void refreshLag(long nowNanos) {
        lastLagRefreshNanos = nowNanos;
        lagRefreshDue = false;
        Set<TopicPartition> assigned = consumer.assignment();
        if (!assigned.isEmpty()) {
            try {
                Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, LAG_CALL_TIMEOUT);
                Set<TopicPartition> unknown = new HashSet<>();
                for (TopicPartition tp : assigned) {
                    if (!committed.containsKey(tp)) {
                        unknown.add(tp);
                    }
                }
                if (!unknown.isEmpty()) {
                    consumer.committed(unknown, LAG_CALL_TIMEOUT).forEach((tp, om) -> {
                        if (om != null) {
                            committed.merge(tp, om.offset(), Math::max);
                        }
                    });
                }
                for (TopicPartition tp : assigned) {
                    Long end = ends.get(tp);
                    if (end == null) {
                        continue;
                    }
                    logEnd.put(tp, end);
                    Long done = committed.get(tp);
                    long base = done != null ? done : consumer.position(tp, LAG_CALL_TIMEOUT);
                    status.lag.put(tp, Math.max(0, end - base));
                    lagGauges.computeIfAbsent(tp, t -> Gauge.builder(BronzeMeters.CONSUMER_LAG, status.lag,
                                    m -> m.getOrDefault(t, 0L)).tags(metrics.engineTags())
                            .tag(BronzeMeters.TAG_TOPIC, t.topic()).tag(BronzeMeters.TAG_PARTITION, Integer.toString(t.partition()))
                            .register(config.meterRegistry()));
                }
                status.lagKnown = true;
            } catch (RuntimeException e) {
                log.debug("[{}] could not refresh lag: {}", name, e.toString());
            }
        }
        engine.checkHealth();
    }

    private void forgetPartitions(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            committed.remove(tp);
            written.remove(tp);
            status.lag.remove(tp);
            logEnd.remove(tp);
            Gauge g = lagGauges.remove(tp);
            if (g != null) {
                config.meterRegistry().remove(g);
            }
        }
    }

    void requestClose() {
        closeRequested = true;
    }

    void requestAbort() {
        abortRequested = true;
    }

    Map<String, Object> consumerProperties() {
        Map<String, Object> props = new LinkedHashMap<>(config.consumerProperties());
        if (config.bootstrapServers() != null) {
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        }
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "bronze-" + name);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Object protocol = props.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        if (protocol == null || "classic".equalsIgnoreCase(protocol.toString())) {
            props.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        return props;
    }

    void run() {
        writerExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bronze-" + name + "-writer");
            t.setDaemon(true);
            return t;
        });
        writer = new BatchWriter(config, metrics, status, Thread::sleep);
        try {
            consumer = config.consumerFactory().create(consumerProperties());
            consumer.subscribe(config.topics(), this);
            engine.transition(EngineState.STARTING, EngineState.RUNNING);
            log.info("[{}] subscribed to {} as group {}", name, config.topics(), config.groupId());
            while (!closeRequested && !abortRequested) {
                step();
            }
            if (abortRequested) {
                log.info("[{}] aborting: {} buffered record(s) and any in-flight batch are left uncommitted", name, buffer.size());
            } else {
                drain();
            }
        } catch (RuntimeException e) {
            engine.fail(e);
        } finally {
            shutdown();
        }
    }

    /** One iteration: settle finished batches, dispatch ready ones, pause or resume, poll. */
    private void step() {
        Throwable failed = firstWriteFailure;
        if (failed != null && inFlight.isEmpty()) {
            // A batch abandoned by a timed-out revocation failed after it was let go: stop here, commit nothing more.
            throw failed instanceof RuntimeException re ? re
                    : new BatchFailedException("a batch failed: " + failed, failed);
        }
        settleDone();
        long now = config.clock().millis();
        long nowNanos = System.nanoTime();
        if (lagRefreshDue || nowNanos - lastLagRefreshNanos >= config.lagRefreshInterval().toNanos()) {
            refreshLag(nowNanos);
        }
        if (commitRetryAfterNanos != 0 && nowNanos >= commitRetryAfterNanos && !asyncCommitInFlight) {
            commit(Map.of(), false); // retry a failed asynchronous commit
        }
        FlushTrigger trigger = readyTrigger(now);
        while (trigger != null && inFlight.size() < MAX_IN_FLIGHT) {
            dispatch(takeBatch(trigger));
            trigger = readyTrigger(now);
        }
        setPaused(trigger == FlushTrigger.RECORDS || trigger == FlushTrigger.BYTES);
        if (trigger != null) {
            // A batch is ready but the writer's queue is full: wait on the oldest write, then keep the membership alive.
            awaitOldest(config.pollTimeout().toMillis());
            pollOnce(Duration.ZERO);
        } else {
            pollOnce(pollTimeout(now));
        }
    }

    private Duration pollTimeout(long now) {
        long timeout = config.pollTimeout().toMillis();
        if (!buffer.isEmpty()) {
            long due = buffer.peekFirst().arrivedAtMillis() + config.maxBatchWait().toMillis() - now;
            timeout = Math.max(0, Math.min(timeout, due));
        }
        return Duration.ofMillis(timeout);
    }

    private void pollOnce(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(timeout);
        } catch (WakeupException e) {
            return;
        }
        if (records.isEmpty()) {
            return;
        }
        long now = config.clock().millis();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
            for (ConsumerRecord<byte[], byte[]> r : list) {
                int bytes = Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
                buffer.addLast(new Pending(r, now, bytes));
                bufferedBytes += bytes;
            }
            metrics.consumed(tp.topic(), list.size());
        }
    }

    /** Which trigger would flush the head of the buffer now, or null. */
    private FlushTrigger readyTrigger(long now) {
        if (buffer.isEmpty()) {
            return null;
        }
        if (buffer.size() >= config.maxBatchRecords()) {
            return FlushTrigger.RECORDS;
        }
        if (bufferedBytes >= config.maxBatchBytes()) {
            return FlushTrigger.BYTES;
        }
        if (now - buffer.peekFirst().arrivedAtMillis() >= config.maxBatchWait().toMillis()) {
            return FlushTrigger.WAIT;
        }
        return null;
    }

    /** Takes records from the head of the buffer up to the record and byte limits (always at least one). */
    private Batch takeBatch(FlushTrigger trigger) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(Math.min(buffer.size(), config.maxBatchRecords()));
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        long bytes = 0;
        ConsumerRecord<byte[], byte[]> last = null;
        while (!buffer.isEmpty() && records.size() < config.maxBatchRecords()) {
            Pending p = buffer.peekFirst();
            if (!records.isEmpty() && bytes + p.bytes() > config.maxBatchBytes()) {
                break;
            }
            buffer.pollFirst();
            bufferedBytes -= p.bytes();
            bytes += p.bytes();
            ConsumerRecord<byte[], byte[]> r = p.record();
            if (last != null && (last.partition() != r.partition() || !last.topic().equals(r.topic()))) {
                putOffset(offsets, last);
            }
            records.add(r);
            last = r;
        }
        if (last != null) {
            putOffset(offsets, last);
        }
        return new Batch(nextBatchId++, records, offsets, bytes, trigger);
    }

    /** Records come grouped by partition in poll order, so the last record of a run holds the partition's highest offset. */
    private static void putOffset(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerRecord<byte[], byte[]> r) {
        offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                (a, b) -> a.offset() >= b.offset() ? a : b);
    }

    private void dispatch(Batch batch) {
        metrics.flushed(batch.trigger(), batch.records().size());
        log.debug("[{}] batch {}: {} record(s), {} bytes, trigger {}", name, batch.id(), batch.records().size(), batch.bytes(),
                batch.trigger());
        Future<BatchResult> f = writerExecutor.submit(() -> {
            Throwable earlier = firstWriteFailure;
            if (earlier != null) {
                throw new BatchFailedException("batch " + batch.id() + " skipped: an earlier batch failed: "
                        + earlier.getMessage(), earlier);
            }
            try {
                return writer.write(batch, () -> abortRequested);
            } catch (Throwable e) {
                // Any failure (also an Error, or a checked exception a sink threw sneakily) stops every later batch, so
                // no commit can pass a batch that did not land, even one abandoned by a timed-out revocation.
                firstWriteFailure = e;
                throw e;
            }
        });
        inFlight.addLast(new InFlight(batch, f));
    }

    private void settleDone() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().future().isDone()) {
            settle(false);
        }
    }

    /** Waits up to {@code millis} for the oldest queued write; returns whether it finished (true when none is queued). */
    private boolean awaitOldest(long millis) {
        if (inFlight.isEmpty()) {
            return true;
        }
        try {
            inFlight.peekFirst().future().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true; // settle() reports it
        }
    }

    /**
     * Commits the oldest queued batch, which must be done, or fails the engine when its write failed. Only partitions
     * still assigned are committed: a partition lost meanwhile belongs to another member now.
     */
    private void settle(boolean sync) {
        InFlight f = inFlight.pollFirst();
        BatchResult result;
        try {
            result = f.future().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof RuntimeException re ? re : new BatchFailedException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatchFailedException("interrupted while settling batch " + f.batch().id(), e);
        }
        log.debug("[{}] batch {} written: {}", name, f.batch().id(), result);
        commit(f.batch().commitOffsets(), sync);
    }

    /**
     * Records a written batch's offsets and commits what is written but not yet committed for the partitions this member
     * still owns. Asynchronous commits go out one at a time; a failed one (e.g. during a rebalance) is simply retried by the
     * next, because what is sent is always "written minus confirmed", never a one-off list.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets, boolean sync) {
        if (!offsets.isEmpty()) {
            Set<TopicPartition> owned = consumer.assignment();
            offsets.forEach((tp, om) -> {
                if (owned.contains(tp)) { // a partition revoked meanwhile is the next owner's to commit
                    written.merge(tp, om.offset(), Math::max);
                }
            });
        }
        if (!sync && (asyncCommitInFlight || System.nanoTime() < commitRetryAfterNanos)) {
            return; // the commit in flight, or the retry after a failed one, sends the rest
        }
        Map<TopicPartition, OffsetAndMetadata> toCommit = uncommitted();
        if (toCommit.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                consumer.commitSync(toCommit);
                onCommitted(toCommit);
            } catch (RuntimeException e) {
                metrics.commit(false);
                log.warn("[{}] commit of {} failed; the records are written and will be re-delivered harmlessly: {}", name,
                        toCommit, e.toString());
            }
            return;
        }
        asyncCommitInFlight = true;
        consumer.commitAsync(toCommit, (done, error) -> {
            asyncCommitInFlight = false;
            if (error == null) {
                commitBackoffMillis = 0;
                commitRetryAfterNanos = 0;
                onCommitted(done);
                if (consumer != null && !closing) {
                    commit(Map.of(), false); // offsets written meanwhile
                }
            } else {
                metrics.commit(false);
                // Back off before the next attempt: during a rebalance or a broker outage every attempt fails at once.
                commitBackoffMillis = Math.min(MAX_COMMIT_BACKOFF_MILLIS, Math.max(50, commitBackoffMillis * 2));
                commitRetryAfterNanos = System.nanoTime() + commitBackoffMillis * 1_000_000L;
                if (error instanceof org.apache.kafka.common.errors.RebalanceInProgressException) {
                    log.debug("[{}] async commit deferred by a rebalance; retrying in {} ms", name, commitBackoffMillis);
                } else {
                    log.warn("[{}] async commit failed; retrying in {} ms: {}", name, commitBackoffMillis, error.toString());
                }
            }
        });
    }

    /** Written offsets above the confirmed ones, for partitions still assigned. */
    private Map<TopicPartition, OffsetAndMetadata> uncommitted() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        Set<TopicPartition> assigned = consumer.assignment();
        written.forEach((tp, offset) -> {
            Long done = committed.get(tp);
            if ((done == null || done < offset) && assigned.contains(tp)) {
                out.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return out;
    }

    private void onCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, om) -> {
            long c = committed.merge(tp, om.offset(), Math::max);
            Long end = logEnd.get(tp);
            if (end != null) {
                status.lag.put(tp, Math.max(0, end - c)); // keep lag fresh between log-end refreshes
            }
        });
        status.lastCommitMillis = config.clock().millis();
        metrics.commit(true);
    }

    private void setPaused(boolean pause) {
        if (pause == paused) {
            return;
        }
        paused = pause;
        if (pause) {
            consumer.pause(consumer.assignment());
            log.debug("[{}] paused: a full batch waits for the sink", name);
        } else {
            consumer.resume(consumer.paused());
            log.debug("[{}] resumed", name);
        }
    }

    /** Writes and commits everything buffered within the close timeout, then returns. */
    private void drain() {
        engine.transition(EngineState.RUNNING, EngineState.DRAINING);
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        int drained = buffer.size();
        flushSynchronously(deadline, FlushTrigger.SHUTDOWN, null);
        commit(Map.of(), true);
        log.info("[{}] drained {} buffered record(s)", name, drained - buffer.size());
    }

    /**
     * Settles the in-flight batch, then writes and commits (synchronously) every buffered record — of the given partitions
     * only, when {@code only} is not null — until done or past the deadline.
     */
    private void flushSynchronously(long deadlineNanos, FlushTrigger trigger, Collection<TopicPartition> only) {
        if (!settleAll(deadlineNanos)) {
            return;
        }
        ArrayDeque<Pending> keep = null;
        if (only != null) {
            Set<TopicPartition> set = new HashSet<>(only);
            keep = new ArrayDeque<>();
            for (Iterator<Pending> it = buffer.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (!set.contains(new TopicPartition(p.record().topic(), p.record().partition()))) {
                    keep.addLast(p);
                    bufferedBytes -= p.bytes();
                    it.remove();
                }
            }
        }
        try {
            while (!buffer.isEmpty() && !abortRequested) {
                while (!buffer.isEmpty() && inFlight.size() < MAX_IN_FLIGHT) {
                    dispatch(takeBatch(trigger));
                }
                if (!settleAll(deadlineNanos)) {
                    if (only == null) {
                        buffer.clear();
                        bufferedBytes = 0;
                    }
                    break;
                }
            }
        } finally {
            if (keep != null) {
                for (Pending p : keep) {
                    buffer.addLast(p);
                    bufferedBytes += p.bytes();
                }
            }
        }
    }

    /**
     * Waits for every queued batch in order, commits them synchronously, and returns true; or, past the deadline, abandons
     * the unfinished ones uncommitted (they will be re-delivered) and returns false.
     */
    private boolean settleAll(long deadlineNanos) {
        while (!inFlight.isEmpty()) {
            if (!awaitOldest(remainingMillis(deadlineNanos))) {
                log.warn("[{}] {} queued batch(es) from batch {} not written in time; leaving them uncommitted", name,
                        inFlight.size(), inFlight.peekFirst().batch().id());
                inFlight.clear();
                commit(Map.of(), true);
                return false;
            }
            settle(false);
        }
        commit(Map.of(), true);
        return true;
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    private void dropBuffered(Collection<TopicPartition> partitions) {
        Set<TopicPartition> set = new HashSet<>(partitions);
        int dropped = 0;
        for (Iterator<Pending> it = buffer.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (set.contains(new TopicPartition(p.record().topic(), p.record().partition()))) {
                bufferedBytes -= p.bytes();
                it.remove();
                dropped++;
            }
        }
        if (dropped > 0) {
            log.info("[{}] dropped {} uncommitted buffered record(s) of lost partitions {}", name, dropped, partitions);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty() || abortRequested || engine.state() == EngineState.FAILED) {
            return;
        }
        log.info("[{}] partitions revoked: {}; writing and committing their buffered records", name, partitions);
        flushSynchronously(System.nanoTime() + config.revocationTimeout().toNanos(), FlushTrigger.REVOCATION, partitions);
        commit(Map.of(), true);
        dropBuffered(partitions); // what could not be written in time belongs to the next owner now
        forgetPartitions(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        log.warn("[{}] partitions lost: {}; their buffered records are dropped uncommitted and will be re-delivered", name, partitions);
        dropBuffered(partitions);
        forgetPartitions(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        log.info("[{}] partitions assigned: {}", name, partitions);
        lagRefreshDue = true; // measure the new partitions' lag on the next step
        if (paused) {
            consumer.pause(partitions);
        }
    }

    private void shutdown() {
        closing = true;
        if (consumer != null) {
            try {
                if (abortRequested || engine.state() == EngineState.FAILED) {
                    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
                } else {
                    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
                }
            } catch (RuntimeException e) {
                log.warn("[{}] error closing the consumer: {}", name, e.toString());
            }
        }
        if (writerExecutor != null) {
            writerExecutor.shutdownNow();
            try {
                if (!writerExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("[{}] the writer thread is still inside a sink call that ignores interrupts", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        forgetPartitions(new ArrayList<>(lagGauges.keySet()));
        engineGauges.forEach(config.meterRegistry()::remove);
        log.info("[{}] stopped", name);
    }
}
