package io.flowguard.bronze.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The headers JSON written in one pass must be exactly what the sink wrote before: Jackson's default
 * {@code ObjectMapper} serializing the header map cleaned of U+0000 ({@link #before}, the previous implementation kept
 * here as the reference).
 */
class HeadersJsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private final BronzeRows rows = new BronzeRows(new ObjectMapper());

    /** The KAFKA_HEADERS value as BronzeRows computed it before HeadersJson: clean names and values, then Jackson. */
    private static String before(Map<String, String> headers) throws JsonProcessingException {
        Map<String, String> cleaned = headers;
        if (headers != null) {
            boolean dirty = false;
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (oldClean(h.getKey()) != h.getKey() || oldClean(h.getValue()) != h.getValue()) {
                    dirty = true;
                    break;
                }
            }
            if (dirty) {
                cleaned = new LinkedHashMap<>();
                for (Map.Entry<String, String> h : headers.entrySet()) {
                    cleaned.put(oldClean(h.getKey()), oldClean(h.getValue()));
                }
            }
        }
        return JACKSON.writeValueAsString(cleaned);
    }

    private static String oldClean(String s) {
        return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
    }

    @Property(tries = 2000)
    void shouldWriteExactlyWhatJacksonWroteForTheCleanedHeaders(@ForAll("headerMaps") Map<String, String> headers)
            throws JsonProcessingException {
        assertThat(rows.headersJson(headers)).isEqualTo(before(headers));
    }

    @Property(tries = 500)
    void shouldTakeTheOnePassPathForHeadersThatNeedNoEscaping(@ForAll("plainHeaderMaps") Map<String, String> headers)
            throws JsonProcessingException {
        assertThat(HeadersJson.write(headers)).isNotNull().isEqualTo(before(headers));
    }

    @Test
    void shouldReplaceNulInValuesAndKeepNonAsciiVerbatim() throws JsonProcessingException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("id", "\u0000\u0000 x");
        headers.put("zoë", "🍕\uD800 é / \u007F \u2028");
        headers.put("gone", null);

        assertThat(HeadersJson.write(headers))
                .isEqualTo("{\"id\":\"\uFFFD\uFFFD x\",\"zoë\":\"🍕\uD800 é / \u007F \u2028\",\"gone\":null}")
                .isEqualTo(before(headers));
    }

    @Test
    void shouldLeaveEscapingAndMergedNamesToJackson() throws JsonProcessingException {
        Map<String, String> quoted = Map.of("q", "say \"hi\"");
        Map<String, String> control = Map.of("tab", "a\tb");
        Map<String, String> backslash = Map.of("path\\x", "v");
        Map<String, String> merging = new LinkedHashMap<>();
        merging.put("a\u0000", "first");
        merging.put("a\uFFFD", "second");

        for (Map<String, String> headers : List.of(quoted, control, backslash, merging)) {
            assertThat(HeadersJson.write(headers)).as(headers.toString()).isNull();
            assertThat(rows.headersJson(headers)).as(headers.toString()).isEqualTo(before(headers));
        }
        assertThat(rows.headersJson(merging)).isEqualTo("{\"a\uFFFD\":\"second\"}");
    }

    @Test
    void shouldWriteEmptyAndNullHeadersAsBefore() throws JsonProcessingException {
        assertThat(rows.headersJson(Map.of())).isEqualTo("{}").isEqualTo(before(Map.of()));
        assertThat(rows.headersJson(null)).isEqualTo("null").isEqualTo(before(null));
    }

    @Test
    void shouldFailOnANullHeaderNameAsBefore() {
        Map<String, String> nullName = new LinkedHashMap<>();
        nullName.put(null, "v");

        assertThat(HeadersJson.write(nullName)).isNull();
        assertThatThrownBy(() -> before(nullName)).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> rows.headersJson(nullName))
                .isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(JsonProcessingException.class);
    }

    @Provide
    Arbitrary<Map<String, String>> headerMaps() {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().ofMaxLength(12)),
                Tuple.of(
                        4,
                        Arbitraries.strings()
                                .withChars("ab\u0000\"\\\t\n\u001f\u007f\u00e9\u2028/")
                                .ofMaxLength(8)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(6)));
        return maps(text);
    }

    @Provide
    Arbitrary<Map<String, String>> plainHeaderMaps() {
        Arbitrary<String> plain = Arbitraries.strings()
                .all()
                .ofMaxLength(10)
                .filter(s -> s.chars().noneMatch(c -> c < 0x20 || c == '"' || c == '\\'));
        Arbitrary<String> values = Arbitraries.frequencyOf(
                        Tuple.of(8, plain), Tuple.of(2, plain.map(s -> s + '\u0000' + s)))
                .injectNull(0.1);
        return Combinators.combine(plain.list().ofMaxSize(6), values.list().ofSize(6))
                .as((names, vals) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        m.put(names.get(i), vals.get(i));
                    }
                    return Collections.unmodifiableMap(m);
                });
    }

    private static Arbitrary<Map<String, String>> maps(Arbitrary<String> text) {
        Arbitrary<String> values = text.injectNull(0.1);
        return Combinators.combine(text.list().ofMaxSize(6), values.list().ofSize(6))
                .as((names, vals) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        m.put(names.get(i), vals.get(i));
                    }
                    // As the sink sees them: BronzeRecord hands out an unmodifiable LinkedHashMap.
                    return Collections.unmodifiableMap(m);
                });
    }
}
