package io.flowguard.bronze.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    private static final byte[] PAYLOAD = "{\"bad\":".getBytes(StandardCharsets.UTF_8);

    private static DeadLetter.Builder valid() {
        return DeadLetter.builder()
                .failedAt(Instant.parse("2025-03-14T10:00:00Z"))
                .stage(DeadLetter.Stage.DESERIALIZE)
                .errorClass("com.fasterxml.jackson.core.io.JsonEOFException")
                .errorMessage("Unexpected end-of-input")
                .topic("orders")
                .partition(3)
                .offset(1042)
                .rawPayload(PAYLOAD);
    }

    @Test
    void shouldNotBeTruncatedWhenWholePayloadIsKept() {
        DeadLetter d = valid().build();

        assertThat(d.payloadTruncated()).isFalse();
        assertThat(d.payloadSizeBytes()).isEqualTo(PAYLOAD.length);
    }

    @Test
    void shouldBeTruncatedWhenOriginalSizeExceedsKeptBytes() {
        DeadLetter d =
                valid().rawPayload(new byte[100]).payloadSizeBytes(5_000_000).build();

        assertThat(d.payloadTruncated()).isTrue();
        assertThat(d.payloadSizeBytes()).isEqualTo(5_000_000);
        assertThat(d.rawPayload()).hasSize(100);
    }

    @Test
    void shouldNotBeTruncatedForTombstone() {
        DeadLetter d = valid().rawPayload(null).build();

        assertThat(d.payloadTruncated()).isFalse();
        assertThat(d.payloadSizeBytes()).isZero();
        assertThat(d.rawPayload()).isNull();
    }

    @Test
    void shouldCopyByteArraysInAndOut() {
        byte[] payload = PAYLOAD.clone();
        byte[] key = {1, 2, 3};
        DeadLetter d = valid().rawPayload(payload).rawKey(key).build();

        payload[0] = 'X';
        key[0] = 9;
        d.rawPayload()[1] = 'Y';

        assertThat(d.rawPayload()).isEqualTo(PAYLOAD);
        assertThat(d.rawKey()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldKeepEveryHeaderInOrderIncludingRepeats() {
        List<Header> headers = List.of(Header.of("a", "1"), Header.of("a", "2"), Header.of("b", (byte[]) null));

        assertThat(valid().headers(headers).build().headers()).containsExactlyElementsOf(headers);
    }

    @Test
    void shouldDefaultOptionalFields() {
        DeadLetter d = DeadLetter.builder()
                .failedAt(Instant.EPOCH)
                .stage(DeadLetter.Stage.WRITE)
                .errorClass("E")
                .topic("t")
                .partition(0)
                .offset(0)
                .build();

        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.errorMessage()).isEmpty();
        assertThat(d.timestampType()).isEqualTo(KafkaTimestampType.NO_TIMESTAMP);
        assertThat(d.headers()).isEmpty();
        assertThat(d.ingestionId()).isNull();
        assertThat(d.stackTrace()).isNull();
    }

    @Test
    void shouldTakeClassAndMessageFromThrowable() {
        DeadLetter d = valid().error(new IllegalStateException("boom")).build();

        assertThat(d.errorClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(d.errorMessage()).isEqualTo("boom");
    }

    @Test
    void shouldRejectInvalidValuesNamingThem() {
        assertThatThrownBy(() -> valid().attempts(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attempts must be >= 1, but was 0");
        assertThatThrownBy(() -> valid().partition(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition and offset must be >= 0, but were -1 and 1042");
        assertThatThrownBy(() -> valid().offset(-2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition and offset must be >= 0, but were 3 and -2");
        assertThatThrownBy(() -> valid().topic(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("topic must not be null");
        assertThatThrownBy(() -> valid().stage(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("stage must not be null");
    }

    @Test
    void shouldRoundTripThroughToBuilder() {
        DeadLetter d = valid().attempts(4)
                .ingestionId("orders-3-1042")
                .rawPayload(new byte[10])
                .payloadSizeBytes(99)
                .headers(List.of(Header.of("h", "v")))
                .build();

        DeadLetter copy = d.toBuilder().build();

        assertThat(copy.attempts()).isEqualTo(4);
        assertThat(copy.payloadSizeBytes()).isEqualTo(99);
        assertThat(copy.payloadTruncated()).isTrue();
        assertThat(copy.headers()).isEqualTo(d.headers());
        assertThat(copy.toString()).isEqualTo(d.toString());
    }

    @Test
    void shouldNotPrintPayloadInToString() {
        DeadLetter d = valid().rawPayload("secret-card-4111".getBytes(StandardCharsets.UTF_8))
                .build();

        assertThat(d.toString())
                .contains("orders-3-1042")
                .contains("DESERIALIZE")
                .doesNotContain("secret-card-4111");
    }
}
