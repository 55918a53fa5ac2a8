package io.flowguard.bronze.snowflake;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.IngestionLedgerContract;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testkit's ledger contract against {@link SnowflakeMergeSink} on fakesnow, read by {@link SnowflakeIngestionLedger}. */
class SnowflakeIngestionLedgerContractIT extends IngestionLedgerContract {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private DataSource dataSource;
    private String schema;

    @Override
    protected BronzeSink createSink() {
        schema = "LEDGER_CONTRACT_" + SCHEMAS.incrementAndGet();
        dataSource = SNOW.dataSource("BRONZE_IT", schema);
        return SnowflakeMergeSink.builder(dataSource).schema(schema).build();
    }

    private IngestionLedger reader() {
        return SnowflakeIngestionLedger.builder(dataSource).schema(schema).build();
    }

    @Override
    protected List<LedgerRow> ledger(String topic) {
        return reader().landedBetween(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), Optional.of(topic)).stream()
                .map(e -> new LedgerRow(
                        e.batchId(),
                        e.engine(),
                        e.topic(),
                        e.partition(),
                        e.firstOffset(),
                        e.lastOffset(),
                        e.records(),
                        e.rowsLanded(),
                        e.rowsInserted(),
                        e.rowsDeadLettered(),
                        e.rowsSkipped(),
                        e.trigger()))
                .toList();
    }

    @Override
    protected List<OffsetGap> gaps(String topic) {
        return reader().gaps(topic).stream()
                .map(g -> new OffsetGap(g.topic(), g.partition(), g.firstOffset(), g.lastOffset()))
                .toList();
    }
}
