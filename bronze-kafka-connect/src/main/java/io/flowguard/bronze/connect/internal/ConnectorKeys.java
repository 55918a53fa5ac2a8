package io.flowguard.bronze.connect.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** INTERIM until bronze-config is merged: the bronze.* keys the connector reads. */
public final class ConnectorKeys {
    public static final String WAREHOUSE_URL = "bronze.warehouse.url";
    public static final String WAREHOUSE_USER = "bronze.warehouse.user";
    public static final String WAREHOUSE_PASSWORD = "bronze.warehouse.password";
    public static final String WAREHOUSE_SCHEMA = "bronze.warehouse.schema";

    private ConnectorKeys() {
    }

    public static ConfigDef configDef() {
        return new ConfigDef()
                .define(WAREHOUSE_URL, ConfigDef.Type.STRING, null, ConfigDef.Importance.HIGH, "JDBC URL")
                .define(WAREHOUSE_USER, ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM, "user")
                .define(WAREHOUSE_PASSWORD, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.MEDIUM, "password")
                .define(WAREHOUSE_SCHEMA, ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM, "schema");
    }

    public static Map<String, String> problems(Map<String, String> bronze) {
        Map<String, String> p = new LinkedHashMap<>();
        if (bronze.get(WAREHOUSE_URL) == null) {
            p.put(WAREHOUSE_URL, WAREHOUSE_URL + " is required, e.g. jdbc:postgresql://db:5432/analytics");
        }
        return p;
    }

    public static void check(Map<String, String> bronze) {
        Map<String, String> p = problems(bronze);
        if (!p.isEmpty()) {
            throw new ConfigException("invalid Bronze connector configuration: " + String.join("; ", p.values()));
        }
    }
}
