package io.flowguard.bronze.benchmarks;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Engine vs raw consumer throughput, against one in-JVM broker and the same topic of JSON events (~150 bytes).
 *
 * <p>(a) raw: a plain {@link KafkaConsumer} poll loop that commits (synchronously, as a commit-after-write consumer must)
 * after each poll; (b) engine: {@link IngestionEngine} with a sink that only counts. Each side reads the whole topic with its
 * own consumer group, after one untimed warm-up pass of each over a smaller topic. The last line printed is
 * {@code engine/raw throughput ratio: R (engine E rec/s, raw W rec/s, N records)}.
 *
 * <p>Arguments: {@code [records (default 1000000)] [partitions (default 3)] [maxBatchRecords (default: the engine default, {@link io.flowguard.bronze.core.EngineConfig#DEFAULT_MAX_BATCH_RECORDS})]}.
 */
public final class EngineBenchmark {

    private EngineBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int maxBatchRecords = args.length > 2
                ? Integer.parseInt(args[2])
                : io.flowguard.bronze.core.EngineConfig.DEFAULT_MAX_BATCH_RECORDS;
        double rawRate;
        double engineRate;
        try (KafkaBroker broker = KafkaBroker.create().start()) {
            String warm = broker.createTopic("warmup", partitions);
            produce(broker.bootstrapServers(), warm, Math.min(records, 200_000));
            String topic = broker.createTopic("bench", partitions);
            long t0 = System.nanoTime();
            produce(broker.bootstrapServers(), topic, records);
            System.out.printf(
                    Locale.ROOT,
                    "produced %d events (%d bytes each on average) in %.1f s%n",
                    records,
                    event(0).length,
                    (System.nanoTime() - t0) / 1e9);

            raw(broker.bootstrapServers(), warm, "raw-warmup", Math.min(records, 200_000));
            engine(broker.bootstrapServers(), warm, "engine-warmup", Math.min(records, 200_000), maxBatchRecords);

            rawRate = raw(broker.bootstrapServers(), topic, "raw", records);
            engineRate = engine(broker.bootstrapServers(), topic, "engine", records, maxBatchRecords);
        }
        // After the broker is closed, so its shutdown logging cannot come after the result line.
        System.err.flush();
        System.out.printf(
                Locale.ROOT,
                "engine/raw throughput ratio: %.3f (engine %.0f rec/s, raw %.0f rec/s, %d records)%n",
                engineRate / rawRate,
                engineRate,
                rawRate,
                records);
    }

    static byte[] event(int i) {
        String json = String.format(
                Locale.ROOT,
                "{\"event_id\":\"evt-%09d\",\"event_type\":\"order_created\","
                        + "\"schema_version\":\"v1\",\"order_id\":\"ord-%09d\",\"user_id\":%d,\"price\":%d.99,\"currency\":\"EUR\"}",
                i,
                i,
                i % 100_000,
                i % 500);
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static void produce(String bootstrap, String topic, int count) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                p.send(new ProducerRecord<>(topic, ("key-" + i).getBytes(StandardCharsets.UTF_8), event(i)));
            }
            p.flush();
        }
    }

    static double raw(String bootstrap, String topic, String group, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long seen = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (seen < expected) {
                ConsumerRecords<byte[], byte[]> batch = c.poll(Duration.ofMillis(100));
                seen += batch.count();
                if (!batch.isEmpty()) {
                    c.commitSync();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = expected / seconds;
        System.out.printf(Locale.ROOT, "%s: %d records in %.2f s = %.0f rec/s%n", group, expected, seconds, rate);
        return rate;
    }

    static double engine(String bootstrap, String topic, String group, int expected, int maxBatchRecords)
            throws InterruptedException {
        LongAdder count = new LongAdder();
        BronzeSink counting = new BronzeSink() {
            @Override
            public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
                count.add(records.size());
                return WriteResult.of(records.size(), records.size());
            }

            @Override
            public String name() {
                return "counting";
            }
        };
        long start = System.nanoTime();
        double seconds = 0;
        IngestionEngine engine = IngestionEngine.builder()
                .bootstrapServers(bootstrap)
                .groupId(group)
                .topics(topic)
                .sink(counting)
                .maxBatchRecords(maxBatchRecords)
                .start();
        try {
            while (count.sum() < expected) {
                if (engine.state() == EngineState.FAILED) {
                    throw new IllegalStateException(
                            "engine failed", engine.failure().orElse(null));
                }
                Thread.sleep(5);
            }
            seconds = (System.nanoTime() - start) / 1e9;
        } finally {
            engine.close();
        }
        System.out.printf(
                Locale.ROOT,
                "%s: %d records in %.2f s = %.0f rec/s (maxBatchRecords=%d)%n",
                group,
                expected,
                seconds,
                expected / seconds,
                engine.config().maxBatchRecords());
        return expected / seconds;
    }
}
