package io.flowguard.bronze.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.flowguard.bronze.api.EventView;
import io.flowguard.bronze.api.MetadataExtractionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * An {@link EventView} over a consumed record and its JSON payload, reused for every record a converter handles (one
 * instance per converter, so not thread-safe).
 *
 * <p>{@link #scan} validates the payload in one streaming pass (one JSON object, nothing after it, no duplicate keys,
 * bounded nesting) and captures the scalars at the paths the metadata rules name, without building a tree. A path no
 * rule declared (a custom {@code IdempotencyKey}, say) is answered from a tree parsed lazily on first use.
 */
final class JsonEventView implements EventView {
    /** Marks a declared path that holds an object or array. */
    private static final String NON_SCALAR_OBJECT = "\u0000object";

    private static final String NON_SCALAR_ARRAY = "\u0000array";

    private final JsonFactory factory;
    private final ObjectReader treeReader;
    private final Set<String> declaredPaths;
    /** Every dotted path that some declared path extends: {@code a} and {@code a.b} for {@code a.b.c}. */
    private final Set<String> declaredParents;

    private final Map<String, String> captured = new HashMap<>();
    private ConsumerRecord<byte[], byte[]> record;
    private Map<String, String> headers;
    private String text;
    private JsonNode tree;

    JsonEventView(JsonFactory factory, ObjectReader treeReader, Set<String> declaredPaths) {
        this.factory = factory;
        this.treeReader = treeReader;
        this.declaredPaths = Set.copyOf(declaredPaths);
        this.declaredParents = parents(this.declaredPaths);
    }

    /**
     * The strings {@code p} such that some declared path starts with {@code p + '.'}: each declared path cut before
     * each of its dots. So {@code declaredParents.contains(path)} answers "is anything declared under {@code path}" in
     * one lookup instead of a scan of every declared path per nested object.
     */
    static Set<String> parents(Set<String> declaredPaths) {
        Set<String> parents = new HashSet<>();
        for (String d : declaredPaths) {
            for (int dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) {
                parents.add(d.substring(0, dot));
            }
        }
        return Set.copyOf(parents);
    }

    /**
     * Points the view at a record and validates its payload.
     *
     * @param text the payload as text, or null for a tombstone
     * @param utf8 the same payload as UTF-8 bytes (parsing bytes is faster than parsing chars)
     * @throws IOException when the payload is not exactly one well-formed JSON object within the parser's limits
     * @throws NotAnObjectException when it is well-formed JSON of another kind
     */
    void scan(ConsumerRecord<byte[], byte[]> record, String text, byte[] utf8) throws IOException {
        this.record = record;
        this.headers = null;
        this.text = text;
        this.tree = null;
        captured.clear();
        if (text == null) {
            return;
        }
        try (JsonParser p = factory.createParser(utf8)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new NotAnObjectException(first == null ? "nothing" : describe(first));
            }
            walkObject(p, declaredPaths.isEmpty() ? null : "");
            if (p.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "trailing content after the JSON object");
            }
        }
    }

    /** Walks one object; {@code prefix} is its dotted path plus '.', or null when nothing under it is declared. */
    private void walkObject(JsonParser p, String prefix) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            // At the top level the path is the name itself: no concatenation, and the parser's canonical name strings
            // keep their cached hash codes for the set lookups.
            String path = prefix == null ? null : prefix.isEmpty() ? name : prefix + name;
            boolean declared = path != null && declaredPaths.contains(path);
            if (value == JsonToken.START_OBJECT) {
                if (declared) {
                    captured.put(path, NON_SCALAR_OBJECT);
                }
                walkObject(p, path != null && declaredParents.contains(path) ? path + '.' : null);
            } else if (value == JsonToken.START_ARRAY) {
                if (declared) {
                    captured.put(path, NON_SCALAR_ARRAY);
                }
                p.skipChildren();
            } else if (declared) {
                if (value != JsonToken.VALUE_NULL) {
                    captured.put(path, p.getText());
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
        }
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case START_ARRAY:
                return "array";
            case VALUE_STRING:
                return "string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Lets {@link #header} answer from the record's headers already decoded into a name→value map (the last value of a
     * repeated name, as {@code lastHeader} picks it; null for none), so each header is decoded once per record.
     */
    void useHeaders(Map<String, String> decoded) {
        this.headers = decoded;
    }

    void clear() {
        record = null;
        headers = null;
        text = null;
        tree = null;
    }

    @Override
    public String topic() {
        return record.topic();
    }

    @Override
    public int partition() {
        return record.partition();
    }

    @Override
    public long offset() {
        return record.offset();
    }

    @Override
    public Optional<String> header(String name) {
        if (headers != null && name != null) {
            return Optional.ofNullable(headers.get(name));
        }
        Header h = record.headers().lastHeader(name);
        if (h == null || h.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    @Override
    public Optional<String> field(String path) {
        if (text == null) {
            return Optional.empty();
        }
        if (declaredPaths.contains(path)) {
            String v = captured.get(path);
            if (v == NON_SCALAR_OBJECT || v == NON_SCALAR_ARRAY) {
                throw nonScalar(path, v == NON_SCALAR_ARRAY ? "array" : "object");
            }
            return Optional.ofNullable(v);
        }
        return fromTree(path);
    }

    private Optional<String> fromTree(String path) {
        if (tree == null) {
            try {
                tree = treeReader.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        JsonNode node = resolve(tree, path);
        if (node == null) {
            return Optional.empty();
        }
        if (node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        if (node.isContainerNode()) {
            throw nonScalar(path, node.isArray() ? "array" : "object");
        }
        return Optional.of(node.asText());
    }

    /**
     * The node at a dotted path, by the same rule as the streaming scan: the path is the object's field names joined with
     * dots, so {@code "a.b"} names field {@code b} of object {@code a} or a field literally named {@code "a.b"}. The
     * literal name is tried first at each level, then each split at a dot from the left; null when nothing matches.
     */
    private static JsonNode resolve(JsonNode node, String path) {
        JsonNode literal = node.get(path);
        if (literal != null) {
            return literal;
        }
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            JsonNode child = node.get(path.substring(0, dot));
            if (child != null && child.isObject()) {
                JsonNode found = resolve(child, path.substring(dot + 1));
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static MetadataExtractionException nonScalar(String path, String kind) {
        return new MetadataExtractionException(
                path, "payload field '" + path + "' must be a scalar, but was a JSON " + kind);
    }

    /** The payload is well-formed JSON but not an object. */
    static final class NotAnObjectException extends IOException {
        private static final long serialVersionUID = 1L;

        NotAnObjectException(String kind) {
            super("value must be one JSON object, but was " + kind);
        }
    }
}
