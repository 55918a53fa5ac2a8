package io.flowguard.bronze.examples.flowguard;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The gateway's envelope check: turns a request body (one JSON object, or a JSON array of objects) into events ready to
 * produce, or rejects the whole body with a reason naming the event and field to fix. Nothing is produced unless every
 * event of the body passes.
 *
 * <p>An event must be a JSON object with {@code event_type} (a non-blank string) and {@code schema_version} (one of the
 * accepted versions, {@code v1} and {@code v2} by default). {@code producer_service} comes from the event, or else from
 * the request's {@code X-Producer-Service} header; one of them is required. {@code event_id}, when present, must be a
 * non-blank string; when absent the gateway generates one (a random UUID) and sends it as the {@code event_id} Kafka
 * header, leaving the payload as the producer wrote it. Duplicate field names and trailing data after the JSON value
 * are rejected. The Kafka key is the first of {@code order_id}, {@code session_id}, {@code customer_id},
 * {@code user_id} the event has as a scalar, else the event id, so one order's events stay in order on one partition.
 *
 * <p>Numbers keep their written form ({@code 4.50} stays {@code 4.50}): payloads are parsed with exact decimals and
 * written back compactly. Thread-safe.
 */
final class Envelope {
    /** Fields whose value becomes the Kafka key, first present wins. */
    static final List<String> KEY_FIELDS = List.of("order_id", "session_id", "customer_id", "user_id");

    private final ObjectMapper mapper;
    private final Set<String> schemaVersions;
    private final int maxEvents;
    private final Supplier<UUID> ids;

    Envelope(Set<String> schemaVersions, int maxEvents, Supplier<UUID> ids) {
        this.schemaVersions = Set.copyOf(schemaVersions);
        this.maxEvents = maxEvents;
        this.ids = Objects.requireNonNull(ids, "ids");
        this.mapper = JsonMapper.builder()
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** An event that passed the check: the payload to send and the headers to stamp. */
    record Event(
            int index,
            String eventId,
            boolean eventIdGenerated,
            String eventType,
            String schemaVersion,
            String producerService,
            String key,
            byte[] payload) {}

    /** Why a body was rejected; {@code index} is the offending event's position in an array, or -1. */
    static final class RejectedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int index;

        RejectedException(String message, int index) {
            super(message, null, false, false);
            this.index = index;
        }

        int index() {
            return index;
        }
    }

    /**
     * Checks a body and returns its events in order.
     *
     * @param producerServiceHeader the request's {@code X-Producer-Service} header, or null
     * @throws RejectedException when the body or any event in it is not acceptable; nothing of it may be produced
     */
    List<Event> parse(byte[] body, String producerServiceHeader) throws RejectedException {
        if (body.length == 0) {
            throw new RejectedException("the body is empty: send one JSON event object or a JSON array of them", -1);
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonParseException e) {
            throw new RejectedException(
                    "the body is not valid JSON: " + e.getOriginalMessage() + " (at line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")",
                    -1);
        } catch (JsonProcessingException e) {
            throw new RejectedException("the body is not valid JSON: " + e.getOriginalMessage(), -1);
        } catch (IOException e) {
            throw new RejectedException("the body could not be read as JSON: " + e.getMessage(), -1);
        }
        if (root == null || root.isMissingNode()) {
            throw new RejectedException("the body is empty: send one JSON event object or a JSON array of them", -1);
        }
        List<Event> events = new ArrayList<>();
        if (root.isObject()) {
            events.add(event(root, -1, producerServiceHeader));
        } else if (root.isArray()) {
            if (root.isEmpty()) {
                throw new RejectedException("the body is an empty JSON array: send at least one event", -1);
            }
            if (root.size() > maxEvents) {
                throw new RejectedException(
                        "the body holds " + root.size() + " events, but at most " + maxEvents
                                + " are accepted per request: split it",
                        -1);
            }
            for (int i = 0; i < root.size(); i++) {
                JsonNode element = root.get(i);
                if (!element.isObject()) {
                    throw new RejectedException("event [" + i + "] must be a JSON object, but was " + kind(element), i);
                }
                events.add(event(element, i, producerServiceHeader));
            }
        } else {
            throw new RejectedException(
                    "the body must be a JSON object (one event) or an array of objects, but was " + kind(root), -1);
        }
        return events;
    }

    private Event event(JsonNode node, int index, String producerServiceHeader) throws RejectedException {
        String where = index < 0 ? "the event" : "event [" + index + "]";
        String eventType = requiredString(node, "event_type", where, index);
        String version = requiredString(node, "schema_version", where, index);
        if (!schemaVersions.contains(version)) {
            throw new RejectedException(
                    where + ": schema_version must be one of " + sorted(schemaVersions) + ", but was '" + version + "'",
                    index);
        }
        String producer = optionalString(node, "producer_service", where, index);
        if (producer == null) {
            producer = producerServiceHeader == null || producerServiceHeader.isBlank()
                    ? null
                    : producerServiceHeader.strip();
        }
        if (producer == null) {
            throw new RejectedException(
                    where + ": producer_service is missing: set it in the event or send the "
                            + "X-Producer-Service header",
                    index);
        }
        String eventId = optionalString(node, "event_id", where, index);
        boolean generated = eventId == null;
        if (generated) {
            eventId = ids.get().toString();
        }
        String key = eventId;
        for (String field : KEY_FIELDS) {
            JsonNode v = node.get(field);
            if (v != null && v.isValueNode() && !v.isNull()) {
                key = v.asText();
                break;
            }
        }
        byte[] payload;
        try {
            payload = mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written back: " + e.getMessage(), e);
        }
        return new Event(index, eventId, generated, eventType, version, producer, key, payload);
    }

    private static String requiredString(JsonNode node, String field, String where, int index)
            throws RejectedException {
        String v = optionalString(node, field, where, index);
        if (v == null) {
            throw new RejectedException(
                    where + ": " + field + " is missing: every event needs a non-blank string " + field, index);
        }
        return v;
    }

    private static String optionalString(JsonNode node, String field, String where, int index)
            throws RejectedException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new RejectedException(where + ": " + field + " must be a string, but was " + kind(v), index);
        }
        if (v.asText().isBlank()) {
            throw new RejectedException(where + ": " + field + " must not be blank", index);
        }
        return v.asText();
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a JSON array";
            case OBJECT -> "a JSON object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
