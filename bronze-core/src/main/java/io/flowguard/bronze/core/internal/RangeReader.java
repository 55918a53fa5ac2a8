package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.core.BackfillResult;
import io.flowguard.bronze.core.DeadLetterBreaker;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.FlushTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads fixed offset ranges with assign + seek (no consumer group, nothing committed) and writes them through the same
 * conversion, sink, retry and dead-letter path as the engine. Runs on the calling thread; one use per instance.
 */
public final class RangeReader {
    private static final Logger log = LoggerFactory.getLogger(RangeReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final EngineConfig config;

    public RangeReader(EngineConfig config) {
        this.config = config;
    }

    /** Consumer properties for an assign-only reader: no group, no commits. */
    public Map<String, Object> consumerProperties() {
        Map<String, Object> props = new LinkedHashMap<>(config.consumerProperties());
        if (config.bootstrapServers() != null) {
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        }
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        props.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bronze-" + config.name() + "-replay");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /**
     * Reads {@code [from, to)} of each partition (clamped to the log end at the start) and writes it.
     *
     * @param mapper turns a read record into the record to ingest, or null to skip it (counted as skipped)
     * @param timeout gives up (throws) if the ranges are not read by then
     */
    public BackfillResult run(
            Consumer<byte[], byte[]> consumer,
            Map<TopicPartition, OffsetRange> ranges,
            Function<ConsumerRecord<byte[], byte[]>, ConsumerRecord<byte[], byte[]>> mapper,
            Duration timeout) {
        EngineMetrics metrics = new EngineMetrics(config.meterRegistry(), config.name() + "-replay");
        // A replay re-reads records chosen by an operator: every failure is dead-lettered again, never judged systemic.
        BatchWriter writer =
                new BatchWriter(config, metrics, new EngineStatus(), Thread::sleep, DeadLetterBreaker.disabled());
        Map<TopicPartition, Long> end = new HashMap<>();
        Map<TopicPartition, Long> start = new HashMap<>();
        Map<TopicPartition, Long> ends = consumer.endOffsets(ranges.keySet(), Duration.ofSeconds(30));
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(ranges.keySet(), Duration.ofSeconds(30));
        for (Map.Entry<TopicPartition, OffsetRange> e : ranges.entrySet()) {
            TopicPartition tp = e.getKey();
            if (!ends.containsKey(tp)) {
                throw new IllegalArgumentException("partition " + tp + " does not exist");
            }
            long begin = begins.getOrDefault(tp, 0L);
            if (e.getValue().from() < begin) {
                log.warn(
                        "[{}] {}: offsets {}..{} are no longer in the log (retention); reading from {}",
                        config.name(),
                        tp,
                        e.getValue().from(),
                        begin - 1,
                        begin);
            }
            start.put(tp, Math.max(e.getValue().from(), begin));
            end.put(tp, Math.min(e.getValue().toExclusive(), ends.get(tp)));
        }
        List<TopicPartition> active = new ArrayList<>();
        ranges.forEach((tp, r) -> {
            if (start.get(tp) < end.get(tp)) {
                active.add(tp);
            }
        });
        long read = 0;
        long landed = 0;
        long inserted = 0;
        long dead = 0;
        long skipped = 0;
        long batchId = 0;
        if (active.isEmpty()) {
            return new BackfillResult(0, 0, 0, 0, 0);
        }
        consumer.assign(active);
        for (TopicPartition tp : active) {
            consumer.seek(tp, start.get(tp));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
        while (!active.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "replay did not finish within " + timeout + "; still reading " + active);
            }
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            for (TopicPartition tp : records.partitions()) {
                long stop = end.get(tp);
                for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                    if (r.offset() >= stop) {
                        break;
                    }
                    read++;
                    ConsumerRecord<byte[], byte[]> mapped = mapper.apply(r);
                    if (mapped == null) {
                        skipped++;
                    } else {
                        pending.add(mapped);
                    }
                }
            }
            List<TopicPartition> finished = new ArrayList<>();
            for (TopicPartition tp : active) {
                if (consumer.position(tp) >= end.get(tp)) {
                    finished.add(tp);
                }
            }
            if (!finished.isEmpty()) {
                consumer.pause(finished); // stop fetching what is done
                active.removeAll(finished);
            }
            if (pending.size() >= config.maxBatchRecords() || (active.isEmpty() && !pending.isEmpty())) {
                for (int i = 0; i < pending.size(); i += config.maxBatchRecords()) {
                    List<ConsumerRecord<byte[], byte[]>> part =
                            pending.subList(i, Math.min(pending.size(), i + config.maxBatchRecords()));
                    Batch batch = new Batch(
                            ++batchId,
                            new ArrayList<>(part),
                            Map.<TopicPartition, OffsetAndMetadata>of(),
                            0,
                            FlushTrigger.REPLAY);
                    BatchResult res = writer.write(batch, () -> false);
                    landed += res.landed();
                    inserted += res.inserted();
                    dead += res.deadLettered();
                    skipped += res.skipped();
                }
                pending.clear();
            }
        }
        BackfillResult result = new BackfillResult(read, landed, inserted, dead, skipped);
        log.info("[{}] replay of {} finished: {}", config.name(), ranges.keySet(), result);
        return result;
    }
}
