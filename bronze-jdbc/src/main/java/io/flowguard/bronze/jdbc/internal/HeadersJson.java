package io.flowguard.bronze.jdbc.internal;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The Bronze {@code KAFKA_HEADERS} value written in one pass: the JSON object Jackson's default {@code ObjectMapper}
 * writes for the header map after {@link BronzeRows#cleanHeaders} (U+0000 becomes U+FFFD), without copying the map or
 * looking up serializers. Stateless and thread-safe.
 *
 * <p>It only writes what needs no JSON escaping: names and values free of {@code "}, {@code \} and control characters
 * (U+0000 is not one of them here: it is replaced by U+FFFD, which needs none), and names free of U+0000 (cleaning
 * could make two names equal, which the map would merge). Jackson writes such strings verbatim between quotes,
 * non-ASCII characters included; for anything else {@link #write} returns null and the caller takes Jackson's path.
 */
final class HeadersJson {
    private HeadersJson() {}

    /**
     * The headers as a JSON object, in the map's order, {@code null} values as JSON {@code null}; or {@code null} when
     * some name or value needs escaping, a name is null or a name holds U+0000 (the caller then serializes with Jackson).
     */
    static String write(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return "{}";
        }
        Writer w = new Writer(new StringBuilder(16 + 32 * headers.size()).append('{'));
        // forEach, not an entry iterator: an unmodifiable map's iterator wraps every entry.
        headers.forEach(w);
        return w.escapingNeeded ? null : w.json.append('}').toString();
    }

    /** Appends one entry after another; once something needs escaping it stops appending. */
    private static final class Writer implements BiConsumer<String, String> {
        final StringBuilder json;
        boolean escapingNeeded;

        Writer(StringBuilder json) {
            this.json = json;
        }

        @Override
        public void accept(String name, String value) {
            if (escapingNeeded) {
                return;
            }
            if (name == null || name.indexOf('\u0000') >= 0) {
                escapingNeeded = true;
                return;
            }
            if (json.length() > 1) {
                json.append(',');
            }
            if (!appendQuoted(json, name)) {
                escapingNeeded = true;
                return;
            }
            json.append(':');
            if (value == null) {
                json.append("null");
            } else if (!appendQuoted(json, value)) {
                escapingNeeded = true;
            }
        }
    }

    /** Appends {@code s} in quotes with U+0000 replaced by U+FFFD; false (and a partial append) if it needs escaping. */
    private static boolean appendQuoted(StringBuilder json, String s) {
        boolean nul = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20) {
                if (c != '\u0000') {
                    return false;
                }
                nul = true;
            } else if (c == '"' || c == '\\') {
                return false;
            }
        }
        json.append('"');
        if (nul) {
            json.append(s.replace('\u0000', '\uFFFD'));
        } else {
            json.append(s);
        }
        json.append('"');
        return true;
    }
}
