package io.flowguard.bronze.connect;

import io.flowguard.bronze.connect.internal.ConnectorKeys;
import io.flowguard.bronze.connect.internal.SinkRecords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect sink connector that lands records in Bronze tables (PostgreSQL, DuckDB, Snowflake) through the same
 * sinks, columns, ingestion ledger, idempotency and dead letters as the {@code IngestionEngine}. Configured with the
 * {@code bronze.*} keys of {@code docs/configuration.md}; see {@code docs/kafka-connect.md}.
 *
 * <pre>
 * connector.class=io.flowguard.bronze.connect.BronzeSinkConnector
 * topics=orders
 * key.converter=org.apache.kafka.connect.converters.ByteArrayConverter
 * value.converter=org.apache.kafka.connect.converters.ByteArrayConverter
 * header.converter=org.apache.kafka.connect.converters.ByteArrayConverter
 * bronze.warehouse.url=jdbc:postgresql://db:5432/analytics
 * </pre>
 *
 * @since 0.2.0
 */
public class BronzeSinkConnector extends SinkConnector {
    /** The connector's version, from the jar manifest ({@code Implementation-Version}). */
    static final String VERSION = versionFromManifest();

    private static final Logger log = LoggerFactory.getLogger(BronzeSinkConnector.class);

    private Map<String, String> props;

    /** Connect's no-argument constructor. */
    public BronzeSinkConnector() {}

    @Override
    public void start(Map<String, String> props) {
        BronzeConnectorConfig config = BronzeConnectorConfig.parse(props);
        ConnectorKeys.check(config);
        this.props = Map.copyOf(props);
        log.info("[{}] connector started: {}", config.connectorName(), config);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return BronzeSinkTask.class;
    }

    /** One identical configuration per task, plus the task's index ({@value BronzeConnectorConfig#TASK_ID}). */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> c = new HashMap<>(props);
            c.put(BronzeConnectorConfig.TASK_ID, Integer.toString(i));
            configs.add(c);
        }
        return configs;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return ConnectorKeys.configDef();
    }

    /**
     * Connect's validation plus Bronze's: every {@code bronze.*} problem is reported on its key (REST
     * {@code PUT /connector-plugins/.../config/validate}), and converters that would not hand the task raw bytes are
     * reported on {@code key.converter} / {@code value.converter}.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName = new HashMap<>();
        for (ConfigValue v : config.configValues()) {
            byName.put(v.name(), v);
        }
        for (String converter : List.of("key.converter", "value.converter")) {
            String cls = connectorConfigs.get(converter);
            if (cls != null
                    && !cls.equals(SinkRecords.BYTE_ARRAY_CONVERTER)
                    && !cls.equals("org.apache.kafka.connect.storage.StringConverter")) {
                value(config, byName, converter)
                        .addErrorMessage(converter + " must be " + SinkRecords.BYTE_ARRAY_CONVERTER
                                + " (Bronze stores the raw bytes), but was " + cls);
            }
        }
        ConnectorKeys.problems(BronzeConnectorConfig.parse(withName(connectorConfigs)))
                .forEach((key, message) -> value(config, byName, key).addErrorMessage(message));
        return config;
    }

    private static Map<String, String> withName(Map<String, String> c) {
        if (c.get("name") != null && !c.get("name").isBlank()) {
            return c;
        }
        Map<String, String> copy = new HashMap<>(c);
        copy.put("name", "validation");
        return copy;
    }

    /**
     * The config value of {@code key}, added when the connector's ConfigDef does not declare it (worker keys such as
     * {@code value.converter}, prefix keys such as {@code bronze.tables.<topic>}). An added value carries no value: the
     * worker converts values by its own type for the key ({@code Class} for a converter) and a string would not fit.
     */
    private static ConfigValue value(Config config, Map<String, ConfigValue> byName, String key) {
        return byName.computeIfAbsent(key, k -> {
            ConfigValue v = new ConfigValue(k, null, List.of(), new ArrayList<>());
            config.configValues().add(v);
            return v;
        });
    }

    @Override
    public String version() {
        return VERSION;
    }

    private static String versionFromManifest() {
        String v = BronzeSinkConnector.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
