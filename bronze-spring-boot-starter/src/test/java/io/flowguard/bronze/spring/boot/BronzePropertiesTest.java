package io.flowguard.bronze.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class BronzePropertiesTest {

    private static StandardEnvironment environment(Map<String, Object> properties, Map<String, Object> variables) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("application", properties));
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", variables));
        return env;
    }

    @Test
    void shouldFlattenBronzeKeysAsWrittenAndJoinYamlLists() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bronze.group", "g");
        props.put("bronze.topics[0]", "orders");
        props.put("bronze.topics[1]", "clicks");
        props.put("bronze.tables.orders", "ORDERS_RAW");
        props.put("bronze.typed-columns.ORDERS_RAW", "AMOUNT:amount:DOUBLE");
        props.put("spring.application.name", "shop");

        Map<String, String> flat = BronzeProperties.flatten(environment(props, Map.of()));

        assertThat(flat)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "bronze.group",
                        "g",
                        "bronze.topics",
                        "orders,clicks",
                        "bronze.tables.orders",
                        "ORDERS_RAW",
                        "bronze.typed-columns.ORDERS_RAW",
                        "AMOUNT:amount:DOUBLE"));
    }

    @Test
    void shouldReadDocumentedKeysFromEnvironmentVariablesWithSpringPrecedence() {
        Map<String, Object> props = Map.of("bronze.warehouse.password", "from-file", "bronze.group", "g");
        Map<String, Object> env =
                Map.of("BRONZE_WAREHOUSE_PASSWORD", "from-env", "BRONZE_WAREHOUSE_CREATE_TABLES", "false");

        Map<String, String> flat = BronzeProperties.flatten(environment(props, env));

        assertThat(flat)
                .containsEntry("bronze.warehouse.password", "from-env")
                .containsEntry("bronze.warehouse.create-tables", "false")
                .containsEntry("bronze.group", "g");
    }
}
