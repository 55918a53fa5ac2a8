package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.Header;
import io.flowguard.bronze.api.KafkaTimestampType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The compatibility suite every {@link DeadLetterSink} passes, beside {@link BronzeSinkContract}: extend it, implement
 * {@link #createSink()} and {@link #readBack()}, and JUnit runs every contract test against that sink.
 *
 * <p>What it checks (see {@link DeadLetterSink}): every dead letter of a call is stored; a dead letter is idempotent on
 * its Kafka position (topic, partition, offset), so writing it again, or twice in one call, stores it once and keeps the
 * first; an empty call stores nothing; a payload that is not JSON, a tombstone (null payload) and text that looks like
 * SQL are stored as they are; the error, stage and attempts survive.
 *
 * @since 0.2.0
 */
public abstract class DeadLetterSinkContract {
    private DeadLetterSink sink;

    /** A new sink writing to an empty target; called once per test. The contract closes it after the test. */
    protected abstract DeadLetterSink createSink();

    /** Every dead letter stored so far, in any order, read back as the sink stored it. */
    protected abstract List<StoredDeadLetter> readBack();

    /**
     * A stored dead letter as the contract compares it.
     *
     * @param rawPayload the payload as text (UTF-8, invalid bytes replaced), null for a tombstone
     */
    public record StoredDeadLetter(
            String topic,
            int partition,
            long offset,
            String ingestionId,
            String stage,
            String errorClass,
            String errorMessage,
            int attempts,
            String rawPayload) {}

    /** The sink under test, created on the first call of each test. */
    protected final DeadLetterSink sink() {
        if (sink == null) {
            sink = createSink();
            assertThat(sink).as("createSink()").isNotNull();
        }
        return sink;
    }

    @AfterEach
    final void closeDeadLetterSink() {
        if (sink != null) {
            sink.close();
            sink = null;
        }
    }

    /** A dead letter of {@code orders} partition 2 at {@code offset} with {@code payload} (UTF-8), null for a tombstone. */
    protected static DeadLetter deadLetter(long offset, String payload) {
        return DeadLetter.builder()
                .failedAt(Instant.parse("2025-03-14T10:00:00.123Z"))
                .stage(DeadLetter.Stage.DESERIALIZE)
                .errorClass("com.fasterxml.jackson.core.JsonParseException")
                .errorMessage("Unexpected character ('<')")
                .stackTrace("at Parser.parse(Parser.java:1)")
                .attempts(1)
                .ingestionId("orders-2-" + offset)
                .topic("orders")
                .partition(2)
                .offset(offset)
                .kafkaTimestamp(Instant.parse("2025-03-14T09:59:59.999Z"))
                .timestampType(KafkaTimestampType.CREATE_TIME)
                .rawKey("customer-7".getBytes(StandardCharsets.UTF_8))
                .rawPayload(payload == null ? null : payload.getBytes(StandardCharsets.UTF_8))
                .headers(List.of(Header.of("trace", "abc")))
                .build();
    }

    @Test
    void shouldStoreEveryDeadLetterOfTheCall() {
        List<DeadLetter> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(deadLetter(i, "{\"n\":" + i + "}"));
        }

        sink().write(batch);

        assertThat(readBack())
                .extracting(StoredDeadLetter::offset)
                .containsExactlyInAnyOrder(
                        batch.stream().map(DeadLetter::offset).toArray(Long[]::new));
        assertThat(readBack()).allSatisfy(d -> {
            assertThat(d.topic()).isEqualTo("orders");
            assertThat(d.partition()).isEqualTo(2);
            assertThat(d.ingestionId()).isEqualTo("orders-2-" + d.offset());
            assertThat(d.stage()).isEqualTo("DESERIALIZE");
            assertThat(d.errorClass()).isEqualTo("com.fasterxml.jackson.core.JsonParseException");
            assertThat(d.errorMessage()).isEqualTo("Unexpected character ('<')");
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.rawPayload()).isEqualTo("{\"n\":" + d.offset() + "}");
        });
    }

    @Test
    void shouldStoreEachPositionOnceWhenWrittenAgainOrRepeatedInOneCall() {
        List<DeadLetter> batch = List.of(deadLetter(1, "first"), deadLetter(2, "two"), deadLetter(1, "repeat"));

        sink().write(batch);
        sink().write(batch);

        assertThat(readBack()).hasSize(2);
        assertThat(readBack())
                .filteredOn(d -> d.offset() == 1)
                .singleElement()
                .extracting(StoredDeadLetter::rawPayload)
                .isEqualTo("first");
    }

    @Test
    void shouldStoreNothingForAnEmptyCall() {
        sink().write(List.of());

        assertThat(readBack()).isEmpty();
    }

    @Test
    void shouldStorePayloadThatIsNotJsonAndTombstone() {
        sink().write(List.of(deadLetter(5, "<xml>not json</xml>"), deadLetter(6, null)));

        assertThat(readBack())
                .filteredOn(d -> d.offset() == 5)
                .singleElement()
                .extracting(StoredDeadLetter::rawPayload)
                .isEqualTo("<xml>not json</xml>");
        assertThat(readBack())
                .filteredOn(d -> d.offset() == 6)
                .singleElement()
                .extracting(StoredDeadLetter::rawPayload)
                .isNull();
    }

    @Test
    void shouldStoreTextThatLooksLikeSqlLiterally() {
        String evil = "'); DROP TABLE BRONZE_DEAD_LETTER; --";
        sink().write(List.of(deadLetter(9, evil).toBuilder().errorMessage(evil).build()));

        assertThat(readBack()).singleElement().satisfies(d -> {
            assertThat(d.rawPayload()).isEqualTo(evil);
            assertThat(d.errorMessage()).isEqualTo(evil);
        });
    }
}
