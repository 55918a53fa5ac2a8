package io.flowguard.bronze.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka side of the CLI: an {@link Admin} with short timeouts, lag per partition, and client factories. */
final class KafkaOps implements AutoCloseable {
    private final Settings settings;
    private final String bootstrap;
    private final Duration timeout;
    private Admin admin;

    KafkaOps(Settings settings) {
        this.settings = settings;
        this.bootstrap = settings.requireBootstrapServers();
        this.timeout = settings.timeout();
    }

    /** Lag of one partition; {@code committed} is null when the group has committed nothing for it. */
    record PartitionLag(String topic, int partition, Long committed, long start, long end) {
        /** End minus committed, or end minus log start when nothing is committed (what the group would still read). */
        long lag() {
            return end - (committed != null ? committed : start);
        }

        String name() {
            return topic + '-' + partition;
        }
    }

    /** The group's state and member count, or null when the broker cannot describe it. */
    record GroupInfo(String state, int members) {}

    /** Cluster id and broker count. */
    record ClusterInfo(String clusterId, int brokers) {}

    private Map<String, Object> common() {
        Map<String, Object> props = new LinkedHashMap<>(settings.kafkaProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = common();
            int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
            props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
            props.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
            props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "bronze-cli-admin");
            admin = Admin.create(props);
        }
        return admin;
    }

    /** A consumer without a group, for reading ranges with assign + seek. */
    KafkaConsumer<byte[], byte[]> assignOnlyConsumer() {
        Map<String, Object> props = common();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "bronze-cli-reader");
        props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = common();
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "bronze-cli-traffic");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Kafka client properties for an engine configuration built by the CLI. */
    Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>(settings.kafkaProperties());
        props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return props;
    }

    String bootstrap() {
        return bootstrap;
    }

    ClusterInfo cluster() {
        DescribeClusterResult r = admin().describeCluster();
        return new ClusterInfo(
                get(r.clusterId(), "describe the cluster"),
                get(r.nodes(), "describe the cluster").size());
    }

    GroupInfo group(String group) {
        try {
            ConsumerGroupDescription d = get(
                    admin().describeConsumerGroups(List.of(group))
                            .describedGroups()
                            .get(group),
                    "describe group " + group);
            return new GroupInfo(d.groupState().toString(), d.members().size());
        } catch (CliException e) {
            if (e.exitCode() == CliException.UNREACHABLE && e.getMessage().startsWith("cannot reach")) {
                throw e;
            }
            return null;
        }
    }

    /** Which partitions exist for each topic; topics that do not exist are left out. */
    Map<String, Integer> partitionCounts(Collection<String> topics) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : topics) {
            try {
                TopicDescription d =
                        get(admin().describeTopics(List.of(t)).topicNameValues().get(t), "describe topic " + t);
                counts.put(t, d.partitions().size());
            } catch (CliException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return counts;
    }

    Set<String> topicNames() {
        return get(admin().listTopics().names(), "list topics");
    }

    void createTopic(String topic, int partitions) {
        get(
                admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1)))
                        .all(),
                "create topic " + topic);
    }

    /** The committed offsets of {@code group} (partition → next offset to read). */
    Map<TopicPartition, Long> committed(String group) {
        Map<TopicPartition, OffsetAndMetadata> c = get(
                admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
                "list the offsets of group " + group);
        Map<TopicPartition, Long> out = new HashMap<>();
        c.forEach((tp, om) -> {
            if (om != null) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }

    /** Log-end (or log-start) offsets of the partitions. */
    Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin().listOffsets(request).all(), "list offsets").forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * Lag of every partition of the topics the group has committed offsets for, plus every partition of {@code extraTopics},
     * sorted by topic and partition.
     */
    List<PartitionLag> lag(String group, Collection<String> extraTopics) {
        Map<TopicPartition, Long> committed = committed(group);
        Set<String> topics = new LinkedHashSet<>();
        committed.keySet().forEach(tp -> topics.add(tp.topic()));
        topics.addAll(extraTopics);
        List<TopicPartition> partitions = new ArrayList<>();
        partitionCounts(topics).forEach((t, n) -> {
            for (int p = 0; p < n; p++) {
                partitions.add(new TopicPartition(t, p));
            }
        });
        if (partitions.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        List<PartitionLag> lags = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            lags.add(new PartitionLag(
                    tp.topic(),
                    tp.partition(),
                    committed.get(tp),
                    start.getOrDefault(tp, 0L),
                    end.getOrDefault(tp, 0L)));
        }
        lags.sort(Comparator.comparing(PartitionLag::topic).thenComparingInt(PartitionLag::partition));
        return lags;
    }

    private <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while trying to " + what, CliException.UNREACHABLE, e);
        } catch (TimeoutException e) {
            throw unreachable(what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(what, cause);
            }
            throw new CliException(
                    "Kafka at " + bootstrap + " could not " + what + ": " + cause.getMessage(),
                    CliException.UNREACHABLE,
                    cause);
        }
    }

    private CliException unreachable(String what, Throwable cause) {
        return new CliException(
                "cannot reach Kafka at " + bootstrap + " within " + Durations.format(timeout) + " (trying to " + what
                        + "): check --bootstrap-servers / BRONZE_BOOTSTRAP_SERVERS and that the brokers are up",
                CliException.UNREACHABLE,
                cause);
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
