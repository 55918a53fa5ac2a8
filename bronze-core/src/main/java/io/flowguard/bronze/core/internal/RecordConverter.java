package io.flowguard.bronze.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.Header;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.api.KafkaTimestampType;
import io.flowguard.bronze.api.MetadataRules;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.TombstonePolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;

/**
 * Turns consumed records into Bronze records, dead letters or skips. It reuses a decoder and an event view, so each
 * instance belongs to one thread: the converter thread's, the writer thread's (dead letters of rejected rows) and a
 * range reader's are separate instances; not thread-safe.
 *
 * <p>Rules, in order: a null or empty value follows the tombstone policy; a value over {@code maxRecordBytes} is
 * dead-lettered ({@code SIZE_LIMIT}); a value that is not strict UTF-8, not exactly one JSON object, has duplicate keys or
 * nests deeper than {@value #MAX_NESTING_DEPTH} levels is dead-lettered ({@code DESERIALIZE}); a failing metadata rule or
 * idempotency key is dead-lettered ({@code EXTRACT}). The payload text is kept exactly as received.
 */
final class RecordConverter {
    static final int MAX_NESTING_DEPTH = 1000;
    static final int MAX_STACK_TRACE_CHARS = 4000;

    private final IdempotencyKey idempotencyKey;
    private final MetadataRules rules;
    private final TombstonePolicy tombstonePolicy;
    private final int maxRecordBytes;
    private final int maxDeadLetterPayloadBytes;
    private final ObjectReader reader;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final JsonEventView view;

    RecordConverter(EngineConfig config) {
        this.idempotencyKey = config.idempotencyKey();
        this.rules = config.metadataRules();
        this.tombstonePolicy = config.tombstonePolicy();
        this.maxRecordBytes = config.maxRecordBytes();
        this.maxDeadLetterPayloadBytes = config.maxDeadLetterPayloadBytes();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNumberLength(10_000)
                        .build())
                .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.reader = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .reader();
        this.view = new JsonEventView(factory, reader, declaredPaths(rules));
    }

    /** The JSON paths the metadata rules read, captured during the validating scan. */
    private static java.util.Set<String> declaredPaths(MetadataRules rules) {
        java.util.Set<String> paths = new java.util.HashSet<>();
        for (io.flowguard.bronze.api.MetadataRule r :
                List.of(rules.eventId(), rules.eventType(), rules.schemaVersion(), rules.producerService())) {
            paths.addAll(r.fieldPaths());
        }
        return paths;
    }

    /**
     * Converts one record.
     *
     * @param ingestedAt the batch's ingestion time, computed once per batch
     */
    Outcome convert(ConsumerRecord<byte[], byte[]> record, Instant ingestedAt) {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            switch (tombstonePolicy) {
                case SKIP:
                    return new Outcome.Skip(record.topic());
                case DEAD_LETTER:
                    return dead(
                            record,
                            DeadLetter.Stage.DESERIALIZE,
                            "io.flowguard.bronze.EmptyValue",
                            value == null
                                    ? "tombstone (null value) dead-lettered by policy"
                                    : "empty value dead-lettered by policy",
                            null,
                            ingestedAt);
                default:
                    return land(record, null, ingestedAt);
            }
        }
        if (value.length > maxRecordBytes) {
            return dead(
                    record,
                    DeadLetter.Stage.SIZE_LIMIT,
                    "io.flowguard.bronze.RecordTooLarge",
                    "value is " + value.length + " bytes, over maxRecordBytes=" + maxRecordBytes,
                    null,
                    ingestedAt);
        }
        String text;
        try {
            text = decode(value);
        } catch (CharacterCodingException e) {
            return dead(
                    record,
                    DeadLetter.Stage.DESERIALIZE,
                    e.getClass().getName(),
                    "value is not valid UTF-8: " + e.getMessage(),
                    e,
                    ingestedAt);
        }
        try {
            view.scan(record, text, value);
        } catch (JsonEventView.NotAnObjectException e) {
            view.clear();
            return dead(
                    record,
                    DeadLetter.Stage.DESERIALIZE,
                    "io.flowguard.bronze.NotAJsonObject",
                    e.getMessage(),
                    null,
                    ingestedAt);
        } catch (IOException | RuntimeException e) {
            view.clear();
            return dead(
                    record,
                    DeadLetter.Stage.DESERIALIZE,
                    e.getClass().getName(),
                    "value is not valid JSON: " + firstLine(e.getMessage()),
                    e,
                    ingestedAt);
        }
        return land(record, text, ingestedAt);
    }

    private Outcome land(ConsumerRecord<byte[], byte[]> record, String text, Instant ingestedAt) {
        if (text == null) {
            try {
                view.scan(record, null, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            KeyText key = keyText(record.key());
            Map<String, String> headers = headerMap(record);
            // The rules' header lookups read this map: each header is decoded once, not once per lookup.
            view.useHeaders(headers == null ? Map.of() : headers);
            BronzeRecord br = BronzeRecord.builder()
                    .ingestionId(idempotencyKey.keyFor(view))
                    .eventId(rules.eventId().resolve(view, "eventId"))
                    .eventType(rules.eventType().resolve(view, "eventType"))
                    .schemaVersion(rules.schemaVersion().resolve(view, "schemaVersion"))
                    .producerService(rules.producerService().resolve(view, "producerService"))
                    .sourceTopic(record.topic())
                    .partition(record.partition())
                    .offset(record.offset())
                    .kafkaTimestamp(
                            record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE || record.timestamp() < 0
                                    ? null
                                    : Instant.ofEpochMilli(record.timestamp()))
                    .timestampType(timestampType(record.timestampType()))
                    .key(key.text())
                    .keyEncoding(key.encoding())
                    .headers(headers)
                    .ingestedAt(ingestedAt)
                    .rawEvent(text)
                    .build();
            return new Outcome.Land(br);
        } catch (RuntimeException e) {
            // Also a bug in a custom IdempotencyKey or rule: one record's problem must not fail the batch on every
            // restart.
            return dead(record, DeadLetter.Stage.EXTRACT, e.getClass().getName(), e.getMessage(), e, ingestedAt);
        } finally {
            view.clear();
        }
    }

    /** A Kafka key as text, and how the text encodes the key bytes. */
    private record KeyText(String text, BronzeRecord.KeyEncoding encoding) {}

    /** The key as text: its UTF-8 decoding when it is valid UTF-8, else its bytes in standard base64 (never U+FFFD). */
    private KeyText keyText(byte[] key) {
        if (key == null) {
            return new KeyText(null, BronzeRecord.KeyEncoding.UTF8);
        }
        try {
            return new KeyText(decode(key), BronzeRecord.KeyEncoding.UTF8);
        } catch (CharacterCodingException e) {
            return new KeyText(Base64.getEncoder().encodeToString(key), BronzeRecord.KeyEncoding.BASE64);
        }
    }

    /**
     * Decodes UTF-8 strictly. The JDK's decoding constructor is the fast path; it replaces malformed input with U+FFFD,
     * so only a result containing U+FFFD (rare: malformed input, or a genuine U+FFFD) is re-checked with a strict decoder.
     */
    private String decode(byte[] value) throws CharacterCodingException {
        String s = new String(value, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0) {
            utf8.reset().decode(ByteBuffer.wrap(value));
        }
        return s;
    }

    private Outcome dead(
            ConsumerRecord<byte[], byte[]> record,
            DeadLetter.Stage stage,
            String errorClass,
            String message,
            Throwable error,
            Instant failedAt) {
        return new Outcome.Dead(deadLetter(record, stage, errorClass, message, error, failedAt, 1));
    }

    /** Builds a dead letter for a consumed record; also used for records the sink rejected. */
    DeadLetter deadLetter(
            ConsumerRecord<byte[], byte[]> record,
            DeadLetter.Stage stage,
            String errorClass,
            String message,
            Throwable error,
            Instant failedAt,
            int attempts) {
        byte[] value = record.value();
        byte[] stored = value == null || value.length <= maxDeadLetterPayloadBytes
                ? value
                : Arrays.copyOf(value, maxDeadLetterPayloadBytes);
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : record.headers()) {
            headers.add(Header.of(h.key(), h.value()));
        }
        return DeadLetter.builder()
                .failedAt(failedAt)
                .stage(stage)
                .errorClass(errorClass)
                .errorMessage(message)
                .stackTrace(error == null ? null : stackTrace(error))
                .attempts(attempts)
                .ingestionId(
                        IdempotencyKey.formatTopicPartitionOffset(record.topic(), record.partition(), record.offset()))
                .topic(record.topic())
                .partition(record.partition())
                .offset(record.offset())
                .kafkaTimestamp(record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp()))
                .timestampType(timestampType(record.timestampType()))
                .rawKey(record.key())
                .rawPayload(stored)
                .payloadSizeBytes(value == null ? 0 : value.length)
                .headers(headers)
                .build();
    }

    /** The headers as a name→UTF-8 value map in arrival order, the last value of a repeated name; null for none. */
    static Map<String, String> headerMap(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> map = null;
        for (org.apache.kafka.common.header.Header h : record.headers()) {
            if (map == null) {
                map = new LinkedHashMap<>();
            }
            map.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return map;
    }

    static KafkaTimestampType timestampType(TimestampType t) {
        if (t == null) {
            return KafkaTimestampType.NO_TIMESTAMP;
        }
        switch (t) {
            case CREATE_TIME:
                return KafkaTimestampType.CREATE_TIME;
            case LOG_APPEND_TIME:
                return KafkaTimestampType.LOG_APPEND_TIME;
            default:
                return KafkaTimestampType.NO_TIMESTAMP;
        }
    }

    static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        String s = sw.toString();
        return s.length() <= MAX_STACK_TRACE_CHARS ? s : s.substring(0, MAX_STACK_TRACE_CHARS) + "...(truncated)";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
