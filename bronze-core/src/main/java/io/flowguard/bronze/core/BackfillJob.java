package io.flowguard.bronze.core;

import io.flowguard.bronze.core.internal.OffsetRange;
import io.flowguard.bronze.core.internal.RangeReader;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Re-ingests a range of a topic — "replay partition 3 from offset 1000 to 1050" — with a separate consumer that uses
 * assign + seek and commits nothing, so the live group is untouched. Records go through the same conversion, sink,
 * retries and dead-lettering as the engine; because ingestion ids are derived from topic, partition and offset, rows that
 * already landed change nothing (see {@link BackfillResult#inserted()}).
 *
 * <pre>{@code
 * BackfillResult r = BackfillJob.builder(engineConfig).topic("orders").partition(3)
 *     .fromOffset(1000).toOffset(1050).build().run();
 * }</pre>
 *
 * <p>Offsets are inclusive on both ends; a time range selects offsets by Kafka timestamp ({@code offsetsForTimes}). A
 * range beyond the log end stops at the log end as it was when the job started. Not thread-safe; run once.
 *
 * @since 0.1.0
 */
public final class BackfillJob {
    /** How long a job may run before it gives up: 30 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    private final EngineConfig config;
    private final String topic;
    private final Integer partition;
    private final Long fromOffset;
    private final Long toOffset;
    private final Instant fromTime;
    private final Instant toTime;
    private final Duration timeout;

    private BackfillJob(Builder b) {
        this.config = b.config;
        this.topic = b.topic;
        this.partition = b.partition;
        this.fromOffset = b.fromOffset;
        this.toOffset = b.toOffset;
        this.fromTime = b.fromTime;
        this.toTime = b.toTime;
        this.timeout = b.timeout;
    }

    /** A builder reusing an engine configuration's brokers, sink, dead-letter sink, rules and retry policy. */
    public static Builder builder(EngineConfig config) {
        return new Builder(config);
    }

    /** Runs the backfill on the calling thread and returns what it did. */
    public BackfillResult run() {
        RangeReader reader = new RangeReader(config);
        try (Consumer<byte[], byte[]> consumer = config.consumerFactory().create(reader.consumerProperties())) {
            Map<TopicPartition, OffsetRange> ranges = ranges(consumer);
            return reader.run(consumer, ranges, Function.identity(), timeout);
        }
    }

    private Map<TopicPartition, OffsetRange> ranges(Consumer<byte[], byte[]> consumer) {
        Map<TopicPartition, OffsetRange> ranges = new LinkedHashMap<>();
        List<Integer> partitions;
        if (partition != null) {
            partitions = List.of(partition);
        } else {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist or has no partitions");
            }
            partitions = infos.stream().map(PartitionInfo::partition).sorted().toList();
        }
        for (int p : partitions) {
            TopicPartition tp = new TopicPartition(topic, p);
            long from;
            long toExclusive;
            if (fromTime != null) {
                from = offsetForTime(consumer, tp, fromTime);
                toExclusive = toTime == null ? Long.MAX_VALUE : offsetForTime(consumer, tp, toTime.plusMillis(1));
            } else {
                Long begin = fromOffset != null
                        ? fromOffset
                        : consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(30))
                                .get(tp);
                if (begin == null) {
                    throw new IllegalArgumentException("partition " + tp + " does not exist");
                }
                from = begin;
                toExclusive = toOffset == null || toOffset == Long.MAX_VALUE ? Long.MAX_VALUE : toOffset + 1;
            }
            ranges.put(tp, new OffsetRange(from, toExclusive));
        }
        return ranges;
    }

    private static long offsetForTime(Consumer<byte[], byte[]> consumer, TopicPartition tp, Instant t) {
        OffsetAndTimestamp o = consumer.offsetsForTimes(Map.of(tp, t.toEpochMilli()), Duration.ofSeconds(30))
                .get(tp);
        return o != null
                ? o.offset()
                : consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
    }

    /** Builds a {@link BackfillJob}; setters reject bad values at once. Not thread-safe. */
    public static final class Builder {
        private final EngineConfig config;
        private String topic;
        private Integer partition;
        private Long fromOffset;
        private Long toOffset;
        private Instant fromTime;
        private Instant toTime;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(EngineConfig config) {
            this.config = Objects.requireNonNull(config, "config must not be null");
        }

        /** The topic to re-read. Required. */
        public Builder topic(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("topic must be non-blank, but was '" + v + "'");
            }
            this.topic = v;
            return this;
        }

        /** One partition; default all partitions of the topic. */
        public Builder partition(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("partition must be >= 0, but was " + v);
            }
            this.partition = v;
            return this;
        }

        /** First offset to read, inclusive; default the log start. */
        public Builder fromOffset(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("fromOffset must be >= 0, but was " + v);
            }
            this.fromOffset = v;
            return this;
        }

        /** Last offset to read, inclusive; default the log end at start. */
        public Builder toOffset(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("toOffset must be >= 0, but was " + v);
            }
            this.toOffset = v;
            return this;
        }

        /** Read records whose Kafka timestamp is at or after this instant (instead of offsets). */
        public Builder fromTime(Instant v) {
            this.fromTime = Objects.requireNonNull(v, "fromTime");
            return this;
        }

        /** Read records whose Kafka timestamp is at or before this instant. */
        public Builder toTime(Instant v) {
            this.toTime = Objects.requireNonNull(v, "toTime");
            return this;
        }

        /** Give up after this long, {@code > 0}; default 30 minutes. */
        public Builder timeout(Duration v) {
            this.timeout = RetryPolicy.Builder.requirePositive(v, "timeout");
            return this;
        }

        /** @throws IllegalArgumentException listing every inconsistent option */
        public BackfillJob build() {
            java.util.List<String> errors = new java.util.ArrayList<>();
            if (topic == null) {
                errors.add("topic is required");
            }
            if (fromTime != null && (fromOffset != null || toOffset != null)) {
                errors.add("use either offsets or times, not both");
            }
            if (toTime != null && fromTime == null) {
                errors.add("toTime needs fromTime");
            }
            if (fromOffset != null && toOffset != null && toOffset < fromOffset) {
                errors.add("toOffset (" + toOffset + ") must be >= fromOffset (" + fromOffset + ")");
            }
            if (fromTime != null && toTime != null && toTime.isBefore(fromTime)) {
                errors.add("toTime (" + toTime + ") must not be before fromTime (" + fromTime + ")");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid BackfillJob: " + String.join("; ", errors));
            }
            return new BackfillJob(this);
        }
    }
}
