package io.flowguard.bronze.core;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.core.internal.BatchRanges;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The offset ranges ({@link BatchInfo#ranges()}, what a ledger-keeping sink records) of one batch's sink calls, by the
 * rules the {@link IngestionEngine} applies. For hosts that write batches of their own, such as a Kafka Connect sink
 * task, so that their ledger has no gaps the engine's would not have either.
 *
 * <p>A batch written in one call is described by {@link #whole}: per partition, its first to its last offset, with how
 * many records were dead-lettered or skipped. A batch written in parts (bisected after the sink rejected a row) is
 * described part by part, and the written parts tile the batch: per partition, a {@linkplain #part part's} range starts
 * where the last {@linkplain #written written} part's range ended (so it covers the skipped tombstones and dead letters
 * between), and the part holding a partition's last row reaches the batch's last offset. What no successful call reached
 * (a batch with no rows, or a partition whose last rows, or all of whose rows, the sink rejected) is returned by
 * {@link #uncovered}, for an empty {@link BronzeSink#write(List, BatchInfo)} call that accounts for it.
 *
 * <pre>{@code
 * LedgerRanges ranges = LedgerRanges.of(consumed, rows, skipped);
 * BatchInfo whole = BatchInfo.of(id, engine, group, "put", now, ranges.whole(deadLetters));
 * sink.write(records, whole);            // if there are rows; on success: ranges.written(whole.ranges())
 * // on a DATA error, per part:
 * BatchInfo part = BatchInfo.of(id, engine, group, "put", now, ranges.part(partRows, deadLetters));
 * sink.write(partRecords, part);         // on success: ranges.written(part.ranges())
 * // after the last call:
 * List<BatchInfo.PartitionRange> rest = ranges.uncovered(deadLetters); // if not empty: sink.write(List.of(), ...)
 * }</pre>
 *
 * <p><b>Order.</b> Parts are requested and written in batch order; {@link #written} gets exactly the ranges a successful
 * call carried. Dead letters of rows the sink rejected are stored before {@link #uncovered}'s call, so that no ledger row
 * covers an offset that is neither a row nor a stored dead letter.
 *
 * <p><b>Threads.</b> One instance per batch, used by the thread that writes it: <em>not</em> thread-safe. The lists given
 * to {@link #of} are kept, not copied, and must not change afterwards.
 *
 * @since 0.2.0
 */
public final class LedgerRanges {
    private final BatchRanges ranges;

    private LedgerRanges(BatchRanges ranges) {
        this.ranges = ranges;
    }

    /**
     * The ranges of a batch.
     *
     * @param records every record of the batch, as consumed; never null
     * @param rows    the records whose rows go to the sink (converted to a {@code BronzeRecord}), in batch order, a subset
     *                of {@code records}; never null
     * @param skipped the records skipped at conversion (tombstones under {@code TombstonePolicy.SKIP}), a subset of
     *                {@code records}; never null
     */
    public static LedgerRanges of(
            List<ConsumerRecord<byte[], byte[]>> records,
            List<ConsumerRecord<byte[], byte[]>> rows,
            Collection<ConsumerRecord<byte[], byte[]>> skipped) {
        Objects.requireNonNull(records, "records must not be null");
        Objects.requireNonNull(rows, "rows must not be null");
        Objects.requireNonNull(skipped, "skipped must not be null");
        return new LedgerRanges(BatchRanges.tiling(records, rows, skipped));
    }

    /**
     * The ranges of the batch written in one call: per partition, its first to last offset.
     *
     * @param dead the batch's dead letters (counted in the ranges); never null
     */
    public List<BatchInfo.PartitionRange> whole(List<DeadLetter> dead) {
        return ranges.whole(Objects.requireNonNull(dead, "dead must not be null"));
    }

    /**
     * The ranges of a part: per partition, from the first offset no written part covers to the part's last row, or to
     * the batch's last offset when the part holds the partition's last row.
     *
     * @param rows the records whose rows this part writes; never null
     * @param dead the batch's dead letters so far (counted in the ranges); never null
     */
    public List<BatchInfo.PartitionRange> part(List<ConsumerRecord<byte[], byte[]>> rows, List<DeadLetter> dead) {
        return ranges.part(
                Objects.requireNonNull(rows, "rows must not be null"),
                Objects.requireNonNull(dead, "dead must not be null"));
    }

    /**
     * Records that a sink call with rows described by {@code callRanges} succeeded (the whole batch, or a part): later
     * parts start after it, and {@link #uncovered} leaves it out.
     */
    public void written(List<BatchInfo.PartitionRange> callRanges) {
        ranges.written(Objects.requireNonNull(callRanges, "callRanges must not be null"));
    }

    /**
     * After the batch's calls with rows: the ranges no {@linkplain #written successful} call covers, for one empty sink
     * call that accounts for them. That is the whole batch when no record became a row (all were dead-lettered or
     * skipped at conversion), and a partition's last offsets when the sink rejected its last rows. Empty when the calls
     * covered the batch.
     *
     * @param dead the batch's dead letters (counted in the ranges); never null
     */
    public List<BatchInfo.PartitionRange> uncovered(List<DeadLetter> dead) {
        return ranges.uncovered(Objects.requireNonNull(dead, "dead must not be null"));
    }
}
