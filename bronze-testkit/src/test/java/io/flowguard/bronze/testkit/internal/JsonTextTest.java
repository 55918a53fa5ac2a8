package io.flowguard.bronze.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void shouldIgnoreKeyOrderAndWhitespace() {
        assertThat(JsonText.sameJson("{\"a\":1,\"b\":[true,null]}", "{ \"b\" : [ true , null ] ,\n\"a\" : 1 }"))
                .isTrue();
    }

    @Test
    void shouldCompareNumbersByValue() {
        assertThat(JsonText.sameJson("{\"x\":1.50}", "{\"x\":1.5}")).isTrue();
        assertThat(JsonText.sameJson("{\"x\":100}", "{\"x\":1E+2}")).isTrue();
        assertThat(JsonText.hash("{\"x\":1.50}")).isEqualTo(JsonText.hash("{\"x\":1.5}"));
        assertThat(JsonText.sameJson("{\"x\":1.5}", "{\"x\":1.6}")).isFalse();
        assertThat(JsonText.sameJson("{\"x\":1}", "{\"x\":\"1\"}")).isFalse();
    }

    @Test
    void shouldKeepArrayOrderSignificant() {
        assertThat(JsonText.sameJson("[1,2]", "[2,1]")).isFalse();
    }

    @Test
    void shouldCompareUnicodeEscapesByMeaning() {
        assertThat(JsonText.sameJson("{\"s\":\"\\u00e9\"}", "{\"s\":\"é\"}")).isTrue();
    }

    @Test
    void shouldCompareTextWhenEitherIsNotJson() {
        assertThat(JsonText.sameJson("not json", "not json")).isTrue();
        assertThat(JsonText.sameJson("not json", "{}")).isFalse();
        assertThat(JsonText.hash("not json")).isEqualTo("not json".hashCode());
    }

    @Test
    void shouldTreatNullAsEqualOnlyToNull() {
        assertThat(JsonText.sameJson(null, null)).isTrue();
        assertThat(JsonText.sameJson(null, "null")).isFalse();
        assertThat(JsonText.sameJson("{}", null)).isFalse();
    }
}
