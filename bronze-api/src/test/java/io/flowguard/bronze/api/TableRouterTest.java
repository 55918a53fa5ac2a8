package io.flowguard.bronze.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TableRouterTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "orders, ORDERS_RAW",
        "web.clicks-v2, WEB_CLICKS_V2_RAW",
        "Orders_EU, ORDERS_EU_RAW",
        "3ds.auth, T_3DS_AUTH_RAW",
        "_internal, _INTERNAL_RAW",
        "a..b, A__B_RAW"
    })
    void shouldDeriveUpperCaseRawTableFromTopicName(String topic, String table) {
        assertThat(TableRouter.fromTopicName().tableFor(topic)).isEqualTo(table);
    }

    @Test
    void shouldUseExplicitTableAndFallBackToTopicNameForOthers() {
        TableRouter router = TableRouter.explicit(Map.of("orders", "BRONZE.ORDERS_V2", "web.clicks", "clicks"));

        assertThat(router.tableFor("orders")).isEqualTo("BRONZE.ORDERS_V2");
        assertThat(router.tableFor("web.clicks")).isEqualTo("clicks");
        assertThat(router.tableFor("payments")).isEqualTo("PAYMENTS_RAW");
    }

    @Test
    void shouldCopyMapWhenBuildingExplicitRouter() {
        Map<String, String> map = new HashMap<>(Map.of("orders", "ORDERS_A"));
        TableRouter router = TableRouter.explicit(map);

        map.put("orders", "ORDERS_B");

        assertThat(router.tableFor("orders")).isEqualTo("ORDERS_A");
    }

    @Test
    void shouldRejectInvalidExplicitTableNamingIt() {
        assertThatThrownBy(() -> TableRouter.explicit(Map.of("orders", "orders-raw")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("table name must match [A-Za-z_][A-Za-z0-9_$]* (optionally SCHEMA.TABLE, at most 255 "
                        + "characters), but was 'orders-raw'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1ORDERS", "A.B.C", "ORDERS RAW", "\"ORDERS\"", "ORDERS;DROP", ".ORDERS", "ORDERS."})
    void shouldRejectInvalidTableNames(String name) {
        assertThatThrownBy(() -> TableRouter.requireValidTableName(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("but was '" + name + "'");
    }

    @Test
    void shouldRejectNullTableName() {
        assertThatThrownBy(() -> TableRouter.requireValidTableName(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("but was 'null'");
    }

    @Test
    void shouldRejectTableNameLongerThan255Characters() {
        String tooLong = "T".repeat(256);

        assertThatThrownBy(() -> TableRouter.requireValidTableName(tooLong))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TableRouter.requireValidTableName("T".repeat(255))).hasSize(255);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ORDERS_RAW", "orders", "_x", "BRONZE.ORDERS_RAW", "A$1", "s_1.t_2"})
    void shouldAcceptValidTableNamesUnchanged(String name) {
        assertThat(TableRouter.requireValidTableName(name)).isEqualTo(name);
    }

    // jqwik runs the @Property methods, JUnit Jupiter the @Test ones; this class holds no per-test state.

    /** Every name Kafka accepts for a topic: 1 to 249 of {@code [a-zA-Z0-9._-]}, except "." and "..". */
    @Provide
    Arbitrary<String> legalTopicNames() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('A', 'Z')
                .withCharRange('0', '9')
                .withChars('.', '_', '-')
                .ofMinLength(1)
                .ofMaxLength(249)
                .filter(s -> !s.equals(".") && !s.equals(".."));
    }

    @Property(tries = 2_000)
    void shouldAlwaysDeriveValidTableNameWhenTopicNameIsLegal(@ForAll("legalTopicNames") String topic) {
        String table = TableRouter.fromTopicName().tableFor(topic);

        assertThat(TableRouter.requireValidTableName(table)).isEqualTo(table);
        assertThat(table).endsWith("_RAW").doesNotContain(".");
    }
}
