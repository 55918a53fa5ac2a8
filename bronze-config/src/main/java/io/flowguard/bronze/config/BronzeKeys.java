package io.flowguard.bronze.config;

import io.flowguard.bronze.core.EngineConfig;
import java.util.List;

/**
 * Every {@code bronze.*} key: names as constants, and {@link #all()} as the catalogue that validation, environment
 * mapping and the reference table in {@code docs/configuration.md} are checked against.
 *
 * @since 0.2.0
 */
public final class BronzeKeys {
    public static final String BOOTSTRAP_SERVERS = "bronze.bootstrap-servers";
    public static final String GROUP = "bronze.group";
    public static final String TOPICS = "bronze.topics";
    public static final String NAME = "bronze.name";
    public static final String BATCH_MAX_RECORDS = "bronze.batch.max-records";
    public static final String BATCH_MAX_BYTES = "bronze.batch.max-bytes";
    public static final String BATCH_MAX_WAIT = "bronze.batch.max-wait";
    public static final String BATCH_FLUSH_WHEN_IDLE = "bronze.batch.flush-when-idle";
    public static final String POLL_TIMEOUT = "bronze.poll-timeout";
    public static final String MAX_RECORD_BYTES = "bronze.max-record-bytes";
    public static final String TOMBSTONES = "bronze.tombstones";
    public static final String IDEMPOTENCY_PAYLOAD_FIELD = "bronze.idempotency.payload-field";
    public static final String RETRY_MAX_ATTEMPTS = "bronze.retry.max-attempts";
    public static final String RETRY_INITIAL_BACKOFF = "bronze.retry.initial-backoff";
    public static final String RETRY_MAX_BACKOFF = "bronze.retry.max-backoff";
    public static final String RETRY_MULTIPLIER = "bronze.retry.multiplier";
    public static final String RETRY_MAX_DURATION = "bronze.retry.max-duration";
    public static final String CLOSE_TIMEOUT = "bronze.close-timeout";
    public static final String REVOCATION_TIMEOUT = "bronze.revocation-timeout";
    public static final String HEALTH_LAG_THRESHOLD = "bronze.health.lag-threshold";
    public static final String HEALTH_DEAD_LETTER_RATE = "bronze.health.dead-letter-rate-threshold";
    public static final String HEALTH_LAG_REFRESH = "bronze.health.lag-refresh-interval";
    /** Prefix: {@code bronze.tables.<topic>=TABLE}. */
    public static final String TABLES = "bronze.tables.*";
    /** Prefix: {@code bronze.typed-columns.<table>=COLUMN:json.path:TYPE, ...}. */
    public static final String TYPED_COLUMNS = "bronze.typed-columns.*";
    /** Prefix: {@code bronze.kafka.<consumer property>=value}. */
    public static final String KAFKA = "bronze.kafka.*";

    public static final String WAREHOUSE_TYPE = "bronze.warehouse.type";
    public static final String WAREHOUSE_URL = "bronze.warehouse.url";
    public static final String WAREHOUSE_USER = "bronze.warehouse.user";
    public static final String WAREHOUSE_PASSWORD = "bronze.warehouse.password";
    public static final String WAREHOUSE_SCHEMA = "bronze.warehouse.schema";
    public static final String WAREHOUSE_CREATE_TABLES = "bronze.warehouse.create-tables";
    public static final String WAREHOUSE_LEDGER = "bronze.warehouse.ledger";
    public static final String WAREHOUSE_LEDGER_TABLE = "bronze.warehouse.ledger-table";
    /** {@code jsonb} (default) or {@code json}: the PostgreSQL type of the JSON columns the sink creates. */
    public static final String WAREHOUSE_JSON_TYPE = "bronze.warehouse.json-type";

    public static final String WAREHOUSE_ACCOUNT = "bronze.warehouse.account";
    public static final String WAREHOUSE_HOST = "bronze.warehouse.host";
    public static final String WAREHOUSE_PORT = "bronze.warehouse.port";
    public static final String WAREHOUSE_SSL = "bronze.warehouse.ssl";
    public static final String WAREHOUSE_DATABASE = "bronze.warehouse.database";
    public static final String WAREHOUSE_ROLE = "bronze.warehouse.role";
    public static final String WAREHOUSE_COMPUTE = "bronze.warehouse.compute-warehouse";
    public static final String WAREHOUSE_PRIVATE_KEY = "bronze.warehouse.private-key";
    public static final String WAREHOUSE_PRIVATE_KEY_FILE = "bronze.warehouse.private-key-file";
    public static final String WAREHOUSE_PRIVATE_KEY_PASSPHRASE = "bronze.warehouse.private-key-passphrase";
    /** Prefix: {@code bronze.warehouse.driver.<JDBC driver property>=value} (PostgreSQL, Snowflake). */
    public static final String WAREHOUSE_DRIVER = "bronze.warehouse.driver.*";

    public static final String DEAD_LETTER_TYPE = "bronze.dead-letter.type";
    public static final String DEAD_LETTER_TABLE = "bronze.dead-letter.table";
    public static final String DEAD_LETTER_TOPIC = "bronze.dead-letter.topic";
    public static final String DEAD_LETTER_BOOTSTRAP_SERVERS = "bronze.dead-letter.bootstrap-servers";
    public static final String DEAD_LETTER_SEND_TIMEOUT = "bronze.dead-letter.send-timeout";
    public static final String DEAD_LETTER_MAX_PAYLOAD_BYTES = "bronze.dead-letter.max-payload-bytes";
    /** Prefix: {@code bronze.dead-letter.kafka.<producer property>=value}. */
    public static final String DEAD_LETTER_KAFKA = "bronze.dead-letter.kafka.*";

    public static final String HTTP_PORT = "bronze.http.port";
    public static final String HTTP_HOST = "bronze.http.host";

    private static final List<ConfigKey> ALL = List.of(
            new ConfigKey(BOOTSTRAP_SERVERS, null, "host:port,...", "Kafka brokers (required)."),
            new ConfigKey(
                    GROUP, null, "string", "Consumer group; engines in one group share the partitions (required)."),
            new ConfigKey(TOPICS, null, "comma-separated topics", "Topics to consume (required)."),
            new ConfigKey(
                    NAME,
                    "the group",
                    "[A-Za-z0-9._-]+",
                    "Engine name in logs, thread names, the `engine` meter tag and the ledger."),
            new ConfigKey(
                    BATCH_MAX_RECORDS,
                    String.valueOf(EngineConfig.DEFAULT_MAX_BATCH_RECORDS),
                    "records",
                    "A batch flushes at this many records ..."),
            new ConfigKey(
                    BATCH_MAX_BYTES,
                    "5MiB",
                    "bytes (`B`, `KiB`, `MiB`, `GiB`, `KB`, `MB`, `GB`)",
                    "... or this many bytes (key + value) ..."),
            new ConfigKey(
                    BATCH_MAX_WAIT,
                    EngineConfig.DEFAULT_MAX_BATCH_WAIT.toMillis() + "ms",
                    "duration (`500ms`, `5s`, `2m`, `PT5S`)",
                    "... or when its first record has waited this long."),
            new ConfigKey(
                    BATCH_FLUSH_WHEN_IDLE,
                    String.valueOf(EngineConfig.DEFAULT_FLUSH_WHEN_IDLE),
                    "`true`, `false`",
                    "... or, when `true`, as soon as the writer is idle: batches grow only while a write is in progress."),
            new ConfigKey(POLL_TIMEOUT, "100ms", "duration", "Longest single poll."),
            new ConfigKey(
                    MAX_RECORD_BYTES, "4MiB", "bytes", "Larger values are dead-lettered with stage `SIZE_LIMIT`."),
            new ConfigKey(
                    TOMBSTONES,
                    "skip",
                    "`skip`, `dead-letter`, `land`",
                    "Null or empty values: skip and count, dead-letter, or land with a null `RAW_EVENT`."),
            new ConfigKey(
                    IDEMPOTENCY_PAYLOAD_FIELD,
                    "(none: topic-partition-offset)",
                    "dotted JSON path",
                    "Derive `INGESTION_ID` from this payload field instead of `topic-partition-offset`."),
            new ConfigKey(
                    RETRY_MAX_ATTEMPTS,
                    "10",
                    "attempts",
                    "Attempts per batch for transient write failures, first included."),
            new ConfigKey(RETRY_INITIAL_BACKOFF, "200ms", "duration", "Delay ceiling before the first retry."),
            new ConfigKey(RETRY_MAX_BACKOFF, "30s", "duration", "Cap of the delay ceiling."),
            new ConfigKey(RETRY_MULTIPLIER, "2.0", "factor", "Growth of the delay ceiling per retry."),
            new ConfigKey(
                    RETRY_MAX_DURATION,
                    "5m",
                    "duration",
                    "Retry budget per batch; when spent the engine goes `FAILED`."),
            new ConfigKey(CLOSE_TIMEOUT, "30s", "duration", "How long a shutdown may drain (flush, write, commit)."),
            new ConfigKey(
                    REVOCATION_TIMEOUT,
                    "30s",
                    "duration",
                    "How long a rebalance waits for revoked partitions' records to be written."),
            new ConfigKey(HEALTH_LAG_THRESHOLD, "10000", "records", "Health is `DEGRADED` above this lag."),
            new ConfigKey(
                    HEALTH_DEAD_LETTER_RATE,
                    "0.01",
                    "ratio 0..1",
                    "Health is `DEGRADED` when the recent dead-letter rate exceeds it."),
            new ConfigKey(HEALTH_LAG_REFRESH, "5s", "duration", "How often lag is re-read from the broker."),
            new ConfigKey(
                    TABLES,
                    "`ORDERS_RAW` for `orders`",
                    "`bronze.tables.<topic>=TABLE`",
                    "Table routing per topic; unlisted topics use the default naming."),
            new ConfigKey(
                    TYPED_COLUMNS,
                    "(none)",
                    "`bronze.typed-columns.<TABLE>=COLUMN:json.path:TYPE, ...`",
                    "Typed columns filled from the payload; TYPE is one of `VARCHAR`, `INTEGER`, `BIGINT`, `DOUBLE`, `BOOLEAN`, `TIMESTAMP`, `JSON`."),
            new ConfigKey(
                    KAFKA,
                    "(none)",
                    "`bronze.kafka.<consumer property>`",
                    "Passed to the Kafka consumer (`bronze.kafka.security.protocol=SASL_SSL`, `bronze.kafka.max.poll.records=500`); `security.*`, `ssl.*` and `sasl.*` also go to a Kafka dead-letter producer."),
            new ConfigKey(
                    WAREHOUSE_TYPE,
                    "from the URL",
                    "`postgres`, `duckdb`, `snowflake`",
                    "The warehouse; required unless `bronze.warehouse.url` names it."),
            new ConfigKey(
                    WAREHOUSE_URL,
                    null,
                    "JDBC URL",
                    "PostgreSQL or DuckDB: `jdbc:postgresql://host:5432/db`, `jdbc:duckdb:/path/bronze.db` (not needed when the host passes a DataSource)."),
            new ConfigKey(WAREHOUSE_USER, null, "string", "Login user (PostgreSQL, Snowflake)."),
            new ConfigKey(
                    WAREHOUSE_PASSWORD,
                    null,
                    "secret",
                    "Password (PostgreSQL; Snowflake password login). Never logged."),
            new ConfigKey(
                    WAREHOUSE_SCHEMA,
                    "the connection's schema",
                    "identifier",
                    "Schema of the Bronze, ledger and dead-letter tables."),
            new ConfigKey(
                    WAREHOUSE_CREATE_TABLES,
                    "true",
                    "boolean",
                    "Create missing Bronze, ledger and dead-letter tables."),
            new ConfigKey(
                    WAREHOUSE_LEDGER,
                    "true",
                    "boolean",
                    "Write the ingestion ledger (one row per partition per batch)."),
            new ConfigKey(WAREHOUSE_LEDGER_TABLE, "BRONZE_INGESTION_LOG", "table", "The ingestion ledger table."),
            new ConfigKey(
                    WAREHOUSE_JSON_TYPE,
                    "jsonb",
                    "`jsonb`, `json`",
                    "PostgreSQL only: the type of the JSON columns the sink creates (`RAW_EVENT`, `KAFKA_HEADERS`, typed"
                            + " JSON columns). `json` is validated on insert but kept as text: cheaper to write, no"
                            + " GIN index."),
            new ConfigKey(
                    WAREHOUSE_ACCOUNT,
                    null,
                    "account identifier",
                    "Snowflake account, e.g. `myorg-myaccount` (required for Snowflake without a DataSource)."),
            new ConfigKey(
                    WAREHOUSE_HOST,
                    "`<account>.snowflakecomputing.com`",
                    "host",
                    "Snowflake host override (private link, tests)."),
            new ConfigKey(WAREHOUSE_PORT, "443", "port", "Snowflake port."),
            new ConfigKey(WAREHOUSE_SSL, "true", "boolean", "Snowflake over HTTPS."),
            new ConfigKey(WAREHOUSE_DATABASE, null, "identifier", "Snowflake database."),
            new ConfigKey(WAREHOUSE_ROLE, null, "identifier", "Snowflake role."),
            new ConfigKey(WAREHOUSE_COMPUTE, null, "identifier", "Snowflake virtual warehouse that runs the MERGEs."),
            new ConfigKey(
                    WAREHOUSE_PRIVATE_KEY,
                    null,
                    "secret (PKCS#8 PEM text)",
                    "Snowflake key-pair login; `\\n` escapes are accepted. Never logged."),
            new ConfigKey(WAREHOUSE_PRIVATE_KEY_FILE, null, "path", "Snowflake key-pair login from a PEM file."),
            new ConfigKey(
                    WAREHOUSE_PRIVATE_KEY_PASSPHRASE,
                    null,
                    "secret",
                    "Passphrase of an encrypted private key. Never logged."),
            new ConfigKey(
                    WAREHOUSE_DRIVER,
                    "(none)",
                    "`bronze.warehouse.driver.<driver property>`",
                    "Extra JDBC driver properties for PostgreSQL (`bronze.warehouse.driver.sslmode=require`) and Snowflake (`bronze.warehouse.driver.proxyHost=...`); secret-looking ones are masked. DuckDB takes its options in the URL."),
            new ConfigKey(DEAD_LETTER_TYPE, "table", "`table`, `kafka`, `log`", "Where records that cannot land go."),
            new ConfigKey(DEAD_LETTER_TABLE, "BRONZE_DEAD_LETTER", "table", "Dead-letter table (type `table`)."),
            new ConfigKey(
                    DEAD_LETTER_TOPIC,
                    "`<topic>.dlq`",
                    "topic",
                    "One dead-letter topic for every source topic (type `kafka`)."),
            new ConfigKey(
                    DEAD_LETTER_BOOTSTRAP_SERVERS,
                    "`bronze.bootstrap-servers`",
                    "host:port,...",
                    "Brokers of the dead-letter producer (type `kafka`)."),
            new ConfigKey(
                    DEAD_LETTER_SEND_TIMEOUT,
                    "30s",
                    "duration",
                    "How long a dead-letter write waits for acknowledgements (type `kafka`)."),
            new ConfigKey(
                    DEAD_LETTER_MAX_PAYLOAD_BYTES,
                    "1MiB",
                    "bytes",
                    "Payload copied into a dead letter; longer ones are truncated. At most `bronze.max-record-bytes`."),
            new ConfigKey(
                    DEAD_LETTER_KAFKA,
                    "(none)",
                    "`bronze.dead-letter.kafka.<producer property>`",
                    "Passed to the dead-letter producer (type `kafka`)."),
            new ConfigKey(
                    HTTP_PORT,
                    "8080",
                    "port, 0 = any free port",
                    "`bronze ingest` only: port of `/health`, `/metrics` and the status page."),
            new ConfigKey(HTTP_HOST, "0.0.0.0", "address", "`bronze ingest` only: address the HTTP port binds to."));

    private BronzeKeys() {}

    /** The whole vocabulary, in the order of the reference table. */
    public static List<ConfigKey> all() {
        return ALL;
    }
}
