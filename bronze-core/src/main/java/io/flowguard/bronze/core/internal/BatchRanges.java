package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.DeadLetter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset ranges a batch's sink calls describe ({@link BatchInfo.PartitionRange}, what a ledger-keeping sink records).
 * A batch written in one call is described by its whole range per partition ({@link #of}). A batch written in parts
 * (bisection after a rejected row, or the rest after rows the sink named) is described part by part so that the
 * written parts' ranges tile the batch: per partition, a part's range starts where the last written part's range ended,
 * so it covers what lies between (skipped tombstones, records dead-lettered at conversion or by the sink), and the part
 * holding a partition's last row reaches the batch's last offset. What no successful call reached (a batch with no rows,
 * a partition whose last rows were all rejected, or a batch whose every row was) is returned by {@link #uncovered}, for
 * an empty call that accounts for it. Without this a skipped tombstone at a part boundary would be in no ledger row and
 * show as a gap.
 *
 * <p>Public only as the bridge behind {@link io.flowguard.bronze.core.LedgerRanges}, through which hosts other than the
 * engine (the Kafka Connect task) describe their parts by the same rules; not API. Writer thread only; not thread-safe.
 */
public final class BatchRanges {
    /** A partition's range while it is being counted. */
    private static final class Counts {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int records;
        int dead;
        int skipped;
    }

    private final List<ConsumerRecord<byte[], byte[]>> records;
    private final Set<Coordinate> skipped;
    /** Per partition: the first offset no written part covers yet. */
    private final Map<TopicPartition, Long> next = new LinkedHashMap<>();
    /** Per partition: the batch's last offset. */
    private final Map<TopicPartition, Long> batchLast = new HashMap<>();
    /** Per partition: the offset of the batch's last row (a record that reached the sink). */
    private final Map<TopicPartition, Long> lastRow = new HashMap<>();

    /**
     * @param records the batch's consumed records
     * @param rows the records whose rows go to the sink, in batch order
     * @param skipped the records skipped at conversion
     */
    BatchRanges(
            List<ConsumerRecord<byte[], byte[]>> records,
            List<ConsumerRecord<byte[], byte[]>> rows,
            Set<Coordinate> skipped) {
        this.records = records;
        this.skipped = skipped;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            next.merge(tp, r.offset(), Math::min);
            batchLast.merge(tp, r.offset(), Math::max);
        }
        for (ConsumerRecord<byte[], byte[]> r : rows) {
            lastRow.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max);
        }
    }

    /**
     * The bridge from {@link io.flowguard.bronze.core.LedgerRanges}: as {@link #BatchRanges(List, List, Set)}, with the
     * skipped records themselves.
     */
    public static BatchRanges tiling(
            List<ConsumerRecord<byte[], byte[]>> records,
            List<ConsumerRecord<byte[], byte[]>> rows,
            Collection<ConsumerRecord<byte[], byte[]>> skipped) {
        Set<Coordinate> skippedAt = new HashSet<>();
        skipped.forEach(r -> skippedAt.add(Coordinate.of(r)));
        return new BatchRanges(records, rows, skippedAt);
    }

    /** The batch's ranges as one call describes it whole ({@link #of(List, List, Set)} of all its records). */
    public List<BatchInfo.PartitionRange> whole(List<DeadLetter> dead) {
        return of(records, dead, skipped);
    }

    /** Per-partition ranges of {@code records}, with how many were dead-lettered or skipped. */
    static List<BatchInfo.PartitionRange> of(
            List<ConsumerRecord<byte[], byte[]>> records, List<DeadLetter> dead, Set<Coordinate> skipped) {
        Map<TopicPartition, Counts> acc = count(records, dead, skipped, null);
        List<BatchInfo.PartitionRange> out = new ArrayList<>(acc.size());
        acc.forEach((tp, a) -> out.add(new BatchInfo.PartitionRange(
                tp.topic(), tp.partition(), a.first, a.last, a.records, a.dead, a.skipped)));
        return out;
    }

    /**
     * The ranges of a part whose rows come from {@code rows}: per partition, from the first offset no written part
     * covers to the part's last row (or to the batch's last offset when the part holds the partition's last row).
     *
     * @param dead the batch's dead letters so far (counted within the ranges)
     */
    public List<BatchInfo.PartitionRange> part(List<ConsumerRecord<byte[], byte[]>> rows, List<DeadLetter> dead) {
        Map<TopicPartition, Long> upTo = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : rows) {
            upTo.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max);
        }
        Map<TopicPartition, Long> from = new HashMap<>();
        upTo.replaceAll((tp, last) -> last.equals(lastRow.get(tp)) ? batchLast.get(tp) : last);
        upTo.keySet().forEach(tp -> from.put(tp, next.get(tp)));
        return within(from, upTo, dead);
    }

    /**
     * A sink call with rows described by {@code ranges} succeeded (the whole batch, or a part): its ranges are
     * covered.
     */
    public void written(List<BatchInfo.PartitionRange> ranges) {
        for (BatchInfo.PartitionRange r : ranges) {
            next.merge(new TopicPartition(r.topic(), r.partition()), r.lastOffset() + 1, Math::max);
        }
    }

    /**
     * After the batch's calls with rows: the ranges no successful call covers, for one empty call. That is the whole
     * batch when no record became a row (all dead-lettered or skipped at conversion), and a partition's last offsets
     * when the sink rejected its last rows (or all of them). Empty when the calls covered the batch.
     */
    public List<BatchInfo.PartitionRange> uncovered(List<DeadLetter> dead) {
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> upTo = new LinkedHashMap<>();
        next.forEach((tp, n) -> {
            if (n <= batchLast.get(tp)) {
                from.put(tp, n);
                upTo.put(tp, batchLast.get(tp));
            }
        });
        return upTo.isEmpty() ? List.of() : within(from, upTo, dead);
    }

    private List<BatchInfo.PartitionRange> within(
            Map<TopicPartition, Long> from, Map<TopicPartition, Long> upTo, List<DeadLetter> dead) {
        Map<TopicPartition, Counts> acc = count(records, dead, skipped, (tp, offset) -> {
            Long last = upTo.get(tp);
            return last != null && offset >= from.get(tp) && offset <= last;
        });
        List<BatchInfo.PartitionRange> out = new ArrayList<>(upTo.size());
        upTo.forEach((tp, last) -> {
            Counts a = acc.getOrDefault(tp, new Counts());
            out.add(new BatchInfo.PartitionRange(
                    tp.topic(), tp.partition(), from.get(tp), last, a.records, a.dead, a.skipped));
        });
        return out;
    }

    /** Decides whether a record of a partition is counted. */
    private interface Filter {
        boolean test(TopicPartition tp, long offset);
    }

    private static Map<TopicPartition, Counts> count(
            List<ConsumerRecord<byte[], byte[]>> records,
            List<DeadLetter> dead,
            Set<Coordinate> skipped,
            Filter filter) {
        Map<TopicPartition, Counts> acc = new LinkedHashMap<>();
        Set<Coordinate> deadAt = new HashSet<>();
        for (DeadLetter d : dead) {
            deadAt.add(Coordinate.of(d));
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (filter != null && !filter.test(tp, r.offset())) {
                continue;
            }
            Counts a = acc.computeIfAbsent(tp, k -> new Counts());
            a.first = Math.min(a.first, r.offset());
            a.last = Math.max(a.last, r.offset());
            a.records++;
            if (!deadAt.isEmpty() || !skipped.isEmpty()) {
                Coordinate c = Coordinate.of(r);
                if (deadAt.contains(c)) {
                    a.dead++;
                } else if (skipped.contains(c)) {
                    a.skipped++;
                }
            }
        }
        return acc;
    }
}
