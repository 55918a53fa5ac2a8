package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.Header;
import io.flowguard.bronze.api.SinkWriteException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaDeadLetterSinkTest {

    private static DeadLetter letter(List<Header> headers) {
        return DeadLetter.builder()
                .failedAt(Instant.parse("2026-11-27T02:03:04Z"))
                .stage(DeadLetter.Stage.DESERIALIZE)
                .errorClass("com.fasterxml.jackson.core.JsonParseException")
                .errorMessage("Unexpected end-of-input")
                .stackTrace("trace")
                .attempts(2)
                .ingestionId("orders-3-1042")
                .topic("orders")
                .partition(3)
                .offset(1042)
                .kafkaTimestamp(Instant.ofEpochMilli(1_700_000_000_123L))
                .rawKey("k".getBytes(StandardCharsets.UTF_8))
                .rawPayload("{\"broken\":".getBytes(StandardCharsets.UTF_8))
                .headers(headers)
                .build();
    }

    private static List<String> values(ProducerRecord<byte[], byte[]> r, String name) {
        return StreamSupport.stream(r.headers().headers(name).spliterator(), false)
                .map(h -> new String(h.value(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void shouldKeepTheOriginalRecordAndAddProvenanceHeadersWithoutStackingEarlierOnes() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaDeadLetterSink sink = KafkaDeadLetterSink.builder()
                .producer(producer)
                .consumerGroup("bronze")
                .build();
        // A record replayed from the DLQ that failed again still carries the headers of its first dead-lettering.
        List<Header> original = List.of(
                Header.of("trace-id", "t-1"),
                Header.of(KafkaDeadLetterSink.H_STAGE, "WRITE"),
                Header.of(KafkaDeadLetterSink.H_ATTEMPTS, "9"));

        sink.write(List.of(letter(original)));

        ProducerRecord<byte[], byte[]> r = producer.history().get(0);
        assertThat(r.topic()).isEqualTo("orders.dlq");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k");
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"broken\":");
        assertThat(r.timestamp())
                .as("stamped when it failed")
                .isEqualTo(Instant.parse("2026-11-27T02:03:04Z").toEpochMilli());
        assertThat(values(r, KafkaDeadLetterSink.H_TIMESTAMP)).containsExactly("1700000000123");
        assertThat(values(r, "trace-id")).containsExactly("t-1");
        assertThat(values(r, KafkaDeadLetterSink.H_STAGE)).containsExactly("DESERIALIZE");
        assertThat(values(r, KafkaDeadLetterSink.H_ATTEMPTS)).containsExactly("2");
        assertThat(values(r, KafkaDeadLetterSink.H_TOPIC)).containsExactly("orders");
        assertThat(values(r, KafkaDeadLetterSink.H_PARTITION)).containsExactly("3");
        assertThat(values(r, KafkaDeadLetterSink.H_OFFSET)).containsExactly("1042");
        assertThat(values(r, KafkaDeadLetterSink.H_GROUP)).containsExactly("bronze");
        assertThat(values(r, KafkaDeadLetterSink.H_EXCEPTION_CLASS))
                .containsExactly("com.fasterxml.jackson.core.JsonParseException");
        assertThat(values(r, KafkaDeadLetterSink.H_INGESTION_ID)).containsExactly("orders-3-1042");
        assertThat(DeadLetterReplay.original(new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                        "orders.dlq",
                        0,
                        0,
                        r.timestamp(),
                        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                        1,
                        r.value().length,
                        r.key(),
                        r.value(),
                        r.headers(),
                        java.util.Optional.empty())))
                .get()
                .satisfies(o -> {
                    assertThat(o.topic()).isEqualTo("orders");
                    assertThat(o.partition()).isEqualTo(3);
                    assertThat(o.offset()).isEqualTo(1042);
                    assertThat(o.headers().toArray()).hasSize(1);
                });
    }

    @Test
    void shouldTruncateAnOversizedPayloadSoTheDeadLetterFitsTheProducersRequestLimit() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaDeadLetterSink sink =
                KafkaDeadLetterSink.builder().producer(producer).build();
        byte[] oneMiB = new byte[1024 * 1024];
        java.util.Arrays.fill(oneMiB, (byte) 'x');
        DeadLetter big = letter(List.of()).toBuilder()
                .stage(DeadLetter.Stage.SIZE_LIMIT)
                .rawPayload(oneMiB)
                .payloadSizeBytes(5 * 1024 * 1024)
                .errorMessage("m".repeat(100_000))
                .build();

        sink.write(List.of(big));

        ProducerRecord<byte[], byte[]> r = producer.history().get(0);
        int headerBytes = 0;
        for (org.apache.kafka.common.header.Header h : r.headers()) {
            headerBytes += h.key().length() + h.value().length;
        }
        assertThat(r.value().length + r.key().length + headerBytes)
                .isLessThan(KafkaDeadLetterSink.DEFAULT_MAX_RECORD_BYTES);
        assertThat(r.value().length).isGreaterThan(900_000);
        assertThat(values(r, KafkaDeadLetterSink.H_PAYLOAD_SIZE)).containsExactly(Integer.toString(5 * 1024 * 1024));
        assertThat(values(r, KafkaDeadLetterSink.H_EXCEPTION_MESSAGE).get(0))
                .hasSize(KafkaDeadLetterSink.MAX_MESSAGE_BYTES);
    }

    @Test
    void shouldFailTransientlyWhenTheBrokerDoesNotAcknowledge() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaDeadLetterSink sink =
                KafkaDeadLetterSink.builder().producer(producer).build();
        producer.sendException = new org.apache.kafka.common.errors.TimeoutException("broker down");

        assertThatThrownBy(() -> sink.write(List.of(letter(List.of()))))
                .isInstanceOf(SinkWriteException.class)
                .satisfies(e ->
                        assertThat(((SinkWriteException) e).kind()).isEqualTo(SinkWriteException.ErrorKind.TRANSIENT));
    }

    private static int totalBytes(ProducerRecord<byte[], byte[]> r) {
        int n = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        for (org.apache.kafka.common.header.Header h : r.headers()) {
            n += h.key().length() + (h.value() == null ? 0 : h.value().length) + 16;
        }
        return n;
    }

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void shouldFitATwoMegabyteKeyIntoTheRecordLimitAndKeepItsSize() {
        MockProducer<byte[], byte[]> producer = producer(true);
        KafkaDeadLetterSink sink =
                KafkaDeadLetterSink.builder().producer(producer).build();
        DeadLetter d = letter(List.of()).toBuilder()
                .rawKey(new byte[2_000_000])
                .rawPayload("not json".getBytes(StandardCharsets.UTF_8))
                .build();

        ProducerRecord<byte[], byte[]> r = sink.toRecord(d);

        assertThat(totalBytes(r)).isLessThanOrEqualTo(KafkaDeadLetterSink.DEFAULT_MAX_RECORD_BYTES);
        assertThat(new String(r.value(), StandardCharsets.UTF_8))
                .as("the value is kept whole")
                .isEqualTo("not json");
        assertThat(r.key().length).isGreaterThan(500_000);
        assertThat(values(r, KafkaDeadLetterSink.H_KEY_SIZE)).containsExactly("2000000");
    }

    @Test
    void shouldLeaveOutOriginalHeadersThatDoNotFitAndCountThem() {
        KafkaDeadLetterSink sink =
                KafkaDeadLetterSink.builder().producer(producer(true)).build();
        List<Header> big = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            big.add(Header.of("h" + i, new byte[500_000]));
        }
        big.add(Header.of("trace-id", "t-1"));

        ProducerRecord<byte[], byte[]> r = sink.toRecord(letter(big));

        assertThat(totalBytes(r)).isLessThanOrEqualTo(KafkaDeadLetterSink.DEFAULT_MAX_RECORD_BYTES);
        assertThat(values(r, "trace-id")).containsExactly("t-1");
        assertThat(Integer.parseInt(
                        values(r, KafkaDeadLetterSink.H_HEADERS_DROPPED).get(0)))
                .isBetween(3, 4);
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"broken\":");
    }

    @Test
    void shouldClassifyANonRetriableProducerErrorAsDataSoTheEngineFailsFastWithTheReason() {
        MockProducer<byte[], byte[]> producer = producer(true);
        producer.sendException = new org.apache.kafka.common.errors.RecordTooLargeException("too large for the topic");
        KafkaDeadLetterSink sink =
                KafkaDeadLetterSink.builder().producer(producer).build();

        assertThatThrownBy(() -> sink.write(List.of(letter(List.of()))))
                .isInstanceOf(SinkWriteException.class)
                .hasMessageContaining("not retriable")
                .satisfies(
                        e -> assertThat(((SinkWriteException) e).kind()).isEqualTo(SinkWriteException.ErrorKind.DATA));
    }

    @Test
    void shouldClassifyATopicNamerBugAsData() {
        KafkaDeadLetterSink sink = KafkaDeadLetterSink.builder()
                .producer(producer(true))
                .topicNamer(t -> null)
                .build();

        assertThatThrownBy(() -> sink.write(List.of(letter(List.of()))))
                .isInstanceOf(SinkWriteException.class)
                .hasMessageContaining("topicNamer")
                .satisfies(
                        e -> assertThat(((SinkWriteException) e).kind()).isEqualTo(SinkWriteException.ErrorKind.DATA));
    }

    @Test
    void shouldNotWriteADeadLetterTwiceWhenARetryFollowsAPartlyFailedWrite() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        KafkaDeadLetterSink sink =
                KafkaDeadLetterSink.builder().producer(producer).build();
        DeadLetter d1 = letter(List.of());
        DeadLetter d2 = letter(List.of()).toBuilder()
                .offset(1043)
                .ingestionId("orders-3-1043")
                .build();
        Thread broker = new Thread(() -> {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> producer.history().size() == 2);
            producer.completeNext(); // d1 acknowledged
            producer.errorNext(
                    new org.apache.kafka.common.errors.NotLeaderOrFollowerException("leader moved")); // d2 not
        });
        broker.start();
        assertThatThrownBy(() -> sink.write(List.of(d1, d2)))
                .isInstanceOf(SinkWriteException.class)
                .satisfies(e ->
                        assertThat(((SinkWriteException) e).kind()).isEqualTo(SinkWriteException.ErrorKind.TRANSIENT));
        broker.join();

        Thread retry = new Thread(() -> {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> producer.history().size() == 3);
            producer.completeNext();
        });
        retry.start();
        sink.write(List.of(d1, d2)); // the engine retries the whole batch
        retry.join();

        assertThat(producer.history())
                .extracting(r -> values(r, KafkaDeadLetterSink.H_OFFSET).get(0))
                .containsExactly("1042", "1043", "1043");
    }

    /** A producer whose flush() never returns: a write must not call it. */
    static final class HangingFlushProducer extends MockProducer<byte[], byte[]> {
        final java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);

        HangingFlushProducer(boolean autoComplete) {
            super(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
            try {
                // Hangs like a flush to an unreachable broker; bounded so a regression fails instead of hanging the
                // build.
                never.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void shouldHonourTheSendTimeoutInsteadOfAnUnboundedFlush() {
        HangingFlushProducer producer = new HangingFlushProducer(false); // never acknowledges
        KafkaDeadLetterSink sink = KafkaDeadLetterSink.builder()
                .producer(producer)
                .sendTimeout(java.time.Duration.ofMillis(100))
                .build();

        assertThatThrownBy(() -> sink.write(List.of(letter(List.of()))))
                .isInstanceOf(SinkWriteException.class)
                .hasMessageContaining("within sendTimeout PT0.1S")
                .satisfies(e ->
                        assertThat(((SinkWriteException) e).kind()).isEqualTo(SinkWriteException.ErrorKind.TRANSIENT));
        assertThat(producer.flushes.get()).isZero();
    }

    private static org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> asConsumed(
            ProducerRecord<byte[], byte[]> r) {
        return new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                "orders.dlq",
                0,
                0,
                r.timestamp(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                r.key() == null ? -1 : r.key().length,
                r.value() == null ? -1 : r.value().length,
                r.key(),
                r.value(),
                r.headers(),
                java.util.Optional.empty());
    }

    @Test
    void shouldNotReplayATruncatedDeadLetterAsIfItWereTheOriginal() {
        KafkaDeadLetterSink sink =
                KafkaDeadLetterSink.builder().producer(producer(true)).build();
        DeadLetter cutValue = letter(List.of()).toBuilder()
                .rawPayload("{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                .payloadSizeBytes(5_000_000)
                .build();
        DeadLetter cutKey =
                letter(List.of()).toBuilder().rawKey(new byte[2_000_000]).build();
        DeadLetter whole = letter(List.of());

        assertThat(DeadLetterReplay.original(asConsumed(sink.toRecord(cutValue))))
                .isEmpty();
        assertThat(DeadLetterReplay.original(asConsumed(sink.toRecord(cutKey)))).isEmpty();
        assertThat(DeadLetterReplay.original(asConsumed(sink.toRecord(whole)))).isPresent();
    }
}
