package io.flowguard.bronze.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flowguard.bronze.api.BatchLimits;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.KafkaDeadLetterSink;
import io.flowguard.bronze.core.Secrets;
import io.flowguard.bronze.core.TombstonePolicy;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.jdbc.TypedColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BronzeConfigTest {
    private static final String PASSWORD = "Hunter2-S3cret";

    static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put("bronze.bootstrap-servers", "kafka:9092");
        m.put("bronze.group", "bronze-orders");
        m.put("bronze.topics", "orders, clicks");
        m.put("bronze.warehouse.type", "duckdb");
        m.put("bronze.warehouse.url", "jdbc:duckdb:");
        return m;
    }

    static Map<String, String> with(String... kv) {
        Map<String, String> m = minimal();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove(kv[i]);
            } else {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @Test
    void shouldConfigureTheEngineFromEveryEngineKey() {
        BronzeConfig config = BronzeConfig.from(with(
                "bronze.name", "orders-engine",
                "bronze.batch.max-records", "500",
                "bronze.batch.max-bytes", "2MiB",
                "bronze.batch.max-wait", "250ms",
                "bronze.poll-timeout", "50ms",
                "bronze.max-record-bytes", "1MiB",
                "bronze.dead-letter.max-payload-bytes", "64KiB",
                "bronze.tombstones", "dead-letter",
                "bronze.idempotency.payload-field", "event_id",
                "bronze.retry.max-attempts", "3",
                "bronze.retry.initial-backoff", "100ms",
                "bronze.retry.max-backoff", "2s",
                "bronze.retry.multiplier", "1.5",
                "bronze.retry.max-duration", "1m",
                "bronze.close-timeout", "10s",
                "bronze.revocation-timeout", "PT20S",
                "bronze.health.lag-threshold", "5000",
                "bronze.health.dead-letter-rate-threshold", "0.05",
                "bronze.health.lag-refresh-interval", "2s",
                "bronze.kafka.max.poll.records", "250",
                "connector.class", "ignored.because.not.bronze"));

        EngineConfig e =
                config.engineBuilder().sink(BronzeSink.class.cast(new NoSink())).config();

        assertThat(e.name()).isEqualTo("orders-engine");
        assertThat(e.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(e.groupId()).isEqualTo("bronze-orders");
        assertThat(e.topics()).containsExactly("orders", "clicks");
        assertThat(e.maxBatchRecords()).isEqualTo(500);
        assertThat(e.maxBatchBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(e.maxBatchWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(e.pollTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(e.maxRecordBytes()).isEqualTo(1024 * 1024);
        assertThat(e.maxDeadLetterPayloadBytes()).isEqualTo(64 * 1024);
        assertThat(e.tombstonePolicy()).isEqualTo(TombstonePolicy.DEAD_LETTER);
        assertThat(e.idempotencyKey()).isNotEqualTo(IdempotencyKey.topicPartitionOffset());
        assertThat(e.retryPolicy().maxAttempts()).isEqualTo(3);
        assertThat(e.retryPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(e.retryPolicy().maxBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(e.retryPolicy().multiplier()).isEqualTo(1.5);
        assertThat(e.retryPolicy().maxRetryDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(e.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(e.revocationTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(e.lagThreshold()).isEqualTo(5000);
        assertThat(e.deadLetterRateThreshold()).isEqualTo(0.05);
        assertThat(e.lagRefreshInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(e.consumerProperties()).containsEntry("max.poll.records", "250");
    }

    @Test
    void shouldUseTheEngineDefaultsForKeysNotGiven() {
        EngineConfig e =
                BronzeConfig.from(minimal()).engineBuilder().sink(new NoSink()).config();

        assertThat(e.name()).isEqualTo("bronze-orders");
        assertThat(e.maxBatchRecords()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_RECORDS);
        assertThat(e.maxBatchWait()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_WAIT);
        assertThat(e.tombstonePolicy()).isEqualTo(TombstonePolicy.SKIP);
        assertThat(e.idempotencyKey()).isEqualTo(IdempotencyKey.topicPartitionOffset());
        assertThat(BronzeConfig.from(minimal()).deadLetter().target()).isEqualTo(DeadLetterTarget.TABLE);
        assertThat(BronzeConfig.from(minimal()).httpPort()).isEqualTo(8080);
    }

    /** A sink with an opinion on batch size, like {@code SnowflakeMergeSink}. */
    static final class RecommendingSink implements BronzeSink {
        static final BatchLimits LIMITS = new BatchLimits(10_000, 16L * 1024 * 1024, Duration.ofSeconds(60));

        @Override
        public io.flowguard.bronze.api.WriteResult write(
                List<io.flowguard.bronze.api.BronzeRecord> records, io.flowguard.bronze.api.BatchInfo batch) {
            throw new AssertionError("not used");
        }

        @Override
        public Optional<BatchLimits> recommendedBatchLimits() {
            return Optional.of(LIMITS);
        }
    }

    @Test
    void shouldLeaveUnsetBatchKeysUnsetSoTheSinksRecommendationApplies() {
        BronzeConfig config = BronzeConfig.from(minimal());
        EngineConfig e = config.engineBuilder().sink(new RecommendingSink()).config();

        assertThat(config.maxBatchRecords()).isEmpty();
        assertThat(config.maxBatchBytes()).isEmpty();
        assertThat(config.maxBatchWait()).isEmpty();
        assertThat(config.flushWhenIdle()).isEmpty();
        assertThat(e.maxBatchRecords()).isEqualTo(10_000);
        assertThat(e.maxBatchBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(e.maxBatchWait()).isEqualTo(Duration.ofSeconds(60));
        assertThat(e.flushWhenIdle()).isFalse();
        assertThat(e.batchLimitsFromSink())
                .containsExactly("maxBatchRecords", "maxBatchBytes", "maxBatchWait", "flushWhenIdle");
    }

    @Test
    void shouldLetSetBatchKeysWinOverTheSinksRecommendation() {
        BronzeConfig config = BronzeConfig.from(with(
                "bronze.batch.max-records",
                "100",
                "bronze.batch.max-wait",
                "5s",
                "bronze.batch.flush-when-idle",
                "true"));
        EngineConfig e = config.engineBuilder().sink(new RecommendingSink()).config();

        assertThat(config.maxBatchRecords()).hasValue(100);
        assertThat(config.flushWhenIdle()).hasValue(true);
        assertThat(e.flushWhenIdle()).as("set: wins over the sink's false").isTrue();
        assertThat(e.maxBatchRecords()).isEqualTo(100);
        assertThat(e.maxBatchWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(e.maxBatchBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(e.batchLimitsFromSink()).containsExactly("maxBatchBytes");
    }

    static Stream<Arguments> invalidCases() {
        return Stream.of(
                Arguments.of(
                        "bronze.bootstrap-servers",
                        null,
                        "bronze.bootstrap-servers: is required; set it, e.g. bronze.bootstrap-servers=kafka:9092"),
                Arguments.of("bronze.group", " ", "bronze.group: is required"),
                Arguments.of(
                        "bronze.topics", null, "bronze.topics: is required: the topics to consume, comma-separated"),
                Arguments.of(
                        "bronze.topics", "orders,bad topic", "bronze.topics: topic must be a legal Kafka topic name"),
                Arguments.of("bronze.name", "my engine", "bronze.name: name must use only letters, digits"),
                Arguments.of("bronze.batch.max-records", "0", "bronze.batch.max-records: must be >= 1, but was 0"),
                Arguments.of(
                        "bronze.batch.max-records",
                        "lots",
                        "bronze.batch.max-records: must be a whole number >= 1, but was 'lots'"),
                Arguments.of(
                        "bronze.batch.max-bytes",
                        "5 megs",
                        "bronze.batch.max-bytes: must be a size in bytes like 1048576, 512KiB or 5MiB, but was '5 megs'"),
                Arguments.of(
                        "bronze.batch.max-wait",
                        "5",
                        "bronze.batch.max-wait: must be a positive duration like 500ms, 5s, 2m, 1h or PT5S, but was '5'"),
                Arguments.of("bronze.batch.max-wait", "0s", "bronze.batch.max-wait: must be a positive duration"),
                Arguments.of("bronze.batch.flush-when-idle", "sometimes", "bronze.batch.flush-when-idle: must be"),
                Arguments.of(
                        "bronze.tombstones",
                        "drop",
                        "bronze.tombstones: must be one of [skip, dead-letter, land], but was 'drop'"),
                Arguments.of(
                        "bronze.retry.multiplier",
                        "0.5",
                        "bronze.retry.multiplier: must be within [1.0, 100.0], but was 0.5"),
                Arguments.of(
                        "bronze.retry.max-backoff",
                        "10ms",
                        "bronze.retry.max-backoff: (PT0.01S) must be >= bronze.retry.initial-backoff (PT0.2S)"),
                Arguments.of(
                        "bronze.health.dead-letter-rate-threshold",
                        "2",
                        "bronze.health.dead-letter-rate-threshold: must be within [0.0, 1.0], but was 2"),
                Arguments.of(
                        "bronze.dead-letter.max-payload-bytes",
                        "8MiB",
                        "bronze.dead-letter.max-payload-bytes: (8388608 bytes) must not exceed bronze.max-record-bytes (4194304 bytes)"),
                Arguments.of(
                        "bronze.dead-letter.type",
                        "s3",
                        "bronze.dead-letter.type: must be one of [table, kafka, log], but was 's3'"),
                Arguments.of(
                        "bronze.dead-letter.topic",
                        "dlq",
                        "bronze.dead-letter.topic: is only used with bronze.dead-letter.type=kafka, but the type is table"),
                Arguments.of("bronze.dead-letter.table", "bad-name", "bronze.dead-letter.table: table name must match"),
                Arguments.of(
                        "bronze.warehouse.type",
                        "oracle",
                        "bronze.warehouse.type: must be one of [postgres, duckdb, snowflake], but was 'oracle'"),
                Arguments.of(
                        "bronze.warehouse.url",
                        "jdbc:postgresql://db/bronze",
                        "bronze.warehouse.url: must start with jdbc:duckdb: for bronze.warehouse.type=duckdb"),
                Arguments.of(
                        "bronze.warehouse.account",
                        "acme",
                        "bronze.warehouse.account: is only for bronze.warehouse.type=snowflake, but the type is duckdb; remove it"),
                Arguments.of(
                        "bronze.warehouse.json-type",
                        "json",
                        "bronze.warehouse.json-type: is only for bronze.warehouse.type=postgres, but the type is duckdb; remove it"),
                Arguments.of(
                        "bronze.warehouse.schema", "my schema", "bronze.warehouse.schema: must be a plain identifier"),
                Arguments.of(
                        "bronze.warehouse.create-tables",
                        "maybe",
                        "bronze.warehouse.create-tables: must be true or false, but was 'maybe'"),
                Arguments.of(
                        "bronze.kafka.enable.auto.commit",
                        "true",
                        "bronze.kafka.enable.auto.commit: consumer property 'enable.auto.commit' is managed by the engine"),
                Arguments.of(
                        "bronze.kafka.group.id",
                        "other",
                        "bronze.kafka.group.id: is set from bronze.group; use that key instead"),
                Arguments.of("bronze.tables.orders", "orders-raw", "bronze.tables.orders: table name must match"),
                Arguments.of(
                        "bronze.tables.ordrs",
                        "ORDERS",
                        "bronze.tables.ordrs: routes topic 'ordrs', which is not in bronze.topics [orders, clicks]; did you mean bronze.tables.orders?"),
                Arguments.of(
                        "bronze.typed-columns.ORDERS_RAW",
                        "ORDER_ID:order_id",
                        "bronze.typed-columns.ORDERS_RAW: each column must read COLUMN:json.path:TYPE"),
                Arguments.of(
                        "bronze.typed-columns.ORDERS_RAW",
                        "ORDER_ID:order_id:TEXT",
                        "bronze.typed-columns.ORDERS_RAW: type of column ORDER_ID must be one of [VARCHAR, INTEGER, BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, JSON], but was 'TEXT'"),
                Arguments.of("bronze.http.port", "70000", "bronze.http.port: must be a port number 0..65535"),
                Arguments.of(
                        "bronze.batch.max-record",
                        "10",
                        "bronze.batch.max-record: is not a Bronze setting; did you mean bronze.batch.max-records?"),
                Arguments.of(
                        "bronze.wharehouse.url",
                        "x",
                        "bronze.wharehouse.url: is not a Bronze setting; did you mean bronze.warehouse.url?"),
                Arguments.of(
                        "bronze.something-else-entirely",
                        "x",
                        "bronze.something-else-entirely: is not a Bronze setting; see docs/configuration.md for the keys"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidCases")
    void shouldRejectAnInvalidValueNamingTheKeyAndTheFix(String key, String value, String expected) {
        BronzeConfigException e =
                catchThrowableOfType(BronzeConfigException.class, () -> BronzeConfig.from(with(key, value)));

        assertThat(e).as("a problem for %s=%s", key, value).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(expected));
    }

    @Test
    void shouldChoosePlainJsonColumnsForPostgresOnlyWhenAsked() {
        Map<String, String> postgres =
                with("bronze.warehouse.type", "postgres", "bronze.warehouse.url", "jdbc:postgresql://db/bronze");
        Map<String, String> plain = new HashMap<>(postgres);
        plain.put("bronze.warehouse.json-type", "JSON");

        assertThat(BronzeConfig.from(postgres).warehouse().jsonType()).isEqualTo("jsonb");
        assertThat(BronzeConfig.from(plain).warehouse().jsonType()).isEqualTo("json");
        try (BronzeWarehouse jsonb = BronzeConfig.from(postgres).openWarehouse(new UntouchedDataSource());
                BronzeWarehouse json = BronzeConfig.from(plain).openWarehouse(new UntouchedDataSource())) {
            assertThat(((JdbcBronzeSink) jsonb.sink()).dialect()).isSameAs(SqlDialect.postgres());
            assertThat(((JdbcBronzeSink) json.sink()).dialect()).isSameAs(SqlDialect.postgresPlainJson());
        }
    }

    @Test
    void shouldRejectAnUnknownJsonTypeNamingTheChoices() {
        BronzeConfigException e = catchThrowableOfType(
                BronzeConfigException.class,
                () -> BronzeConfig.from(with(
                        "bronze.warehouse.type",
                        "postgres",
                        "bronze.warehouse.url",
                        "jdbc:postgresql://db/bronze",
                        "bronze.warehouse.json-type",
                        "text")));

        assertThat(e.problems()).contains("bronze.warehouse.json-type: must be jsonb or json, but was 'text'");
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        BronzeConfigException e = catchThrowableOfType(
                BronzeConfigException.class,
                () -> BronzeConfig.from(Map.of(
                        "bronze.batch.max-records",
                        "-1",
                        "bronze.tombstones",
                        "drop",
                        "bronze.warehouse.type",
                        "oracle",
                        "bronze.typo",
                        "1")));

        assertThat(e.problems()).hasSize(7);
        assertThat(e.getMessage())
                .startsWith("invalid Bronze configuration (7 problems):")
                .contains(
                        "bronze.bootstrap-servers",
                        "bronze.group",
                        "bronze.topics",
                        "bronze.batch.max-records",
                        "bronze.tombstones",
                        "bronze.warehouse.type",
                        "bronze.typo");
    }

    @Test
    void shouldAcceptKeysTheHostReadsItself() {
        assertThatThrownBy(() -> BronzeConfig.from(with("bronze.enabled", "true")))
                .hasMessageContaining("bronze.enabled: is not a Bronze setting");

        assertThat(BronzeConfig.from(with("bronze.enabled", "true"), java.util.Set.of("bronze.enabled"))
                        .topics())
                .containsExactly("orders", "clicks");
    }

    @Test
    void shouldNeverShowSecretsInToStringOrMessages() {
        String pem = "-----BEGIN PRIVATE KEY-----\\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----";
        BronzeConfig postgres = BronzeConfig.from(with(
                "bronze.warehouse.type",
                "postgres",
                "bronze.warehouse.url",
                "jdbc:postgresql://db/bronze?user=u&password=" + PASSWORD,
                "bronze.warehouse.password",
                PASSWORD,
                "bronze.kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"" + PASSWORD + "\";",
                "bronze.kafka.ssl.key.password",
                PASSWORD));
        BronzeConfig snowflake = BronzeConfig.from(with(
                "bronze.warehouse.type",
                "snowflake",
                "bronze.warehouse.url",
                null,
                "bronze.warehouse.account",
                "acme",
                "bronze.warehouse.user",
                "LOADER",
                "bronze.warehouse.private-key",
                pem,
                "bronze.warehouse.private-key-passphrase",
                PASSWORD));
        BronzeConfigException invalid = catchThrowableOfType(
                BronzeConfigException.class,
                () -> BronzeConfig.from(with(
                        "bronze.warehouse.type",
                        "duckdb",
                        "bronze.warehouse.url",
                        "jdbc:postgresql://u:" + PASSWORD + "@db/x",
                        "bronze.warehouse.private-key-passphrase",
                        PASSWORD)));

        String printed = postgres + " " + postgres.warehouse() + " " + postgres.masked() + " " + snowflake + " "
                + snowflake.warehouse() + " " + invalid.getMessage();
        assertThat(printed)
                .doesNotContain(PASSWORD)
                .doesNotContain("MIIEvAIBADANBgkqhkiG9w0BAQEFAASC")
                .contains("bronze.warehouse.password=" + Secrets.MASK)
                .contains("password=" + Secrets.MASK);
        assertThat(snowflake.warehouse().privateKey())
                .contains("-----\nMIIE"); // the \n escapes are undone for the driver
    }

    @Test
    void shouldReadTableRoutesTypedColumnsAndConsumerProperties() {
        BronzeConfig config = BronzeConfig.from(with(
                "bronze.tables.orders",
                "BRONZE.ORDERS_LANDING",
                "bronze.typed-columns.BRONZE.ORDERS_LANDING",
                "ORDER_ID:order_id:VARCHAR, AMOUNT:payment.amount:double",
                "bronze.kafka.security.protocol",
                "SASL_SSL"));

        assertThat(config.tableRouter().tableFor("orders")).isEqualTo("BRONZE.ORDERS_LANDING");
        assertThat(config.tableRouter().tableFor("clicks")).isEqualTo("CLICKS_RAW");
        assertThat(config.typedColumns())
                .containsEntry(
                        "BRONZE.ORDERS_LANDING",
                        List.of(
                                TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR),
                                TypedColumn.of("AMOUNT", "payment.amount", SqlType.DOUBLE)));
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldMapEnvironmentVariablesToKeysAndLetThemOverrideTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("bronze.properties"),
                String.join(
                        "\n",
                        "bronze.bootstrap-servers=file:9092",
                        "bronze.group=g",
                        "bronze.topics=orders",
                        "bronze.warehouse.url=jdbc:postgresql://db/bronze",
                        "bronze.batch.max-records=10"));

        BronzeConfig config = BronzeConfig.load(
                file,
                Map.of(
                        "BRONZE_BOOTSTRAP_SERVERS",
                        "env:9092",
                        "BRONZE_WAREHOUSE_PASSWORD",
                        PASSWORD,
                        "BRONZE_KAFKA_SASL_MECHANISM",
                        "PLAIN",
                        "BRONZE_JAVA_OPTS",
                        "-Xmx1g",
                        "PATH",
                        "/bin"));

        assertThat(config.bootstrapServers()).isEqualTo("env:9092");
        assertThat(config.maxBatchRecords()).hasValue(10);
        assertThat(config.warehouse().type()).isEqualTo(WarehouseType.POSTGRES);
        assertThat(config.warehouse().password()).isEqualTo(PASSWORD);
        assertThat(config.kafkaProperties()).containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void shouldNameAMissingConfigFile(@TempDir Path dir) {
        assertThatThrownBy(() -> BronzeConfig.load(dir.resolve("nope.properties"), Map.of()))
                .isInstanceOf(BronzeConfigException.class)
                .hasMessageContaining("nope.properties cannot be read: check the path");
    }

    @Test
    void shouldOpenADuckDbWarehouseWithRoutedTypedTablesAndATableDeadLetterSink() throws Exception {
        BronzeConfig config = BronzeConfig.from(with(
                "bronze.tables.orders",
                "ORDERS_LANDING",
                "bronze.typed-columns.ORDERS_LANDING",
                "ORDER_ID:order_id:VARCHAR",
                "bronze.dead-letter.table",
                "MY_DLQ"));

        try (BronzeWarehouse warehouse = config.openWarehouse()) {
            JdbcBronzeSink sink = (JdbcBronzeSink) warehouse.sink();
            TableDefinition table = sink.ensureTable("ORDERS_LANDING");
            assertThat(table.columnNames()).contains("ORDER_ID", "RAW_EVENT", "INGESTION_ID");
            assertThat(warehouse.deadLetterSink()).isInstanceOf(JdbcDeadLetterSink.class);
            assertThat(((JdbcDeadLetterSink) warehouse.deadLetterSink())
                            .ensureTable()
                            .table())
                    .isEqualTo("MY_DLQ");
            EngineConfig e = warehouse.engineBuilder().config();
            assertThat(e.sink()).isSameAs(sink);
            assertThat(e.deadLetterSink()).isSameAs(warehouse.deadLetterSink());
            assertThat(warehouse
                            .ledger()
                            .landedBetween(
                                    java.time.Instant.EPOCH, java.time.Instant.now(), java.util.Optional.empty()))
                    .isEmpty();
        }
    }

    @Test
    void shouldUseADataSourceTheHostPassesAndNotCloseIt() throws Exception {
        BronzeConfig config = BronzeConfig.from(with("bronze.warehouse.url", null));
        try (io.flowguard.bronze.jdbc.DuckDbDataSource own = io.flowguard.bronze.jdbc.DuckDbDataSource.inMemory()) {
            try (BronzeWarehouse warehouse = config.openWarehouse(own)) {
                assertThat(warehouse.dataSource()).isSameAs(own);
                ((JdbcBronzeSink) warehouse.sink()).ensureTable("ORDERS_RAW");
            }
            try (Connection c = own.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void shouldSayWhichKeyIsMissingToConnectWithoutADataSource() {
        BronzeConfig noUrl = BronzeConfig.from(with("bronze.warehouse.url", null));
        BronzeConfig snowflake =
                BronzeConfig.from(with("bronze.warehouse.type", "snowflake", "bronze.warehouse.url", null));

        assertThatThrownBy(noUrl::openWarehouse)
                .isInstanceOf(BronzeConfigException.class)
                .hasMessageContaining(
                        "bronze.warehouse.url: is required to connect, e.g. bronze.warehouse.url=jdbc:duckdb:");
        assertThatThrownBy(snowflake::openWarehouse)
                .isInstanceOf(BronzeConfigException.class)
                .hasMessageContaining("bronze.warehouse.account: is required for snowflake")
                .hasMessageContaining("bronze.warehouse.user: is required for snowflake")
                .hasMessageContaining("bronze.warehouse.private-key-file: snowflake needs a credential");
    }

    @Test
    void shouldBuildAKafkaDeadLetterSinkWithTheSharedSecurityProperties() {
        BronzeConfig config = BronzeConfig.from(with(
                "bronze.dead-letter.type",
                "kafka",
                "bronze.dead-letter.topic",
                "bronze-dlq",
                "bronze.dead-letter.bootstrap-servers",
                "127.0.0.1:9",
                "bronze.dead-letter.kafka.linger.ms",
                "5",
                "bronze.kafka.security.protocol",
                "PLAINTEXT"));

        try (BronzeWarehouse warehouse = config.openWarehouse()) {
            assertThat(warehouse.deadLetterSink()).isInstanceOf(KafkaDeadLetterSink.class);
            assertThat(warehouse.ledger()).isNotNull();
        }
        assertThat(config.deadLetter().producerProperties()).containsEntry("linger.ms", "5");
    }

    @Test
    void shouldDocumentEveryKeyInTheConfigurationReference() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (ConfigKey key : BronzeKeys.all()) {
            assertThat(doc).as("docs/configuration.md lists %s", key.name()).contains("| `" + key.name() + "` |");
        }
    }

    @Test
    void shouldDocumentTheEngineBatchDefaultsAsTheEngineHasThem() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        Map<String, ConfigKey> keys = new HashMap<>();
        BronzeKeys.all().forEach(k -> keys.put(k.name(), k));
        ConfigKey records = keys.get(BronzeKeys.BATCH_MAX_RECORDS);
        ConfigKey wait = keys.get(BronzeKeys.BATCH_MAX_WAIT);
        ConfigKey idle = keys.get(BronzeKeys.BATCH_FLUSH_WHEN_IDLE);

        EngineConfig fromDocumentedDefaults = BronzeConfig.from(with(
                        records.name(),
                        records.defaultValue(),
                        wait.name(),
                        wait.defaultValue(),
                        idle.name(),
                        idle.defaultValue()))
                .engineBuilder()
                .sink(new NoSink())
                .config();

        assertThat(fromDocumentedDefaults.maxBatchRecords()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_RECORDS);
        assertThat(fromDocumentedDefaults.maxBatchWait()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_WAIT);
        assertThat(fromDocumentedDefaults.flushWhenIdle()).isEqualTo(EngineConfig.DEFAULT_FLUSH_WHEN_IDLE);
        for (ConfigKey key : List.of(records, wait, idle)) {
            assertThat(doc).contains("| `" + key.name() + "` | `" + key.defaultValue() + "` |");
        }
    }

    @Test
    void shouldDeriveEnvironmentVariableNames() {
        assertThat(new ConfigKey("bronze.batch.max-records", "100", "records", "x").environmentVariable())
                .isEqualTo("BRONZE_BATCH_MAX_RECORDS");
        assertThat(BronzeConfig.environment(Map.of("BRONZE_DEAD_LETTER_KAFKA_LINGER_MS", "5")))
                .containsEntry("bronze.dead-letter.kafka.linger.ms", "5");
    }

    /** A DataSource that must never be asked for a connection here: building sinks does not connect. */
    static final class UntouchedDataSource extends io.flowguard.bronze.jdbc.AbstractDataSource {
        @Override
        public Connection getConnection() {
            throw new AssertionError("no connection expected");
        }
    }

    /** A sink that must never be written to here. */
    static final class NoSink implements BronzeSink {
        @Override
        public io.flowguard.bronze.api.WriteResult write(
                List<io.flowguard.bronze.api.BronzeRecord> records, io.flowguard.bronze.api.BatchInfo batch) {
            throw new AssertionError("not used");
        }
    }
}
