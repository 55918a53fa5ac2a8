package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.api.SinkWriteException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class BronzeRecordFactoryTest {
    private static final Instant NOW = Instant.parse("2026-11-29T20:00:00Z");

    private static ConsumerRecord<byte[], byte[]> record(long offset, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("event_type", "order.created".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(
                "orders",
                3,
                offset,
                1_700_000_000_000L,
                TimestampType.CREATE_TIME,
                2,
                value == null ? -1 : value.length(),
                "k1".getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                headers,
                Optional.empty());
    }

    @Test
    void shouldConvertWithTheEnginesColumnsAndIngestionId() {
        String json = "{\"event_id\":\"e-1\",\"schema_version\":\"v2\",\"producer_service\":\"shop\"}";
        BronzeRecordFactory.Conversion c = BronzeRecordFactory.builder().build().convert(record(42, json), NOW);

        assertThat(c).isInstanceOf(BronzeRecordFactory.Landed.class);
        BronzeRecord r = ((BronzeRecordFactory.Landed) c).record();
        assertThat(r.ingestionId()).isEqualTo("orders-3-42");
        assertThat(r.eventId()).isEqualTo("e-1");
        assertThat(r.eventType()).as("from the header").isEqualTo("order.created");
        assertThat(r.schemaVersion()).isEqualTo("v2");
        assertThat(r.producerService()).isEqualTo("shop");
        assertThat(r.rawEvent()).isEqualTo(json);
        assertThat(r.ingestedAt()).isEqualTo(NOW);
        assertThat(r.kafkaTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void shouldUseTheConfiguredIdempotencyKey() {
        BronzeRecordFactory f = BronzeRecordFactory.builder()
                .idempotencyKey(IdempotencyKey.payloadField("event_id"))
                .build();

        BronzeRecordFactory.Conversion c = f.convert(record(1, "{\"event_id\":\"e-9\"}"), NOW);

        assertThat(((BronzeRecordFactory.Landed) c).record().ingestionId()).isEqualTo("e-9");
    }

    @Test
    void shouldDeadLetterAValueThatIsNotAJsonObject() {
        BronzeRecordFactory.Conversion c = BronzeRecordFactory.builder().build().convert(record(7, "[1,2]"), NOW);

        assertThat(c).isInstanceOfSatisfying(BronzeRecordFactory.DeadLettered.class, d -> {
            assertThat(d.deadLetter().stage()).isEqualTo(DeadLetter.Stage.DESERIALIZE);
            assertThat(d.deadLetter().ingestionId()).isEqualTo("orders-3-7");
            assertThat(d.deadLetter().rawPayload()).isEqualTo("[1,2]".getBytes(StandardCharsets.UTF_8));
        });
    }

    @Test
    void shouldFollowTheTombstonePolicy() {
        assertThat(BronzeRecordFactory.builder().build().convert(record(1, null), NOW))
                .isEqualTo(new BronzeRecordFactory.Skipped("orders"));
        assertThat(BronzeRecordFactory.builder()
                        .tombstonePolicy(TombstonePolicy.DEAD_LETTER)
                        .build()
                        .convert(record(1, null), NOW))
                .isInstanceOf(BronzeRecordFactory.DeadLettered.class);
    }

    @Test
    void shouldBuildADeadLetterForARowTheSinkRejected() {
        SinkWriteException e = new SinkWriteException("value too long", null, SinkWriteException.ErrorKind.DATA);

        DeadLetter d = BronzeRecordFactory.builder()
                .maxRecordBytes(10)
                .maxDeadLetterPayloadBytes(4)
                .build()
                .deadLetter(record(5, "{\"a\":1}"), DeadLetter.Stage.WRITE, e, NOW, 2);

        assertThat(d.stage()).isEqualTo(DeadLetter.Stage.WRITE);
        assertThat(d.errorMessage()).isEqualTo("value too long");
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.payloadTruncated()).isTrue();
        assertThat(d.payloadSizeBytes()).isEqualTo(7);
    }

    @Test
    void shouldRejectSettingsTheEngineWouldReject() {
        assertThatThrownBy(() -> BronzeRecordFactory.builder().maxRecordBytes(0))
                .hasMessage("maxRecordBytes must be > 0, but was 0");
        assertThatThrownBy(() -> BronzeRecordFactory.builder()
                        .maxRecordBytes(10)
                        .maxDeadLetterPayloadBytes(20)
                        .build())
                .hasMessageContaining("maxDeadLetterPayloadBytes (20) must not exceed maxRecordBytes (10)");
    }
}
