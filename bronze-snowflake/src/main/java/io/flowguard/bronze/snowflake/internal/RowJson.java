package io.flowguard.bronze.snowflake.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.Header;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TypedColumn;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Encodes one record or dead letter as the JSON object that travels, inside the batch array, as a single bind parameter.
 * Keys are {@link SnowflakeSql#jsonKey lower-case column names}; every value is a JSON string (Snowflake casts it), and a
 * {@code null} value is left out, which Snowflake reads as {@code NULL}. Thread-safe.
 */
public final class RowJson {
    /** Signals that typed columns cannot be extracted because the payload is not JSON. */
    public static final class UnparseablePayloadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnparseablePayloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonFactory factory = mapper.getFactory();

    /** One Bronze row, keys in the column order of {@link BronzeTables#bronzeTable}. */
    public String bronze(BronzeRecord r, List<TypedColumn> typed) {
        String[] typedValues = typed.isEmpty() ? new String[0] : extract(r, typed);
        return write(g -> {
            field(g, "event_id", r.eventId());
            field(g, "event_type", r.eventType());
            field(g, "schema_version", r.schemaVersion());
            field(g, "source_topic", r.sourceTopic());
            field(g, "producer_service", r.producerService());
            field(g, "ingestion_id", r.ingestionId());
            field(g, "kafka_partition", Integer.toString(r.partition()));
            field(g, "kafka_offset", Long.toString(r.offset()));
            field(
                    g,
                    "kafka_timestamp",
                    r.kafkaTimestamp() == null ? null : r.kafkaTimestamp().toString());
            field(g, "kafka_key", r.key());
            field(g, "kafka_headers", headersJson(r.headers()));
            field(g, "ingested_at", r.ingestedAt().toString());
            field(g, "raw_event", r.rawEvent());
            field(g, "kafka_key_encoding", r.keyEncoding().name());
            for (int i = 0; i < typedValues.length; i++) {
                field(g, "typed_" + i, typedValues[i]);
            }
        });
    }

    /** One dead-letter row, keys in the column order of {@link BronzeTables#deadLetterTable}. */
    public String deadLetter(DeadLetter d) {
        return write(g -> {
            field(g, "failed_at", d.failedAt().toString());
            field(g, "stage", d.stage().name());
            field(g, "error_class", d.errorClass());
            field(g, "error_message", d.errorMessage());
            field(g, "stack_trace", d.stackTrace());
            field(g, "attempts", Integer.toString(d.attempts()));
            field(g, "source_topic", d.topic());
            field(g, "kafka_partition", Integer.toString(d.partition()));
            field(g, "kafka_offset", Long.toString(d.offset()));
            field(g, "ingestion_id", d.ingestionId());
            field(g, "raw_payload", decodeUtf8(d.rawPayload()));
            field(g, "payload_size_bytes", Integer.toString(d.payloadSizeBytes()));
            field(g, "payload_truncated", Boolean.toString(d.payloadTruncated()));
            field(g, "kafka_metadata", metadataJson(d));
        });
    }

    /**
     * One row of plain values under {@code keys} (same order): numbers, booleans and strings as their text, instants as
     * ISO-8601 with {@code Z}; nulls left out. For rows the sink builds itself, such as ingestion-ledger rows.
     */
    /** One ingestion-ledger entry, keyed by the ledger's lower-case column names. */
    public String ledger(IngestionLedger.Entry e) {
        return write(g -> {
            field(g, "batch_id", e.batchId());
            field(g, "engine", e.engine());
            field(g, "group_id", e.groupId());
            field(g, "table_name", e.table());
            field(g, "source_topic", e.topic());
            field(g, "kafka_partition", Integer.toString(e.partition()));
            field(g, "first_offset", Long.toString(e.firstOffset()));
            field(g, "last_offset", Long.toString(e.lastOffset()));
            field(g, "records", Integer.toString(e.records()));
            field(g, "rows_landed", Integer.toString(e.rowsLanded()));
            field(
                    g,
                    "rows_inserted",
                    e.rowsInserted() == null ? null : e.rowsInserted().toString());
            field(g, "rows_dead_lettered", Integer.toString(e.rowsDeadLettered()));
            field(g, "rows_skipped", Integer.toString(e.rowsSkipped()));
            field(g, "flush_trigger", e.trigger());
            field(g, "started_at", e.startedAt().toString());
            field(g, "committed_at", e.committedAt().toString());
            field(g, "write_latency_ms", Long.toString(e.writeLatencyMs()));
        });
    }

    public String values(List<String> keys, Object[] values) {
        if (keys.size() != values.length) {
            throw new IllegalArgumentException(
                    "need one value per key, but got " + values.length + " values for " + keys.size() + " keys");
        }
        return write(g -> {
            for (int i = 0; i < values.length; i++) {
                field(g, keys.get(i), values[i] == null ? null : values[i].toString());
            }
        });
    }

    private String[] extract(BronzeRecord r, List<TypedColumn> typed) {
        String[] out = new String[typed.size()];
        if (r.rawEvent() == null) {
            return out;
        }
        JsonNode root;
        try {
            root = mapper.readTree(r.rawEvent());
        } catch (JsonProcessingException e) {
            throw new UnparseablePayloadException(
                    "record " + r.ingestionId() + " has a payload that is not JSON, so typed "
                            + "columns cannot be extracted: " + e.getOriginalMessage(),
                    e);
        }
        for (int i = 0; i < typed.size(); i++) {
            out[i] = extract(root, typed.get(i).jsonPath(), typed.get(i).type() == SqlType.JSON);
        }
        return out;
    }

    /**
     * The value at {@code dottedPath} as text for the database to cast: a scalar's text ({@code "abc"} → {@code abc}),
     * an object's or array's JSON; for a JSON column ({@code json} true) always the node's JSON, so a string stays a
     * JSON string ({@code "abc"} → {@code "abc"} with quotes) instead of text that is not JSON, or JSON of another
     * shape ({@code "[1,2]"} must not become an array). Null when absent or JSON null.
     */
    static String extract(JsonNode root, String dottedPath, boolean json) {
        JsonNode node = root;
        for (String part : dottedPath.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isValueNode() && !json ? node.asText() : node.toString();
    }

    private String headersJson(Map<String, String> headers) {
        return write(g -> {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                g.writeStringField(h.getKey(), h.getValue());
            }
        });
    }

    private String metadataJson(DeadLetter d) {
        return write(g -> {
            g.writeStringField("topic", d.topic());
            g.writeNumberField("partition", d.partition());
            g.writeNumberField("offset", d.offset());
            g.writeStringField(
                    "timestamp",
                    d.kafkaTimestamp() == null ? null : d.kafkaTimestamp().toString());
            g.writeStringField("timestampType", d.timestampType().name());
            g.writeStringField("key", decodeUtf8(d.rawKey()));
            g.writeArrayFieldStart("headers");
            for (Header h : d.headers()) {
                g.writeStartObject();
                g.writeStringField("name", h.name());
                g.writeStringField("value", h.valueAsString());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static void field(JsonGenerator g, String key, String value) throws IOException {
        if (value != null) {
            g.writeStringField(key, value);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private String write(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.toString();
    }

    /** Decodes UTF-8, replacing malformed input with U+FFFD; null stays null. */
    static String decodeUtf8(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    /** The UTF-8 length of {@code s} without encoding it. */
    public static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
