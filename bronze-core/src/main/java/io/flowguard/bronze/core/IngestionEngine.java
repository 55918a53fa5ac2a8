package io.flowguard.bronze.core;

// Size note: over 400 lines because the public entry point: the builder's documented options (defaults, units,
// validation) are most of it, and users read them in one place.

import io.flowguard.bronze.api.BatchLimits;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.api.MetadataRules;
import io.flowguard.bronze.core.internal.DefaultIngestionEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Lands Kafka events in Bronze tables: polls, batches, writes to a {@link BronzeSink} (or a {@link DeadLetterSink} for
 * records that cannot land), and commits offsets only after the write.
 *
 * <pre>{@code
 * IngestionEngine engine = IngestionEngine.builder()
 *     .bootstrapServers("kafka:9092").groupId("bronze").topics("orders", "clicks")
 *     .sink(sink)
 *     .start();
 * }</pre>
 *
 * <p><b>Guarantees.</b> An offset is committed only after every record before it in its partition is in the sink or the
 * dead-letter sink. Because sinks are idempotent on the ingestion id, re-delivery after a crash, restart or rebalance
 * never duplicates a row. A record that is not valid JSON, or whose metadata cannot be extracted, is dead-lettered and
 * the engine carries on.
 *
 * <p><b>Threads.</b> The engine owns three threads: {@code bronze-<name>-poll}, the only thread that touches the
 * {@code KafkaConsumer} (poll, pause/resume, commit, rebalance callbacks); {@code bronze-<name>-converter}, which turns
 * each queued batch into Bronze records and dead letters (metadata rules and the idempotency key run there); and
 * {@code bronze-<name>-writer}, which writes one converted batch at a time while the next one is converted and the poll
 * thread keeps polling. When a full batch waits behind a slow or retrying
 * write, the poll thread pauses its partitions and keeps calling {@code poll}, so the member is not evicted for
 * exceeding {@code max.poll.interval.ms}; the builder rejects a {@code revocationTimeout} or {@code pollTimeout} that
 * would not fit in it. All methods of this interface are thread-safe.
 *
 * <p><b>Lifecycle.</b> See {@link EngineState}. {@link #close()} drains: it flushes buffered records, writes, commits and
 * closes the consumer within {@link EngineConfig#closeTimeout()}. Sinks passed in stay the caller's to close.
 *
 * @since 0.1.0
 */
public interface IngestionEngine extends AutoCloseable {

    /** A new builder. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Starts polling on the engine's own thread and returns at once.
     *
     * @return this engine
     * @throws IllegalStateException when the engine was already started
     */
    IngestionEngine start();

    /** The engine name (defaults to the group id). */
    String name();

    /** The current lifecycle state. */
    EngineState state();

    /** The sealed configuration. */
    EngineConfig config();

    /** The current health verdict (cheap: computed from figures the engine keeps up to date). */
    EngineHealth health();

    /** Why the engine is {@link EngineState#FAILED}, or empty. */
    Optional<Throwable> failure();

    /**
     * Drains and stops: {@link #close(Duration)} with {@link EngineConfig#closeTimeout()}. Idempotent.
     */
    @Override
    void close();

    /**
     * Drains and stops within a bound: flushes buffered records, writes them, commits, closes the consumer. Returns
     * after at most {@code timeout} plus 2 s (for the consumer to leave the group and the writer thread to stop); what
     * could not be written by the deadline is left uncommitted and will be re-delivered. A sink call that ignores
     * interrupts may still be running on the abandoned writer thread after this returns; nothing it writes then is
     * committed. Called on the engine's own threads (from a listener callback on the poll thread, or by a sink on the
     * writer thread) it only requests the close and returns false at once, since waiting there would wait for itself.
     *
     * @param timeout how long the drain may take, {@code >= 0}
     * @return true when everything buffered was written and committed and the engine is {@link EngineState#CLOSED};
     *     false when the drain gave up, the engine had failed, it did not stop in time, or the call came from the
     *     engine's own poll or writer thread
     * @since 0.2.0
     */
    boolean close(Duration timeout);

    /**
     * Stops at once without flushing or committing anything not yet committed, as a crash would; in-flight writes are
     * abandoned. Used by tests that prove restarts lose and duplicate nothing, and by hosts that must stop immediately.
     */
    void abort();

    /**
     * Builds an {@link IngestionEngine}. Each setter rejects a bad value at once, naming it; {@link #config()} checks the
     * rules that span several options and reports every failure in one exception. Not thread-safe.
     */
    final class Builder {
        /** Consumer properties the engine owns; setting them through {@link #consumerProperty} is rejected. */
        static final Set<String> RESERVED_PROPERTIES = Set.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

        private String name;
        private String bootstrapServers;
        private String groupId;
        private final List<String> topics = new ArrayList<>();
        private BronzeSink sink;
        /** Null until set: then the sink's companion, else {@link DeadLetterSink#logging()}. */
        private DeadLetterSink deadLetterSink;

        // Null until set: then the sink's recommendation (BronzeSink#recommendedBatchLimits), else the DEFAULT_*.
        private Integer maxBatchRecords;
        private Long maxBatchBytes;
        private Duration maxBatchWait;
        private Boolean flushWhenIdle;
        private Duration pollTimeout = EngineConfig.DEFAULT_POLL_TIMEOUT;
        private final Map<String, Object> consumerProperties = new LinkedHashMap<>();
        private MeterRegistry meterRegistry;
        private Clock clock = Clock.systemUTC();
        private IdempotencyKey idempotencyKey = IdempotencyKey.topicPartitionOffset();
        private MetadataRules metadataRules = MetadataRules.defaults();
        private TombstonePolicy tombstonePolicy = TombstonePolicy.SKIP;
        private int maxRecordBytes = EngineConfig.DEFAULT_MAX_RECORD_BYTES;
        private int maxDeadLetterPayloadBytes = EngineConfig.DEFAULT_MAX_DEAD_LETTER_PAYLOAD_BYTES;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration closeTimeout = EngineConfig.DEFAULT_CLOSE_TIMEOUT;
        private Duration revocationTimeout = EngineConfig.DEFAULT_REVOCATION_TIMEOUT;
        private ConsumerFactory consumerFactory;
        private long lagThreshold = EngineConfig.DEFAULT_LAG_THRESHOLD;
        private double deadLetterRateThreshold = EngineConfig.DEFAULT_DEAD_LETTER_RATE_THRESHOLD;
        private Duration lagRefreshInterval = EngineConfig.DEFAULT_LAG_REFRESH_INTERVAL;
        private EngineListener listener = EngineListener.none();
        private DeadLetterBreaker deadLetterBreaker = DeadLetterBreaker.defaults();
        private Duration writeTimeout = EngineConfig.DEFAULT_WRITE_TIMEOUT;
        private String instanceId;
        private GroupProtocol groupProtocol = GroupProtocol.CLASSIC;

        Builder() {}

        /** Engine name for logs, thread names, metric tags and the Kafka client id; default: the group id. */
        public Builder name(String v) {
            this.name = requireText(v, "name");
            if (!v.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException(
                        "name must use only letters, digits, '.', '_' and '-', but was '" + v + "'");
            }
            return this;
        }

        /** Kafka {@code bootstrap.servers}, e.g. {@code "kafka:9092"}. Required. */
        public Builder bootstrapServers(String v) {
            this.bootstrapServers = requireText(v, "bootstrapServers");
            return this;
        }

        /** Kafka consumer group id; engines in one group share the partitions. Required. */
        public Builder groupId(String v) {
            this.groupId = requireText(v, "groupId");
            return this;
        }

        /** Topics to consume; adds to those already given. At least one is required. */
        public Builder topics(String... v) {
            Objects.requireNonNull(v, "topics must not be null");
            return topics(Arrays.asList(v));
        }

        /** Topics to consume; adds to those already given. */
        public Builder topics(List<String> v) {
            Objects.requireNonNull(v, "topics must not be null");
            for (String t : v) {
                requireText(t, "topic");
                if (!t.matches("[A-Za-z0-9._-]{1,249}")) {
                    throw new IllegalArgumentException(
                            "topic must be a legal Kafka topic name ([A-Za-z0-9._-], 1..249 characters), but was '" + t
                                    + "'");
                }
                if (!topics.contains(t)) {
                    topics.add(t);
                }
            }
            return this;
        }

        /**
         * Where Bronze records land. Required. Stays the caller's to close. Each of {@link #maxBatchRecords(int)},
         * {@link #maxBatchBytes(long)}, {@link #maxBatchWait(Duration)} and {@link #flushWhenIdle(boolean)} that is not set takes the sink's
         * {@link BronzeSink#recommendedBatchLimits() recommendation} when it has one, else the engine default; the
         * engine logs at creation which limits came from the sink ({@link EngineConfig#batchLimitsFromSink()}).
         */
        public Builder sink(BronzeSink v) {
            this.sink = Objects.requireNonNull(v, "sink must not be null");
            return this;
        }

        /**
         * Where records that cannot land go. Default: the sink's {@link BronzeSink#companionDeadLetterSink() companion}
         * when it has one (the SQL sinks keep dead letters in {@code BRONZE_DEAD_LETTER} of the same database), otherwise
         * {@link DeadLetterSink#logging()}, which logs only (a warning says so at start: set a table or topic sink then).
         */
        public Builder deadLetterSink(DeadLetterSink v) {
            this.deadLetterSink = Objects.requireNonNull(v, "deadLetterSink must not be null");
            return this;
        }

        /** Records per batch, {@code > 0}; default {@value EngineConfig#DEFAULT_MAX_BATCH_RECORDS}. */
        public Builder maxBatchRecords(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxBatchRecords must be > 0, but was " + v);
            }
            this.maxBatchRecords = v;
            return this;
        }

        /** Bytes (key + value) per batch, {@code > 0}; default 5 MiB. A single larger record still forms a batch of one. */
        public Builder maxBatchBytes(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxBatchBytes must be > 0, but was " + v);
            }
            this.maxBatchBytes = v;
            return this;
        }

        /** Longest a batch waits after its first record before flushing, {@code > 0}; default 500 ms. */
        public Builder maxBatchWait(Duration v) {
            this.maxBatchWait = RetryPolicy.Builder.requirePositive(v, "maxBatchWait");
            return this;
        }

        /**
         * Whether the records buffered so far are written as soon as the writer is idle, instead of waiting for
         * {@code maxBatchRecords}, {@code maxBatchBytes} or {@code maxBatchWait}; default {@code true}, or the sink's
         * {@link BronzeSink#recommendedBatchLimits() recommendation} when it has one (Snowflake: {@code false}). With it,
         * batches grow only while a write is in progress: at input rates the sink keeps up with, a record waits for one
         * write rather than for a batch to fill; under load, batches fill to the limits as without it. The batch limits
         * stay upper bounds either way.
         *
         * @since 0.2.0
         */
        public Builder flushWhenIdle(boolean v) {
            this.flushWhenIdle = v;
            return this;
        }

        /** Longest one poll blocks, {@code > 0}; default 100 ms. */
        public Builder pollTimeout(Duration v) {
            this.pollTimeout = RetryPolicy.Builder.requirePositive(v, "pollTimeout");
            return this;
        }

        /**
         * An extra Kafka consumer property (SSL, SASL, {@code max.poll.records}, {@code auto.offset.reset}, ...).
         * The engine's defaults: {@code auto.offset.reset=earliest}, cooperative-sticky assignment, client id
         * {@code bronze-<name>}; the properties the engine owns ({@code enable.auto.commit}, deserializers) are rejected.
         */
        public Builder consumerProperty(String key, Object value) {
            requireText(key, "consumer property key");
            Objects.requireNonNull(value, "consumer property '" + key + "' must not have a null value");
            if (RESERVED_PROPERTIES.contains(key)) {
                throw new IllegalArgumentException(
                        "consumer property '" + key + "' is managed by the engine (offsets are "
                                + "committed after writes, values read as bytes); remove it");
            }
            consumerProperties.put(key, value);
            return this;
        }

        /** Several extra consumer properties; see {@link #consumerProperty}. */
        public Builder consumerProperties(Map<String, ?> v) {
            Objects.requireNonNull(v, "consumerProperties must not be null");
            v.forEach(this::consumerProperty);
            return this;
        }

        /** Where meters go; default a private {@link SimpleMeterRegistry}. Never the global registry. */
        public Builder meterRegistry(MeterRegistry v) {
            this.meterRegistry = Objects.requireNonNull(v, "meterRegistry must not be null");
            return this;
        }

        /** The clock for ingested-at stamps, batch deadlines and dead-letter times; default UTC system clock. */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v, "clock must not be null");
            return this;
        }

        /** How ingestion ids are derived; default {@link IdempotencyKey#topicPartitionOffset()}. */
        public Builder idempotencyKey(IdempotencyKey v) {
            this.idempotencyKey = Objects.requireNonNull(v, "idempotencyKey must not be null");
            return this;
        }

        /** Where event id, type, schema version and producer service come from; default {@link MetadataRules#defaults()}. */
        public Builder metadataRules(MetadataRules v) {
            this.metadataRules = Objects.requireNonNull(v, "metadataRules must not be null");
            return this;
        }

        /** What to do with null or empty values; default {@link TombstonePolicy#SKIP}. */
        public Builder tombstonePolicy(TombstonePolicy v) {
            this.tombstonePolicy = Objects.requireNonNull(v, "tombstonePolicy must not be null");
            return this;
        }

        /** Largest value in bytes that may land, {@code > 0}; default 4 MiB. */
        public Builder maxRecordBytes(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxRecordBytes must be > 0, but was " + v);
            }
            this.maxRecordBytes = v;
            return this;
        }

        /** Largest payload copied into a dead letter, {@code >= 0}; default 1 MiB. */
        public Builder maxDeadLetterPayloadBytes(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("maxDeadLetterPayloadBytes must be >= 0, but was " + v);
            }
            this.maxDeadLetterPayloadBytes = v;
            return this;
        }

        /** Retries of transient write failures; default {@link RetryPolicy#defaults()}. */
        public Builder retryPolicy(RetryPolicy v) {
            this.retryPolicy = Objects.requireNonNull(v, "retryPolicy must not be null");
            return this;
        }

        /** Longest {@code close()} drains, {@code > 0}; default 30 s. */
        public Builder closeTimeout(Duration v) {
            this.closeTimeout = RetryPolicy.Builder.requirePositive(v, "closeTimeout");
            return this;
        }

        /** Longest a rebalance waits for revoked partitions' records to be written, {@code > 0}; default 30 s. */
        public Builder revocationTimeout(Duration v) {
            this.revocationTimeout = RetryPolicy.Builder.requirePositive(v, "revocationTimeout");
            return this;
        }

        /** Creates the Kafka consumer; default a {@link KafkaConsumer} with byte-array deserializers. */
        public Builder consumerFactory(ConsumerFactory v) {
            this.consumerFactory = Objects.requireNonNull(v, "consumerFactory must not be null");
            return this;
        }

        /** Lag in records above which {@link IngestionEngine#health()} is DEGRADED, {@code > 0}; default 10,000. */
        public Builder lagThreshold(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("lagThreshold must be > 0, but was " + v);
            }
            this.lagThreshold = v;
            return this;
        }

        /** Dead-letter rate (0..1) above which health is DEGRADED; default 0.01. */
        public Builder deadLetterRateThreshold(double v) {
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new IllegalArgumentException("deadLetterRateThreshold must be within [0, 1], but was " + v);
            }
            this.deadLetterRateThreshold = v;
            return this;
        }

        /** How often lag is re-read from the broker, {@code > 0}; default 5 s. */
        public Builder lagRefreshInterval(Duration v) {
            this.lagRefreshInterval = RetryPolicy.Builder.requirePositive(v, "lagRefreshInterval");
            return this;
        }

        /**
         * When a run of dead letters is systemic: a batch of at least 100 records with more than half dead-lettered
         * with one error class pauses the partitions and reports DEGRADED instead of dead-lettering them; default
         * {@link DeadLetterBreaker#defaults()}. {@link DeadLetterBreaker#disabled()} turns it off.
         *
         * @since 0.2.0
         */
        public Builder deadLetterBreaker(DeadLetterBreaker v) {
            this.deadLetterBreaker = Objects.requireNonNull(v, "deadLetterBreaker must not be null");
            return this;
        }

        /**
         * How long one sink or dead-letter-sink call may run before {@link IngestionEngine#health()} reports it as
         * hung (DEGRADED with the batch and how long), {@code > 0}; default 2 minutes. The call is not interrupted:
         * a sink that hangs keeps its batch uncommitted, and the retry budget still applies once it returns.
         *
         * @since 0.2.0
         */
        public Builder writeTimeout(Duration v) {
            this.writeTimeout = RetryPolicy.Builder.requirePositive(v, "writeTimeout");
            return this;
        }

        /**
         * Static membership: the consumer's {@code group.instance.id}, unique per engine instance in the group and stable
         * across restarts (e.g. the pod or host name). A restarted member with the same id gets its partitions back at
         * once, without a rebalance, provided it comes back within {@code session.timeout.ms}. Default: none (dynamic
         * membership). See docs/reliability.md for measured time-to-resume.
         *
         * @since 0.2.0
         */
        public Builder instanceId(String v) {
            this.instanceId = requireText(v, "instanceId");
            return this;
        }

        /**
         * The consumer group protocol: {@link GroupProtocol#CLASSIC} (default; cooperative-sticky assignment) or
         * {@link GroupProtocol#CONSUMER} (KIP-848: the broker assigns partitions incrementally; needs Kafka 4.0+ brokers).
         *
         * @since 0.2.0
         */
        public Builder groupProtocol(GroupProtocol v) {
            this.groupProtocol = Objects.requireNonNull(v, "groupProtocol must not be null");
            return this;
        }

        /** Receives state and health changes; default none. */
        public Builder listener(EngineListener v) {
            this.listener = Objects.requireNonNull(v, "listener must not be null");
            return this;
        }

        /**
         * Validates everything and seals the configuration.
         *
         * @throws IllegalArgumentException listing every missing or inconsistent option
         */
        public EngineConfig config() {
            List<String> errors = new ArrayList<>();
            if (bootstrapServers == null
                    && consumerFactory == null
                    && !consumerProperties.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                errors.add("bootstrapServers is required, e.g. .bootstrapServers(\"kafka:9092\")");
            }
            if (groupId == null) {
                errors.add("groupId is required, e.g. .groupId(\"bronze\")");
            }
            if (topics.isEmpty()) {
                errors.add("at least one topic is required, e.g. .topics(\"orders\")");
            }
            if (sink == null) {
                errors.add("sink is required, e.g. .sink(new SnowflakeMergeSink(dataSource))");
            }
            if (maxDeadLetterPayloadBytes > maxRecordBytes) {
                errors.add("maxDeadLetterPayloadBytes (" + maxDeadLetterPayloadBytes
                        + ") must not exceed maxRecordBytes (" + maxRecordBytes + ")");
            }
            checkAgainstMaxPollInterval(errors);
            if (consumerProperties.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG) && instanceId != null) {
                errors.add(
                        "group.instance.id is set both as a consumer property and through instanceId(...); keep one");
            }
            if (consumerProperties.containsKey(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
                    && groupProtocol != GroupProtocol.CLASSIC
                    && !groupProtocol
                            .name()
                            .equalsIgnoreCase(
                                    String.valueOf(consumerProperties.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
                errors.add(
                        "group.protocol is set both as a consumer property and through groupProtocol(...); keep one");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(
                        "invalid IngestionEngine configuration: " + String.join("; ", errors));
            }
            String engineName = name != null ? name : groupId.replaceAll("[^A-Za-z0-9._-]", "_");
            ConsumerFactory factory = consumerFactory != null
                    ? consumerFactory
                    : props -> new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            DeadLetterSink dls = deadLetterSink != null
                    ? deadLetterSink
                    : sink.companionDeadLetterSink().orElseGet(DeadLetterSink::logging);
            BatchLimits recommended = Objects.requireNonNullElse(
                            sink.recommendedBatchLimits(), Optional.<BatchLimits>empty())
                    .orElse(null);
            Set<String> fromSink = new LinkedHashSet<>();
            if (recommended != null) {
                if (maxBatchRecords == null) {
                    fromSink.add("maxBatchRecords");
                }
                if (maxBatchBytes == null) {
                    fromSink.add("maxBatchBytes");
                }
                if (maxBatchWait == null) {
                    fromSink.add("maxBatchWait");
                }
                if (flushWhenIdle == null) {
                    fromSink.add("flushWhenIdle");
                }
            }
            return new EngineConfig(
                    engineName,
                    bootstrapServers,
                    groupId,
                    topics,
                    sink,
                    dls,
                    maxBatchRecords != null
                            ? maxBatchRecords
                            : recommended != null ? recommended.maxRecords() : EngineConfig.DEFAULT_MAX_BATCH_RECORDS,
                    maxBatchBytes != null
                            ? maxBatchBytes
                            : recommended != null ? recommended.maxBytes() : EngineConfig.DEFAULT_MAX_BATCH_BYTES,
                    maxBatchWait != null
                            ? maxBatchWait
                            : recommended != null ? recommended.maxWait() : EngineConfig.DEFAULT_MAX_BATCH_WAIT,
                    flushWhenIdle != null
                            ? flushWhenIdle
                            : recommended != null ? recommended.flushWhenIdle() : EngineConfig.DEFAULT_FLUSH_WHEN_IDLE,
                    pollTimeout,
                    consumerProperties,
                    meterRegistry != null ? meterRegistry : new SimpleMeterRegistry(),
                    clock,
                    idempotencyKey,
                    metadataRules,
                    tombstonePolicy,
                    maxRecordBytes,
                    maxDeadLetterPayloadBytes,
                    retryPolicy,
                    closeTimeout,
                    revocationTimeout,
                    factory,
                    lagThreshold,
                    deadLetterRateThreshold,
                    lagRefreshInterval,
                    listener,
                    deadLetterBreaker,
                    writeTimeout,
                    instanceId,
                    groupProtocol,
                    fromSink);
        }

        /** A configured engine in state {@link EngineState#CREATED}; call {@link IngestionEngine#start()}. */
        public IngestionEngine build() {
            return new DefaultIngestionEngine(config());
        }

        /** {@link #build()} then {@link IngestionEngine#start()}. */
        public IngestionEngine start() {
            return build().start();
        }

        /**
         * A rebalance callback waits up to {@code revocationTimeout} for revoked partitions' records and then commits
         * (bounded by {@value #COMMIT_TIMEOUT_MILLIS} ms), all inside {@code poll()}; if that exceeds
         * {@code max.poll.interval.ms} the member is evicted mid-callback and a rebalance storm follows. Likewise
         * {@code pollTimeout}. ({@code closeTimeout} runs after the loop ends and is not bound by it.)
         */
        private void checkAgainstMaxPollInterval(List<String> errors) {
            Object raw = consumerProperties.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
            long maxPollMs = 300_000;
            if (raw != null) {
                try {
                    maxPollMs = Long.parseLong(raw.toString().trim());
                } catch (NumberFormatException e) {
                    errors.add("consumer property max.poll.interval.ms must be a number of milliseconds, but was '"
                            + raw + "'");
                    return;
                }
            }
            long needed = revocationTimeout.toMillis() + COMMIT_TIMEOUT_MILLIS;
            if (needed >= maxPollMs) {
                errors.add("revocationTimeout (" + revocationTimeout.toMillis() + " ms) plus the commit timeout ("
                        + COMMIT_TIMEOUT_MILLIS + " ms) must be below max.poll.interval.ms (" + maxPollMs
                        + " ms), or a "
                        + "rebalance during a slow write evicts this member; set revocationTimeout(Duration.ofMillis("
                        + Math.max(1, maxPollMs / 2 - COMMIT_TIMEOUT_MILLIS) + ")) or raise max.poll.interval.ms above "
                        + needed);
            }
            if (pollTimeout.toMillis() >= maxPollMs) {
                errors.add("pollTimeout (" + pollTimeout.toMillis() + " ms) must be below max.poll.interval.ms ("
                        + maxPollMs + " ms)");
            }
        }

        /** Bound on a synchronous offset commit inside a rebalance callback or at close, in ms. */
        static final long COMMIT_TIMEOUT_MILLIS = 5_000;

        private static String requireText(String v, String name) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(
                        name + " must be a non-blank string, but was " + (v == null ? "null" : "'" + v + "'"));
            }
            return v;
        }
    }
}
