package io.flowguard.bronze.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the engine knows about the batch a {@link BronzeSink#write(List, BatchInfo)} call belongs to: which engine and
 * group, why it was flushed, when, and which offsets of which partitions it covers. SQL sinks use it to write one
 * ingestion-ledger row per partition in the same transaction as the rows.
 *
 * <p>The ranges cover every consumed record of the batch, including the ones that were dead-lettered or skipped before the
 * sink was called; {@link PartitionRange#deadLettered()} and {@link PartitionRange#skipped()} say how many. When the engine
 * bisects a batch to isolate rows the warehouse rejects, each part is written with the same batch id and ranges that tile
 * the batch: a part's range starts where the last written part's ended (so it covers the rejected rows before it), and
 * offsets no part covered are announced in a closing call with no records, after their dead letters are stored.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class BatchInfo {
    private final String batchId;
    private final String engine;
    private final String groupId;
    private final String trigger;
    private final Instant startedAt;
    private final List<PartitionRange> ranges;

    private BatchInfo(
            String batchId,
            String engine,
            String groupId,
            String trigger,
            Instant startedAt,
            List<PartitionRange> ranges) {
        this.batchId = Objects.requireNonNull(batchId, "batchId");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.groupId = groupId;
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param batchId   unique across engines and restarts, e.g. {@code bronze-lq3k2x-42}
     * @param trigger   why the batch was flushed, lower case: {@code records}, {@code bytes}, {@code wait}, {@code idle},
     *                  {@code revocation}, {@code shutdown}, {@code replay}
     * @param startedAt when the batch was handed to the writer
     */
    public static BatchInfo of(
            String batchId,
            String engine,
            String groupId,
            String trigger,
            Instant startedAt,
            List<PartitionRange> ranges) {
        return new BatchInfo(batchId, engine, groupId, trigger, startedAt, ranges);
    }

    /** A batch with no engine context, for direct sink calls (tests, tools). */
    public static BatchInfo adHoc(Instant startedAt) {
        return new BatchInfo("adhoc-" + startedAt.toEpochMilli(), "adhoc", null, "adhoc", startedAt, List.of());
    }

    public String batchId() {
        return batchId;
    }

    public String engine() {
        return engine;
    }
    /** The consumer group, or null outside an engine. */
    public String groupId() {
        return groupId;
    }

    public String trigger() {
        return trigger;
    }

    public Instant startedAt() {
        return startedAt;
    }
    /** One entry per topic-partition in the batch, in no particular order. */
    public List<PartitionRange> ranges() {
        return ranges;
    }

    @Override
    public String toString() {
        return "BatchInfo{" + batchId + ", trigger=" + trigger + ", ranges=" + ranges + '}';
    }

    /** The offsets one batch covers in one partition, and what happened to them before the sink write. */
    public record PartitionRange(
            String topic,
            int partition,
            long firstOffset,
            long lastOffset,
            int records,
            int deadLettered,
            int skipped) {
        public PartitionRange {
            Objects.requireNonNull(topic, "topic");
            if (firstOffset > lastOffset || records < 0 || deadLettered < 0 || skipped < 0) {
                throw new IllegalArgumentException("need firstOffset <= lastOffset and non-negative counts, but got "
                        + firstOffset + ".." + lastOffset + " records=" + records + " deadLettered=" + deadLettered
                        + " skipped=" + skipped);
            }
        }
    }
}
