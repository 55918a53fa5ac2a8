package io.flowguard.bronze.cli;

import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.config.BronzeConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The connection options every command takes. Each value comes from its flag, else its environment variable, else the
 * {@code --config} properties file (or {@code BRONZE_CONFIG}), else its default.
 */
final class ConnectionOptions {
    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT,...",
            description = "Kafka brokers. Env BRONZE_BOOTSTRAP_SERVERS; config bootstrap.servers.")
    String bootstrapServers;

    @Option(
            names = "--jdbc-url",
            paramLabel = "URL",
            description = "The warehouse: jdbc:postgresql://..., jdbc:duckdb:/path/bronze.db or "
                    + "jdbc:snowflake://ACCOUNT.snowflakecomputing.com/?db=DB&schema=S&warehouse=WH&role=R. "
                    + "Env BRONZE_JDBC_URL; config jdbc.url.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "Env BRONZE_JDBC_USER; config jdbc.user.")
    String jdbcUser;

    @Option(
            names = "--jdbc-password",
            paramLabel = "PASSWORD",
            arity = "0..1",
            interactive = true,
            description =
                    "Prefer env BRONZE_JDBC_PASSWORD or config jdbc.password; given without a value, it is asked for. "
                            + "Never printed.")
    char[] jdbcPassword;

    @Option(
            names = "--private-key-file",
            paramLabel = "FILE",
            description = "Snowflake key-pair authentication instead of a password: a PKCS#8 PEM private key file. "
                    + "Env BRONZE_SNOWFLAKE_PRIVATE_KEY_FILE (or the PEM text itself in BRONZE_SNOWFLAKE_PRIVATE_KEY); "
                    + "config snowflake.private.key.file.")
    Path privateKeyFile;

    @Option(
            names = "--private-key-passphrase",
            paramLabel = "PASSPHRASE",
            arity = "0..1",
            interactive = true,
            description =
                    "The passphrase of an encrypted private key. Prefer env BRONZE_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE or "
                            + "config snowflake.private.key.passphrase; given without a value, it is asked for. Never printed.")
    char[] privateKeyPassphrase;

    @Option(
            names = "--schema",
            paramLabel = "SCHEMA",
            description =
                    "Schema of the Bronze, ledger and dead-letter tables; default the connection's current schema "
                            + "(for Snowflake the URL's schema=). "
                            + "Env BRONZE_SCHEMA; config schema.")
    String schema;

    @Option(
            names = "--dead-letter-table",
            paramLabel = "TABLE",
            description = "Default BRONZE_DEAD_LETTER. Env BRONZE_DEAD_LETTER_TABLE; config dead.letter.table.")
    String deadLetterTable;

    @Option(
            names = "--ledger-table",
            paramLabel = "TABLE",
            description = "Default BRONZE_INGESTION_LOG. Env BRONZE_LEDGER_TABLE; config ledger.table.")
    String ledgerTable;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "How long to wait for Kafka per request, e.g. 10s; default 10s. Env BRONZE_TIMEOUT.")
    String timeout;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A properties file: bootstrap.servers, jdbc.url, jdbc.user, jdbc.password, group, schema, "
                    + "dead.letter.table, ledger.table, snowflake.private.key.file, snowflake.private.key.passphrase, "
                    + "and kafka.* client properties (e.g. kafka.security.protocol); or the bronze.* file of "
                    + "'bronze ingest' (bronze.bootstrap-servers, bronze.warehouse.url, ...). Env BRONZE_CONFIG.")
    Path config;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print the settings used (passwords masked) and stack traces of errors.")
    boolean verbose;

    /** Resolves every setting against {@code env} (the process environment, or a map in tests). */
    Settings resolve(Map<String, String> env) {
        Properties file = new Properties();
        Path configFile =
                config != null ? config : env.get("BRONZE_CONFIG") == null ? null : Path.of(env.get("BRONZE_CONFIG"));
        if (configFile != null) {
            if (!Files.isReadable(configFile)) {
                throw CliException.usage("cannot read config file " + configFile + ": check the path given to --config "
                        + "or BRONZE_CONFIG");
            }
            try (Reader r = Files.newBufferedReader(configFile)) {
                file.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw CliException.usage("cannot read config file " + configFile + ": " + e.getMessage());
            }
        }
        fromBronzeKeys(file);
        Map<String, Object> kafka = new LinkedHashMap<>();
        for (String name : file.stringPropertyNames()) {
            if (name.startsWith("kafka.")) {
                kafka.put(
                        name.substring("kafka.".length()),
                        file.getProperty(name).trim());
            }
        }
        String password = jdbcPassword != null
                ? new String(jdbcPassword)
                : pick(null, env, "BRONZE_JDBC_PASSWORD", file, "jdbc.password");
        String timeoutText = pick(timeout, env, "BRONZE_TIMEOUT", file, "timeout");
        Duration kafkaTimeout =
                timeoutText == null ? Settings.DEFAULT_TIMEOUT : Durations.parse(timeoutText, "--timeout");
        return new Settings(
                pick(bootstrapServers, env, "BRONZE_BOOTSTRAP_SERVERS", file, "bootstrap.servers"),
                pick(jdbcUrl, env, "BRONZE_JDBC_URL", file, "jdbc.url"),
                pick(jdbcUser, env, "BRONZE_JDBC_USER", file, "jdbc.user"),
                password,
                pick(null, env, "BRONZE_GROUP", file, "group"),
                pick(schema, env, "BRONZE_SCHEMA", file, "schema"),
                orDefault(
                        pick(deadLetterTable, env, "BRONZE_DEAD_LETTER_TABLE", file, "dead.letter.table"),
                        Settings.DEFAULT_DEAD_LETTER_TABLE),
                orDefault(
                        pick(ledgerTable, env, "BRONZE_LEDGER_TABLE", file, "ledger.table"),
                        Settings.DEFAULT_LEDGER_TABLE),
                kafkaTimeout,
                kafka,
                configFile,
                verbose,
                snowflakeKey(env, file),
                ingestConfig(file, env, configFile));
    }

    /**
     * The whole {@code bronze.*} configuration when the file is one of {@code bronze ingest} (it names
     * {@code bronze.topics}), with the environment's {@code BRONZE_*} keys over it; null otherwise.
     */
    private static BronzeConfig ingestConfig(Properties file, Map<String, String> env, Path configFile) {
        if (file.getProperty("bronze.topics") == null) {
            return null;
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String name : file.stringPropertyNames()) {
            if (name.startsWith("bronze.")) {
                keys.put(name, file.getProperty(name));
            }
        }
        keys.putAll(BronzeConfig.environment(env));
        try {
            return BronzeConfig.from(keys);
        } catch (BronzeConfigException e) {
            throw CliException.usage("config file " + configFile + ": " + e.getMessage());
        }
    }

    /** The CLI's own key for each {@code bronze.*} key it understands (so one bronze.properties serves ingest and CLI). */
    private static final Map<String, String> BRONZE_KEYS = Map.ofEntries(
            Map.entry("bronze.bootstrap-servers", "bootstrap.servers"),
            Map.entry("bronze.group", "group"),
            Map.entry("bronze.warehouse.url", "jdbc.url"),
            Map.entry("bronze.warehouse.user", "jdbc.user"),
            Map.entry("bronze.warehouse.password", "jdbc.password"),
            Map.entry("bronze.warehouse.schema", "schema"),
            Map.entry("bronze.dead-letter.table", "dead.letter.table"),
            Map.entry("bronze.warehouse.ledger-table", "ledger.table"),
            Map.entry("bronze.warehouse.private-key-file", "snowflake.private.key.file"),
            Map.entry("bronze.warehouse.private-key", "snowflake.private.key"),
            Map.entry("bronze.warehouse.private-key-passphrase", "snowflake.private.key.passphrase"));

    /**
     * Lets a {@code bronze ingest} file ({@code bronze.*} keys) serve the other commands too: each {@code bronze.*} key
     * fills the CLI key it corresponds to when that is not set, {@code bronze.kafka.*} fills {@code kafka.*}, and a
     * Snowflake account becomes a {@code jdbc:snowflake:} URL.
     */
    static void fromBronzeKeys(Properties file) {
        for (String name : file.stringPropertyNames()) {
            String cliKey = BRONZE_KEYS.get(name);
            if (cliKey == null && name.startsWith("bronze.kafka.")) {
                cliKey = "kafka." + name.substring("bronze.kafka.".length());
            }
            if (cliKey != null && file.getProperty(cliKey) == null) {
                file.setProperty(cliKey, file.getProperty(name));
            }
        }
        String account = file.getProperty("bronze.warehouse.account");
        if (account != null && file.getProperty("jdbc.url") == null) {
            String host = file.getProperty("bronze.warehouse.host", account.trim() + ".snowflakecomputing.com");
            StringBuilder url = new StringBuilder("jdbc:snowflake://").append(host.trim());
            if (file.getProperty("bronze.warehouse.port") != null) {
                url.append(':').append(file.getProperty("bronze.warehouse.port").trim());
            }
            url.append("/?account=").append(account.trim());
            for (String[] p : new String[][] {
                {"db", "bronze.warehouse.database"},
                {"schema", "bronze.warehouse.schema"},
                {"warehouse", "bronze.warehouse.compute-warehouse"},
                {"role", "bronze.warehouse.role"}
            }) {
                if (file.getProperty(p[1]) != null) {
                    url.append('&')
                            .append(p[0])
                            .append('=')
                            .append(file.getProperty(p[1]).trim());
                }
            }
            if ("false"
                    .equalsIgnoreCase(String.valueOf(file.getProperty("bronze.warehouse.ssl"))
                            .trim())) {
                url.append("&ssl=off");
            }
            file.setProperty("jdbc.url", url.toString());
        }
    }

    private Settings.SnowflakeKey snowflakeKey(Map<String, String> env, Properties file) {
        String keyFile = pick(
                privateKeyFile == null ? null : privateKeyFile.toString(),
                env,
                "BRONZE_SNOWFLAKE_PRIVATE_KEY_FILE",
                file,
                "snowflake.private.key.file");
        String pem = pick(null, env, "BRONZE_SNOWFLAKE_PRIVATE_KEY", file, "snowflake.private.key");
        if (pem != null && pem.indexOf('\n') < 0) {
            // Secret stores and .env files often hold the PEM on one line with literal \n separators.
            pem = pem.replace("\\n", "\n");
        }
        String passphrase = privateKeyPassphrase != null
                ? new String(privateKeyPassphrase)
                : pick(null, env, "BRONZE_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", file, "snowflake.private.key.passphrase");
        return new Settings.SnowflakeKey(keyFile == null ? null : Path.of(keyFile), pem, passphrase);
    }

    private static String pick(String flag, Map<String, String> env, String envName, Properties file, String key) {
        if (flag != null && !flag.isBlank()) {
            return flag.trim();
        }
        String e = env.get(envName);
        if (e != null && !e.isBlank()) {
            return e.trim();
        }
        String f = file.getProperty(key);
        return f == null || f.isBlank() ? null : f.trim();
    }

    private static String orDefault(String v, String def) {
        return v == null ? def : v;
    }
}
