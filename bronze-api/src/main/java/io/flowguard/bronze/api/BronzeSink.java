package io.flowguard.bronze.api;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Bronze records land: a warehouse table writer, an in-memory store in tests, anything that can store a batch.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li><b>Idempotent on ingestion id</b>: writing a record whose {@link BronzeRecord#ingestionId()} is already stored
 *       changes nothing; records repeated inside one batch are stored once. A restart re-delivers records, so this is what
 *       makes delivery exactly-once in the table.</li>
 *   <li><b>All or nothing per call</b>: when {@code write} returns, every record of the batch is durably stored (as new or
 *       as an already-present row). When it throws, the engine assumes none of the batch is stored and will write it
 *       again; a sink that committed part of it before failing is still correct because of idempotence.</li>
 *   <li><b>Errors</b>: throw {@link SinkWriteException} with {@link SinkWriteException.ErrorKind#TRANSIENT} for failures
 *       worth retrying and {@link SinkWriteException.ErrorKind#DATA} when a record is rejected. Any other runtime exception
 *       is treated as transient.</li>
 *   <li><b>Order</b>: records arrive in offset order within each partition.</li>
 * </ul>
 *
 * <p><b>Threading.</b> The engine calls {@code write} from one writer thread at a time, but a sink instance may be shared
 * by several engines, so implementations must be thread-safe.
 *
 * @since 0.1.0
 */
public interface BronzeSink extends AutoCloseable {

    /**
     * Stores a batch without engine context: the same as {@link #write(List, BatchInfo)} with
     * {@link BatchInfo#adHoc(Instant) BatchInfo.adHoc(now)}, for tests and tools that call a sink directly.
     *
     * @param records the batch, never null, may be empty; the list must not be modified
     * @return how many records were new
     * @throws SinkWriteException when the batch could not be stored
     */
    default WriteResult write(List<BronzeRecord> records) {
        Objects.requireNonNull(records, "records");
        return write(records, BatchInfo.adHoc(Instant.now()));
    }

    /**
     * Stores a batch the engine formed: the method every sink implements, and the one the engine always calls. SQL sinks
     * write their ingestion ledger from {@code batch} in the same transaction; decorators must pass {@code batch} on
     * unchanged, so that the batch context is never lost on the way to the sink that keeps it.
     *
     * <p>The engine also calls it with an empty list for offsets that no call with records covered (every record of a
     * batch dead-lettered or skipped, or a partition's last rows rejected by the sink, after their dead letters are
     * stored), so a ledger-keeping sink can account for those offsets; other sinks simply return
     * {@link WriteResult#empty()}.
     *
     * @param records the batch, never null, may be empty; the list must not be modified
     * @param batch where the records came from and why they were flushed; never null
     * @return how many records were new
     * @throws SinkWriteException when the batch could not be stored
     * @since 0.2.0 (abstract; before, {@link #write(List)} was)
     */
    WriteResult write(List<BronzeRecord> records, BatchInfo batch);

    /**
     * The dead-letter sink that belongs with this sink, if it has one: the SQL sinks keep dead letters in a
     * {@code BRONZE_DEAD_LETTER} table of the same database. The engine uses it when the builder was given no
     * dead-letter sink, so that a bad event is never dropped on the floor by default. Decorators must delegate.
     *
     * @return the companion dead-letter sink, or empty (the default) when the sink has none
     * @since 0.2.0
     */
    default Optional<DeadLetterSink> companionDeadLetterSink() {
        return Optional.empty();
    }

    /**
     * For each of the given partitions, the next offset this sink already holds: one past the highest offset it has
     * durably stored (like Snowpipe Streaming's offset token). The engine calls it when partitions are assigned and seeks
     * a partition there when it is ahead of the group's committed offset, so that a crash between the warehouse commit
     * and the Kafka commit never writes a row twice in a sink that appends without deduplicating. It also compares the
     * position with the partition's log-end offset to detect a topic that was deleted and recreated.
     *
     * <p>Partitions the sink knows nothing about are absent from the result. The default returns an empty map (the sink
     * does not track positions; it is idempotent on ingestion id instead). Called from the engine's poll thread inside a
     * rebalance callback, so it must be quick (one indexed query); a failure throws {@link SinkWriteException}.
     *
     * @param partitions the newly assigned partitions, never null
     * @return the next offset per partition, for the partitions the sink has stored anything of
     * @since 0.2.0
     */
    default Map<SourcePartition, Long> storedPositions(Collection<SourcePartition> partitions) {
        return Map.of();
    }

    /**
     * The batch limits this sink works best with, if it has an opinion: the engine uses them for each of
     * {@code maxBatchRecords}, {@code maxBatchBytes}, {@code maxBatchWait} and {@code flushWhenIdle} that its builder was
     * not given, and logs once at creation which ones came from the sink. A recommendation made with the three-argument
     * {@link BatchLimits} constructor turns {@code flushWhenIdle} off (batches fill to a limit) unless the builder sets it. Explicit settings always win. The Snowflake sink recommends large
     * batches (each transaction costs about a second there); the default, empty, leaves the engine's generic defaults.
     * Decorators must delegate.
     *
     * <p>Called once per engine configuration, from the thread that builds it; must be cheap and must not touch the
     * database.
     *
     * @return the recommended limits, or empty (the default) when the engine's defaults suit this sink
     * @since 0.2.0
     */
    default Optional<BatchLimits> recommendedBatchLimits() {
        return Optional.empty();
    }

    /** A short name for logs and metrics, e.g. {@code "snowflake"}; defaults to the simple class name. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Releases resources the sink owns; a {@code DataSource} passed in by the caller stays the caller's. */
    @Override
    default void close() {}
}
