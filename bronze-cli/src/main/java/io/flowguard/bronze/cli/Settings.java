package io.flowguard.bronze.cli;

import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.core.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The resolved connection settings of one command run. {@code ingest} is the whole {@code bronze.*} configuration when
 * the {@code --config} file is one of {@code bronze ingest} (it has {@code bronze.topics}), else null: replays then land
 * with the engine's table routing, typed columns, idempotency key and tombstone policy.
 * {@link #toString()} masks the password, the Snowflake private key
 * and its passphrase; nothing else prints them.
 */
record Settings(
        String bootstrapServers,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String group,
        String schema,
        String deadLetterTable,
        String ledgerTable,
        Duration timeout,
        Map<String, Object> kafkaProperties,
        Path configFile,
        boolean verbose,
        SnowflakeKey snowflakeKey,
        BronzeConfig ingest) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String DEFAULT_DEAD_LETTER_TABLE = "BRONZE_DEAD_LETTER";
    static final String DEFAULT_LEDGER_TABLE = "BRONZE_INGESTION_LOG";

    Settings {
        kafkaProperties = Map.copyOf(kafkaProperties);
        snowflakeKey = snowflakeKey == null ? SnowflakeKey.NONE : snowflakeKey;
    }

    /**
     * Snowflake key-pair authentication: a PEM key file or the PEM text itself, and its passphrase; all may be null.
     * {@link #toString()} shows only the file name.
     */
    record SnowflakeKey(Path file, String pem, String passphrase) {
        static final SnowflakeKey NONE = new SnowflakeKey(null, null, null);

        boolean given() {
            return file != null || pem != null;
        }

        @Override
        public String toString() {
            return "snowflake.private.key.file=" + file + ", snowflake.private.key="
                    + (pem == null ? "(none)" : Secrets.MASK) + ", snowflake.private.key.passphrase="
                    + (passphrase == null ? "(none)" : Secrets.MASK);
        }
    }

    /** The same settings with {@code group} set when it was given (a command's --group flag wins over env and config). */
    Settings withGroup(String groupFlag) {
        return groupFlag == null || groupFlag.isBlank()
                ? this
                : new Settings(
                        bootstrapServers,
                        jdbcUrl,
                        jdbcUser,
                        jdbcPassword,
                        groupFlag.trim(),
                        schema,
                        deadLetterTable,
                        ledgerTable,
                        timeout,
                        kafkaProperties,
                        configFile,
                        verbose,
                        snowflakeKey,
                        ingest);
    }

    /** The same settings with {@code schema} set (the warehouse's default schema when none was given). */
    Settings withSchema(String defaultSchema) {
        return new Settings(
                bootstrapServers,
                jdbcUrl,
                jdbcUser,
                jdbcPassword,
                group,
                defaultSchema,
                deadLetterTable,
                ledgerTable,
                timeout,
                kafkaProperties,
                configFile,
                verbose,
                snowflakeKey,
                ingest);
    }

    /** {@code text} with the password, private key and passphrase replaced by {@value Secrets#MASK}, for drivers' messages. */
    String scrub(String text) {
        String out = Secrets.scrub(text, jdbcPassword);
        out = Secrets.scrub(out, snowflakeKey.passphrase());
        return Secrets.scrub(out, snowflakeKey.pem());
    }

    String requireBootstrapServers() {
        if (bootstrapServers == null) {
            throw CliException.usage(
                    "no Kafka brokers given: pass --bootstrap-servers host:9092, set BRONZE_BOOTSTRAP_SERVERS, "
                            + "or put bootstrap.servers in the --config file");
        }
        return bootstrapServers;
    }

    String requireJdbcUrl() {
        if (jdbcUrl == null) {
            throw CliException.usage(
                    "no warehouse given: pass --jdbc-url (jdbc:postgresql://host/db, jdbc:duckdb:/path/bronze.db "
                            + "or jdbc:snowflake://ACCOUNT.snowflakecomputing.com/?db=DB&schema=S), "
                            + "set BRONZE_JDBC_URL, or put jdbc.url in the --config file");
        }
        return jdbcUrl;
    }

    String requireGroup() {
        if (group == null) {
            throw CliException.usage(
                    "no consumer group given: pass --group G, set BRONZE_GROUP, or put group in the --config file");
        }
        return group;
    }

    /** Kafka client properties masked for printing. */
    Map<String, Object> maskedKafkaProperties() {
        java.util.Map<String, Object> masked = new java.util.LinkedHashMap<>();
        kafkaProperties.forEach((k, v) -> masked.put(k, Secrets.isSecretKey(k) ? Secrets.MASK : v));
        return masked;
    }

    @Override
    public String toString() {
        return "bootstrap.servers=" + bootstrapServers + ", jdbc.url=" + Secrets.maskUrl(jdbcUrl) + ", jdbc.user="
                + jdbcUser
                + ", jdbc.password=" + (jdbcPassword == null ? "(none)" : Secrets.MASK) + ", group=" + group
                + ", schema="
                + schema + ", dead.letter.table=" + deadLetterTable + ", ledger.table=" + ledgerTable + ", timeout="
                + timeout
                + ", kafka=" + maskedKafkaProperties() + (configFile == null ? "" : ", config=" + configFile)
                + (snowflakeKey.given() || snowflakeKey.passphrase() != null ? ", " + snowflakeKey : "");
    }
}
