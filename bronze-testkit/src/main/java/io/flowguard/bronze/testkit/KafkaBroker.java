package io.flowguard.bronze.testkit;

// Size note: over 400 lines because the testkit's one broker extension; its many small helpers (topics, produce,
// committed offsets, restart, await) are its public surface.

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Kafka cluster (one combined KRaft broker and controller) running inside the test JVM, as a
 * JUnit 5 extension or on its own.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBroker KAFKA = KafkaBroker.create();   // started before all tests of the class, closed after
 *
 * @Test
 * void shouldLandEveryRecord() {
 *     String topic = KAFKA.createUniqueTopic("orders", 3);
 *     KAFKA.produceJson(topic, 100, i -> "{\"event_id\":\"e-" + i + "\"}");
 *     ... IngestionEngine.builder().bootstrapServers(KAFKA.bootstrapServers()) ...
 *     await().until(() -> KAFKA.committedOffsets("bronze").values().stream().mapToLong(Long::longValue).sum() == 100);
 * }
 * }</pre>
 *
 * <p>Register it on a <em>static</em> field: the broker starts once per test class (about two seconds) and is shared by
 * its tests, so give each test its own topics ({@link #createUniqueTopic(String, int)}) and consumer groups. Outside
 * JUnit call {@link #start()} and {@link #close()}. The broker listens on a free port of localhost; internal topics have
 * replication factor 1 and the group initial rebalance delay is 0. {@link #close()} deletes the log directories.
 *
 * <p>The helpers use one shared producer ({@code acks=all}, one request in flight) and one shared {@link Admin}, both owned by this
 * broker; each helper blocks at most {@link #DEFAULT_TIMEOUT}. They keep working across {@link #restartBroker()}.
 *
 * <p><b>Logging.</b> Kafka's broker logs a great deal at INFO; set the {@code org.apache.kafka} and {@code kafka}
 * loggers to WARN in your test logging configuration (for slf4j-simple: {@code org.slf4j.simpleLogger.defaultLogLevel=warn}
 * in {@code simplelogger.properties}).
 *
 * <p>Thread-safe: lifecycle methods are serialized; helpers may be called from any thread.
 *
 * @since 0.1.0
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    /** How long a helper waits for the broker before failing, 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    private final Map<String, String> brokerConfig;
    private final AtomicInteger topicSequence = new AtomicInteger();
    private final Object lifecycle = new Object();

    // Guarded by lifecycle; volatile so helpers on other threads see the running instances.
    private volatile KafkaClusterTestKit cluster;
    private volatile String bootstrapServers;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile Admin admin;
    private String ownerContextId;

    private KafkaBroker(Map<String, String> brokerConfig) {
        this.brokerConfig = Map.copyOf(brokerConfig);
    }

    /** A broker with the default configuration; not started yet. */
    public static KafkaBroker create() {
        return new KafkaBroker(Map.of());
    }

    /**
     * A broker with extra broker configuration (e.g. {@code "auto.create.topics.enable" -> "false"}) applied over the
     * defaults; not started yet.
     */
    public static KafkaBroker create(Map<String, String> brokerConfig) {
        Objects.requireNonNull(brokerConfig, "brokerConfig must not be null");
        return new KafkaBroker(brokerConfig);
    }

    /**
     * Formats and starts the cluster and waits until the broker is ready; does nothing when already running.
     *
     * @return this broker
     * @throws IllegalStateException when the broker could not start
     */
    public KafkaBroker start() {
        synchronized (lifecycle) {
            if (cluster != null) {
                return this;
            }
            long startNanos = System.nanoTime();
            KafkaClusterTestKit kit = null;
            try {
                // A production metadata version with unstable features off: the testing default (latestTesting) turns
                // on
                // features a real 4.x broker would not have.
                // With the production feature levels too (as kafka-storage format sets them): group.version=1 enables
                // the KIP-848 consumer group protocol, which a bare metadata version would leave off.
                org.apache.kafka.server.common.MetadataVersion version =
                        org.apache.kafka.server.common.MetadataVersion.latestProduction();
                Map<String, Short> features = new HashMap<>();
                for (org.apache.kafka.server.common.Feature f :
                        org.apache.kafka.server.common.Feature.PRODUCTION_FEATURES) {
                    features.put(f.featureName(), f.defaultLevel(version));
                }
                KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder(
                                        org.apache.kafka.metadata.bootstrap.BootstrapMetadata.fromVersions(
                                                version, features, "bronze-testkit"))
                                .setCombined(true)
                                .setNumBrokerNodes(1)
                                .setNumControllerNodes(1)
                                .build())
                        .setConfigProp("unstable.api.versions.enable", "false")
                        .setConfigProp("unstable.feature.versions.enable", "false")
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("broker.session.timeout.ms", "2000")
                        .setConfigProp("broker.heartbeat.interval.ms", "500");
                brokerConfig.forEach(builder::setConfigProp);
                kit = builder.build();
                kit.format();
                kit.startup();
                kit.waitForReadyBrokers();
            } catch (Exception e) {
                closeQuietly(kit);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("in-JVM Kafka broker failed to start: " + e, e);
            }
            cluster = kit;
            bootstrapServers = kit.bootstrapServers();
            Map<String, Object> adminConfig = new HashMap<>();
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            admin = Admin.create(adminConfig);
            LOG.info(
                    "KafkaBroker started at {} in {} ms",
                    bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            return this;
        }
    }

    /** {@code true} between {@link #start()} and {@link #close()}. */
    public boolean isRunning() {
        return cluster != null;
    }

    /** Closes the shared clients and the cluster and deletes its data; does nothing when not running. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (cluster == null) {
                return;
            }
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
            admin.close(Duration.ofSeconds(5));
            admin = null;
            closeQuietly(cluster);
            cluster = null;
            LOG.info("KafkaBroker at {} closed", bootstrapServers);
            bootstrapServers = null;
            ownerContextId = null;
        }
    }

    /** Starts the broker before the tests of the class that registered it. */
    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (lifecycle) {
            // @Nested classes call beforeAll again on the inherited extension; only the outermost start owns the
            // broker.
            if (cluster == null) {
                start();
                ownerContextId = context.getUniqueId();
            }
        }
    }

    /** Closes the broker after the tests of the class that started it. */
    @Override
    public void afterAll(ExtensionContext context) {
        synchronized (lifecycle) {
            if (context.getUniqueId().equals(ownerContextId)) {
                close();
            }
        }
    }

    /**
     * The {@code host:port} list for {@code bootstrap.servers}.
     *
     * @throws IllegalStateException when the broker is not running
     */
    public String bootstrapServers() {
        requireRunning();
        return bootstrapServers;
    }

    /**
     * The shared admin client; owned by this broker, do not close it.
     *
     * @throws IllegalStateException when the broker is not running
     */
    public Admin admin() {
        requireRunning();
        return admin;
    }

    /**
     * Creates a topic with replication factor 1 and waits until it is created.
     *
     * @return {@code name}
     * @throws IllegalArgumentException when {@code partitions < 1}
     * @throws IllegalStateException when the topic exists or could not be created in time
     */
    public String createTopic(String name, int partitions) {
        Objects.requireNonNull(name, "name must not be null");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, but was " + partitions);
        }
        await(
                admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all(),
                "create topic " + name);
        awaitLeaders(name, partitions);
        return name;
    }

    /**
     * Waits until every partition has a leader and the shared producer has seen them, so the first produce rarely needs a
     * retry.
     */
    private void awaitLeaders(String topic, int partitions) {
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (true) {
            boolean ready;
            try {
                org.apache.kafka.clients.admin.TopicDescription d = admin().describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .get(topic);
                ready = d.partitions().size() == partitions
                        && d.partitions().stream()
                                .allMatch(p -> p.leader() != null && p.leader().id() >= 0)
                        && producer().partitionsFor(topic).stream()
                                        .filter(p ->
                                                p.leader() != null && p.leader().id() >= 0)
                                        .count()
                                == partitions;
            } catch (Exception e) {
                ready = false;
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "topic " + topic + " has no leader for every partition after " + DEFAULT_TIMEOUT);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * Creates a topic named {@code prefix-N}, N unique for this broker, so tests sharing a broker never share topics.
     *
     * @return the new topic's name
     */
    public String createUniqueTopic(String prefix, int partitions) {
        Objects.requireNonNull(prefix, "prefix must not be null");
        return createTopic(prefix + '-' + topicSequence.incrementAndGet(), partitions);
    }

    /**
     * Sends one record with UTF-8 key and value ({@code null} value: a tombstone) and waits for the acknowledgement.
     *
     * @return where the record landed
     */
    public RecordMetadata produce(String topic, int partition, String key, String value) {
        return produce(topic, List.of(new ProducerRecord<>(topic, partition, utf8(key), utf8(value))))
                .get(0);
    }

    /**
     * Sends records in order through the shared producer, flushes, and waits for every acknowledgement.
     *
     * @param topic only documents intent: each record's own topic is used; it must match so mistakes surface early
     * @return the metadata of each record, in the order given
     * @throws IllegalArgumentException when a record is for another topic
     */
    public List<RecordMetadata> produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(records, "records must not be null");
        for (ProducerRecord<byte[], byte[]> r : records) {
            if (!topic.equals(r.topic())) {
                throw new IllegalArgumentException(
                        "every record must be for topic '" + topic + "', but one was for '" + r.topic() + "'");
            }
        }
        KafkaProducer<byte[], byte[]> p = producer();
        List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> r : records) {
            futures.add(p.send(r));
        }
        p.flush();
        List<RecordMetadata> acks = new ArrayList<>(futures.size());
        for (Future<RecordMetadata> f : futures) {
            acks.add(await(f, "produce to " + topic));
        }
        return acks;
    }

    /**
     * Sends {@code count} JSON values {@code valueFn.apply(0..count-1)}, spread round-robin over the topic's partitions
     * (record {@code i} goes to partition {@code i % partitions}, key {@code "key-" + i}), and waits for every
     * acknowledgement.
     *
     * @return the metadata of each record, in order of {@code i}
     */
    public List<RecordMetadata> produceJson(String topic, int count, Function<Integer, String> valueFn) {
        Objects.requireNonNull(valueFn, "valueFn must not be null");
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, but was " + count);
        }
        int partitions = producer().partitionsFor(topic).size();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(new ProducerRecord<>(topic, i % partitions, utf8("key-" + i), utf8(valueFn.apply(i))));
        }
        return produce(topic, records);
    }

    /**
     * The offsets a consumer group has committed, by partition (the next offset to read); empty when it has none.
     */
    public Map<TopicPartition, Long> committedOffsets(String groupId) {
        Objects.requireNonNull(groupId, "groupId must not be null");
        Map<TopicPartition, OffsetAndMetadata> committed = await(
                admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
                "list offsets of " + groupId);
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        committed.forEach((tp, om) -> {
            if (om != null) {
                offsets.put(tp, om.offset());
            }
        });
        return offsets;
    }

    /** The log end offset of every partition of {@code topic}. */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        Objects.requireNonNull(topic, "topic must not be null");
        TopicDescription description = await(
                        admin().describeTopics(List.of(topic)).allTopicNames(), "describe " + topic)
                .get(topic);
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        description
                .partitions()
                .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        await(admin().listOffsets(request).all(), "list end offsets of " + topic)
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /**
     * Waits until consumer group {@code groupId} has committed the end offset of every partition of {@code topics}, that
     * is, until the group has caught up with everything produced so far. The end offsets are read once, at the call:
     * records produced afterwards are not waited for. Polls every 100 ms.
     *
     * <pre>{@code
     * KAFKA.produceJson(topic, 100, i -> "{\"event_id\":\"e-" + i + "\"}");
     * KAFKA.awaitCommitted("bronze", List.of(topic), Duration.ofSeconds(30));
     * // every record of the topic is now in the sink or the dead-letter sink
     * }</pre>
     *
     * @return the committed offsets of the partitions of {@code topics}
     * @throws AssertionError when the group is still behind after {@code timeout}, listing each partition's committed
     *                        and end offset
     * @since 0.2.0
     */
    public Map<TopicPartition, Long> awaitCommitted(String groupId, Collection<String> topics, Duration timeout) {
        Objects.requireNonNull(groupId, "groupId must not be null");
        Objects.requireNonNull(topics, "topics must not be null");
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("topics must name at least one topic");
        }
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        topics.forEach(t -> ends.putAll(endOffsets(t)));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<TopicPartition, Long> committed = committedOffsets(groupId);
            List<String> behind = new ArrayList<>();
            Map<TopicPartition, Long> result = new LinkedHashMap<>();
            ends.forEach((tp, end) -> {
                long c = committed.getOrDefault(tp, end == 0 ? 0L : -1L);
                result.put(tp, c);
                if (c < end) {
                    behind.add(tp + " committed " + (c < 0 ? "nothing" : Long.toString(c)) + " of end offset " + end);
                }
            });
            if (behind.isEmpty()) {
                return result;
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("consumer group '" + groupId + "' did not commit up to the end offsets of "
                        + topics + " within " + timeout + ": " + String.join("; ", behind));
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for group " + groupId, e);
            }
        }
    }

    /** {@link #awaitCommitted(String, Collection, Duration)} with {@link #DEFAULT_TIMEOUT}. @since 0.2.0 */
    public Map<TopicPartition, Long> awaitCommitted(String groupId, String... topics) {
        return awaitCommitted(groupId, List.of(topics), DEFAULT_TIMEOUT);
    }

    /**
     * Reads {@code topic} from the beginning of every partition, without a consumer group, until {@code count} records
     * were read or {@code timeout} passed.
     *
     * @return the records read (fewer than {@code count} on timeout), partition by partition in poll order
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int count, Duration timeout) {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(timeout, "timeout must not be null");
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, DEFAULT_TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (read.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
        }
        return read;
    }

    /**
     * Stops the broker process (the controller keeps running), so clients see connection failures until
     * {@link #startBroker()}.
     */
    public void stopBroker() {
        synchronized (lifecycle) {
            BrokerServer broker = broker();
            LOG.info("KafkaBroker at {} stopping the broker", bootstrapServers);
            broker.shutdown();
            broker.awaitShutdown();
        }
    }

    /** Starts the broker again after {@link #stopBroker()}, on the same port, and waits until it is ready. */
    public void startBroker() {
        synchronized (lifecycle) {
            BrokerServer broker = broker();
            broker.startup();
            try {
                cluster.waitForReadyBrokers();
            } catch (ExecutionException e) {
                throw new IllegalStateException("broker did not become ready after restart", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker to restart", e);
            }
            LOG.info("KafkaBroker at {} broker started", bootstrapServers);
        }
    }

    /** Stops and starts the broker (same port, data kept, about two seconds), as in a rolling restart. */
    public void restartBroker() {
        synchronized (lifecycle) {
            stopBroker();
            startBroker();
        }
    }

    @Override
    public String toString() {
        String servers = bootstrapServers;
        return "KafkaBroker{" + (servers == null ? "not running" : servers) + '}';
    }

    private BrokerServer broker() {
        requireRunning();
        return cluster.brokers().values().iterator().next();
    }

    /**
     * A new transactional producer ({@code transactional.id} set, idempotent, {@code acks=all}) with
     * {@code initTransactions()} already called, for tests of transactional sources (committed and aborted
     * transactions). The caller owns it and must close it.
     *
     * @param transactionalId the producer's {@code transactional.id}
     * @since 0.2.0
     */
    public KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Objects.requireNonNull(transactionalId, "transactionalId must not be null");
        requireRunning();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEFAULT_TIMEOUT.toMillis());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bronze-testkit-tx-" + transactionalId);
        KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        return p;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        requireRunning();
        KafkaProducer<byte[], byte[]> p = producer;
        if (p != null) {
            return p;
        }
        synchronized (lifecycle) {
            requireRunning();
            if (producer == null) {
                Map<String, Object> config = new HashMap<>();
                config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                config.put(ProducerConfig.ACKS_CONFIG, "all");
                // Not idempotent: right after a topic is created, a broker may still answer NOT_LEADER_OR_FOLLOWER, and
                // this
                // broker version then rejects the idempotent producer's retry with OUT_OF_ORDER_SEQUENCE_NUMBER
                // forever.
                // One request in flight keeps retries in order; a retried NOT_LEADER batch was never appended, so
                // nothing
                // is written twice.
                config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
                config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
                config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEFAULT_TIMEOUT.toMillis());
                config.put(ProducerConfig.CLIENT_ID_CONFIG, "bronze-testkit-producer");
                producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            }
            return producer;
        }
    }

    private void requireRunning() {
        if (cluster == null) {
            throw new IllegalStateException(
                    "KafkaBroker is not running: register it as a static @RegisterExtension field "
                            + "or call start() first");
        }
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not " + what + " within " + DEFAULT_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(KafkaClusterTestKit kit) {
        if (kit == null) {
            return;
        }
        try {
            kit.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("KafkaBroker could not close the cluster cleanly", e);
        }
    }
}
