package io.flowguard.bronze.core;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.Header;
import io.flowguard.bronze.api.SinkWriteException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@link DeadLetterSink} that writes each dead letter to a Kafka topic — by default {@code <topic>.dlq} — keeping the
 * original key, value and headers byte for byte and adding {@code bronze.dlq.*} headers that say where the record came
 * from and why it failed: {@value #H_TOPIC}, {@value #H_PARTITION}, {@value #H_OFFSET}, {@value #H_TIMESTAMP},
 * {@value #H_TIMESTAMP_TYPE}, {@value #H_GROUP}, {@value #H_STAGE}, {@value #H_ATTEMPTS}, {@value #H_EXCEPTION_CLASS},
 * {@value #H_EXCEPTION_MESSAGE}, {@value #H_STACKTRACE} (truncated to {@value #MAX_STACKTRACE_BYTES} bytes),
 * {@value #H_FAILED_AT}, {@value #H_PAYLOAD_SIZE}, {@value #H_INGESTION_ID}. Headers of an earlier dead-lettering
 * (a record replayed from the DLQ that fails again) are replaced, never stacked.
 *
 * <p>A write returns only when the broker acknowledged every record ({@code acks=all}, idempotent producer); otherwise it
 * throws a {@link SinkWriteException} of kind {@code TRANSIENT}, so the engine retries and commits nothing past it.
 * {@link DeadLetterReplay} reads such a topic back.
 *
 * <p>Thread-safe (the Kafka producer is). {@link #close()} closes the producer this sink created.
 *
 * @since 0.1.0
 */
public final class KafkaDeadLetterSink implements DeadLetterSink {
    public static final String PREFIX = "bronze.dlq.";
    public static final String H_TOPIC = PREFIX + "original.topic";
    public static final String H_PARTITION = PREFIX + "original.partition";
    public static final String H_OFFSET = PREFIX + "original.offset";
    public static final String H_TIMESTAMP = PREFIX + "original.timestamp";
    public static final String H_TIMESTAMP_TYPE = PREFIX + "original.timestamp.type";
    public static final String H_GROUP = PREFIX + "consumer.group";
    public static final String H_STAGE = PREFIX + "stage";
    public static final String H_ATTEMPTS = PREFIX + "attempts";
    public static final String H_EXCEPTION_CLASS = PREFIX + "exception.class";
    public static final String H_EXCEPTION_MESSAGE = PREFIX + "exception.message";
    public static final String H_STACKTRACE = PREFIX + "exception.stacktrace";
    public static final String H_FAILED_AT = PREFIX + "failed.at";
    public static final String H_PAYLOAD_SIZE = PREFIX + "payload.size";
    public static final String H_INGESTION_ID = PREFIX + "ingestion.id";
    /** Stack traces in headers are cut to this many bytes: {@value}. */
    public static final int MAX_STACKTRACE_BYTES = 8 * 1024;
    /** How long a write waits for acknowledgements: 30 s. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Largest dead-letter record, key + value + headers, in bytes: {@value}, under the producer's default
     * {@code max.request.size} (1,048,576) with room for the record overhead. A longer payload is truncated to fit and
     * {@value #H_PAYLOAD_SIZE} keeps its original size; raise both together for larger dead letters.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;
    /** Error messages in headers are cut to this many bytes: {@value}. */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024;

    private final Producer<byte[], byte[]> producer;
    private final boolean ownsProducer;
    private final Function<String, String> topicNamer;
    private final String consumerGroup;
    private final Duration sendTimeout;
    private final int maxRecordBytes;

    private KafkaDeadLetterSink(Builder b) {
        this.maxRecordBytes = b.maxRecordBytes;
        this.ownsProducer = b.producer == null;
        this.producer = b.producer != null ? b.producer : createProducer(b);
        this.topicNamer = b.topicNamer;
        this.consumerGroup = b.consumerGroup;
        this.sendTimeout = b.sendTimeout;
    }

    private static Producer<byte[], byte[]> createProducer(Builder b) {
        Map<String, Object> props = new LinkedHashMap<>(b.producerProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "bronze-dlq-" + (b.consumerGroup == null ? "sink" : b.consumerGroup));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A builder; {@link Builder#bootstrapServers(String)} or {@link Builder#producer(Producer)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default: {@code <topic>.dlq}. */
    public static Function<String, String> suffixDlq() {
        return topic -> topic + ".dlq";
    }

    @Override
    public void write(List<DeadLetter> deadLetters) {
        if (deadLetters.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(deadLetters.size());
        try {
            for (DeadLetter d : deadLetters) {
                acks.add(producer.send(toRecord(d)));
            }
            producer.flush();
            long deadline = System.nanoTime() + sendTimeout.toNanos();
            for (Future<RecordMetadata> f : acks) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkWriteException("interrupted while writing dead letters to Kafka", e, SinkWriteException.ErrorKind.TRANSIENT);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new SinkWriteException("could not write " + deadLetters.size() + " dead letter(s) to Kafka: " + cause,
                    cause, SinkWriteException.ErrorKind.TRANSIENT);
        }
    }

    ProducerRecord<byte[], byte[]> toRecord(DeadLetter d) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : d.headers()) {
            if (!h.name().startsWith(PREFIX)) {
                headers.add(h.name(), h.value());
            }
        }
        put(headers, H_TOPIC, d.topic());
        put(headers, H_PARTITION, Integer.toString(d.partition()));
        put(headers, H_OFFSET, Long.toString(d.offset()));
        if (d.kafkaTimestamp() != null) {
            put(headers, H_TIMESTAMP, Long.toString(d.kafkaTimestamp().toEpochMilli()));
        }
        put(headers, H_TIMESTAMP_TYPE, d.timestampType().name());
        if (consumerGroup != null) {
            put(headers, H_GROUP, consumerGroup);
        }
        put(headers, H_STAGE, d.stage().name());
        put(headers, H_ATTEMPTS, Integer.toString(d.attempts()));
        put(headers, H_EXCEPTION_CLASS, d.errorClass());
        byte[] message = d.errorMessage().getBytes(StandardCharsets.UTF_8);
        headers.add(H_EXCEPTION_MESSAGE, message.length <= MAX_MESSAGE_BYTES ? message : java.util.Arrays.copyOf(message, MAX_MESSAGE_BYTES));
        if (d.stackTrace() != null) {
            byte[] st = d.stackTrace().getBytes(StandardCharsets.UTF_8);
            headers.add(H_STACKTRACE, st.length <= MAX_STACKTRACE_BYTES ? st : java.util.Arrays.copyOf(st, MAX_STACKTRACE_BYTES));
        }
        put(headers, H_FAILED_AT, d.failedAt().toString());
        put(headers, H_PAYLOAD_SIZE, Integer.toString(d.payloadSizeBytes()));
        if (d.ingestionId() != null) {
            put(headers, H_INGESTION_ID, d.ingestionId());
        }
        byte[] key = d.rawKey();
        byte[] value = fit(d.rawPayload(), key, headers);
        // Stamped with the failure time, not the original timestamp (that is in a header): old records must not be
        // eligible for retention deletion, or rejected by the broker's timestamp bounds, the moment they are dead-lettered.
        return new ProducerRecord<>(topicNamer.apply(d.topic()), null, d.failedAt().toEpochMilli(), key, value, headers);
    }

    /** Truncates the value so key + value + headers stay within {@link Builder#maxRecordBytes(int)}. */
    private byte[] fit(byte[] value, byte[] key, RecordHeaders headers) {
        if (value == null) {
            return null;
        }
        int overhead = key == null ? 0 : key.length;
        for (org.apache.kafka.common.header.Header h : headers) {
            overhead += h.key().length() + (h.value() == null ? 0 : h.value().length) + 16;
        }
        int room = Math.max(0, maxRecordBytes - overhead - 512);
        return value.length <= room ? value : java.util.Arrays.copyOf(value, room);
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return "kafka-dlq";
    }

    @Override
    public void close() {
        if (ownsProducer) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Builds a {@link KafkaDeadLetterSink}; not thread-safe. */
    public static final class Builder {
        private String bootstrapServers;
        private Producer<byte[], byte[]> producer;
        private final Map<String, Object> producerProperties = new LinkedHashMap<>();
        private Function<String, String> topicNamer = suffixDlq();
        private String consumerGroup;
        private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;

        private Builder() {
        }

        /**
         * Largest dead-letter record in bytes (key + value + headers), {@code >= 16384}; default
         * {@value KafkaDeadLetterSink#DEFAULT_MAX_RECORD_BYTES}. Keep it under the producer's {@code max.request.size} and
         * the topic's {@code max.message.bytes}.
         */
        public Builder maxRecordBytes(int v) {
            if (v < 16_384) {
                throw new IllegalArgumentException("maxRecordBytes must be >= 16384, but was " + v);
            }
            this.maxRecordBytes = v;
            return this;
        }

        /** Brokers for the sink's own producer. */
        public Builder bootstrapServers(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers must be non-blank, but was '" + v + "'");
            }
            this.bootstrapServers = v;
            return this;
        }

        /** An extra producer property (SSL, SASL, ...); acks and idempotence are fixed by the sink. */
        public Builder producerProperty(String key, Object value) {
            producerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A producer to use instead of creating one; it stays the caller's to close. */
        public Builder producer(Producer<byte[], byte[]> v) {
            this.producer = Objects.requireNonNull(v, "producer");
            return this;
        }

        /** Maps a source topic to its dead-letter topic; default {@code <topic>.dlq}. */
        public Builder topicNamer(Function<String, String> v) {
            this.topicNamer = Objects.requireNonNull(v, "topicNamer");
            return this;
        }

        /** The consumer group written into {@value #H_GROUP}; usually the engine's group id. */
        public Builder consumerGroup(String v) {
            this.consumerGroup = v;
            return this;
        }

        /** How long one write waits for acknowledgements, {@code > 0}; default 30 s. */
        public Builder sendTimeout(Duration v) {
            this.sendTimeout = RetryPolicy.Builder.requirePositive(v, "sendTimeout");
            return this;
        }

        public KafkaDeadLetterSink build() {
            if (producer == null && bootstrapServers == null) {
                throw new IllegalArgumentException("KafkaDeadLetterSink needs bootstrapServers(...) or producer(...)");
            }
            return new KafkaDeadLetterSink(this);
        }
    }
}
