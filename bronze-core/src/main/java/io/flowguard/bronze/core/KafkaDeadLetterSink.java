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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
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
 * <p>Each record (key + value + headers) fits {@link Builder#maxRecordBytes(int)}: the value is kept first, then the
 * key, then the original headers; what is cut keeps its original size in {@value #H_PAYLOAD_SIZE} or
 * {@value #H_KEY_SIZE}, and left-out headers are counted in {@value #H_HEADERS_DROPPED}.
 *
 * <p>A write returns only when the broker acknowledged every record within the send timeout ({@code acks=all},
 * idempotent producer, when the sink creates it; a producer passed to {@link Builder#producer(Producer)} keeps its own
 * {@code acks}, and with {@code acks=0} or {@code 1} a dead letter can be lost after the engine committed past it).
 * Retriable producer errors throw a {@link SinkWriteException} of kind {@code TRANSIENT}, so the engine retries and
 * commits nothing past it; non-retriable ones (record too large, invalid topic, authorization) throw kind {@code DATA},
 * which fails the batch at once with the reason. Dead letters acknowledged by an earlier, partly failed write are not
 * sent again on the retry (the last {@value #ACKNOWLEDGED_MEMORY} are remembered); after a crash a re-delivered record
 * can still be dead-lettered twice, so consumers of the topic should key on the {@code original.*} headers.
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
    /** The original key size, when the key was cut to fit {@link Builder#maxRecordBytes(int)}. @since 0.2.0 */
    public static final String H_KEY_SIZE = PREFIX + "key.size";
    /** How many original headers were left out to fit {@link Builder#maxRecordBytes(int)}. @since 0.2.0 */
    public static final String H_HEADERS_DROPPED = PREFIX + "headers.dropped";
    /** Dead letters remembered as acknowledged, so a retried write does not send them twice: {@value}. */
    static final int ACKNOWLEDGED_MEMORY = 10_000;

    private static final int RECORD_OVERHEAD_BYTES = 512;
    private static final int HEADER_OVERHEAD_BYTES = 16;

    private final Producer<byte[], byte[]> producer;
    private final boolean ownsProducer;
    private final Function<String, String> topicNamer;
    private final String consumerGroup;
    private final Duration sendTimeout;
    private final int maxRecordBytes;
    /** (topic, partition, offset) of dead letters the broker acknowledged lately, oldest first. */
    private final Map<Coordinate, Boolean> recentlyAcknowledged = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Coordinate, Boolean> eldest) {
            return size() > ACKNOWLEDGED_MEMORY;
        }
    };

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
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        // send() blocks for metadata at most this long, so a write never waits past its send timeout for it
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, b.sendTimeout.toMillis());
        props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1_048_576, b.maxRecordBytes + 1024));
        props.putIfAbsent(
                ProducerConfig.CLIENT_ID_CONFIG, "bronze-dlq-" + (b.consumerGroup == null ? "sink" : b.consumerGroup));
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
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        List<DeadLetter> toSend = new ArrayList<>(deadLetters.size());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(deadLetters.size());
        for (DeadLetter d : deadLetters) {
            if (acknowledged(d)) {
                continue; // acknowledged by an earlier, partly failed write of this batch: never written twice
            }
            try {
                records.add(toRecord(d));
            } catch (RuntimeException e) {
                throw new SinkWriteException(
                        "cannot build the dead-letter record of " + d.topic() + "-" + d.partition() + "@" + d.offset()
                                + " (check topicNamer): " + e,
                        e,
                        SinkWriteException.ErrorKind.DATA);
            }
            toSend.add(d);
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        SinkWriteException failure = null;
        try {
            for (ProducerRecord<byte[], byte[]> r : records) {
                acks.add(producer.send(r));
            }
            // No producer.flush(): it has no timeout. The sink's own producer sends at once (linger.ms=0); the wait
            // below is bounded by the send timeout.
            for (int i = 0; i < acks.size(); i++) {
                try {
                    acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    remember(toSend.get(i));
                } catch (ExecutionException e) {
                    failure = failure != null
                            ? failure
                            : classify(e.getCause() != null ? e.getCause() : e, deadLetters.size());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkWriteException(
                    "interrupted while writing dead letters to Kafka", e, SinkWriteException.ErrorKind.TRANSIENT);
        } catch (TimeoutException e) {
            throw new SinkWriteException(
                    "dead letters not acknowledged within sendTimeout " + sendTimeout + "; will retry",
                    e,
                    SinkWriteException.ErrorKind.TRANSIENT);
        } catch (RuntimeException e) {
            throw classify(e, deadLetters.size());
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Retriable producer errors (timeouts, leader changes, not enough replicas) are TRANSIENT; any other Kafka error
     * (record too large, invalid topic, authorization, ...) is DATA: retrying cannot help, and the engine fails the batch
     * at once with this message instead of retrying for the whole budget and crash-looping on restart.
     */
    private static SinkWriteException classify(Throwable cause, int count) {
        boolean retriable = cause instanceof RetriableException || !(cause instanceof KafkaException);
        return new SinkWriteException(
                "could not write " + count + " dead letter(s) to Kafka"
                        + (retriable
                                ? ""
                                : " (not retriable: "
                                        + "fix the dead-letter topic, its size limits or the producer's ACLs)")
                        + ": " + cause,
                cause,
                retriable ? SinkWriteException.ErrorKind.TRANSIENT : SinkWriteException.ErrorKind.DATA);
    }

    private record Coordinate(String topic, int partition, long offset) {}

    private boolean acknowledged(DeadLetter d) {
        synchronized (recentlyAcknowledged) {
            return recentlyAcknowledged.containsKey(new Coordinate(d.topic(), d.partition(), d.offset()));
        }
    }

    private void remember(DeadLetter d) {
        synchronized (recentlyAcknowledged) {
            recentlyAcknowledged.put(new Coordinate(d.topic(), d.partition(), d.offset()), Boolean.TRUE);
        }
    }

    ProducerRecord<byte[], byte[]> toRecord(DeadLetter d) {
        RecordHeaders headers = new RecordHeaders();
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
        headers.add(H_EXCEPTION_CLASS, cut(d.errorClass().getBytes(StandardCharsets.UTF_8), MAX_MESSAGE_BYTES));
        headers.add(H_EXCEPTION_MESSAGE, cut(d.errorMessage().getBytes(StandardCharsets.UTF_8), MAX_MESSAGE_BYTES));
        put(headers, H_FAILED_AT, d.failedAt().toString());
        put(headers, H_PAYLOAD_SIZE, Integer.toString(d.payloadSizeBytes()));
        if (d.ingestionId() != null) {
            put(headers, H_INGESTION_ID, d.ingestionId());
        }
        int budget = maxRecordBytes - RECORD_OVERHEAD_BYTES;
        int essential = size(headers);
        if (d.stackTrace() != null) {
            byte[] st = cut(d.stackTrace().getBytes(StandardCharsets.UTF_8), MAX_STACKTRACE_BYTES);
            if (essential + HEADER_OVERHEAD_BYTES + H_STACKTRACE.length() + st.length <= budget / 2) {
                headers.add(H_STACKTRACE, st);
            }
        }
        int rest = Math.max(0, budget - size(headers));
        // The value matters most for a replay, then the key, then the original headers; a small key and small headers
        // are never sacrificed for a large value. Whatever is cut keeps its original size in a header.
        byte[] key = d.rawKey();
        int keyLen = key == null ? 0 : key.length;
        List<org.apache.kafka.common.header.Header> originals = new ArrayList<>();
        int originalsLen = 0;
        for (Header h : d.headers()) {
            if (!h.name().startsWith(PREFIX)) {
                org.apache.kafka.common.header.internals.RecordHeader rh =
                        new org.apache.kafka.common.header.internals.RecordHeader(h.name(), h.value());
                originals.add(rh);
                originalsLen += headerSize(rh);
            }
        }
        int keySmall = Math.min(keyLen, rest / 4);
        int headersSmall = Math.min(originalsLen, rest / 4);
        byte[] value = d.rawPayload() == null ? null : cut(d.rawPayload(), Math.max(0, rest - keySmall - headersSmall));
        int left = rest - (value == null ? 0 : value.length);
        byte[] fittedKey = key == null ? null : cut(key, Math.max(0, left - headersSmall));
        left -= fittedKey == null ? 0 : fittedKey.length;
        if (fittedKey != null && fittedKey.length < keyLen) {
            left -= reserve(headers, H_KEY_SIZE, Integer.toString(keyLen));
        }
        int dropped = 0;
        for (org.apache.kafka.common.header.Header h : originals) {
            int n = headerSize(h);
            if (n <= left - 64) { // 64: room for the dropped-count header
                headers.add(h);
                left -= n;
            } else {
                dropped++;
            }
        }
        if (dropped > 0) {
            put(headers, H_HEADERS_DROPPED, Integer.toString(dropped));
        }
        // Stamped with the failure time, not the original timestamp (that is in a header): old records must not be
        // eligible for retention deletion, or rejected by the broker's timestamp bounds, the moment they are
        // dead-lettered.
        String topic = Objects.requireNonNull(topicNamer.apply(d.topic()), "topicNamer returned null for " + d.topic());
        return new ProducerRecord<>(topic, null, d.failedAt().toEpochMilli(), fittedKey, value, headers);
    }

    private static int reserve(RecordHeaders headers, String name, String value) {
        put(headers, name, value);
        return HEADER_OVERHEAD_BYTES + name.length() + value.length();
    }

    private static byte[] cut(byte[] bytes, int max) {
        return bytes.length <= max ? bytes : java.util.Arrays.copyOf(bytes, max);
    }

    private static int headerSize(org.apache.kafka.common.header.Header h) {
        return HEADER_OVERHEAD_BYTES
                + h.key().getBytes(StandardCharsets.UTF_8).length
                + (h.value() == null ? 0 : h.value().length);
    }

    private static int size(RecordHeaders headers) {
        int n = 0;
        for (org.apache.kafka.common.header.Header h : headers) {
            n += headerSize(h);
        }
        return n;
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

        private Builder() {}

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
