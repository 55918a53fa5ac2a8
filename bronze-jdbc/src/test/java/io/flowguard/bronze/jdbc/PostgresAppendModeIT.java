package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BatchInfo.PartitionRange;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.testkit.TestRecords;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Append mode on a real PostgreSQL: plain inserts, ledger positions, and the zombie fence (advisory lock + ledger check). */
class PostgresAppendModeIT {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("APPEND");

    private static final String TOPIC = "orders";

    private String schema;

    @BeforeEach
    void freshSchema() {
        schema = PG.freshSchema();
    }

    private JdbcBronzeSink append(DataSource ds) {
        return JdbcBronzeSink.builder(ds, SqlDialect.postgres())
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

    private long rows() {
        return ((Number) Rows.scalar(PG.dataSource(), "SELECT COUNT(*) FROM \"" + schema + "\".\"ORDERS_RAW\""))
                .longValue();
    }

    private long distinctIds() {
        return ((Number) Rows.scalar(
                        PG.dataSource(),
                        "SELECT COUNT(DISTINCT \"INGESTION_ID\") FROM \"" + schema + "\".\"ORDERS_RAW\""))
                .longValue();
    }

    private List<IngestionLedger.Entry> ledger() {
        return IngestionLedger.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .build()
                .landedBetween(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), Optional.of(TOPIC));
    }

    @Test
    void shouldReportOnePastTheHighestLedgerOffsetPerPartition() {
        JdbcBronzeSink sink = append(PG.dataSource());
        sink.write(TestRecords.orders(TOPIC, 0, 0, 10), batch("b-1", 0, 0, 9));
        sink.write(TestRecords.orders(TOPIC, 1, 100, 5), batch("b-2", 1, 100, 104));

        Map<SourcePartition, Long> positions = sink.storedPositions(
                List.of(new SourcePartition(TOPIC, 0), new SourcePartition(TOPIC, 1), new SourcePartition(TOPIC, 2)));

        assertThat(positions)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(new SourcePartition(TOPIC, 0), 10L, new SourcePartition(TOPIC, 1), 105L));
    }

    @Test
    void shouldReportNoStoredPositionsInMergeMode() {
        JdbcBronzeSink sink = JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .build();
        sink.write(TestRecords.orders(TOPIC, 0, 0, 10), batch("b-1", 0, 0, 9));

        assertThat(sink.storedPositions(List.of(new SourcePartition(TOPIC, 0)))).isEmpty();
    }

    @Test
    void shouldSkipABatchTheLedgerAlreadyCoversWhenItIsWrittenAgain() {
        JdbcBronzeSink sink = append(PG.dataSource());
        List<BronzeRecord> records = TestRecords.orders(TOPIC, 0, 0, 10);
        sink.write(records, batch("b-1", 0, 0, 9));

        WriteResult again = sink.write(records, batch("b-2", 0, 0, 9));

        assertThat(again.inserted()).isZero();
        assertThat(rows()).isEqualTo(10);
        assertThat(ledger()).extracting(IngestionLedger.Entry::batchId).containsExactly("b-1");
    }

    @Test
    void shouldWriteOnlyTheTailOfABatchWhoseStartTheLedgerCovers() {
        JdbcBronzeSink sink = append(PG.dataSource());
        sink.write(TestRecords.orders(TOPIC, 0, 0, 5), batch("b-1", 0, 0, 4));

        WriteResult result = sink.write(TestRecords.orders(TOPIC, 0, 0, 10), batch("b-2", 0, 0, 9));

        assertThat(result.inserted()).isEqualTo(5);
        assertThat(rows()).isEqualTo(10);
        assertThat(distinctIds()).isEqualTo(10);
        assertThat(ledger())
                .filteredOn(e -> e.batchId().equals("b-2"))
                .singleElement()
                .satisfies(e -> assertThat(e.firstOffset()).isEqualTo(5));
    }

    @Test
    void shouldFenceAZombieWriterSoTwoWritersOfOnePartitionStoreEachOffsetOnce() throws Exception {
        CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        CountDownLatch firstAtCommit = new CountDownLatch(1);
        DataSource held = holdingCommit(PG.dataSource(), firstAtCommit, releaseFirstCommit);
        JdbcBronzeSink zombie = append(held);
        JdbcBronzeSink successor = append(PG.dataSource());
        List<BronzeRecord> records = TestRecords.orders(TOPIC, 3, 0, 50);

        CompletableFuture<WriteResult> first =
                CompletableFuture.supplyAsync(() -> zombie.write(records, batch("zombie", 3, 0, 49)));
        assertThat(firstAtCommit.await(30, TimeUnit.SECONDS))
                .as("zombie reached its commit")
                .isTrue();
        CompletableFuture<WriteResult> second =
                CompletableFuture.supplyAsync(() -> successor.write(records, batch("successor", 3, 0, 49)));
        // The successor must queue on the partition's advisory lock while the zombie's transaction is open.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ((Number) Rows.scalar(
                                        PG.dataSource(),
                                        "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
                                .longValue()
                        > 0);
        releaseFirstCommit.countDown();

        WriteResult a = first.get(30, TimeUnit.SECONDS);
        WriteResult b = second.get(30, TimeUnit.SECONDS);

        assertThat(a.inserted() + b.inserted()).isEqualTo(50);
        assertThat(rows()).isEqualTo(50);
        assertThat(ledger()).extracting(IngestionLedger.Entry::batchId).containsExactly("zombie");
    }

    @Test
    void shouldReportLedgerRangesThatOverlapAndBothAddedRowsButNotARetriedCallsRepeatedRow() {
        JdbcBronzeSink sink = append(PG.dataSource());
        sink.write(TestRecords.orders(TOPIC, 0, 0, 10), batch("b-1", 0, 0, 9));
        String ledger = "\"" + schema + "\".\"BRONZE_INGESTION_LOG\"";
        // What an unfenced zombie leaves behind (Snowflake): a second row over offsets 5..14 that also added rows ...
        Rows.execute(
                PG.dataSource(),
                "INSERT INTO " + ledger + " SELECT 'zombie', \"ENGINE\", \"GROUP_ID\", \"TABLE_NAME\", "
                        + "\"SOURCE_TOPIC\", \"KAFKA_PARTITION\", 5, 14, 10, 10, 10, 0, 0, \"FLUSH_TRIGGER\", \"STARTED_AT\", "
                        + "\"COMMITTED_AT\", 1 FROM " + ledger + " WHERE \"BATCH_ID\" = 'b-1'",
                // ... and a merge-mode re-delivery that added nothing: not a duplicate.
                "INSERT INTO " + ledger
                        + " SELECT 'redelivered', \"ENGINE\", \"GROUP_ID\", \"TABLE_NAME\", \"SOURCE_TOPIC\", "
                        + "\"KAFKA_PARTITION\", 0, 9, 10, 10, 0, 0, 0, \"FLUSH_TRIGGER\", \"STARTED_AT\", \"COMMITTED_AT\", 1 FROM "
                        + ledger + " WHERE \"BATCH_ID\" = 'b-1'");

        List<IngestionLedger.Overlap> overlaps = IngestionLedger.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .build()
                .overlaps(TOPIC);

        assertThat(overlaps).singleElement().satisfies(o -> {
            assertThat(o.firstBatchId()).isEqualTo("b-1");
            assertThat(o.secondBatchId()).isEqualTo("zombie");
            assertThat(o.overlapping()).isEqualTo(new IngestionLedger.OffsetRange(TOPIC, 0, 5, 9));
        });
    }

    @Test
    void shouldRejectPayloadDerivedIdsWithAMessageSayingToUseMergeMode() {
        BronzeRecord payloadId = TestRecords.order(TOPIC, 0, 7).toBuilder()
                .ingestionId("order-7")
                .build();

        assertThatThrownBy(() -> append(PG.dataSource()).write(List.of(payloadId)))
                .isInstanceOf(SinkWriteException.class)
                .hasMessageContaining("writeMode APPEND needs offset-derived ingestion ids")
                .hasMessageContaining("writeMode(WriteMode.MERGE)");
    }

    @Test
    void shouldRefuseAppendModeWithoutTheLedger() {
        assertThatThrownBy(() -> JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                        .writeMode(WriteMode.APPEND)
                        .ingestionLedger(false)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writeMode APPEND needs the ingestion ledger")
                .hasMessageContaining("ingestionLedger(true)");
    }

    @Test
    void shouldRecordTheKeyEncodingOfEveryRow() {
        BronzeRecord binary = TestRecords.order(TOPIC, 0, 1).toBuilder()
                .key("AAECAw==")
                .keyEncoding(BronzeRecord.KeyEncoding.BASE64)
                .build();
        append(PG.dataSource()).write(List.of(TestRecords.order(TOPIC, 0, 0), binary));

        assertThat(Rows.column(
                        PG.dataSource(),
                        "SELECT \"KAFKA_KEY_ENCODING\" FROM \"" + schema
                                + "\".\"ORDERS_RAW\" ORDER BY \"KAFKA_OFFSET\""))
                .containsExactly("UTF8", "BASE64");
    }

    /** {@code ds} whose connections that inserted rows (not the DDL ones) stop in {@code commit()} until {@code release} opens, after signalling {@code atCommit}. */
    private static DataSource holdingCommit(DataSource ds, CountDownLatch atCommit, CountDownLatch release) {
        return new AbstractDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                Connection real = ds.getConnection();
                boolean[] wroteRows = {false};
                return (Connection) Proxy.newProxyInstance(
                        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            if (method.getName().equals("prepareStatement")
                                    && ((String) args[0]).startsWith("INSERT INTO")
                                    && ((String) args[0]).contains("ORDERS_RAW")) {
                                wroteRows[0] = true;
                            }
                            if (method.getName().equals("commit") && wroteRows[0]) {
                                atCommit.countDown();
                                if (!release.await(60, TimeUnit.SECONDS)) {
                                    throw new SQLException("test never released the commit");
                                }
                            }
                            try {
                                return method.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                return getConnection();
            }
        };
    }
}
