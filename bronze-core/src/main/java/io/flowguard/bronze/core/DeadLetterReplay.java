package io.flowguard.bronze.core;

import io.flowguard.bronze.core.internal.OffsetRange;
import io.flowguard.bronze.core.internal.RangeReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Re-ingests records from a dead-letter topic written by {@link KafkaDeadLetterSink}, after the cause was fixed. Each DLQ
 * record is turned back into the original record — original topic, partition, offset, timestamp, key, value and headers
 * (the {@code bronze.dlq.*} headers removed) — so it gets the same ingestion id it would have had, and a replay that runs
 * twice lands nothing twice. Records that fail again go to the configured dead-letter sink again. A dead letter whose
 * value or key was cut to fit the topic ({@value KafkaDeadLetterSink#H_PAYLOAD_SIZE} above the bytes kept, or a
 * {@value KafkaDeadLetterSink#H_KEY_SIZE} header) is not the original and is skipped with a warning: replay it from the
 * source topic with {@link BackfillJob} while it is still retained.
 *
 * <p>Reads the whole DLQ topic as it is at start (optionally filtered by original coordinates) with assign + seek and
 * commits nothing. Not thread-safe; run once.
 *
 * @since 0.1.0
 */
public final class DeadLetterReplay {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeadLetterReplay.class);
    private final EngineConfig config;
    private final String dlqTopic;
    private final Predicate<ConsumerRecord<byte[], byte[]>> filter;
    private final Duration timeout;

    private DeadLetterReplay(
            EngineConfig config, String dlqTopic, Predicate<ConsumerRecord<byte[], byte[]>> filter, Duration timeout) {
        this.config = config;
        this.dlqTopic = dlqTopic;
        this.filter = filter;
        this.timeout = timeout;
    }

    /**
     * A replay of {@code dlqTopic} through an engine configuration's sink, rules and dead-letter sink.
     *
     * @param originalFilter keeps only original records it accepts (e.g. one partition); {@code r -> true} for all
     */
    public static DeadLetterReplay of(
            EngineConfig config, String dlqTopic, Predicate<ConsumerRecord<byte[], byte[]>> originalFilter) {
        Objects.requireNonNull(config, "config");
        if (dlqTopic == null || dlqTopic.isBlank()) {
            throw new IllegalArgumentException("dlqTopic must be non-blank, but was '" + dlqTopic + "'");
        }
        return new DeadLetterReplay(
                config,
                dlqTopic,
                Objects.requireNonNull(originalFilter, "originalFilter"),
                BackfillJob.DEFAULT_TIMEOUT);
    }

    /** Runs the replay on the calling thread. */
    public BackfillResult run() {
        RangeReader reader = new RangeReader(config);
        try (Consumer<byte[], byte[]> consumer = config.consumerFactory().create(reader.consumerProperties())) {
            List<PartitionInfo> infos = consumer.partitionsFor(dlqTopic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("dead-letter topic '" + dlqTopic + "' does not exist");
            }
            Map<TopicPartition, OffsetRange> ranges = new LinkedHashMap<>();
            for (PartitionInfo p : infos) {
                TopicPartition tp = new TopicPartition(dlqTopic, p.partition());
                long begin = consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(30))
                        .get(tp);
                ranges.put(tp, new OffsetRange(begin, Long.MAX_VALUE));
            }
            return reader.run(consumer, ranges, r -> original(r).filter(filter).orElse(null), timeout);
        }
    }

    /**
     * The original record a DLQ record was made from, or empty when its replay headers are missing or it was truncated
     * (then it is not the original: landing it would store a cut payload under the original ingestion id).
     */
    public static Optional<ConsumerRecord<byte[], byte[]>> original(ConsumerRecord<byte[], byte[]> dlq) {
        String topic = header(dlq, KafkaDeadLetterSink.H_TOPIC);
        String partition = header(dlq, KafkaDeadLetterSink.H_PARTITION);
        String offset = header(dlq, KafkaDeadLetterSink.H_OFFSET);
        if (topic == null || partition == null || offset == null) {
            return Optional.empty();
        }
        String payloadSize = header(dlq, KafkaDeadLetterSink.H_PAYLOAD_SIZE);
        int kept = dlq.value() == null ? 0 : dlq.value().length;
        boolean valueCut =
                payloadSize != null && payloadSize.matches("\\d{1,10}") && Long.parseLong(payloadSize) > kept;
        if (valueCut || header(dlq, KafkaDeadLetterSink.H_KEY_SIZE) != null) {
            log.warn(
                    "dead letter of {}-{}@{} was truncated to fit the dead-letter topic ({}); not replayed: replay it from "
                            + "the source topic with BackfillJob",
                    topic,
                    partition,
                    offset,
                    valueCut ? "value " + kept + " of " + payloadSize + " bytes" : "key cut");
            return Optional.empty();
        }
        String ts = header(dlq, KafkaDeadLetterSink.H_TIMESTAMP);
        String tsType = header(dlq, KafkaDeadLetterSink.H_TIMESTAMP_TYPE);
        RecordHeaders headers = new RecordHeaders();
        for (Header h : dlq.headers()) {
            if (!h.key().startsWith(KafkaDeadLetterSink.PREFIX)) {
                headers.add(h.key(), h.value());
            }
        }
        TimestampType type = "LOG_APPEND_TIME".equals(tsType)
                ? TimestampType.LOG_APPEND_TIME
                : ts == null ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME;
        byte[] key = dlq.key();
        byte[] value = dlq.value();
        try {
            return Optional.of(new ConsumerRecord<>(
                    topic,
                    Integer.parseInt(partition),
                    Long.parseLong(offset),
                    ts == null ? ConsumerRecord.NO_TIMESTAMP : Long.parseLong(ts),
                    type,
                    key == null ? -1 : key.length,
                    value == null ? -1 : value.length,
                    key,
                    value,
                    headers,
                    Optional.empty()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
