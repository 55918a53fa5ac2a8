package io.flowguard.bronze.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A {@link MockConsumer} that behaves a little more like the real one for engine tests: an empty poll blocks briefly (as a
 * real poll would, instead of spinning), the rebalance listener is kept so tests can simulate lost partitions, and polls
 * are counted.
 */
class TestConsumer extends MockConsumer<byte[], byte[]> {
    final AtomicInteger polls = new AtomicInteger();
    private volatile ConsumerRebalanceListener listener;
    volatile Map<String, Object> properties;

    TestConsumer() {
        super("earliest");
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        this.listener = listener;
        super.subscribe(topics, listener);
    }

    ConsumerRebalanceListener listener() {
        return listener;
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        polls.incrementAndGet();
        ConsumerRecords<byte[], byte[]> r = super.poll(timeout);
        if (r.isEmpty() && !timeout.isZero()) {
            LockSupport.parkNanos(Math.min(timeout.toNanos(), 2_000_000L)); // like a real poll waiting for data
        }
        return r;
    }

    /** Assigns partitions 0..n-1 of a topic, with beginning and end offsets 0 (as a real, empty topic has). */
    void assign(String topic, int partitions) {
        assign(topic, partitions, 0L);
    }

    /** Assigns partitions 0..n-1 of a topic, with beginning offsets 0 and the given end offset. */
    void assign(String topic, int partitions, long endOffset) {
        java.util.List<TopicPartition> tps = new java.util.ArrayList<>();
        java.util.Map<TopicPartition, Long> begin = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            tps.add(tp);
            begin.put(tp, 0L);
        }
        schedulePollTask(() -> {
            updateBeginningOffsets(begin);
            java.util.Map<TopicPartition, Long> end = new java.util.HashMap<>(begin);
            for (TopicPartition tp : tps) {
                end.put(tp, endOffset);
            }
            updateEndOffsets(end);
            rebalance(tps);
        });
    }

    /** Adds a JSON record with the given value (synchronously on the consumer's lock). */
    void add(String topic, int partition, long offset, String value) {
        byte[] v = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        addRecord(new ConsumerRecord<>(
                topic,
                partition,
                offset,
                1_700_000_000_000L + offset,
                TimestampType.CREATE_TIME,
                3,
                v == null ? -1 : v.length,
                "key".getBytes(StandardCharsets.UTF_8),
                v,
                new RecordHeaders(),
                Optional.empty()));
    }

    /** Committed offsets, kept here too so tests can read them after the engine closed the consumer. */
    private final Map<TopicPartition, Long> commits = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        super.commitSync(offsets);
        offsets.forEach((tp, om) -> commits.put(tp, om.offset()));
    }

    @Override
    public synchronized void commitAsync(
            Map<TopicPartition, OffsetAndMetadata> offsets,
            org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
        super.commitAsync(offsets, callback);
        offsets.forEach((tp, om) -> commits.put(tp, om.offset()));
    }

    Optional<Long> committedOffset(String topic, int partition) {
        return Optional.ofNullable(commits.get(new TopicPartition(topic, partition)));
    }

    static String order(int i) {
        return "{\"event_id\":\"e-" + i + "\",\"event_type\":\"order_created\",\"order_id\":\"o-" + i
                + "\",\"user_id\":" + i + ",\"price\":10.5}";
    }

    static List<String> orders(int from, int to) {
        return java.util.stream.IntStream.range(from, to)
                .mapToObj(TestConsumer::order)
                .toList();
    }
}
