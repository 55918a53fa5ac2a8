package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.testkit.TestRecords;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The review's live test matrix (docs/snowflake.md, "Known differences from real Snowflake"), run against a real
 * Snowflake account when {@code SNOWFLAKE_ACCOUNT}, {@code SNOWFLAKE_USER} and one of {@code SNOWFLAKE_PRIVATE_KEY}
 * (PEM text), {@code SNOWFLAKE_PRIVATE_KEY_FILE}, {@code SNOWFLAKE_TOKEN} (a programmatic access token) or
 * {@code SNOWFLAKE_PASSWORD} are set (optional: {@code SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}, {@code SNOWFLAKE_ROLE},
 * {@code SNOWFLAKE_WAREHOUSE}, {@code SNOWFLAKE_DATABASE}); skipped otherwise with the reason, also under CI. Works in a
 * throw-away schema it drops afterwards. Written against the public sink API only, so it compiles whatever the sink's
 * internals become.
 *
 * <p>Costs: a few minutes of the given warehouse (X-Small is enough) and a user-level parameter change that
 * {@link #shouldLandDespiteUserLevelTimestampFormatAndTimezoneOverrides()} undoes in {@code finally}.
 */
class LiveSnowflakeIT {
    private static SnowflakeConnectionConfig config;
    private static SnowflakeDataSource dataSource;
    private static String schema;

    @BeforeAll
    static void connect() {
        String account = System.getenv("SNOWFLAKE_ACCOUNT");
        String user = System.getenv("SNOWFLAKE_USER");
        String password = System.getenv("SNOWFLAKE_PASSWORD");
        String key = System.getenv("SNOWFLAKE_PRIVATE_KEY");
        String keyFile = System.getenv("SNOWFLAKE_PRIVATE_KEY_FILE");
        String token = System.getenv("SNOWFLAKE_TOKEN");
        assumeTrue(
                account != null
                        && user != null
                        && (password != null || key != null || keyFile != null || token != null),
                "live Snowflake test skipped: set SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER and one of SNOWFLAKE_PRIVATE_KEY, "
                        + "SNOWFLAKE_PRIVATE_KEY_FILE, SNOWFLAKE_TOKEN or SNOWFLAKE_PASSWORD");
        config = config(account, user, password, key, keyFile, token).build();
        dataSource = SnowflakeDataSource.of(config);
        schema = "BRONZE_IT_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    }

    private static SnowflakeConnectionConfig.Builder config(
            String account, String user, String password, String key, String keyFile, String token) {
        SnowflakeConnectionConfig.Builder b = SnowflakeConnectionConfig.builder()
                .account(account)
                .user(user)
                .role(System.getenv("SNOWFLAKE_ROLE"))
                .warehouse(System.getenv("SNOWFLAKE_WAREHOUSE"))
                .database(System.getenv("SNOWFLAKE_DATABASE"));
        String passphrase = System.getenv("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE");
        if (key != null) {
            b.privateKey(key, passphrase);
        } else if (keyFile != null) {
            b.privateKeyFile(Path.of(keyFile), passphrase);
        } else if (token != null) {
            b.programmaticAccessToken(token);
        } else {
            b.password(password);
        }
        return b;
    }

    @AfterAll
    static void dropSchema() {
        if (dataSource != null) {
            SnowRows.execute(dataSource, "DROP SCHEMA IF EXISTS \"" + schema + "\"");
        }
    }

    private static String table(String name) {
        return "\"" + schema + "\"." + name;
    }

    /** A DataSource like a pool someone configured without the pinned parameters: the driver's and account's defaults. */
    private static DataSource unpinned() {
        Properties props = config.toProperties();
        SnowflakeSessionParameters.defaults().asMap().keySet().forEach(props::remove);
        props.setProperty("JDBC_QUERY_RESULT_FORMAT", "JSON"); // only so this JVM's flags do not matter
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return DriverManager.getConnection(config.jdbcUrl(), props);
            }

            @Override
            public Connection getConnection(String u, String p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.io.PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(java.io.PrintWriter out) {}

            @Override
            public void setLoginTimeout(int seconds) {}

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public java.util.logging.Logger getParentLogger() {
                throw new UnsupportedOperationException();
            }

            @Override
            public <T> T unwrap(Class<T> iface) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }

    @Test
    void shouldMergeIdempotentlyWithPruningOnRealSnowflake() {
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .typedColumns("ORDERS_RAW", TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR))
                .build();
        List<BronzeRecord> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(TestRecords.order("orders", i % 4, i / 4));
        }
        batch.add(TestRecords.order("orders", 0, 0)); // a repeat inside the batch

        WriteResult first = sink.write(batch);
        WriteResult again = sink.write(batch);

        assertThat(first).isEqualTo(WriteResult.of(1001, 1000));
        assertThat(again.inserted()).isZero();
        assertThat(SnowRows.readBack(dataSource, table("ORDERS_RAW"))).hasSize(1000);
        IngestionLedger ledger =
                SnowflakeIngestionLedger.builder(dataSource).schema(schema).build();
        List<IngestionLedger.Entry> entries =
                ledger.landedBetween(Instant.EPOCH, Instant.now().plusSeconds(3600), Optional.of("orders"));
        assertThat(entries.stream()
                        .mapToInt(e -> e.rowsInserted() == null ? 0 : e.rowsInserted())
                        .sum())
                .isEqualTo(1000);
        assertThat(ledger.gaps("orders")).isEmpty();
    }

    @Test
    void shouldStoreDeadLettersOnRealSnowflake() {
        SnowflakeDeadLetterSink sink =
                SnowflakeDeadLetterSink.builder(dataSource).schema(schema).build();
        sink.write(List.of(io.flowguard.bronze.api.DeadLetter.builder()
                .failedAt(java.time.Instant.now())
                .stage(io.flowguard.bronze.api.DeadLetter.Stage.DESERIALIZE)
                .errorClass("X")
                .topic("orders")
                .partition(0)
                .offset(1)
                .rawPayload("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build()));

        assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + table("BRONZE_DEAD_LETTER")))
                .isEqualTo(1);
    }

    /** S1, S2: an administrator's TIMESTAMP_INPUT_FORMAT and TIMEZONE must not change what lands. */
    @Test
    void shouldLandDespiteUserLevelTimestampFormatAndTimezoneOverrides() {
        String me = currentUser();
        String who = "\"" + me.replace("\"", "\"\"") + "\"";
        try {
            SnowRows.execute(
                    dataSource,
                    "ALTER USER " + who + " SET TIMESTAMP_INPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS', "
                            + "TIMEZONE = 'America/Los_Angeles'");
        } catch (RuntimeException e) {
            assumeTrue(false, "cannot set user-level parameters for " + me + " (" + e.getMessage() + "): skipping");
        }
        try {
            SessionCheck foreign = SnowflakeSessionParameters.verifyDefaults(unpinned(), "live-unpinned");
            assertThat(foreign.mismatches())
                    .extracting(SessionCheck.Mismatch::key)
                    .contains("TIMESTAMP_INPUT_FORMAT", "TIMEZONE");
            assertThat(SnowflakeSessionParameters.verifyDefaults(dataSource, "live")
                            .ok())
                    .isTrue();

            SnowflakeMergeSink sink = SnowflakeMergeSink.builder(dataSource)
                    .schema(schema)
                    .typedColumns("OVERRIDES_RAW", TypedColumn.of("PLACED_AT", "placed_at", SqlType.TIMESTAMP))
                    .build();
            List<BronzeRecord> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(TestRecords.order("overrides", 0, i).toBuilder()
                        .rawEvent("{\"placed_at\":\"2024-05-01 10:00:00\",\"n\":" + i + "}")
                        .build());
            }

            assertThat(sink.write(batch).inserted()).isEqualTo(10);
            assertThat(
                            SnowRows.count(
                                    dataSource,
                                    "SELECT COUNT(*) FROM " + table("OVERRIDES_RAW")
                                            + " WHERE DATE_PART(EPOCH_SECOND, PLACED_AT) = 1714557600")) // 2024-05-01T10:00:00Z: read as UTC
                    .isEqualTo(10);
        } finally {
            SnowRows.execute(dataSource, "ALTER USER " + who + " UNSET TIMESTAMP_INPUT_FORMAT, TIMEZONE");
        }
    }

    /** S3: a legacy table whose columns were created quoted in lower case works, or fails with the column named. */
    @Test
    void shouldWriteToALowerCaseQuotedLegacyTableOrFailNamingTheColumn() {
        SnowRows.execute(
                dataSource,
                "CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"",
                "CREATE TABLE " + table("LEGACY_RAW") + " (\"event_id\" VARCHAR, \"ingestion_id\" VARCHAR, "
                        + "\"raw_event\" VARIANT)");
        SnowflakeMergeSink sink =
                SnowflakeMergeSink.builder(dataSource).schema(schema).build();
        List<BronzeRecord> batch = TestRecords.orders("legacy", 0, 0, 5);

        for (int attempt = 0; attempt < 2; attempt++) { // the same outcome twice: no forget/re-describe loop
            Throwable failure = catchThrowable(() -> sink.write(batch));
            if (failure == null) {
                assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + table("LEGACY_RAW")))
                        .isEqualTo(5);
            } else {
                assertThat(failure).isInstanceOf(SinkWriteException.class).hasMessageContaining("event_id");
            }
        }
    }

    /** V1, S10, S11: two writers merging overlapping batches into the same tables at once land each row once. */
    @Test
    @Timeout(600)
    void shouldLandEachRowOnceWhenTwoWritersMergeOverlappingBatchesAtOnce() throws Exception {
        SnowflakeMergeSink a = SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .name("live-a")
                .build();
        SnowflakeMergeSink b = SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .name("live-b")
                .build();
        a.write(TestRecords.orders("twowriters", 0, 0, 1)); // create the tables before the race
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (SnowflakeMergeSink sink : List.of(a, b)) {
                boolean reversed = sink == b;
                done.add(pool.submit((Callable<Void>) () -> {
                    for (int round = 0; round < 5; round++) {
                        List<BronzeRecord> batch =
                                new ArrayList<>(TestRecords.orders("twowriters", 0, round * 200L, 300));
                        batch.addAll(TestRecords.clicks("twoclicks", 0, round * 200L, 300));
                        if (reversed) {
                            java.util.Collections.reverse(batch); // other table first: a lock order test (S10)
                        }
                        writeRetryingTransient(sink, batch);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        for (String t : List.of("TWOWRITERS_RAW", "TWOCLICKS_RAW")) {
            assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + table(t)))
                    .as(t)
                    .isEqualTo(1100);
            assertThat(SnowRows.count(dataSource, "SELECT COUNT(DISTINCT INGESTION_ID) FROM " + table(t)))
                    .as(t)
                    .isEqualTo(1100);
        }
    }

    private static void writeRetryingTransient(SnowflakeMergeSink sink, List<BronzeRecord> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                sink.write(batch);
                return;
            } catch (SinkWriteException e) {
                if (e.kind() != ErrorKind.TRANSIENT || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** S4: a batch whose JSON is far beyond 1 MB lands, whatever the sink does with it (chunks or stage binding). */
    @Test
    void shouldLandABatchOfMoreThanOneMegabyte() {
        SnowflakeMergeSink sink =
                SnowflakeMergeSink.builder(dataSource).schema(schema).build();
        List<BronzeRecord> batch = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            batch.add(TestRecords.largeOrder("bigbatch", i % 3, i / 3, 8 * 1024)); // ~4.8 MB of payload
        }

        assertThat(sink.write(batch).inserted()).isEqualTo(600);
        assertThat(SnowRows.count(dataSource, "SELECT COUNT(DISTINCT INGESTION_ID) FROM " + table("BIGBATCH_RAW")))
                .isEqualTo(600);
    }

    /**
     * S13: a DATA error names its bad rows with one TRY_ query: a typed INTEGER that does not cast (100038) and a raw
     * event that is not JSON (100069, which fakesnow reports as TRANSIENT, so only a live account shows this branch).
     */
    @Test
    void shouldNameTheRowsWhoseValuesDoNotConvertInsteadOfBisecting() {
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .typedColumns("REJECTS_RAW", TypedColumn.of("QTY", "qty", SqlType.INTEGER))
                .build();
        List<BronzeRecord> typed = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            typed.add(TestRecords.order("rejects", 0, i).toBuilder()
                    .rawEvent("{\"qty\":\"" + (i == 7 || i == 31 ? "many" : Integer.toString(i)) + "\"}")
                    .build());
        }
        SnowflakeMergeSink plain =
                SnowflakeMergeSink.builder(dataSource).schema(schema).build();
        List<BronzeRecord> raw = new ArrayList<>(TestRecords.orders("rawrejects", 0, 0, 20));
        raw.set(11, raw.get(11).toBuilder().rawEvent("{not json").build());

        SinkWriteException typedFailure = (SinkWriteException) catchThrowable(() -> sink.write(typed));
        SinkWriteException rawFailure = (SinkWriteException) catchThrowable(() -> plain.write(raw));

        assertThat(typedFailure.kind()).isEqualTo(ErrorKind.DATA);
        assertThat(typedFailure.rejectedIngestionIds())
                .containsExactlyInAnyOrder(
                        typed.get(7).ingestionId(), typed.get(31).ingestionId());
        assertThat(rawFailure.kind()).isEqualTo(ErrorKind.DATA);
        assertThat(rawFailure.rejectedIngestionIds())
                .containsExactly(raw.get(11).ingestionId());
    }

    /** S9: a write blocked by another transaction's lock fails as TRANSIENT after LOCK_TIMEOUT instead of hanging. */
    @Test
    @Timeout(300)
    void shouldFailTransientWhenATableLockIsHeldLongerThanTheLockTimeout() throws Exception {
        SnowflakeMergeSink setup =
                SnowflakeMergeSink.builder(dataSource).schema(schema).build();
        setup.write(TestRecords.orders("locked", 0, 0, 1));
        SnowflakeDataSource impatient = SnowflakeDataSource.of(withLockTimeout(Duration.ofSeconds(5)));
        SnowflakeMergeSink sink =
                SnowflakeMergeSink.builder(impatient).schema(schema).build();
        try (Connection holder = dataSource.getConnection();
                Statement s = holder.createStatement()) {
            s.execute("BEGIN TRANSACTION");
            s.execute("DELETE FROM " + table("LOCKED_RAW") + " WHERE INGESTION_ID = 'none'"); // takes the table lock

            assertThatThrownBy(() -> sink.write(TestRecords.orders("locked", 0, 1, 10)))
                    .isInstanceOfSatisfying(
                            SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
            s.execute("ROLLBACK");
        }
        assertThat(sink.write(TestRecords.orders("locked", 0, 1, 10)).inserted())
                .isEqualTo(10);
    }

    private static String currentUser() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SnowflakeConnectionConfig withLockTimeout(Duration lockTimeout) {
        SnowflakeSessionParameters params =
                config.sessionParameters().toBuilder().lockTimeout(lockTimeout).build();
        return config(
                        System.getenv("SNOWFLAKE_ACCOUNT"),
                        System.getenv("SNOWFLAKE_USER"),
                        System.getenv("SNOWFLAKE_PASSWORD"),
                        System.getenv("SNOWFLAKE_PRIVATE_KEY"),
                        System.getenv("SNOWFLAKE_PRIVATE_KEY_FILE"),
                        System.getenv("SNOWFLAKE_TOKEN"))
                .sessionParameters(params)
                .build();
    }
}
