package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BatchInfo.PartitionRange;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.TestRecords;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Append mode on fakesnow through the real driver: plain INSERTs, the ledger as resume position, the dedup view. */
class SnowflakeAppendModeIT {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String TOPIC = "orders";

    private DataSource dataSource;
    private String schema;

    @BeforeEach
    void freshSchema() {
        schema = "APPEND_" + SCHEMAS.incrementAndGet();
        dataSource = SNOW.dataSource("BRONZE_IT", schema);
    }

    private SnowflakeMergeSink append() {
        return SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .writeMode(WriteMode.APPEND)
                .build();
    }

    private static BatchInfo batch(String id, int partition, long first, long last) {
        return BatchInfo.of(
                id,
                "eng",
                "group",
                "records",
                Instant.parse("2025-06-01T10:00:00Z"),
                List.of(new PartitionRange(TOPIC, partition, first, last, (int) (last - first + 1), 0, 0)));
    }

    @Test
    void shouldInsertWithoutMergeAndResumeAfterWhatTheLedgerHolds() {
        CountingDataSource counting = new CountingDataSource(dataSource);
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(counting)
                .schema(schema)
                .writeMode(WriteMode.APPEND)
                .build();
        sink.write(TestRecords.orders(TOPIC, 0, 0, 10), batch("b-1", 0, 0, 9));
        counting.reset();

        sink.write(TestRecords.orders(TOPIC, 0, 10, 5), batch("b-2", 0, 10, 14));

        assertThat(counting.executed())
                .as("ledger check, row INSERT, ledger INSERT; no MERGE")
                .hasSize(3)
                .noneMatch(s -> s.contains("MERGE"));
        assertThat(counting.executed().get(0)).startsWith("SELECT");
        assertThat(counting.executed().get(1)).startsWith("INSERT INTO \"" + schema + "\".\"ORDERS_RAW\"");
        assertThat(sink.storedPositions(List.of(new SourcePartition(TOPIC, 0), new SourcePartition(TOPIC, 1))))
                .isEqualTo(Map.of(new SourcePartition(TOPIC, 0), 15L));
    }

    @Test
    void shouldSkipOffsetsTheLedgerCoversSoARedeliveryAddsNoDuplicate() {
        SnowflakeMergeSink sink = append();
        sink.write(TestRecords.orders(TOPIC, 0, 0, 10), batch("b-1", 0, 0, 9));

        WriteResult again = sink.write(TestRecords.orders(TOPIC, 0, 5, 10), batch("b-2", 0, 5, 14));

        assertThat(again.inserted()).isEqualTo(5);
        assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + schema + ".ORDERS_RAW"))
                .isEqualTo(15);
        assertThat(SnowRows.count(dataSource, "SELECT COUNT(DISTINCT INGESTION_ID) FROM " + schema + ".ORDERS_RAW"))
                .isEqualTo(15);
        assertThat(SnowflakeIngestionLedger.builder(dataSource)
                        .schema(schema)
                        .build()
                        .overlaps(TOPIC))
                .isEmpty();
    }

    @Test
    void shouldHideAnUnfencedZombiesDuplicatesBehindTheDocumentedViewAndReportTheOverlap() {
        // Two sinks that each checked the ledger before the other committed: what Snowflake cannot fence.
        SnowflakeMergeSink zombie = SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .writeMode(WriteMode.APPEND)
                .ingestionLedgerTable(schema + ".ZOMBIE_LEDGER")
                .build();
        append().write(TestRecords.orders(TOPIC, 0, 0, 10), batch("b-1", 0, 0, 9));
        zombie.write(TestRecords.orders(TOPIC, 0, 5, 10), batch("zombie", 0, 5, 14));
        SnowRows.execute(
                dataSource,
                "INSERT INTO " + schema + ".BRONZE_INGESTION_LOG SELECT * FROM " + schema + ".ZOMBIE_LEDGER");
        SnowRows.execute(
                dataSource,
                "CREATE OR REPLACE VIEW " + schema + ".ORDERS AS SELECT * FROM " + schema + ".ORDERS_RAW "
                        + "QUALIFY ROW_NUMBER() OVER (PARTITION BY INGESTION_ID ORDER BY INGESTED_AT, KAFKA_OFFSET) = 1");

        assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + schema + ".ORDERS_RAW"))
                .isEqualTo(20);
        assertThat(SnowRows.count(dataSource, "SELECT COUNT(*) FROM " + schema + ".ORDERS"))
                .isEqualTo(15);
        assertThat(SnowflakeIngestionLedger.builder(dataSource)
                        .schema(schema)
                        .build()
                        .overlaps(TOPIC))
                .singleElement()
                .satisfies(o -> assertThat(o.overlapping().size()).isEqualTo(5));
    }
}
