package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.KafkaTimestampType;
import io.flowguard.bronze.api.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The compatibility suite every {@link BronzeSink} passes: extend it in the sink's tests, implement
 * {@link #createSink()} and {@link #readBack(String)}, and JUnit runs every contract test against that sink.
 *
 * <pre>{@code
 * class PostgresBronzeSinkContractIT extends BronzeSinkContract {
 *     @Override protected BronzeSink createSink() { return JdbcBronzeSink.postgres(freshDatabase()); }
 *     @Override protected List<StoredRow> readBack(String topic) { return selectAllFrom(tableFor(topic)); }
 * }
 * }</pre>
 *
 * <p>What it checks (see {@link BronzeSink}): every record of a batch is stored once; writing the same batch again, or
 * a batch that repeats an id inside itself or overlaps what is stored, inserts only what is new and reports it in
 * {@link WriteResult}; the first row stored under an ingestion id is kept; every metadata field survives the round trip
 * (nulls, unicode, headers with null values, keys, a ~100 KB payload, millisecond timestamps, tombstones); each topic
 * lands in its own table; an empty batch is a no-op; a large batch ({@link #largeBatchSize()}) works.
 *
 * <p>The tests write to topics {@link #ORDERS} ({@code orders}, table {@code ORDERS_RAW} under the default router) and
 * {@link #CLICKS} ({@code web.clicks}, {@code WEB_CLICKS_RAW}). {@link #sink()} creates the sink lazily, on a test's
 * first use, so a subclass's own {@code @BeforeEach} (which JUnit runs after this class's) can prepare a database
 * first; the sink is closed after each test.
 *
 * @since 0.1.0
 */
public abstract class BronzeSinkContract {
    /** The order topic the contract writes to. */
    protected static final String ORDERS = TestRecords.ORDERS_TOPIC;
    /** The click topic the contract writes to. */
    protected static final String CLICKS = TestRecords.CLICKS_TOPIC;
    /** Every topic the contract writes to; {@link #createSink()} must be able to store records of each. */
    protected static final List<String> TOPICS = List.of(ORDERS, CLICKS);
    /** Default of {@link #largeBatchSize()}, {@value} records. */
    protected static final int DEFAULT_LARGE_BATCH_SIZE = 5_000;
    /** Size of the payload in the large-payload test, {@value} bytes. */
    protected static final int LARGE_PAYLOAD_BYTES = 100 * 1024;

    private BronzeSink sink;

    /**
     * A new sink writing to an empty target (fresh tables, schema or database) able to store records of every topic in
     * {@link #TOPICS}; called once per test. The contract closes it after the test.
     */
    protected abstract BronzeSink createSink();

    /**
     * Every row stored in the table that {@code topic} routes to, in any order — all rows of that table, not only those
     * whose source topic is {@code topic}, so the contract can tell when topics share a table by mistake. Read with a
     * fresh connection or transaction so the rows are what was durably stored.
     */
    protected abstract List<StoredRow> readBack(String topic);

    /** How many records {@link #shouldStoreEveryRecordWhenBatchIsLarge()} writes in one batch; override to change it. */
    protected int largeBatchSize() {
        return DEFAULT_LARGE_BATCH_SIZE;
    }

    /** The sink under test, created by {@link #createSink()} on the first call of each test. */
    protected final BronzeSink sink() {
        if (sink == null) {
            sink = createSink();
            assertThat(sink).as("createSink()").isNotNull();
        }
        return sink;
    }

    @AfterEach
    final void closeContractSink() {
        if (sink != null) {
            try {
                sink.close();
            } finally {
                sink = null;
            }
        }
    }

    /** {@link #readBack(String)} ordered by partition, then offset. */
    protected final List<StoredRow> readBackSorted(String topic) {
        List<StoredRow> rows = new ArrayList<>(readBack(topic));
        rows.sort(null);
        return rows;
    }

    /** The rows the contract expects for {@code records}, ordered by partition, then offset. */
    protected static List<StoredRow> expectedRows(List<BronzeRecord> records) {
        return records.stream().map(StoredRow::of).sorted().toList();
    }

    @Test
    void shouldStoreEveryRecordOnceWhenBatchIsWritten() {
        List<BronzeRecord> batch = TestRecords.orders(ORDERS, 0, 0, 10);

        WriteResult result = sink().write(batch);

        assertThat(result).isEqualTo(WriteResult.of(10, 10));
        assertThat(readBackSorted(ORDERS)).containsExactlyElementsOf(expectedRows(batch));
    }

    @Test
    void shouldChangeNothingWhenSameBatchIsWrittenAgain() {
        List<BronzeRecord> batch = TestRecords.orders(ORDERS, 0, 0, 10);
        sink().write(batch);

        WriteResult again = sink().write(batch);

        assertThat(again.records()).isEqualTo(10);
        assertThat(again.inserted()).isZero();
        assertThat(again.duplicates()).isEqualTo(10);
        assertThat(readBackSorted(ORDERS)).containsExactlyElementsOf(expectedRows(batch));
    }

    @Test
    void shouldStoreRecordOnceWhenIdRepeatsWithinBatch() {
        BronzeRecord a = TestRecords.order(ORDERS, 0, 0);
        BronzeRecord b = TestRecords.order(ORDERS, 0, 1);
        BronzeRecord c = TestRecords.order(ORDERS, 0, 2);

        WriteResult result = sink().write(List.of(a, b, a, c, b));

        assertThat(result).isEqualTo(WriteResult.of(5, 3));
        assertThat(readBackSorted(ORDERS)).containsExactlyElementsOf(expectedRows(List.of(a, b, c)));
    }

    @Test
    void shouldInsertOnlyNewRecordsWhenBatchPartiallyOverlapsStoredRecords() {
        List<BronzeRecord> first = TestRecords.orders(ORDERS, 0, 0, 10);
        List<BronzeRecord> overlapping = TestRecords.orders(ORDERS, 0, 5, 10);
        sink().write(first);

        WriteResult result = sink().write(overlapping);

        assertThat(result).isEqualTo(WriteResult.of(10, 5));
        assertThat(readBackSorted(ORDERS))
                .containsExactlyElementsOf(expectedRows(TestRecords.orders(ORDERS, 0, 0, 15)));
    }

    @Test
    void shouldKeepFirstRowWhenSameIngestionIdArrivesAgainWithOtherContent() {
        // A payload-derived id: the producer re-sent the event, so it shows up again at a later offset.
        BronzeRecord original = TestRecords.order(ORDERS, 0, 3).toBuilder()
                .ingestionId("order-evt-42")
                .build();
        BronzeRecord resent = TestRecords.order(ORDERS, 1, 900).toBuilder()
                .ingestionId("order-evt-42")
                .build();
        sink().write(List.of(original));

        WriteResult result = sink().write(List.of(resent));

        assertThat(result).isEqualTo(WriteResult.of(1, 0));
        assertThat(readBack(ORDERS)).containsExactly(StoredRow.of(original));
    }

    @Test
    void shouldStoreSameIngestionIdOnceInEachTableWhenTopicsDiffer() {
        BronzeRecord order = TestRecords.order(ORDERS, 0, 0).toBuilder()
                .ingestionId("shared-id")
                .build();
        BronzeRecord click = TestRecords.click(CLICKS, 0, 0).toBuilder()
                .ingestionId("shared-id")
                .build();

        WriteResult result = sink().write(List.of(order, click));

        assertThat(result).isEqualTo(WriteResult.of(2, 2));
        assertThat(readBack(ORDERS)).containsExactly(StoredRow.of(order));
        assertThat(readBack(CLICKS)).containsExactly(StoredRow.of(click));
    }

    @Test
    void shouldKeepOffsetOrderWithinEachPartitionWhenBatchInterleavesPartitions() {
        List<BronzeRecord> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(TestRecords.order(ORDERS, i % 3, 100 + i / 3));
        }

        sink().write(batch);

        Map<Integer, List<String>> writtenByPartition =
                eventIdsByPartition(batch.stream().map(StoredRow::of).toList());
        Map<Integer, List<String>> storedByPartition = eventIdsByPartition(readBackSorted(ORDERS));
        assertThat(storedByPartition).isEqualTo(writtenByPartition);
        assertThat(readBackSorted(ORDERS)).containsExactlyElementsOf(expectedRows(batch));
    }

    @Test
    void shouldPreserveEveryMetadataFieldWhenAllAreSet() {
        BronzeRecord record = TestRecords.order(ORDERS, 2, 1042).toBuilder()
                .eventId("evt-8f14e45f")
                .eventType("order_created")
                .schemaVersion("v3")
                .producerService("checkout-api")
                .kafkaTimestamp(Instant.parse("2025-06-30T23:59:59.999Z"))
                .timestampType(KafkaTimestampType.LOG_APPEND_TIME)
                .key("customer-7")
                .headers(headers(
                        "event_type",
                        "order_created",
                        "traceparent",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .build();

        sink().write(List.of(record));

        assertThat(readBack(ORDERS)).containsExactly(StoredRow.of(record));
    }

    @Test
    void shouldPreserveNullsWhenOptionalFieldsAreAbsent() {
        BronzeRecord record = BronzeRecord.builder()
                .ingestionId("orders-0-7")
                .sourceTopic(ORDERS)
                .partition(0)
                .offset(7)
                .ingestedAt(TestRecords.INGESTED_AT)
                .rawEvent("{\"order_id\":\"ORD-7\"}")
                .build();

        sink().write(List.of(record));

        List<StoredRow> rows = readBack(ORDERS);
        assertThat(rows).containsExactly(StoredRow.of(record));
        StoredRow row = rows.get(0);
        assertThat(row.eventId()).isNull();
        assertThat(row.eventType()).isNull();
        assertThat(row.schemaVersion()).isNull();
        assertThat(row.producerService()).isNull();
        assertThat(row.kafkaTimestamp()).isNull();
        assertThat(row.key()).isNull();
        assertThat(row.headers()).isEmpty();
    }

    @Test
    void shouldPreserveUnicodeWhenKeyHeadersAndPayloadAreNotAscii() {
        String unicode = "Zoë Łódź — 東京 — مرحبا — 🚀🧪 — \u00e9\u0301";
        BronzeRecord record = TestRecords.order(ORDERS, 0, 0).toBuilder()
                .eventType("commande_créée")
                .producerService("service-ü")
                .key("clé-" + unicode)
                .headers(headers("note", unicode, "emoji-🎉", "✓"))
                .rawEvent("{\"customer\":\"" + unicode + "\",\"city\":\"Zürich\",\"tags\":[\"ß\",\"ø\",\"🍕\"]}")
                .build();

        sink().write(List.of(record));

        assertThat(readBack(ORDERS)).containsExactly(StoredRow.of(record));
        assertThat(readBack(ORDERS).get(0).rawEvent()).contains("🍕");
    }

    @Test
    void shouldPreserveHeadersWhenValuesAreNullOrEmpty() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("event_type", "order_created");
        headers.put("null-valued", null);
        headers.put("empty-valued", "");
        headers.put("with \"quotes\" and \\ backslash", "{\"looks\":\"like json\"}");
        BronzeRecord record =
                TestRecords.order(ORDERS, 0, 0).toBuilder().headers(headers).build();

        sink().write(List.of(record));

        assertThat(readBack(ORDERS))
                .singleElement()
                .satisfies(row -> assertThat(row.headers()).isEqualTo(headers));
    }

    @Test
    void shouldPreserveKeyWhenItIsEmpty() {
        BronzeRecord record =
                TestRecords.order(ORDERS, 0, 0).toBuilder().key("").build();

        sink().write(List.of(record));

        assertThat(readBack(ORDERS)).containsExactly(StoredRow.of(record));
    }

    @Test
    void shouldPreservePayloadWhenItIsLarge() {
        BronzeRecord record = TestRecords.largeOrder(ORDERS, 0, 0, LARGE_PAYLOAD_BYTES);

        sink().write(List.of(record));

        List<StoredRow> rows = readBack(ORDERS);
        assertThat(rows).containsExactly(StoredRow.of(record));
        assertThat(rows.get(0).rawEvent().length()).isGreaterThanOrEqualTo(LARGE_PAYLOAD_BYTES - 1024);
    }

    @Test
    void shouldPreservePayloadWhenJsonHasNestingNumbersAndEscapes() {
        String json = "{\"a\":{\"b\":{\"c\":[1,2.5,-3e-2,12345678901234,true,false,null]}},"
                + "\"text\":\"line1\\nline2\\t\\\"quoted\\\" \\\\ \\u00e9 end\",\"empty\":{},\"list\":[],\"zero\":0}";
        BronzeRecord record =
                TestRecords.order(ORDERS, 0, 0).toBuilder().rawEvent(json).build();

        sink().write(List.of(record));

        assertThat(readBack(ORDERS)).containsExactly(StoredRow.of(record));
    }

    @Test
    void shouldPreserveKafkaTimestampToTheMillisecond() {
        List<BronzeRecord> batch = List.of(
                TestRecords.order(ORDERS, 0, 0).toBuilder()
                        .kafkaTimestamp(Instant.ofEpochMilli(1_741_944_413_001L))
                        .build(),
                TestRecords.order(ORDERS, 0, 1).toBuilder()
                        .kafkaTimestamp(Instant.ofEpochMilli(1_741_944_413_999L))
                        .build(),
                TestRecords.order(ORDERS, 0, 2).toBuilder()
                        .kafkaTimestamp(Instant.ofEpochMilli(0L))
                        .build(),
                TestRecords.order(ORDERS, 0, 3).toBuilder()
                        .kafkaTimestamp(Instant.parse("2038-01-19T03:14:08.500Z"))
                        .build());

        sink().write(batch);

        assertThat(readBackSorted(ORDERS))
                .extracting(StoredRow::kafkaTimestamp)
                .containsExactlyElementsOf(
                        batch.stream().map(BronzeRecord::kafkaTimestamp).toList());
    }

    @Test
    void shouldStoreTombstoneWithNullRawEventWhenLanded() {
        BronzeRecord tombstone = TestRecords.order(ORDERS, 0, 5).toBuilder()
                .rawEvent(null)
                .eventId(null)
                .build();

        WriteResult result = sink().write(List.of(tombstone));

        assertThat(result).isEqualTo(WriteResult.of(1, 1));
        assertThat(readBack(ORDERS)).singleElement().satisfies(row -> {
            assertThat(row.rawEvent()).isNull();
            assertThat(row).isEqualTo(StoredRow.of(tombstone));
        });
    }

    @Test
    void shouldRouteEachTopicToItsOwnTableWhenBatchMixesTopics() {
        List<BronzeRecord> orders = TestRecords.orders(ORDERS, 0, 0, 7);
        List<BronzeRecord> clicks = TestRecords.clicks(CLICKS, 0, 0, 5);
        List<BronzeRecord> mixed = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            mixed.add(orders.get(i));
            if (i < 5) {
                mixed.add(clicks.get(i));
            }
        }

        WriteResult result = sink().write(mixed);

        assertThat(result).isEqualTo(WriteResult.of(12, 12));
        assertThat(readBackSorted(ORDERS)).containsExactlyElementsOf(expectedRows(orders));
        assertThat(readBackSorted(CLICKS)).containsExactlyElementsOf(expectedRows(clicks));
    }

    @Test
    void shouldDoNothingWhenBatchIsEmpty() {
        WriteResult result = sink().write(List.of());

        assertThat(result).isEqualTo(WriteResult.empty());
        assertThat(readBack(ORDERS)).isEmpty();
        assertThat(readBack(CLICKS)).isEmpty();
    }

    @Test
    void shouldStoreEveryRecordWhenBatchIsLarge() {
        int size = largeBatchSize();
        List<BronzeRecord> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(TestRecords.order(ORDERS, i % 4, i / 4));
        }

        WriteResult result = sink().write(batch);
        WriteResult again = sink().write(batch);

        assertThat(result).isEqualTo(WriteResult.of(size, size));
        assertThat(again).isEqualTo(WriteResult.of(size, 0));
        List<StoredRow> rows = readBackSorted(ORDERS);
        assertThat(rows).hasSize(size);
        assertThat(rows).containsExactlyElementsOf(expectedRows(batch));
    }

    @Test
    void shouldAcceptNewRecordsWhenEarlierBatchWasAllDuplicates() {
        List<BronzeRecord> first = TestRecords.orders(ORDERS, 0, 0, 3);
        sink().write(first);
        sink().write(first);

        WriteResult result = sink().write(TestRecords.orders(ORDERS, 0, 3, 3));

        assertThat(result).isEqualTo(WriteResult.of(3, 3));
        assertThat(readBack(ORDERS)).hasSize(6);
    }

    @Test
    void shouldHaveNonBlankName() {
        assertThat(sink().name()).isNotBlank();
    }

    private static Map<Integer, List<String>> eventIdsByPartition(List<StoredRow> rows) {
        return rows.stream()
                .collect(Collectors.groupingBy(
                        StoredRow::partition,
                        LinkedHashMap::new,
                        Collectors.mapping(StoredRow::eventId, Collectors.toList())));
    }

    private static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
