package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs against a real Snowflake account when {@code SNOWFLAKE_ACCOUNT}, {@code SNOWFLAKE_USER} and one of
 * {@code SNOWFLAKE_PASSWORD}, {@code SNOWFLAKE_PRIVATE_KEY} (PEM text) or {@code SNOWFLAKE_PRIVATE_KEY_FILE} are set
 * (optional: {@code SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}, {@code SNOWFLAKE_ROLE}, {@code SNOWFLAKE_WAREHOUSE},
 * {@code SNOWFLAKE_DATABASE}); skipped otherwise, also under CI. Works in a throw-away schema it drops afterwards.
 */
class LiveSnowflakeIT {
    private static SnowflakeDataSource dataSource;
    private static String schema;

    @BeforeAll
    static void connect() {
        String account = System.getenv("SNOWFLAKE_ACCOUNT");
        String user = System.getenv("SNOWFLAKE_USER");
        String password = System.getenv("SNOWFLAKE_PASSWORD");
        String key = System.getenv("SNOWFLAKE_PRIVATE_KEY");
        String keyFile = System.getenv("SNOWFLAKE_PRIVATE_KEY_FILE");
        assumeTrue(account != null && user != null && (password != null || key != null || keyFile != null),
                "live Snowflake test skipped: set SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER and SNOWFLAKE_PASSWORD or "
                        + "SNOWFLAKE_PRIVATE_KEY(_FILE)");
        SnowflakeConnectionConfig.Builder b = SnowflakeConnectionConfig.builder().account(account).user(user)
                .role(System.getenv("SNOWFLAKE_ROLE")).warehouse(System.getenv("SNOWFLAKE_WAREHOUSE"))
                .database(System.getenv("SNOWFLAKE_DATABASE"));
        String passphrase = System.getenv("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE");
        if (key != null) {
            b.privateKey(key, passphrase);
        } else if (keyFile != null) {
            b.privateKeyFile(Path.of(keyFile), passphrase);
        } else {
            b.password(password);
        }
        dataSource = SnowflakeDataSource.of(b.build());
        schema = "BRONZE_IT_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    }

    @AfterAll
    static void dropSchema() {
        if (dataSource != null) {
            SnowRows.execute(dataSource, "DROP SCHEMA IF EXISTS \"" + schema + "\"");
        }
    }

    @Test
    void shouldMergeIdempotentlyWithPruningOnRealSnowflake() {
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(dataSource).schema(schema)
                .typedColumns("ORDERS_RAW", TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR)).build();
        List<BronzeRecord> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(TestRecords.order("orders", i % 4, i / 4));
        }
        batch.add(TestRecords.order("orders", 0, 0)); // a repeat inside the batch

        WriteResult first = sink.write(batch);
        WriteResult again = sink.write(batch);

        assertThat(first).isEqualTo(WriteResult.of(1001, 1000));
        assertThat(again.inserted()).isZero();
        assertThat(SnowRows.readBack(dataSource, "\"" + schema + "\".ORDERS_RAW")).hasSize(1000);
        IngestionLedger ledger = SnowflakeIngestionLedger.builder(dataSource).schema(schema).build();
        List<IngestionLedger.Entry> entries = ledger.landedBetween(Instant.EPOCH, Instant.now().plusSeconds(3600),
                Optional.of("orders"));
        assertThat(entries.stream().mapToInt(e -> e.rowsInserted() == null ? 0 : e.rowsInserted()).sum()).isEqualTo(1000);
        assertThat(ledger.gaps("orders")).isEmpty();
    }

    @Test
    void shouldStoreDeadLettersOnRealSnowflake() {
        SnowflakeDeadLetterSink sink = SnowflakeDeadLetterSink.builder(dataSource).schema(schema).build();
        sink.write(List.of(io.flowguard.bronze.api.DeadLetter.builder().failedAt(java.time.Instant.now())
                .stage(io.flowguard.bronze.api.DeadLetter.Stage.DESERIALIZE).errorClass("X").topic("orders").partition(0)
                .offset(1).rawPayload("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)).build()));

        assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM \"" + schema + "\".BRONZE_DEAD_LETTER")).isEqualTo(1);
    }
}
