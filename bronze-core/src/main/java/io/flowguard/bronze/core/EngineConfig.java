package io.flowguard.bronze.core;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.api.MetadataRules;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.GroupProtocol;

/**
 * The sealed configuration of one {@link IngestionEngine}, made by {@link IngestionEngine.Builder#config()}. Every
 * option, its default and its unit is listed in {@code docs/configuration.md}; the defaults are the {@code DEFAULT_*}
 * constants here.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks secrets in consumer properties.
 *
 * @since 0.1.0
 */
public final class EngineConfig {
    /**
     * Records per batch: {@value}. Each batch is a transaction (on PostgreSQL, a WAL flush): 100-record batches ran
     * about 4x slower end to end on PostgreSQL than 2,000-record ones (docs/benchmarks.md); with
     * {@link #DEFAULT_FLUSH_WHEN_IDLE} the p99 latency at 5,000 events/s was 76 ms (300 ms without it). {@link #DEFAULT_MAX_BATCH_BYTES} still bounds a batch of large
     * records.
     */
    public static final int DEFAULT_MAX_BATCH_RECORDS = 1_000;
    /** Bytes (key + value) per batch: 5 MiB. */
    public static final long DEFAULT_MAX_BATCH_BYTES = 5L * 1024 * 1024;
    /**
     * Longest a batch waits after its first record before it is flushed: 500 ms. With {@link #DEFAULT_FLUSH_WHEN_IDLE
     * flushWhenIdle} (the default) it matters only while the writer is busy; without it, at input rates too low to fill a
     * batch, this wait is the latency; warehouses that charge per statement or keep compute running (Snowflake) want longer
     * (docs/snowflake.md).
     */
    public static final Duration DEFAULT_MAX_BATCH_WAIT = Duration.ofMillis(500);
    /**
     * Whether buffered records are written as soon as the writer is idle: {@code true}. Batches then grow only while the
     * writer is busy (up to the limits above), so at input rates the sink keeps up with a record waits for one write,
     * not for a batch to fill; under load batches fill as before. Sinks that want full batches (Snowflake) recommend
     * {@code false}.
     *
     * @since 0.2.0
     */
    public static final boolean DEFAULT_FLUSH_WHEN_IDLE = true;
    /** Longest one {@code poll} blocks: 100 ms. Bounds how fast the engine reacts to close and flush deadlines. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);
    /** Largest record value accepted: 4 MiB. Larger values are dead-lettered with stage {@code SIZE_LIMIT}. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 4 * 1024 * 1024;
    /** Largest payload copied into a dead letter: 1 MiB; longer payloads are truncated (their size is kept). */
    public static final int DEFAULT_MAX_DEAD_LETTER_PAYLOAD_BYTES = 1024 * 1024;
    /** How long {@code close()} may drain (flush, write, commit) before it gives up: 30 s. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a rebalance may wait for buffered records of revoked partitions to be written: 30 s. */
    public static final Duration DEFAULT_REVOCATION_TIMEOUT = Duration.ofSeconds(30);
    /** Lag (records) above which health is DEGRADED: {@value}. */
    public static final long DEFAULT_LAG_THRESHOLD = 10_000;
    /** Dead-letter rate (dead-lettered / consumed, over the last batches) above which health is DEGRADED: {@value}. */
    public static final double DEFAULT_DEAD_LETTER_RATE_THRESHOLD = 0.01;
    /** How often lag is re-read from the broker (log-end offsets), also for idle partitions: 5 s. */
    public static final Duration DEFAULT_LAG_REFRESH_INTERVAL = Duration.ofSeconds(5);
    /** How long one sink or dead-letter-sink call may run before health reports it as hung: 2 minutes. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofMinutes(2);

    private final String name;
    private final String bootstrapServers;
    private final String groupId;
    private final List<String> topics;
    private final BronzeSink sink;
    private final DeadLetterSink deadLetterSink;
    private final int maxBatchRecords;
    private final long maxBatchBytes;
    private final Duration maxBatchWait;
    private final boolean flushWhenIdle;
    private final Duration pollTimeout;
    private final Map<String, Object> consumerProperties;
    private final MeterRegistry meterRegistry;
    private final Clock clock;
    private final IdempotencyKey idempotencyKey;
    private final MetadataRules metadataRules;
    private final TombstonePolicy tombstonePolicy;
    private final int maxRecordBytes;
    private final int maxDeadLetterPayloadBytes;
    private final RetryPolicy retryPolicy;
    private final Duration closeTimeout;
    private final Duration revocationTimeout;
    private final ConsumerFactory consumerFactory;
    private final long lagThreshold;
    private final double deadLetterRateThreshold;
    private final Duration lagRefreshInterval;
    private final EngineListener listener;
    private final DeadLetterBreaker deadLetterBreaker;
    private final Duration writeTimeout;
    private final String instanceId;
    private final GroupProtocol groupProtocol;
    private final Set<String> batchLimitsFromSink;

    EngineConfig(
            String name,
            String bootstrapServers,
            String groupId,
            List<String> topics,
            BronzeSink sink,
            DeadLetterSink deadLetterSink,
            int maxBatchRecords,
            long maxBatchBytes,
            Duration maxBatchWait,
            boolean flushWhenIdle,
            Duration pollTimeout,
            Map<String, Object> consumerProperties,
            MeterRegistry meterRegistry,
            Clock clock,
            IdempotencyKey idempotencyKey,
            MetadataRules metadataRules,
            TombstonePolicy tombstonePolicy,
            int maxRecordBytes,
            int maxDeadLetterPayloadBytes,
            RetryPolicy retryPolicy,
            Duration closeTimeout,
            Duration revocationTimeout,
            ConsumerFactory consumerFactory,
            long lagThreshold,
            double deadLetterRateThreshold,
            Duration lagRefreshInterval,
            EngineListener listener,
            DeadLetterBreaker deadLetterBreaker,
            Duration writeTimeout,
            String instanceId,
            GroupProtocol groupProtocol,
            Set<String> batchLimitsFromSink) {
        this.name = name;
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
        this.topics = List.copyOf(topics);
        this.sink = sink;
        this.deadLetterSink = deadLetterSink;
        this.maxBatchRecords = maxBatchRecords;
        this.maxBatchBytes = maxBatchBytes;
        this.maxBatchWait = maxBatchWait;
        this.flushWhenIdle = flushWhenIdle;
        this.pollTimeout = pollTimeout;
        this.consumerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(consumerProperties));
        this.meterRegistry = meterRegistry;
        this.clock = clock;
        this.idempotencyKey = idempotencyKey;
        this.metadataRules = metadataRules;
        this.tombstonePolicy = tombstonePolicy;
        this.maxRecordBytes = maxRecordBytes;
        this.maxDeadLetterPayloadBytes = maxDeadLetterPayloadBytes;
        this.retryPolicy = retryPolicy;
        this.closeTimeout = closeTimeout;
        this.revocationTimeout = revocationTimeout;
        this.consumerFactory = consumerFactory;
        this.lagThreshold = lagThreshold;
        this.deadLetterRateThreshold = deadLetterRateThreshold;
        this.lagRefreshInterval = lagRefreshInterval;
        this.listener = listener;
        this.deadLetterBreaker = deadLetterBreaker;
        this.writeTimeout = writeTimeout;
        this.instanceId = instanceId;
        this.groupProtocol = groupProtocol;
        this.batchLimitsFromSink = Collections.unmodifiableSet(new LinkedHashSet<>(batchLimitsFromSink));
    }

    /** The engine name used in logs, thread names, metrics tags and the Kafka client id; defaults to the group id. */
    public String name() {
        return name;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String groupId() {
        return groupId;
    }

    public List<String> topics() {
        return topics;
    }

    public BronzeSink sink() {
        return sink;
    }

    public DeadLetterSink deadLetterSink() {
        return deadLetterSink;
    }

    public int maxBatchRecords() {
        return maxBatchRecords;
    }

    public long maxBatchBytes() {
        return maxBatchBytes;
    }

    public Duration maxBatchWait() {
        return maxBatchWait;
    }

    /**
     * Whether buffered records are written as soon as the writer is idle instead of waiting for a batch limit; see
     * {@link #DEFAULT_FLUSH_WHEN_IDLE}.
     *
     * @since 0.2.0
     */
    public boolean flushWhenIdle() {
        return flushWhenIdle;
    }

    public Duration pollTimeout() {
        return pollTimeout;
    }
    /** Extra consumer properties as given (SSL, SASL, tuning); the engine's own settings are applied on top. */
    public Map<String, Object> consumerProperties() {
        return consumerProperties;
    }

    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    public Clock clock() {
        return clock;
    }

    public IdempotencyKey idempotencyKey() {
        return idempotencyKey;
    }

    public MetadataRules metadataRules() {
        return metadataRules;
    }

    public TombstonePolicy tombstonePolicy() {
        return tombstonePolicy;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public int maxDeadLetterPayloadBytes() {
        return maxDeadLetterPayloadBytes;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    public Duration revocationTimeout() {
        return revocationTimeout;
    }

    public ConsumerFactory consumerFactory() {
        return consumerFactory;
    }

    public long lagThreshold() {
        return lagThreshold;
    }

    public double deadLetterRateThreshold() {
        return deadLetterRateThreshold;
    }

    public Duration lagRefreshInterval() {
        return lagRefreshInterval;
    }

    public EngineListener listener() {
        return listener;
    }
    /** When a run of dead letters is treated as systemic (pause and DEGRADED) instead of dead-lettered. @since 0.2.0 */
    public DeadLetterBreaker deadLetterBreaker() {
        return deadLetterBreaker;
    }
    /** How long one sink call may run before health calls it hung. @since 0.2.0 */
    public Duration writeTimeout() {
        return writeTimeout;
    }
    /** The static-membership {@code group.instance.id}, or null (dynamic membership). @since 0.2.0 */
    public String instanceId() {
        return instanceId;
    }
    /** The consumer group protocol: classic (default) or KIP-848 {@code consumer}. @since 0.2.0 */
    public GroupProtocol groupProtocol() {
        return groupProtocol;
    }

    /**
     * Which batch limits ({@code maxBatchRecords}, {@code maxBatchBytes}, {@code maxBatchWait}, {@code flushWhenIdle}, in
     * that order) were not
     * set on the builder and came from the sink's {@link BronzeSink#recommendedBatchLimits() recommendation}; empty when
     * every limit was set or the sink recommends none (then unset limits are the {@code DEFAULT_*} constants).
     *
     * @since 0.2.0
     */
    public Set<String> batchLimitsFromSink() {
        return batchLimitsFromSink;
    }

    @Override
    public String toString() {
        return "EngineConfig{name=" + name + ", bootstrapServers=" + bootstrapServers + ", groupId=" + groupId
                + ", topics=" + topics + ", sink=" + sink.name() + ", deadLetterSink=" + deadLetterSink.name()
                + ", maxBatchRecords=" + maxBatchRecords + ", maxBatchBytes=" + maxBatchBytes + ", maxBatchWait="
                + maxBatchWait + ", flushWhenIdle=" + flushWhenIdle
                + ", pollTimeout=" + pollTimeout + ", consumerProperties=" + Secrets.mask(consumerProperties)
                + ", idempotencyKey=" + idempotencyKey + ", tombstonePolicy=" + tombstonePolicy
                + ", maxRecordBytes=" + maxRecordBytes + ", maxDeadLetterPayloadBytes=" + maxDeadLetterPayloadBytes
                + ", retryPolicy=" + retryPolicy + ", closeTimeout=" + closeTimeout + ", lagThreshold=" + lagThreshold
                + ", deadLetterRateThreshold=" + deadLetterRateThreshold + ", lagRefreshInterval=" + lagRefreshInterval
                + ", deadLetterBreaker=" + deadLetterBreaker + ", writeTimeout=" + writeTimeout + ", instanceId="
                + instanceId
                + ", groupProtocol=" + groupProtocol + '}';
    }
}
