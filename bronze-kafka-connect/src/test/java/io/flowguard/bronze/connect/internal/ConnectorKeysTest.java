package io.flowguard.bronze.connect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.config.BronzeKeys;
import io.flowguard.bronze.config.ConfigKey;
import io.flowguard.bronze.connect.BronzeConnectorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ConnectorKeysTest {

    private static BronzeConnectorConfig config(Map<String, String> bronze) {
        Map<String, String> props = new HashMap<>(bronze);
        props.put("name", "orders-bronze");
        props.put("topics", "orders");
        return BronzeConnectorConfig.parse(props);
    }

    @Test
    void shouldRejectKeysThatConnectOwnsNamingTheConnectSettingToUse() {
        Map<String, String> problems = ConnectorKeys.problems(config(Map.of(
                "bronze.warehouse.url",
                "jdbc:postgresql://db/x",
                "bronze.group",
                "mine",
                "bronze.batch.max-records",
                "500",
                "bronze.kafka.security.protocol",
                "SSL")));

        assertThat(problems)
                .containsOnlyKeys("bronze.group", "bronze.batch.max-records", "bronze.kafka.security.protocol");
        assertThat(problems.get("bronze.group")).contains("consumer.override.group.id");
        assertThat(problems.get("bronze.batch.max-records")).contains("consumer.override.max.poll.records");
        assertThat(problems.get("bronze.kafka.security.protocol")).contains("consumer.override.");
    }

    @Test
    void shouldReportEachBronzeProblemOnItsKey() {
        Map<String, String> problems = ConnectorKeys.problems(config(Map.of(
                "bronze.warehouse.url",
                "jdbc:postgresql://db/x",
                "bronze.tombstones",
                "sometimes",
                "bronze.retry.max-attempts",
                "0")));

        assertThat(problems).containsKeys("bronze.tombstones", "bronze.retry.max-attempts");
        assertThat(problems.get("bronze.tombstones")).contains("sometimes");
    }

    @Test
    void shouldRequireDeadLetterBrokersForAKafkaDeadLetterSink() {
        Map<String, String> problems = ConnectorKeys.problems(
                config(Map.of("bronze.warehouse.url", "jdbc:postgresql://db/x", "bronze.dead-letter.type", "kafka")));

        assertThat(problems).containsOnlyKeys(BronzeKeys.DEAD_LETTER_BOOTSTRAP_SERVERS);
        assertThat(problems.get(BronzeKeys.DEAD_LETTER_BOOTSTRAP_SERVERS))
                .contains("errors.deadletterqueue.topic.name");
    }

    @Test
    void shouldAcceptAValidConfigurationAndFillTheKeysConnectDecides() {
        BronzeConnectorConfig c =
                config(Map.of("bronze.warehouse.url", "jdbc:postgresql://db/x", BronzeConnectorConfig.TASK_ID, "3"));

        assertThat(ConnectorKeys.problems(c)).isEmpty();
        assertThat(ConnectorKeys.bronzeMap(c))
                .containsEntry(BronzeKeys.GROUP, "connect-orders-bronze")
                .containsEntry(BronzeKeys.TOPICS, "orders")
                .containsEntry(BronzeKeys.NAME, "orders-bronze-3")
                .doesNotContainKey(BronzeConnectorConfig.TASK_ID);
    }

    @Test
    void shouldFailWithEveryProblemInOneConfigException() {
        assertThatThrownBy(
                        () -> ConnectorKeys.check(config(Map.of("bronze.topics", "x", "bronze.tombstones", "never"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bronze.topics");
    }

    @Test
    void shouldDeclareSecretsAsPasswordsSoConnectMasksThem() {
        ConfigDef def = ConnectorKeys.configDef();

        assertThat(def.configKeys().get(BronzeKeys.WAREHOUSE_PASSWORD).type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get(BronzeKeys.WAREHOUSE_PRIVATE_KEY).type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get(BronzeKeys.WAREHOUSE_URL).type).isEqualTo(ConfigDef.Type.STRING);
        assertThat(def.configKeys()).doesNotContainKey(BronzeKeys.GROUP);
    }

    @Test
    void shouldDocumentEveryConnectorKeyWithItsDefault() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "kafka-connect.md"));
        for (ConfigKey k : ConnectorKeys.connectorKeys()) {
            String expectedDefault = k.name().equals(BronzeKeys.DEAD_LETTER_BOOTSTRAP_SERVERS)
                    ? "— (required with type `kafka`)"
                    : k.defaultValue() == null ? "—" : k.defaultValue();
            String row = "| `" + k.name() + "` | " + expectedDefault + " |";
            assertThat(doc).as("docs/kafka-connect.md row for " + k.name()).contains(row);
        }
        for (String owned : ConnectorKeys.OWNED_BY_CONNECT.keySet()) {
            assertThat(doc)
                    .as("docs/kafka-connect.md names the key Connect owns: " + owned)
                    .contains("`" + owned + "`");
        }
    }
}
