package io.flowguard.bronze.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The resolved connection settings of one command run. {@link #toString()} masks the password; nothing else prints it.
 */
record Settings(String bootstrapServers, String jdbcUrl, String jdbcUser, String jdbcPassword, String group, String schema,
                String deadLetterTable, String ledgerTable, Duration timeout, Map<String, Object> kafkaProperties,
                Path configFile, boolean verbose) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String DEFAULT_DEAD_LETTER_TABLE = "BRONZE_DEAD_LETTER";
    static final String DEFAULT_LEDGER_TABLE = "BRONZE_INGESTION_LOG";

    Settings {
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** The same settings with {@code group} set when it was given (a command's --group flag wins over env and config). */
    Settings withGroup(String groupFlag) {
        return groupFlag == null || groupFlag.isBlank() ? this : new Settings(bootstrapServers, jdbcUrl, jdbcUser, jdbcPassword,
                groupFlag.trim(), schema, deadLetterTable, ledgerTable, timeout, kafkaProperties, configFile, verbose);
    }

    String requireBootstrapServers() {
        if (bootstrapServers == null) {
            throw CliException.usage("no Kafka brokers given: pass --bootstrap-servers host:9092, set BRONZE_BOOTSTRAP_SERVERS, "
                    + "or put bootstrap.servers in the --config file");
        }
        return bootstrapServers;
    }

    String requireJdbcUrl() {
        if (jdbcUrl == null) {
            throw CliException.usage("no warehouse given: pass --jdbc-url (jdbc:postgresql://host/db or jdbc:duckdb:/path/bronze.db), "
                    + "set BRONZE_JDBC_URL, or put jdbc.url in the --config file");
        }
        return jdbcUrl;
    }

    String requireGroup() {
        if (group == null) {
            throw CliException.usage("no consumer group given: pass --group G, set BRONZE_GROUP, or put group in the --config file");
        }
        return group;
    }

    /** Kafka client properties masked for printing. */
    Map<String, Object> maskedKafkaProperties() {
        java.util.Map<String, Object> masked = new java.util.LinkedHashMap<>();
        kafkaProperties.forEach((k, v) -> masked.put(k, Secrets.isSecret(k) ? Secrets.MASK : v));
        return masked;
    }

    @Override
    public String toString() {
        return "bootstrap.servers=" + bootstrapServers + ", jdbc.url=" + Secrets.maskUrl(jdbcUrl) + ", jdbc.user=" + jdbcUser
                + ", jdbc.password=" + (jdbcPassword == null ? "(none)" : Secrets.MASK) + ", group=" + group + ", schema="
                + schema + ", dead.letter.table=" + deadLetterTable + ", ledger.table=" + ledgerTable + ", timeout=" + timeout
                + ", kafka=" + maskedKafkaProperties() + (configFile == null ? "" : ", config=" + configFile);
    }
}
