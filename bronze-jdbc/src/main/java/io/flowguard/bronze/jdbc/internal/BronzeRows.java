package io.flowguard.bronze.jdbc.internal;

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
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns records and dead letters into row values in the column order of
 * {@link io.flowguard.bronze.jdbc.BronzeTables#bronzeTable} and {@link io.flowguard.bronze.jdbc.BronzeTables#deadLetterTable}.
 * Thread-safe (Jackson's {@link ObjectMapper} is, once configured).
 */
public final class BronzeRows {
    /** The fixed Bronze columns before the typed ones (see {@link BronzeTables#bronzeColumns()}). */
    private static final int FIXED_COLUMNS = BronzeTables.bronzeColumns().size();

    private final ObjectMapper json;

    /**
     * @param json reads payloads for typed columns and writes JSON values; the {@code KAFKA_HEADERS} JSON is written as
     *     a default-configured {@code ObjectMapper} writes it (see {@link HeadersJson}), so pass one with default
     *     serialization features, as every caller does
     */
    public BronzeRows(ObjectMapper json) {
        this.json = json;
    }

    /** Signals that a typed column could not be extracted because the payload is not JSON. */
    public static final class UnparseablePayloadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnparseablePayloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One Bronze row: the fixed columns, then one value per typed column (its JSON text, or null). The Kafka key and
     * header names and values are cleaned of NUL characters (U+0000 becomes U+FFFD), which PostgreSQL cannot store in
     * {@code text} or {@code jsonb}: keys and headers are often binary (a {@code LongSerializer} key is eight bytes,
     * mostly NUL). The payload is kept as it is: a JSON payload holding the escape for U+0000 is a DATA error.
     */
    public Object[] bronzeRow(BronzeRecord r, List<TypedColumn> typedColumns) {
        Object[] row = new Object[FIXED_COLUMNS + typedColumns.size()];
        row[0] = r.eventId();
        row[1] = r.eventType();
        row[2] = r.schemaVersion();
        row[3] = r.sourceTopic();
        row[4] = r.producerService();
        row[5] = r.ingestionId();
        row[6] = r.partition();
        row[7] = r.offset();
        row[8] = r.kafkaTimestamp();
        row[9] = clean(r.key());
        row[10] = headersJson(r.headers());
        row[11] = r.ingestedAt();
        row[12] = r.rawEvent();
        row[13] = r.keyEncoding().name();
        if (!typedColumns.isEmpty() && r.rawEvent() != null) {
            JsonNode root;
            try {
                root = json.readTree(r.rawEvent());
            } catch (JsonProcessingException e) {
                throw new UnparseablePayloadException(
                        "record " + r.ingestionId() + " has a payload that is not JSON, so "
                                + "typed columns cannot be extracted: " + e.getOriginalMessage(),
                        e);
            }
            for (int i = 0; i < typedColumns.size(); i++) {
                TypedColumn column = typedColumns.get(i);
                row[FIXED_COLUMNS + i] = extract(root, column.jsonPath(), column.type() == SqlType.JSON);
            }
        }
        return row;
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

    /**
     * One dead-letter row. Text is cleaned of NUL characters (U+0000 becomes U+FFFD), which PostgreSQL cannot store in
     * {@code text} or {@code jsonb}: a dead letter must always be storable; the exact bytes stay in Kafka at its offset.
     */
    public Object[] deadLetterRow(DeadLetter d) {
        byte[] payload = d.rawPayload();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("topic", clean(d.topic()));
        metadata.put("partition", d.partition());
        metadata.put("offset", d.offset());
        metadata.put(
                "timestamp",
                d.kafkaTimestamp() == null ? null : d.kafkaTimestamp().toString());
        metadata.put("timestampType", d.timestampType().name());
        metadata.put("key", clean(decodeUtf8(d.rawKey())));
        List<Map<String, String>> headers = new ArrayList<>();
        for (Header h : d.headers()) {
            Map<String, String> header = new LinkedHashMap<>();
            header.put("name", clean(h.name()));
            header.put("value", clean(h.valueAsString()));
            headers.add(header);
        }
        metadata.put("headers", headers);
        return new Object[] {
            d.failedAt(),
            d.stage().name(),
            clean(d.errorClass()),
            clean(d.errorMessage()),
            clean(d.stackTrace()),
            d.attempts(),
            clean(d.topic()),
            d.partition(),
            d.offset(),
            clean(d.ingestionId()),
            clean(decodeUtf8(payload)),
            d.payloadSizeBytes(),
            d.payloadTruncated(),
            toJson(metadata),
        };
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
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    /**
     * The {@code KAFKA_HEADERS} value: the {@link #cleanHeaders cleaned} headers as Jackson writes them, in one pass by
     * {@link HeadersJson} unless some name or value needs JSON escaping.
     */
    String headersJson(Map<String, String> headers) {
        String json = headers == null ? null : HeadersJson.write(headers);
        return json != null ? json : toJson(cleanHeaders(headers));
    }

    /** {@code headers} with names and values {@link #clean cleaned}; the same map when nothing needs cleaning. */
    static Map<String, String> cleanHeaders(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        boolean dirty = false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (clean(h.getKey()) != h.getKey() || clean(h.getValue()) != h.getValue()) {
                dirty = true;
                break;
            }
        }
        if (!dirty) {
            return headers;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            out.put(clean(h.getKey()), clean(h.getValue()));
        }
        return out;
    }

    static String clean(String s) {
        return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings always serialize", e);
        }
    }

    /**
     * The values of one ledger entry in the column order of {@link BronzeTables#ingestionLedgerTable}: the shape the
     * array-bound insert binds (the one place a ledger row is positional).
     */
    public static Object[] ledgerRow(IngestionLedger.Entry e) {
        return new Object[] {
            e.batchId(),
            e.engine(),
            e.groupId(),
            e.table(),
            e.topic(),
            e.partition(),
            e.firstOffset(),
            e.lastOffset(),
            e.records(),
            e.rowsLanded(),
            e.rowsInserted(),
            e.rowsDeadLettered(),
            e.rowsSkipped(),
            e.trigger(),
            e.startedAt(),
            e.committedAt(),
            e.writeLatencyMs()
        };
    }
}
