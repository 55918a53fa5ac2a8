package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.FlushTrigger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Batch formation: the records polled but not yet handed to the writer, in poll order, and the rule for when a batch
 * is full ({@code maxBatchRecords}, {@code maxBatchBytes}) or due ({@code maxBatchWait} after its first record, measured
 * on the monotonic clock). Poll thread only; not thread-safe.
 */
final class RecordBuffer {
    /** A buffered record with when it arrived (monotonic nanos) and its size. */
    private record Pending(ConsumerRecord<byte[], byte[]> record, long arrivedAtNanos, int bytes) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    private final int maxBatchRecords;
    private final long maxBatchBytes;
    private final long maxBatchWaitNanos;
    private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
    private long bufferedBytes;
    private long nextBatchId = 1;

    RecordBuffer(int maxBatchRecords, long maxBatchBytes, long maxBatchWaitNanos) {
        this.maxBatchRecords = maxBatchRecords;
        this.maxBatchBytes = maxBatchBytes;
        this.maxBatchWaitNanos = maxBatchWaitNanos;
    }

    void add(ConsumerRecord<byte[], byte[]> r, long nowNanos) {
        int bytes = Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
        buffer.addLast(new Pending(r, nowNanos, bytes));
        bufferedBytes += bytes;
    }

    int size() {
        return buffer.size();
    }

    boolean isEmpty() {
        return buffer.isEmpty();
    }

    long bytes() {
        return bufferedBytes;
    }

    /** Which trigger would flush the head of the buffer now, or null. */
    FlushTrigger readyTrigger(long nowNanos) {
        if (buffer.isEmpty()) {
            return null;
        }
        if (buffer.size() >= maxBatchRecords) {
            return FlushTrigger.RECORDS;
        }
        if (bufferedBytes >= maxBatchBytes) {
            return FlushTrigger.BYTES;
        }
        if (nowNanos - buffer.peekFirst().arrivedAtNanos() >= maxBatchWaitNanos) {
            return FlushTrigger.WAIT;
        }
        return null;
    }

    /** Nanos until the head of the buffer is due by {@code maxBatchWait}, or {@code Long.MAX_VALUE} when empty. */
    long nanosUntilDue(long nowNanos) {
        return buffer.isEmpty()
                ? Long.MAX_VALUE
                : Math.max(0, buffer.peekFirst().arrivedAtNanos() + maxBatchWaitNanos - nowNanos);
    }

    /**
     * Takes records from the head of the buffer up to the record and byte limits (always at least one).
     *
     * @param epochOf the ownership epoch of each partition now, kept with the batch (see {@link CommitTracker})
     */
    Batch take(FlushTrigger trigger, ToLongFunction<TopicPartition> epochOf) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(Math.min(buffer.size(), maxBatchRecords));
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        long bytes = 0;
        while (!buffer.isEmpty() && records.size() < maxBatchRecords) {
            Pending p = buffer.peekFirst();
            if (!records.isEmpty() && bytes + p.bytes() > maxBatchBytes) {
                break;
            }
            buffer.pollFirst();
            bufferedBytes -= p.bytes();
            bytes += p.bytes();
            ConsumerRecord<byte[], byte[]> r = p.record();
            offsets.merge(
                    p.partition(), new OffsetAndMetadata(r.offset() + 1), (a, b) -> a.offset() >= b.offset() ? a : b);
            records.add(r);
        }
        Map<TopicPartition, Long> epochs = new HashMap<>();
        offsets.keySet().forEach(tp -> epochs.put(tp, epochOf.applyAsLong(tp)));
        return new Batch(nextBatchId++, records, offsets, epochs, bytes, trigger);
    }

    /** Removes and returns the buffered records not of the given partitions (to put back with {@link #restore}). */
    List<ConsumerRecord<byte[], byte[]>> retainOnly(Collection<TopicPartition> partitions, List<Long> arrivals) {
        Set<TopicPartition> set = new HashSet<>(partitions);
        List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>();
        for (Iterator<Pending> it = buffer.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (!set.contains(p.partition())) {
                kept.add(p.record());
                arrivals.add(p.arrivedAtNanos());
                bufferedBytes -= p.bytes();
                it.remove();
            }
        }
        return kept;
    }

    /** Appends records set aside by {@link #retainOnly}, keeping their arrival times. */
    void restore(List<ConsumerRecord<byte[], byte[]>> records, List<Long> arrivals) {
        for (int i = 0; i < records.size(); i++) {
            add(records.get(i), arrivals.get(i));
        }
    }

    /** Drops the buffered records of the given partitions; returns how many. */
    int drop(Collection<TopicPartition> partitions) {
        Set<TopicPartition> set = new HashSet<>(partitions);
        int dropped = 0;
        for (Iterator<Pending> it = buffer.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (set.contains(p.partition())) {
                bufferedBytes -= p.bytes();
                it.remove();
                dropped++;
            }
        }
        return dropped;
    }

    /** The lowest buffered offset per partition (where a rewind must start at the latest). */
    Map<TopicPartition, Long> firstOffsets() {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (Pending p : buffer) {
            first.merge(p.partition(), p.record().offset(), Math::min);
        }
        return first;
    }

    void clear() {
        buffer.clear();
        bufferedBytes = 0;
    }
}
