package io.flowguard.bronze.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.api.KafkaTimestampType;
import io.flowguard.bronze.api.MetadataRule;
import io.flowguard.bronze.api.MetadataRules;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.TombstonePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordConverterTest {
    private static final Instant NOW = Instant.parse("2026-11-27T02:00:00Z");

    private static IngestionEngine.Builder base() {
        return IngestionEngine.builder()
                .bootstrapServers("x:1")
                .groupId("g")
                .topics("orders")
                .sink((r, batch) -> WriteResult.of(r.size(), r.size()));
    }

    private static RecordConverter converter(IngestionEngine.Builder b) {
        return new RecordConverter(b.config());
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(
                "orders",
                3,
                1042,
                1_700_000_000_123L,
                TimestampType.CREATE_TIME,
                2,
                value == null ? -1 : value.length,
                "k1".getBytes(StandardCharsets.UTF_8),
                value,
                headers,
                Optional.empty());
    }

    private static ConsumerRecord<byte[], byte[]> record(String value) {
        return record(value == null ? null : value.getBytes(StandardCharsets.UTF_8), new RecordHeaders());
    }

    private static DeadLetter dead(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Dead.class);
        return ((Outcome.Dead) o).deadLetter();
    }

    private static BronzeRecord land(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Land.class);
        return ((Outcome.Land) o).record();
    }

    @Test
    void shouldBuildTheFullEnvelopeKeepingThePayloadUntouched() {
        String json = "{ \"event_id\" : \"e-1\", \"event_type\":\"order_created\",\"schema_version\":\"v2\","
                + "\"producer_service\":\"checkout\", \"order_id\": \"o-1\" }";
        RecordHeaders h = new RecordHeaders();
        h.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        BronzeRecord r = land(converter(base()).convert(record(json.getBytes(StandardCharsets.UTF_8), h), NOW));

        assertThat(r.ingestionId()).isEqualTo("orders-3-1042");
        assertThat(r.eventId()).isEqualTo("e-1");
        assertThat(r.eventType()).isEqualTo("order_created");
        assertThat(r.schemaVersion()).isEqualTo("v2");
        assertThat(r.producerService()).isEqualTo("checkout");
        assertThat(r.sourceTopic()).isEqualTo("orders");
        assertThat(r.partition()).isEqualTo(3);
        assertThat(r.offset()).isEqualTo(1042);
        assertThat(r.kafkaTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(r.timestampType()).isEqualTo(KafkaTimestampType.CREATE_TIME);
        assertThat(r.key()).isEqualTo("k1");
        assertThat(r.headers()).containsEntry("trace", "abc");
        assertThat(r.ingestedAt()).isEqualTo(NOW);
        assertThat(r.rawEvent()).isEqualTo(json);
    }

    @Test
    void shouldKeepABinaryKeyByteForByteAsBase64() {
        byte[] key = {0, 0, 0, 0, 0x2A, (byte) 0xC3, 0x28}; // Confluent framing (magic 0, schema id 42) + invalid UTF-8
        ConsumerRecord<byte[], byte[]> rec = new ConsumerRecord<>(
                "orders",
                3,
                1042L,
                1_700_000_000_123L,
                TimestampType.CREATE_TIME,
                key.length,
                2,
                key,
                "{}".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(),
                Optional.empty());

        BronzeRecord r = land(converter(base()).convert(rec, NOW));

        assertThat(r.keyEncoding()).isEqualTo(BronzeRecord.KeyEncoding.BASE64);
        assertThat(Base64.getDecoder().decode(r.key())).containsExactly(key);
        assertThat(r.key()).doesNotContain("\uFFFD");
    }

    @Test
    void shouldKeepAValidUtf8KeyAsText() {
        BronzeRecord r = land(converter(base())
                .convert(record("{}".getBytes(StandardCharsets.UTF_8), new RecordHeaders()), NOW));

        assertThat(r.key()).isEqualTo("k1");
        assertThat(r.keyEncoding()).isEqualTo(BronzeRecord.KeyEncoding.UTF8);
    }

    @Test
    void shouldPreferHeadersOverPayloadAndFallBackToV1() {
        RecordHeaders h = new RecordHeaders();
        h.add("event_type", "from_header".getBytes(StandardCharsets.UTF_8));
        BronzeRecord r = land(converter(base())
                .convert(record("{\"event_type\":\"from_payload\"}".getBytes(StandardCharsets.UTF_8), h), NOW));
        assertThat(r.eventType()).isEqualTo("from_header");
        assertThat(r.schemaVersion()).isEqualTo("v1");
        assertThat(r.eventId()).isNull();
    }

    @Test
    void shouldDeadLetterEachKindOfBadInputWithItsStage() {
        RecordConverter c = converter(base());
        assertThat(dead(c.convert(record("{not json"), NOW)).stage()).isEqualTo(DeadLetter.Stage.DESERIALIZE);
        assertThat(dead(c.convert(record("[1,2,3]"), NOW)).errorMessage()).contains("but was array");
        assertThat(dead(c.convert(record("42"), NOW)).errorMessage()).contains("but was number");
        assertThat(dead(c.convert(record("{\"a\":1}{\"b\":2}"), NOW)).stage()).isEqualTo(DeadLetter.Stage.DESERIALIZE);
        assertThat(dead(c.convert(record("{\"a\":1,\"a\":2}"), NOW)).errorMessage())
                .containsIgnoringCase("duplicate");
        byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        DeadLetter d = dead(c.convert(record(invalidUtf8, new RecordHeaders()), NOW));
        assertThat(d.errorMessage()).contains("not valid UTF-8");
        assertThat(d.rawPayload()).isEqualTo(invalidUtf8);
        String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        assertThat(dead(c.convert(record(deep), NOW)).errorMessage()).containsIgnoringCase("nesting");
    }

    @Test
    void shouldDeadLetterAWrongTypedMetadataFieldAtExtract() {
        DeadLetter d = dead(converter(base()).convert(record("{\"event_id\":{\"nested\":1}}"), NOW));
        assertThat(d.stage()).isEqualTo(DeadLetter.Stage.EXTRACT);
        assertThat(d.errorMessage()).contains("'event_id' must be a scalar, but was a JSON object");
        assertThat(d.ingestionId()).isEqualTo("orders-3-1042");
    }

    @Test
    void shouldDeadLetterAMissingRequiredField() {
        RecordConverter c = converter(base().metadataRules(MetadataRules.builder()
                .eventId(MetadataRule.field("event_id").required())
                .build()));
        assertThat(dead(c.convert(record("{\"x\":1}"), NOW)).errorMessage()).contains("eventId is required");
        assertThat(land(c.convert(record("{\"event_id\":7}"), NOW)).eventId()).isEqualTo("7");
    }

    @Test
    void shouldUseAPayloadFieldAsIdempotencyKeyWhenConfigured() {
        RecordConverter c = converter(base().idempotencyKey(IdempotencyKey.payloadField("event_id")));
        assertThat(land(c.convert(record("{\"event_id\":\"e-9\"}"), NOW)).ingestionId())
                .isEqualTo("e-9");
        assertThat(dead(c.convert(record("{\"x\":1}"), NOW)).stage()).isEqualTo(DeadLetter.Stage.EXTRACT);
    }

    @Test
    void shouldResolveADottedIdempotencyPathLikeTheMetadataRules() {
        // A metadata rule's path is declared (captured while scanning); a payloadField path is not (read from a tree).
        // Both must read "meta.id" the same way: nested objects or a field whose name holds the dot.
        RecordConverter byKey = converter(base().idempotencyKey(IdempotencyKey.payloadField("meta.id")));
        RecordConverter byRule = converter(base().metadataRules(MetadataRules.builder()
                .eventId(MetadataRule.field("meta.id").required())
                .build()));
        for (String payload : List.of(
                "{\"meta.id\":\"e-1\"}", "{\"meta\":{\"id\":\"e-1\"}}", "{\"meta\":{\"x\":1},\"meta.id\":\"e-1\"}")) {
            assertThat(land(byKey.convert(record(payload), NOW)).ingestionId())
                    .as(payload)
                    .isEqualTo("e-1");
            assertThat(land(byRule.convert(record(payload), NOW)).eventId())
                    .as(payload)
                    .isEqualTo("e-1");
        }
        assertThat(dead(byKey.convert(record("{\"meta\":{\"other\":1}}"), NOW)).stage())
                .isEqualTo(DeadLetter.Stage.EXTRACT);
    }

    @Test
    void shouldDeadLetterOversizedValuesWithTheirSizeAndATruncatedPayload() {
        RecordConverter c = converter(base().maxRecordBytes(1000).maxDeadLetterPayloadBytes(100));
        String big = "{\"pad\":\"" + "x".repeat(2000) + "\"}";
        DeadLetter d = dead(c.convert(record(big), NOW));
        assertThat(d.stage()).isEqualTo(DeadLetter.Stage.SIZE_LIMIT);
        assertThat(d.payloadSizeBytes()).isEqualTo(big.length());
        assertThat(d.rawPayload()).hasSize(100);
        assertThat(d.payloadTruncated()).isTrue();
        assertThat(d.errorMessage()).contains(big.length() + " bytes, over maxRecordBytes=1000");
    }

    @Test
    void shouldApplyTheTombstonePolicyToNullAndEmptyValues() {
        assertThat(converter(base()).convert(record((String) null), NOW)).isInstanceOf(Outcome.Skip.class);
        assertThat(converter(base()).convert(record(""), NOW)).isInstanceOf(Outcome.Skip.class);
        assertThat(dead(converter(base().tombstonePolicy(TombstonePolicy.DEAD_LETTER))
                                .convert(record((String) null), NOW))
                        .errorMessage())
                .contains("tombstone");
        BronzeRecord landed =
                land(converter(base().tombstonePolicy(TombstonePolicy.LAND)).convert(record((String) null), NOW));
        assertThat(landed.rawEvent()).isNull();
        assertThat(landed.ingestionId()).isEqualTo("orders-3-1042");
    }

    @Test
    void shouldKeepUnicodeAndEscapesExactly() {
        String json = "{\"name\":\"Zoë 🍕 \\u00e9\",\"note\":\"line\\nbreak\"}";
        assertThat(land(converter(base()).convert(record(json), NOW)).rawEvent())
                .isEqualTo(json);
    }
}
