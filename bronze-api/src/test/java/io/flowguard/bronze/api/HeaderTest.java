package io.flowguard.bronze.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderTest {

    @Test
    void shouldEncodeStringValueAsUtf8() {
        Header h = Header.of("note", "Zoë 🚀");

        assertThat(h.value()).isEqualTo("Zoë 🚀".getBytes(StandardCharsets.UTF_8));
        assertThat(h.valueAsString()).isEqualTo("Zoë 🚀");
    }

    @Test
    void shouldKeepNullValue() {
        assertThat(Header.of("h", (String) null).value()).isNull();
        assertThat(Header.of("h", (byte[]) null).valueAsString()).isNull();
    }

    @Test
    void shouldReplaceMalformedUtf8WhenDecoding() {
        assertThat(Header.of("h", new byte[] {(byte) 0xC3}).valueAsString()).isEqualTo("\uFFFD");
    }

    @Test
    void shouldCopyValueInAndOut() {
        byte[] raw = {1, 2};
        Header h = Header.of("h", raw);

        raw[0] = 7;
        h.value()[1] = 7;

        assertThat(h.value()).containsExactly(1, 2);
    }

    @Test
    void shouldBeEqualByNameAndBytes() {
        assertThat(Header.of("h", "v"))
                .isEqualTo(Header.of("h", "v".getBytes(StandardCharsets.UTF_8)))
                .hasSameHashCodeAs(Header.of("h", "v"))
                .isNotEqualTo(Header.of("h", "w"))
                .isNotEqualTo(Header.of("g", "v"));
    }

    @Test
    void shouldRejectNullName() {
        assertThatThrownBy(() -> Header.of(null, "v"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("header name must not be null");
    }
}
