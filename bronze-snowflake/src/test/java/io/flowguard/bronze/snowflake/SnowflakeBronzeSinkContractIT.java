package io.flowguard.bronze.snowflake;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.testkit.BronzeSinkContract;
import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.StoredRow;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testkit's sink contract against {@link SnowflakeMergeSink} on fakesnow, through the real Snowflake driver. */
class SnowflakeBronzeSinkContractIT extends BronzeSinkContract {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private DataSource dataSource;
    private String schema;

    @BeforeEach
    void freshSchema() {
        schema = "CONTRACT_" + SCHEMAS.incrementAndGet();
        dataSource = SNOW.dataSource("BRONZE_IT", schema);
    }

    @Override
    protected BronzeSink createSink() {
        return SnowflakeMergeSink.builder(dataSource).schema(schema).build();
    }

    @Override
    protected List<StoredRow> readBack(String topic) {
        return SnowRows.readBack(
                dataSource, schema + "." + TableRouter.fromTopicName().tableFor(topic));
    }
}
