package io.flowguard.bronze.config;

// Size note: over 400 lines because the one table of bronze.* keys (each with its default, unit and check) reads best
// in one place; parsing helpers are kept beside the keys they serve.

import static io.flowguard.bronze.config.BronzeKeys.*;

import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.config.internal.Values;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.RetryPolicy;
import io.flowguard.bronze.core.Secrets;
import io.flowguard.bronze.core.TombstonePolicy;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TypedColumn;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The {@code bronze.*} configuration of one Bronze pipeline: Kafka source, batching, retries, table routing, typed
 * columns, warehouse, credentials and dead-letter target, read from a flat key map (a {@code .properties} file, the
 * environment, Spring's flattened YAML or Kafka Connect's connector config). Every key, its default and unit is in
 * {@code docs/configuration.md} and in {@link BronzeKeys#all()}.
 *
 * <pre>{@code
 * BronzeConfig config = BronzeConfig.load(Path.of("bronze.properties"), System.getenv());
 * try (BronzeWarehouse warehouse = config.openWarehouse();
 *      IngestionEngine engine = warehouse.engineBuilder().meterRegistry(registry).start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Validation.</b> {@link #from(Map)} checks every key and throws one {@link BronzeConfigException} listing every
 * problem, each naming the key and the fix. Keys outside {@code bronze.*} are ignored (a host's map holds its own keys);
 * an unknown {@code bronze.*} key is an error, with a "did you mean" when a known key is close.
 *
 * <p><b>Secrets.</b> Passwords, private keys and passphrases (and every {@code bronze.kafka.*} property that
 * {@link Secrets#isSecretKey} calls secret) never appear in {@link #toString()} or in a validation message.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class BronzeConfig {
    /** Consumer properties the engine sets from its own keys; {@code bronze.kafka.*} may not set them. */
    private static final Map<String, String> OWNED_CONSUMER_PROPERTIES =
            Map.of("bootstrap.servers", BOOTSTRAP_SERVERS, "group.id", GROUP);
    /** Consumer properties that also configure a Kafka dead-letter producer (same cluster, same credentials). */
    private static final List<String> SHARED_CLIENT_PREFIXES = List.of("security.", "ssl.", "sasl.");

    private final Map<String, String> raw;
    private final String bootstrapServers;
    private final String groupId;
    private final List<String> topics;
    private final String name;
    /** Null when the key is unset: the engine then takes the sink's recommended limit, else its default. */
    private final Integer maxBatchRecords;

    private final Long maxBatchBytes;
    private final Duration maxBatchWait;
    private final Boolean flushWhenIdle;
    private final Duration pollTimeout;
    private final int maxRecordBytes;
    private final TombstonePolicy tombstonePolicy;
    private final String idempotencyField;
    private final RetryPolicy retryPolicy;
    private final Duration closeTimeout;
    private final Duration revocationTimeout;
    private final long lagThreshold;
    private final double deadLetterRateThreshold;
    private final Duration lagRefreshInterval;
    private final Map<String, String> tables;
    private final Map<String, List<TypedColumn>> typedColumns;
    private final Map<String, String> kafkaProperties;
    private final WarehouseSettings warehouse;
    private final DeadLetterSettings deadLetter;
    private final int httpPort;
    private final String httpHost;

    private BronzeConfig(Map<String, String> raw, Set<String> hostKeys) {
        this.raw = raw;
        Values v = new Values(raw);
        checkKeys(raw, hostKeys, v);
        bootstrapServers = v.required(BOOTSTRAP_SERVERS, "kafka:9092");
        groupId = v.required(GROUP, "bronze-orders");
        topics = v.list(TOPICS);
        if (topics.isEmpty()) {
            v.problem(TOPICS, "is required: the topics to consume, comma-separated, e.g. " + TOPICS + "=orders,clicks");
        }
        name = v.text(NAME);
        // Unset stays unset (null), so that a sink's recommended batch limits are not overridden by generic defaults.
        maxBatchRecords = v.text(BATCH_MAX_RECORDS) == null
                ? null
                : v.intAtLeast(BATCH_MAX_RECORDS, EngineConfig.DEFAULT_MAX_BATCH_RECORDS, 1);
        maxBatchBytes = v.text(BATCH_MAX_BYTES) == null
                ? null
                : v.bytes(BATCH_MAX_BYTES, EngineConfig.DEFAULT_MAX_BATCH_BYTES, 1);
        maxBatchWait =
                v.text(BATCH_MAX_WAIT) == null ? null : v.duration(BATCH_MAX_WAIT, EngineConfig.DEFAULT_MAX_BATCH_WAIT);
        flushWhenIdle = v.text(BATCH_FLUSH_WHEN_IDLE) == null
                ? null
                : v.bool(BATCH_FLUSH_WHEN_IDLE, EngineConfig.DEFAULT_FLUSH_WHEN_IDLE);
        pollTimeout = v.duration(POLL_TIMEOUT, EngineConfig.DEFAULT_POLL_TIMEOUT);
        maxRecordBytes =
                (int) Math.min(Integer.MAX_VALUE, v.bytes(MAX_RECORD_BYTES, EngineConfig.DEFAULT_MAX_RECORD_BYTES, 1));
        tombstonePolicy = v.choice(
                TOMBSTONES,
                TombstonePolicy.class,
                TombstonePolicy.SKIP,
                p -> p.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        idempotencyField = v.text(IDEMPOTENCY_PAYLOAD_FIELD);
        retryPolicy = retryPolicy(v);
        closeTimeout = v.duration(CLOSE_TIMEOUT, EngineConfig.DEFAULT_CLOSE_TIMEOUT);
        revocationTimeout = v.duration(REVOCATION_TIMEOUT, EngineConfig.DEFAULT_REVOCATION_TIMEOUT);
        lagThreshold = v.longAtLeast(HEALTH_LAG_THRESHOLD, EngineConfig.DEFAULT_LAG_THRESHOLD, 1);
        deadLetterRateThreshold =
                v.decimal(HEALTH_DEAD_LETTER_RATE, EngineConfig.DEFAULT_DEAD_LETTER_RATE_THRESHOLD, 0, 1);
        lagRefreshInterval = v.duration(HEALTH_LAG_REFRESH, EngineConfig.DEFAULT_LAG_REFRESH_INTERVAL);
        tables = tables(raw, v);
        typedColumns = typedColumns(raw, v);
        kafkaProperties = Values.below(raw, KAFKA);
        kafkaProperties.forEach((k, val) -> {
            if (OWNED_CONSUMER_PROPERTIES.containsKey(k)) {
                v.problem(
                        "bronze.kafka." + k,
                        "is set from " + OWNED_CONSUMER_PROPERTIES.get(k) + "; use that key instead");
            }
        });
        warehouse = new WarehouseSettings(v);
        deadLetter = new DeadLetterSettings(v, maxRecordBytes);
        httpPort = v.intAtLeast(HTTP_PORT, 8080, 0);
        if (httpPort > 65_535) {
            v.problem(HTTP_PORT, "must be a port number 0..65535 (0 = any free port), but was " + httpPort);
        }
        httpHost = v.text(HTTP_HOST, "0.0.0.0");
        if (v.problems().isEmpty()) {
            // The engine's own setters check names, topics and consumer properties; report their verdicts by key.
            tryEngineBuilder(v);
        }
        if (!v.problems().isEmpty()) {
            throw new BronzeConfigException(v.problems());
        }
    }

    /**
     * Reads and validates {@code properties}; keys outside {@code bronze.*} are ignored.
     *
     * @throws BronzeConfigException listing every problem
     */
    public static BronzeConfig from(Map<String, String> properties) {
        return from(properties, Set.of());
    }

    /**
     * As {@link #from(Map)}, also accepting {@code hostKeys}: {@code bronze.*} keys that the host (a Spring starter, a
     * connector) reads itself, such as {@code bronze.enabled}. They are accepted and otherwise ignored here.
     */
    public static BronzeConfig from(Map<String, String> properties, Set<String> hostKeys) {
        Objects.requireNonNull(properties, "properties must not be null");
        Map<String, String> raw = new TreeMap<>();
        properties.forEach((k, val) -> {
            if (k != null && k.startsWith("bronze.") && val != null) {
                raw.put(k, val);
            }
        });
        return new BronzeConfig(Collections.unmodifiableMap(raw), Set.copyOf(hostKeys));
    }

    /**
     * Reads a {@code .properties} file, then lets {@code environment} override it ({@link #environment(Map)}; pass
     * {@code System.getenv()} or {@code Map.of()}).
     *
     * @throws BronzeConfigException when the file cannot be read, naming it, or listing every invalid key
     */
    public static BronzeConfig load(Path propertiesFile, Map<String, String> environment) {
        Map<String, String> merged = new LinkedHashMap<>(readProperties(propertiesFile));
        merged.putAll(environment(environment));
        return from(merged);
    }

    /** The entries of a {@code .properties} file. @throws BronzeConfigException when it cannot be read */
    public static Map<String, String> readProperties(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        if (!Files.isReadable(file)) {
            throw new BronzeConfigException(
                    List.of("config file " + file.toAbsolutePath() + " cannot be read: check the path"));
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new BronzeConfigException(
                    List.of("config file " + file + " is not a valid properties file: " + e.getMessage()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            out.put(k, p.getProperty(k));
        }
        return out;
    }

    /**
     * The {@code bronze.*} keys set by environment variables: each key's variable is its name upper-cased with
     * {@code .} and {@code -} as {@code _} ({@code BRONZE_WAREHOUSE_PASSWORD} → {@code bronze.warehouse.password});
     * {@code BRONZE_KAFKA_SASL_JAAS_CONFIG} → {@code bronze.kafka.sasl.jaas.config} (Kafka property names use dots).
     * Other variables, including other {@code BRONZE_*} ones, are ignored. Table routing and typed columns are not
     * read from the environment.
     */
    public static Map<String, String> environment(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        Map<String, String> byVariable = new LinkedHashMap<>();
        for (ConfigKey key : BronzeKeys.all()) {
            if (!key.isPrefix()) {
                byVariable.put(key.environmentVariable(), key.name());
            }
        }
        env.forEach((variable, value) -> {
            if (value == null) {
                return;
            }
            String key = byVariable.get(variable);
            if (key != null) {
                out.put(key, value);
            } else if (variable.startsWith("BRONZE_DEAD_LETTER_KAFKA_") && variable.length() > 25) {
                out.put(
                        "bronze.dead-letter.kafka."
                                + variable.substring(25)
                                        .toLowerCase(Locale.ROOT)
                                        .replace('_', '.'),
                        value);
            } else if (variable.startsWith("BRONZE_KAFKA_") && variable.length() > 13) {
                out.put(
                        "bronze.kafka."
                                + variable.substring(13)
                                        .toLowerCase(Locale.ROOT)
                                        .replace('_', '.'),
                        value);
            }
        });
        return out;
    }

    /**
     * A new engine builder with every engine setting of this configuration: brokers, group, topics, name, batching,
     * retries, tombstones, idempotency key, health thresholds and consumer properties. The sink and dead-letter sink
     * come from {@link BronzeWarehouse#engineBuilder()} or are set by the caller; so are the meter registry and
     * listener.
     */
    public IngestionEngine.Builder engineBuilder() {
        IngestionEngine.Builder b = IngestionEngine.builder()
                .bootstrapServers(bootstrapServers)
                .groupId(groupId)
                .topics(topics)
                .pollTimeout(pollTimeout)
                .maxRecordBytes(maxRecordBytes)
                .maxDeadLetterPayloadBytes(deadLetter.maxPayloadBytes())
                .tombstonePolicy(tombstonePolicy)
                .retryPolicy(retryPolicy)
                .closeTimeout(closeTimeout)
                .revocationTimeout(revocationTimeout)
                .lagThreshold(lagThreshold)
                .deadLetterRateThreshold(deadLetterRateThreshold)
                .lagRefreshInterval(lagRefreshInterval)
                .consumerProperties(kafkaProperties);
        if (name != null) {
            b.name(name);
        }
        if (maxBatchRecords != null) {
            b.maxBatchRecords(maxBatchRecords);
        }
        if (maxBatchBytes != null) {
            b.maxBatchBytes(maxBatchBytes);
        }
        if (maxBatchWait != null) {
            b.maxBatchWait(maxBatchWait);
        }
        if (flushWhenIdle != null) {
            b.flushWhenIdle(flushWhenIdle);
        }
        if (idempotencyField != null) {
            b.idempotencyKey(IdempotencyKey.payloadField(idempotencyField));
        }
        return b;
    }

    /** Opens the warehouse with a DataSource made from {@code bronze.warehouse.*}; the result owns and closes it. */
    public BronzeWarehouse openWarehouse() {
        return BronzeWarehouse.open(this, null);
    }

    /**
     * Opens the warehouse over {@code dataSource} (e.g. a Spring application's pool); connection keys such as
     * {@code bronze.warehouse.url} are then not needed. The DataSource stays the caller's to close.
     */
    public BronzeWarehouse openWarehouse(DataSource dataSource) {
        return BronzeWarehouse.open(this, Objects.requireNonNull(dataSource, "dataSource must not be null"));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String groupId() {
        return groupId;
    }

    public List<String> topics() {
        return topics;
    }
    /** The engine name: {@code bronze.name}, else the group. */
    public String engineName() {
        return name != null ? name : groupId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * {@code bronze.batch.max-records}, or empty when the key is not set: the engine then takes the sink's
     * {@link io.flowguard.bronze.api.BronzeSink#recommendedBatchLimits() recommended} limit (Snowflake: 10,000), else
     * {@link EngineConfig#DEFAULT_MAX_BATCH_RECORDS}.
     */
    public OptionalInt maxBatchRecords() {
        return maxBatchRecords == null ? OptionalInt.empty() : OptionalInt.of(maxBatchRecords);
    }

    /** {@code bronze.batch.max-bytes} in bytes, or empty when not set (then as {@link #maxBatchRecords()}). */
    public OptionalLong maxBatchBytes() {
        return maxBatchBytes == null ? OptionalLong.empty() : OptionalLong.of(maxBatchBytes);
    }

    /** {@code bronze.batch.max-wait}, or empty when not set (then as {@link #maxBatchRecords()}). */
    public Optional<Duration> maxBatchWait() {
        return Optional.ofNullable(maxBatchWait);
    }

    /**
     * {@code bronze.batch.flush-when-idle}, or empty when not set (then the sink's recommendation, else
     * {@link EngineConfig#DEFAULT_FLUSH_WHEN_IDLE}).
     *
     * @since 0.2.0
     */
    public Optional<Boolean> flushWhenIdle() {
        return Optional.ofNullable(flushWhenIdle);
    }

    public TombstonePolicy tombstonePolicy() {
        return tombstonePolicy;
    }
    /** The idempotency key: {@code payloadField(bronze.idempotency.payload-field)}, else topic-partition-offset. */
    public IdempotencyKey idempotencyKey() {
        return idempotencyField != null
                ? IdempotencyKey.payloadField(idempotencyField)
                : IdempotencyKey.topicPartitionOffset();
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }
    /** Topic → table, from {@code bronze.tables.*}; unlisted topics use {@link TableRouter#fromTopicName()}. */
    public Map<String, String> tables() {
        return tables;
    }
    /** The table router of the sinks: {@link #tables()} over the default naming. */
    public TableRouter tableRouter() {
        return TableRouter.explicit(tables);
    }
    /** Table → typed columns, from {@code bronze.typed-columns.*}. */
    public Map<String, List<TypedColumn>> typedColumns() {
        return typedColumns;
    }
    /** Kafka consumer properties from {@code bronze.kafka.*} (secret values included: do not print). */
    public Map<String, String> kafkaProperties() {
        return kafkaProperties;
    }

    public WarehouseSettings warehouse() {
        return warehouse;
    }

    public DeadLetterSettings deadLetter() {
        return deadLetter;
    }
    /** {@code bronze.http.port}: the port of {@code bronze ingest}'s HTTP server; 0 = any free port. */
    public int httpPort() {
        return httpPort;
    }
    /** {@code bronze.http.host}: the address {@code bronze ingest}'s HTTP server binds to. */
    public String httpHost() {
        return httpHost;
    }

    /** Every {@code bronze.*} entry given, secrets masked, in key order. */
    public Map<String, String> masked() {
        Map<String, String> out = new TreeMap<>();
        raw.forEach((k, val) -> out.put(k, mask(k, val)));
        return out;
    }

    @Override
    public String toString() {
        return "BronzeConfig" + masked();
    }

    static String mask(String key, String value) {
        return Secrets.isSecretKey(key) ? Secrets.MASK : Secrets.maskUrl(value);
    }

    // ---- parsing ----

    private static void checkKeys(Map<String, String> raw, Set<String> hostKeys, Values v) {
        List<String> plain = new ArrayList<>(hostKeys);
        for (ConfigKey k : BronzeKeys.all()) {
            plain.add(k.isPrefix() ? k.prefix() + "<name>" : k.name());
        }
        for (String key : raw.keySet()) {
            if (hostKeys.contains(key) || BronzeKeys.all().stream().anyMatch(k -> k.matches(key))) {
                continue;
            }
            String close = Values.closest(key, plain);
            v.problem(
                    key,
                    "is not a Bronze setting"
                            + (close != null
                                    ? "; did you mean " + close + "?"
                                    : "; see docs/configuration.md for the keys"));
        }
    }

    private static RetryPolicy retryPolicy(Values v) {
        int attempts = v.intAtLeast(RETRY_MAX_ATTEMPTS, RetryPolicy.DEFAULT_MAX_ATTEMPTS, 1);
        Duration initial = v.duration(RETRY_INITIAL_BACKOFF, RetryPolicy.DEFAULT_INITIAL_BACKOFF);
        Duration max = v.duration(RETRY_MAX_BACKOFF, RetryPolicy.DEFAULT_MAX_BACKOFF);
        double multiplier = v.decimal(RETRY_MULTIPLIER, RetryPolicy.DEFAULT_MULTIPLIER, 1.0, 100.0);
        Duration budget = v.duration(RETRY_MAX_DURATION, RetryPolicy.DEFAULT_MAX_RETRY_DURATION);
        if (max.compareTo(initial) < 0) {
            v.problem(RETRY_MAX_BACKOFF, "(" + max + ") must be >= " + RETRY_INITIAL_BACKOFF + " (" + initial + ")");
            return RetryPolicy.defaults();
        }
        try {
            return RetryPolicy.builder()
                    .maxAttempts(attempts)
                    .initialBackoff(initial)
                    .maxBackoff(max)
                    .multiplier(multiplier)
                    .maxRetryDuration(budget)
                    .build();
        } catch (IllegalArgumentException e) {
            v.problem("bronze.retry", e.getMessage());
            return RetryPolicy.defaults();
        }
    }

    private Map<String, String> tables(Map<String, String> raw, Values v) {
        Map<String, String> out = new LinkedHashMap<>();
        Values.below(raw, TABLES).forEach((topic, table) -> {
            String key = "bronze.tables." + topic;
            try {
                out.put(topic, TableRouter.requireValidTableName(table.trim()));
            } catch (IllegalArgumentException e) {
                v.problem(key, e.getMessage());
            }
            if (!topics.isEmpty() && !topics.contains(topic)) {
                String close = Values.closest(topic, topics);
                v.problem(
                        key,
                        "routes topic '" + topic + "', which is not in " + TOPICS + " " + topics
                                + (close != null
                                        ? "; did you mean bronze.tables." + close + "?"
                                        : "; add it there or remove this key"));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, List<TypedColumn>> typedColumns(Map<String, String> raw, Values v) {
        Map<String, List<TypedColumn>> out = new LinkedHashMap<>();
        Values.below(raw, TYPED_COLUMNS).forEach((table, spec) -> {
            String key = "bronze.typed-columns." + table;
            try {
                TableRouter.requireValidTableName(table);
            } catch (IllegalArgumentException e) {
                v.problem(key, e.getMessage());
                return;
            }
            List<TypedColumn> columns = new ArrayList<>();
            for (String part : spec.split(",")) {
                String item = part.trim();
                if (item.isEmpty()) {
                    continue;
                }
                String[] f = item.split(":", -1);
                if (f.length != 3) {
                    v.problem(
                            key,
                            "each column must read COLUMN:json.path:TYPE (e.g. ORDER_ID:order_id:VARCHAR), but was '"
                                    + item + "'");
                    continue;
                }
                SqlType type;
                try {
                    type = SqlType.valueOf(f[2].trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    v.problem(
                            key,
                            "type of column " + f[0].trim() + " must be one of " + Arrays.toString(SqlType.values())
                                    + ", but was '" + f[2].trim() + "'");
                    continue;
                }
                try {
                    columns.add(TypedColumn.of(f[0].trim(), f[1].trim(), type));
                } catch (IllegalArgumentException e) {
                    v.problem(key, e.getMessage());
                }
            }
            out.put(table, List.copyOf(columns));
        });
        return Collections.unmodifiableMap(out);
    }

    private void tryEngineBuilder(Values v) {
        IngestionEngine.Builder b = IngestionEngine.builder();
        attempt(v, BOOTSTRAP_SERVERS, () -> b.bootstrapServers(bootstrapServers));
        attempt(v, GROUP, () -> b.groupId(groupId));
        attempt(v, TOPICS, () -> b.topics(topics));
        if (name != null) {
            attempt(v, NAME, () -> b.name(name));
        }
        if (idempotencyField != null) {
            attempt(
                    v,
                    IDEMPOTENCY_PAYLOAD_FIELD,
                    () -> b.idempotencyKey(IdempotencyKey.payloadField(idempotencyField)));
        }
        kafkaProperties.forEach((k, val) -> attempt(v, "bronze.kafka." + k, () -> b.consumerProperty(k, val)));
    }

    private static void attempt(Values v, String key, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            v.problem(key, e.getMessage());
        }
    }

    /** Kafka consumer properties that also configure a dead-letter producer on the same cluster. */
    Map<String, Object> sharedClientProperties() {
        Map<String, Object> out = new LinkedHashMap<>();
        kafkaProperties.forEach((k, val) -> {
            if (SHARED_CLIENT_PREFIXES.stream().anyMatch(k::startsWith)) {
                out.put(k, val);
            }
        });
        return out;
    }
}
