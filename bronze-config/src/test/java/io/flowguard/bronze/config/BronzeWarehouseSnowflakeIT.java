package io.flowguard.bronze.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.snowflake.SnowflakeDeadLetterSink;
import io.flowguard.bronze.snowflake.SnowflakeMergeSink;
import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.TestRecords;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Snowflake path of the bronze.* keys, through the real Snowflake driver against fakesnow. */
class BronzeWarehouseSnowflakeIT {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static Map<String, String> snowflakeKeys() {
        Map<String, String> m = new HashMap<>();
        m.put("bronze.bootstrap-servers", "kafka:9092");
        m.put("bronze.group", "bronze-orders");
        m.put("bronze.topics", "orders");
        m.put("bronze.tables.orders", "ORDERS_LANDING");
        m.put("bronze.typed-columns.ORDERS_LANDING", "ORDER_ID:order_id:VARCHAR");
        m.put("bronze.warehouse.type", "snowflake");
        m.put("bronze.warehouse.account", "fakesnow");
        m.put("bronze.warehouse.host", "127.0.0.1");
        m.put("bronze.warehouse.port", Integer.toString(SNOW.port()));
        m.put("bronze.warehouse.ssl", "false");
        m.put("bronze.warehouse.user", "fake");
        m.put("bronze.warehouse.password", "fake-Secret-9");
        m.put("bronze.warehouse.database", "CONFIG_IT");
        m.put("bronze.warehouse.schema", "BRONZE");
        // fakesnow needs these; without the first the driver probes cloud metadata addresses
        m.put("bronze.warehouse.driver.disablePlatformDetection", "true");
        m.put("bronze.warehouse.driver.maxHttpRetries", "1");
        return m;
    }

    @Test
    void shouldLandRoutedTypedRowsAndLedgerEntriesInSnowflakeFromBronzeKeys() throws Exception {
        BronzeConfig config = BronzeConfig.from(snowflakeKeys());

        try (BronzeWarehouse warehouse = config.openWarehouse()) {
            assertThat(warehouse.sink()).isInstanceOf(SnowflakeMergeSink.class);
            assertThat(warehouse.deadLetterSink()).isInstanceOf(SnowflakeDeadLetterSink.class);
            assertThat(warehouse.toString()).doesNotContain("fake-Secret-9");
            // The path of `bronze ingest` and the Spring starter: no bronze.batch.* key set, so the Snowflake sink's
            // recommended limits apply instead of the engine's generic defaults.
            io.flowguard.bronze.core.EngineConfig engine =
                    warehouse.engineBuilder().config();
            assertThat(engine.maxBatchRecords()).isEqualTo(10_000);
            assertThat(engine.maxBatchBytes()).isEqualTo(16L * 1024 * 1024);
            assertThat(engine.maxBatchWait()).isEqualTo(java.time.Duration.ofSeconds(60));

            WriteResult written = warehouse.sink().write(TestRecords.orders("orders", 0, 0, 5));
            WriteResult again = warehouse.sink().write(TestRecords.orders("orders", 0, 0, 5));

            assertThat(written.inserted()).isEqualTo(5);
            assertThat(again.inserted()).isZero();
            try (Connection c = warehouse.dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(\"ORDER_ID\") FROM BRONZE.ORDERS_LANDING")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(5);
                assertThat(rs.getLong(2)).as("typed column filled").isEqualTo(5);
            }
        }
    }

    @Test
    void shouldNameTheDriverPropertyThatSnowflakeManagesItself() {
        Map<String, String> keys = snowflakeKeys();
        keys.put("bronze.warehouse.driver.password", "x");

        BronzeConfig config = BronzeConfig.from(keys);

        org.assertj.core.api.Assertions.assertThatThrownBy(config::openWarehouse)
                .isInstanceOf(BronzeConfigException.class)
                .hasMessageContaining(
                        "bronze.warehouse.driver.password: is set by its own bronze.warehouse.* key; remove it");
    }
}
