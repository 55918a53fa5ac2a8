package io.flowguard.bronze.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * Compares JSON texts by meaning rather than spelling: object key order and insignificant whitespace do not matter, as
 * warehouses re-serialize the JSON they store. Text that is not JSON is compared character for character.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonText {
    // ObjectMapper is thread-safe once configured; this one is never reconfigured.
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonText() {}

    /** {@code true} when both are null, or both parse to equal JSON trees, or (when either is not JSON) both are equal text. */
    public static boolean sameJson(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.equals(b)) {
            return true;
        }
        JsonNode na = parseOrNull(a);
        JsonNode nb = parseOrNull(b);
        return na != null && nb != null && normalized(na).equals(normalized(nb));
    }

    /** A hash consistent with {@link #sameJson(String, String)}. */
    public static int hash(String json) {
        if (json == null) {
            return 0;
        }
        JsonNode n = parseOrNull(json);
        return n == null ? json.hashCode() : normalized(n).hashCode();
    }

    private static JsonNode parseOrNull(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * Makes numbers compare by value: {@code 1.50} and {@code 1.5}, or an int and the same long, are equal, because a
     * warehouse may store numbers in a different width or scale than the producer wrote them.
     */
    private static JsonNode normalized(JsonNode node) {
        if (node.isNumber()) {
            try {
                return MAPPER.getNodeFactory().numberNode(node.decimalValue().stripTrailingZeros());
            } catch (NumberFormatException notFinite) {
                return node;
            }
        }
        if (node.isObject()) {
            var copy = MAPPER.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), normalized(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = MAPPER.createArrayNode();
            node.forEach(el -> copy.add(normalized(el)));
            return copy;
        }
        return Objects.requireNonNull(node);
    }
}
