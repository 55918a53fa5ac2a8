package io.flowguard.bronze.examples.flowguard;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.snowflake.SnowflakeMergeSink;
import io.flowguard.bronze.testkit.Fakesnow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Snowflake Silver file run by fakesnow (Snowflake SQL translated to DuckDB) through the real Snowflake driver. */
class SnowflakeSilverViewsIT extends AbstractSilverViewsIT {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    @Override
    DataSource dataSource() {
        return SNOW.dataSource("FLOWGUARD", "SILVER_" + SCHEMAS.incrementAndGet());
    }

    @Override
    BronzeSink sink(DataSource dataSource) {
        return new SnowflakeMergeSink(dataSource);
    }

    @Override
    SilverViews.Warehouse warehouse() {
        return SilverViews.Warehouse.SNOWFLAKE;
    }

    @Override
    void dropUniqueIndex(Statement st, String table) {
        // Snowflake has no unique indexes: MERGE keeps INGESTION_ID unique, a plain INSERT (append mode) does not.
    }

    @Override
    String q(String column) {
        return column;
    }

    @Override
    String laterPayload() {
        // A whole replacement payload: fakesnow cannot run OBJECT_INSERT on a stored VARIANT.
        return "PARSE_JSON('{\"order_id\":\"dup\",\"customer_id\":999999,\"user_id\":999999}')";
    }

    @Override
    Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
