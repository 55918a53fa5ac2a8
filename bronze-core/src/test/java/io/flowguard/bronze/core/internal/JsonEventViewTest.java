package io.flowguard.bronze.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class JsonEventViewTest {
    private static final List<String> NAMES = List.of("event_id", "event_type", "a", "a.b", "", "trace");

    private static JsonEventView view(Set<String> declared) {
        JsonFactory factory = new JsonFactory();
        return new JsonEventView(factory, new ObjectMapper(factory).reader(), declared);
    }

    private static ConsumerRecord<byte[], byte[]> record(RecordHeaders headers, String value) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(
                "orders", 0, 7, null, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        headers.forEach(h -> r.headers().add(h));
        return r;
    }

    /** The header lookup before headers were decoded once per record: the last header of that name, decoded. */
    private static Optional<String> headerBefore(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        if (h == null || h.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    /** The nested-path test before the parents set: a scan of every declared path. */
    private static boolean hasDeclaredChildBefore(Set<String> declared, String path) {
        String prefix = path + '.';
        for (String d : declared) {
            if (d.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Property(tries = 1000)
    void shouldAnswerHeadersFromTheDecodedMapAsFromTheRecord(@ForAll("headerLists") RecordHeaders headers)
            throws IOException {
        ConsumerRecord<byte[], byte[]> record = record(headers, null);
        JsonEventView view = view(Set.of());
        view.scan(record, null, null);
        Map<String, String> decoded = RecordConverter.headerMap(record);
        view.useHeaders(decoded == null ? Map.of() : decoded);

        for (String name : NAMES) {
            assertThat(view.header(name)).as(name).isEqualTo(headerBefore(record, name));
        }
        assertThat(view.header("absent")).isEmpty();
    }

    @Property(tries = 1000)
    void shouldFindDeclaredChildrenAsTheScanOfEveryPathDid(
            @ForAll("declaredPaths") Set<String> declared, @ForAll("candidatePaths") String path) {
        assertThat(JsonEventView.parents(declared).contains(path))
                .as("%s under %s", path, declared)
                .isEqualTo(hasDeclaredChildBefore(declared, path));
    }

    @Test
    void shouldCaptureDeclaredPathsThroughNestedObjectsAndDottedNames() throws IOException {
        JsonEventView view = view(Set.of("a.b.c", "top"));
        for (String payload : List.of(
                "{\"a.b\":{\"c\":\"x\"},\"top\":1}",
                "{\"a\":{\"b\":{\"c\":\"x\"}},\"top\":1}",
                "{\"top\":1,\"a\":{\"b.c\":\"x\"}}")) {
            view.scan(record(new RecordHeaders(), payload), payload, payload.getBytes(StandardCharsets.UTF_8));
            assertThat(view.field("a.b.c")).as(payload).contains("x");
            assertThat(view.field("top")).as(payload).contains("1");
        }
        String elsewhere = "{\"a\":{\"x\":{\"c\":\"x\"}},\"b\":{\"c\":\"y\"}}";
        view.scan(record(new RecordHeaders(), elsewhere), elsewhere, elsewhere.getBytes(StandardCharsets.UTF_8));
        assertThat(view.field("a.b.c")).isEmpty();
        assertThat(view.field("top")).isEmpty();
    }

    @Test
    void shouldLetTheLastNonNullOccurrenceOfADeclaredPathWin() throws IOException {
        // "a.b" names both a field literally called "a.b" and field b of object a; the scan keeps what it saw last,
        // except that a JSON null does not erase an earlier value.
        JsonEventView view = view(Set.of("a.b"));
        Map<String, Optional<String>> expected = Map.of(
                "{\"a.b\":\"1\",\"a\":{\"b\":\"2\"}}", Optional.of("2"),
                "{\"a\":{\"b\":\"2\"},\"a.b\":\"1\"}", Optional.of("1"),
                "{\"a\":{\"b\":\"2\"},\"a.b\":null}", Optional.of("2"),
                "{\"a.b\":null}", Optional.empty());
        for (Map.Entry<String, Optional<String>> e : expected.entrySet()) {
            String payload = e.getKey();
            view.scan(record(new RecordHeaders(), payload), payload, payload.getBytes(StandardCharsets.UTF_8));
            assertThat(view.field("a.b")).as(payload).isEqualTo(e.getValue());
        }
        String nowAnArray = "{\"a.b\":\"1\",\"a\":{\"b\":[1]}}";
        view.scan(record(new RecordHeaders(), nowAnArray), nowAnArray, nowAnArray.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> view.field("a.b")).hasMessageContaining("must be a scalar, but was a JSON array");
    }

    @Test
    void shouldRejectANullHeaderNameAsTheRecordDoes() throws IOException {
        RecordHeaders headers = new RecordHeaders();
        headers.add("a", new byte[] {'1'});
        ConsumerRecord<byte[], byte[]> record = record(headers, null);
        JsonEventView view = view(Set.of());
        view.scan(record, null, null);
        view.useHeaders(RecordConverter.headerMap(record));

        assertThatThrownBy(() -> view.header(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key cannot be null.");
    }

    @Provide
    Arbitrary<RecordHeaders> headerLists() {
        Arbitrary<byte[]> value = Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.strings().ofMaxLength(6).map(s -> s.getBytes(StandardCharsets.UTF_8))),
                        Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(6)))
                .injectNull(0.15);
        Arbitrary<Tuple.Tuple2<String, byte[]>> header =
                Combinators.combine(Arbitraries.of(NAMES), value).as(Tuple::of);
        return header.list().ofMaxSize(8).map(list -> {
            RecordHeaders h = new RecordHeaders();
            list.forEach(t -> h.add(t.get1(), t.get2()));
            return h;
        });
    }

    @Provide
    Arbitrary<Set<String>> declaredPaths() {
        return path().set().ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> candidatePaths() {
        return path();
    }

    private static Arbitrary<String> path() {
        return Arbitraries.of("a", "b", "a.b", "ab", "b.c")
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(parts -> String.join(".", parts));
    }
}
