package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.BronzeMeters;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.FlushTrigger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread's work: poll, hand batches to the writer thread, commit after each write, pause while a full batch
 * waits, and handle rebalances. Everything here runs on the poll thread — the only thread that touches the consumer —
 * except {@link #requestClose} and {@link #requestAbort}, which only set flags. The parts with rules of their own live
 * apart, each with its own tests: batch formation in {@link RecordBuffer}, the writer's ordered queue in
 * {@link WriterQueue}, the commit rule in {@link CommitTracker} (sent by {@link OffsetCommitter}), lag in
 * {@link LagMonitor}, stored positions in {@link StoredPositions}.
 *
 * <p>Up to {@value #MAX_IN_FLIGHT} batches are queued to the writer so it never idles between batches; the writer
 * completes them in order and each is committed only after it and every batch before it was written. Memory is bounded:
 * the queued batches (batches abandoned by a timed-out revocation count against the same limit), each held twice once
 * the converter has run ahead (the consumed records and their Bronze rows), one full batch waiting, and what one
 * {@code poll} returned.
 *
 * <p>Size note: about 500 lines, over the ~400 we aim for: the loop, the drain and the three rebalance callbacks all decide, on
 * one thread, what happens to the same buffer, queue and consumer (flush, let go, rewind, pause); what remains here is
 * that orchestration, and splitting it further would spread one thread's decisions over classes that must call back
 * into each other.
 */
final class PollLoop implements ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    /** Batches queued to the writer at most. */
    static final int MAX_IN_FLIGHT = 3;

    /** With {@code flushWhenIdle}, how long a poll blocks at most while buffered records wait for a busy writer. */
    private static final long IDLE_RECHECK_NANOS = Duration.ofMillis(5).toNanos();
    /** Bound on a synchronous commit (rebalance callbacks, close). */
    static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);

    private final EngineConfig config;
    private final DefaultIngestionEngine engine;
    private final String name;
    private final EngineMetrics metrics;
    private final EngineStatus status = new EngineStatus();
    private final CommitTracker commits = new CommitTracker();
    private final RecordBuffer buffer;
    private final LagMonitor lag;
    private final OffsetCommitter committer;
    private final StoredPositions storedPositions;
    /** Batches handed to the writer thread, in order (see {@link WriterQueue}). Created by {@link #run()}. */
    private WriterQueue queue;

    private List<Gauge> engineGauges = List.of();
    private long lastLagRefreshNanos;
    private boolean lagRefreshDue = true;
    private boolean paused;
    /** When the dead-letter breaker's pause ends (monotonic nanos), or 0. */
    private long breakerUntilNanos;

    private volatile boolean closeRequested;
    private volatile boolean abortRequested;
    private volatile long closeDeadlineNanos;
    private volatile boolean drained;
    private boolean closing;
    private Consumer<byte[], byte[]> consumer;

    PollLoop(EngineConfig config, DefaultIngestionEngine engine) {
        this.config = config;
        this.engine = engine;
        this.name = config.name();
        this.metrics = new EngineMetrics(config.meterRegistry(), name);
        this.buffer = new RecordBuffer(
                config.maxBatchRecords(),
                config.maxBatchBytes(),
                config.maxBatchWait().toNanos());
        this.lag = new LagMonitor(name, status, config.meterRegistry(), metrics.engineTags());
        this.committer = new OffsetCommitter(name, commits, metrics, status, lag, config.clock(), COMMIT_TIMEOUT);
        this.storedPositions = new StoredPositions(name, config.sink(), status, commits);
    }

    EngineStatus status() {
        return status;
    }

    /**
     * Registers the engine-level gauges when the engine starts (not when it is built: an engine closed unstarted must
     * leave nothing behind). Two live engines with one name in one registry would share them, so that is refused.
     */
    void registerGauges() {
        MeterRegistry registry = config.meterRegistry();
        if (registry.find(BronzeMeters.CONSUMER_LAG_MAX)
                        .tags(metrics.engineTags())
                        .gauge()
                != null) {
            throw new IllegalStateException(
                    "another running engine is named '" + name + "' in this MeterRegistry, so their "
                            + "gauges would collide; give each engine its own name(...), or close the other one first");
        }
        engineGauges = List.of(
                Gauge.builder(BronzeMeters.CONSUMER_LAG_MAX, status, EngineStatus::maxLagGauge)
                        .tags(metrics.engineTags())
                        .description(
                                "largest lag (log-end minus committed offset) over assigned partitions; NaN while unknown")
                        .register(registry),
                Gauge.builder(
                                BronzeMeters.SECONDS_SINCE_LAST_COMMIT,
                                status,
                                s -> s.lastCommitMillis() == 0
                                        ? 0.0
                                        : Math.max(0, config.clock().millis() - s.lastCommitMillis()) / 1000.0)
                        .tags(metrics.engineTags())
                        .baseUnit("seconds")
                        .register(registry));
    }

    void requestClose(long deadlineNanos) {
        closeDeadlineNanos = deadlineNanos;
        closeRequested = true;
    }

    void requestAbort() {
        abortRequested = true;
    }

    /** Whether the last drain wrote and committed everything buffered. */
    boolean drained() {
        return drained;
    }

    /** Whether {@code t} is this loop's writer thread (a sink or dead-letter sink calling back into the engine). */
    boolean isWriterThread(Thread t) {
        WriterQueue q = queue;
        return q != null && q.isWriterThread(t);
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
        // Records of aborted transactions must never land (a transactional producer that aborts and re-sends would
        // otherwise leave phantom rows under distinct ingestion ids); lag is then measured against the LSO.
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (config.instanceId() != null) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId());
        }
        if (config.groupProtocol() == GroupProtocol.CONSUMER) {
            props.put(
                    ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                    GroupProtocol.CONSUMER.name().toLowerCase(java.util.Locale.ROOT));
        }
        Object protocol = props.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        if (protocol == null || "classic".equalsIgnoreCase(protocol.toString())) {
            props.putIfAbsent(
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        return props;
    }

    void run() {
        queue = new WriterQueue(name, new BatchWriter(config, metrics, status, Thread::sleep), () -> abortRequested);
        RuntimeException failure = null;
        try {
            consumer = config.consumerFactory().create(consumerProperties());
            committer.attach(consumer);
            consumer.subscribe(config.topics(), this);
            engine.transition(EngineState.STARTING, EngineState.RUNNING);
            log.info("[{}] subscribed to {} as group {}", name, config.topics(), config.groupId());
            while (!closeRequested && !abortRequested) {
                step();
            }
            if (abortRequested) {
                log.info(
                        "[{}] aborting: {} buffered record(s) and any in-flight batch are left uncommitted",
                        name,
                        buffer.size());
            } else {
                drain();
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            shutdown(failure != null);
        }
        if (failure != null) {
            // Announced after shutdown: a supervisor that restarts on FAILED finds the gauges free for the new engine.
            engine.fail(failure);
        }
    }

    /** One iteration: settle finished batches, dispatch ready ones, pause or resume, poll. */
    private void step() {
        Throwable failed = queue.firstWriteFailure();
        if (failed != null && !queue.hasInFlight()) {
            // A batch abandoned by a timed-out revocation failed after it was let go: stop here, commit nothing more.
            throw WriterQueue.asRuntime(failed, "a batch failed");
        }
        pruneAbandoned();
        settleDone();
        long nowNanos = System.nanoTime();
        if (lagRefreshDue
                || nowNanos - lastLagRefreshNanos >= config.lagRefreshInterval().toNanos()) {
            lastLagRefreshNanos = nowNanos;
            lagRefreshDue = false;
            lag.refresh(consumer, commits, nowNanos);
            engine.checkHealth();
        }
        if (committer.retryDue(nowNanos)) {
            committer.commit(false); // retry a failed asynchronous commit
        }
        if (breakerUntilNanos != 0) {
            if (nowNanos - breakerUntilNanos < 0) {
                pollOnce(config.pollTimeout()); // paused: keep the membership alive
                return;
            }
            breakerUntilNanos = 0;
            log.info("[{}] dead-letter breaker: re-reading the paused partitions", name);
            setPaused(false);
        }
        FlushTrigger trigger = buffer.readyTrigger(nowNanos);
        while (trigger != null && queue.queued() < MAX_IN_FLIGHT) {
            dispatch(buffer.take(trigger, commits::epoch));
            trigger = buffer.readyTrigger(nowNanos);
        }
        if (trigger == null && config.flushWhenIdle() && !buffer.isEmpty() && queue.queued() == 0) {
            // Nothing is being written: what is buffered goes now instead of waiting for a limit. Under load the
            // writer is never idle here, so batches keep filling while the previous one is written.
            dispatch(buffer.take(FlushTrigger.IDLE, commits::epoch));
        }
        setPaused(trigger == FlushTrigger.RECORDS || trigger == FlushTrigger.BYTES);
        if (trigger != null) {
            // A batch is ready but the writer's queue is full: wait on the oldest write, then keep the membership
            // alive.
            queue.awaitOldest(config.pollTimeout().toMillis());
            pollOnce(Duration.ZERO);
        } else {
            long timeout = Math.min(config.pollTimeout().toNanos(), buffer.nanosUntilDue(nowNanos));
            if (config.flushWhenIdle() && !buffer.isEmpty()) {
                // Records wait for the write in progress: look again soon, so they go when it ends.
                timeout = Math.min(timeout, IDLE_RECHECK_NANOS);
            }
            pollOnce(Duration.ofNanos(timeout));
        }
    }

    private void pollOnce(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(timeout);
        } catch (WakeupException e) {
            return;
        }
        long now = System.nanoTime();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
            for (ConsumerRecord<byte[], byte[]> r : list) {
                buffer.add(r, now);
            }
            commits.fetched(tp, list.get(0).offset(), list.get(list.size() - 1).offset() + 1);
            metrics.consumed(tp.topic(), list.size());
        }
        for (TopicPartition tp : consumer.assignment()) {
            if (commits.hasFetched(tp)) {
                try {
                    commits.positionObserved(tp, consumer.position(tp, Duration.ZERO));
                } catch (RuntimeException e) {
                    // position not known locally right now (being reset): observe it after a later poll
                }
            }
        }
    }

    private void dispatch(Batch batch) {
        metrics.flushed(batch.trigger(), batch.records().size());
        log.debug(
                "[{}] batch {}: {} record(s), {} bytes, trigger {}",
                name,
                batch.id(),
                batch.records().size(),
                batch.bytes(),
                batch.trigger());
        queue.dispatch(batch);
    }

    private void settleDone() {
        while (queue.oldestDone()) {
            settle(false);
        }
    }

    /** Credits abandoned batches that were written meanwhile, in order; rewinds when one of them tripped the breaker. */
    private void pruneAbandoned() {
        List<Batch> credited = new ArrayList<>();
        if (!queue.pruneAbandoned(credited::add)) {
            rewind(queue.rewindCause());
            return;
        }
        if (!credited.isEmpty()) {
            credited.forEach(this::credit);
            committer.commit(false);
        }
    }

    /** {@link #pruneAbandoned()}, then fails when the oldest abandoned batch failed (nothing may pass it). */
    private void pruneAbandonedOrFail() {
        pruneAbandoned();
        queue.failIfAbandonedFailed();
    }

    /** Offsets of partitions lost or re-assigned since the batch formed are ignored (ownership epochs). */
    private void credit(Batch batch) {
        batch.commitOffsets()
                .forEach((tp, om) -> commits.written(tp, batch.epochs().getOrDefault(tp, 0L), om.offset()));
    }

    /**
     * Commits the oldest queued batch, which must be done, or fails the engine when its write failed (or rewinds, when
     * it tripped the dead-letter breaker).
     */
    private void settle(boolean sync) {
        Batch batch = queue.takeOldest();
        if (batch == null) {
            rewind(queue.rewindCause());
            return;
        }
        log.debug("[{}] batch {} written", name, batch.id());
        credit(batch);
        if (status.breakerReason() != null) {
            status.breakerClosed();
            log.info("[{}] dead-letter breaker closed: a batch landed", name);
            engine.checkHealth();
        }
        committer.commit(sync);
    }

    /**
     * The dead-letter breaker tripped: no batch from the tripping one on may be written or committed. Waits for the
     * queued batches (they skip at once), seeks every owned partition back to its first unwritten record, drops the
     * buffer, pauses all partitions for the breaker's retry-after, and reports DEGRADED.
     */
    private void rewind(RuntimeException cause) {
        Map<TopicPartition, Long> from =
                new HashMap<>(queue.clearForRewind(config.revocationTimeout().toMillis()));
        buffer.firstOffsets().forEach((tp, o) -> from.merge(tp, o, Math::min));
        buffer.clear();
        Set<TopicPartition> owned = consumer.assignment();
        from.forEach((tp, offset) -> {
            if (owned.contains(tp)) {
                consumer.seek(tp, offset);
                commits.seeked(tp, offset);
            }
        });
        String reason = cause instanceof SystemicDeadLettersException ? cause.getMessage() : "dead-letter breaker open";
        log.warn(
                "[{}] {}; rewound {} and paused for {}",
                name,
                reason,
                from,
                config.deadLetterBreaker().retryAfter());
        status.breakerOpen(reason);
        breakerUntilNanos =
                System.nanoTime() + config.deadLetterBreaker().retryAfter().toNanos();
        setPaused(true);
        engine.checkHealth();
    }

    private void setPaused(boolean pause) {
        if (pause == paused) {
            return;
        }
        paused = pause;
        if (pause) {
            consumer.pause(consumer.assignment());
            log.debug("[{}] paused", name);
        } else {
            // All assigned partitions, not paused(): what a rebalance keeps paused differs between client versions.
            Set<TopicPartition> resume = new HashSet<>(consumer.assignment());
            resume.removeAll(storedPositions.quarantined());
            consumer.resume(resume);
            log.debug("[{}] resumed", name);
        }
    }

    /** Writes and commits everything buffered until the close deadline, then returns. */
    private void drain() {
        engine.transition(EngineState.RUNNING, EngineState.DRAINING);
        long deadline = closeDeadlineNanos;
        int before = buffer.size();
        boolean done = breakerUntilNanos == 0 && flushSynchronously(deadline, FlushTrigger.SHUTDOWN, null);
        if (!done) {
            buffer.clear(); // what could not be written in time stays uncommitted and is re-delivered
        }
        committer.commit(true);
        drained = done
                && buffer.isEmpty()
                && !queue.hasInFlight()
                && commits.toCommit(consumer.assignment()).isEmpty();
        log.info(
                "[{}] drained {} of {} buffered record(s){}",
                name,
                before - buffer.size(),
                before,
                drained ? "" : "; the rest is left uncommitted and will be re-delivered");
    }

    /**
     * Settles the queued batches, then writes and commits (synchronously) every buffered record — of the given partitions
     * only, when {@code only} is not null — until done or past the deadline. Returns whether everything was written.
     */
    private boolean flushSynchronously(long deadlineNanos, FlushTrigger trigger, Collection<TopicPartition> only) {
        if (!settleAll(deadlineNanos)) {
            return false;
        }
        List<Long> arrivals = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> keep = only == null ? List.of() : buffer.retainOnly(only, arrivals);
        try {
            while (!buffer.isEmpty() && !abortRequested) {
                while (!buffer.isEmpty() && queue.queued() < MAX_IN_FLIGHT) {
                    dispatch(buffer.take(trigger, commits::epoch));
                }
                if (!queue.hasInFlight()) {
                    // The queue is full of batches an earlier timed-out revocation let go: wait for room, within the
                    // deadline.
                    if (!awaitOldestBefore(deadlineNanos)) {
                        return false;
                    }
                    pruneAbandonedOrFail();
                    continue;
                }
                if (!settleAll(deadlineNanos)) {
                    return false;
                }
            }
            return buffer.isEmpty();
        } finally {
            buffer.restore(keep, arrivals);
        }
    }

    /**
     * Waits for every queued batch in order, commits them synchronously, and returns true; or, past the deadline, lets
     * the unfinished ones go uncommitted (they will be re-delivered; they still count against the queue limit until they
     * finish) and returns false.
     */
    private boolean settleAll(long deadlineNanos) {
        while (queue.hasInFlight()) {
            if (!awaitOldestBefore(deadlineNanos)) {
                long oldest = queue.oldestInFlightId();
                int n = queue.abandonAll();
                log.warn(
                        "[{}] {} queued batch(es) from batch {} not written in time; leaving them uncommitted",
                        name,
                        n,
                        oldest);
                if (!abortRequested) {
                    committer.commit(true);
                }
                return false;
            }
            if (queue.hasAbandoned()) {
                pruneAbandonedOrFail();
                continue;
            }
            settle(false);
        }
        committer.commit(true);
        return true;
    }

    /**
     * Waits for the oldest queued write until the deadline, in slices, so that {@code abort()} ends a revocation or
     * drain wait at once instead of after it.
     */
    private boolean awaitOldestBefore(long deadlineNanos) {
        while (true) {
            if (queue.awaitOldest(Math.min(100, remainingMillis(deadlineNanos)))) {
                return true;
            }
            if (abortRequested || remainingMillis(deadlineNanos) == 0) {
                return false;
            }
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty() || abortRequested || closing || engine.state() == EngineState.FAILED) {
            // While closing, the drain already wrote and committed what it could within the close timeout; the
            // revocation inside consumer.close() must not wait a second time.
            return;
        }
        log.info("[{}] partitions revoked: {}; writing and committing their buffered records", name, partitions);
        flushSynchronously(
                System.nanoTime() + config.revocationTimeout().toNanos(), FlushTrigger.REVOCATION, partitions);
        if (!abortRequested) {
            committer.commit(true);
        }
        queue.dropAbandonedOf(partitions);
        int dropped = buffer.drop(partitions); // what could not be written in time belongs to the next owner now
        if (dropped > 0) {
            log.info(
                    "[{}] dropped {} uncommitted buffered record(s) of revoked partitions {}",
                    name,
                    dropped,
                    partitions);
        }
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        log.warn(
                "[{}] partitions lost: {}; their buffered records are dropped uncommitted and will be re-delivered",
                name,
                partitions);
        buffer.drop(partitions);
        forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        status.markGroupJoined();
        if (partitions.isEmpty()) {
            return;
        }
        log.info("[{}] partitions assigned: {}", name, partitions);
        partitions.forEach(commits::assigned);
        storedPositions.onAssigned(consumer, partitions);
        lagRefreshDue = true; // measure the new partitions' lag on the next step
        if (paused) {
            consumer.pause(partitions);
        }
        engine.checkHealth();
    }

    private void forget(Collection<TopicPartition> partitions) {
        commits.forget(partitions);
        lag.forget(partitions);
        storedPositions.forget(partitions);
    }

    private void shutdown(boolean failed) {
        closing = true;
        committer.closing();
        long deadline = closeRequested ? closeDeadlineNanos : System.nanoTime();
        if (consumer != null) {
            try {
                Duration timeout = abortRequested || failed
                        ? Duration.ZERO
                        : Duration.ofMillis(Math.min(5_000, Math.max(0, remainingMillis(deadline))));
                consumer.close(CloseOptions.timeout(timeout));
            } catch (RuntimeException e) {
                log.warn("[{}] error closing the consumer: {}", name, e.toString());
            }
        }
        if (queue != null) {
            try {
                if (!queue.shutdown(Math.max(100, remainingMillis(deadline)))) {
                    log.warn(
                            "[{}] the writer thread is still inside a sink call that ignores interrupts; it is abandoned "
                                    + "(nothing it writes now is committed)",
                            name);
                }
                if (!queue.converterStopped()) {
                    log.warn(
                            "[{}] the converter thread is still converting a batch after {} ms; it is abandoned (its "
                                    + "result is never written)",
                            name,
                            WriterQueue.CONVERTER_STOP_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lag.forgetAll();
        engineGauges.forEach(config.meterRegistry()::remove);
        log.info("[{}] stopped", name);
    }
}
