package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.api.WriteResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryBronzeSinkTest extends BronzeSinkContract {
    private InMemoryBronzeSink created;

    @Override
    protected BronzeSink createSink() {
        created = InMemoryBronzeSink.create();
        return created;
    }

    @Override
    protected List<StoredRow> readBack(String topic) {
        return created.recordsForTable(TableRouter.fromTopicName().tableFor(topic)).stream()
                .map(StoredRow::of)
                .toList();
    }

    @Test
    void shouldCountDuplicatesWhenIdsRepeatAcrossAndWithinBatches() {
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        BronzeRecord a = TestRecords.order("orders", 0, 0);
        BronzeRecord b = TestRecords.order("orders", 0, 1);

        sink.write(List.of(a, b, a));
        sink.write(List.of(b));

        assertThat(sink.count()).isEqualTo(2);
        assertThat(sink.duplicatesSeen()).isEqualTo(2);
        assertThat(sink.writeCalls()).isEqualTo(2);
    }

    @Test
    void shouldListRecordsInArrivalOrderWhenTopicsInterleave() {
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        BronzeRecord o1 = TestRecords.order("orders", 1, 5);
        BronzeRecord c1 = TestRecords.click("web.clicks", 0, 9);
        BronzeRecord o2 = TestRecords.order("orders", 0, 2);

        sink.write(List.of(o1, c1));
        sink.write(List.of(o2, o1));

        assertThat(sink.records()).containsExactly(o1, c1, o2);
        assertThat(sink.recordsForTopic("orders")).containsExactly(o1, o2);
        assertThat(sink.recordsForTopic("web.clicks")).containsExactly(c1);
        assertThat(sink.recordsForTopic("unknown")).isEmpty();
        assertThat(sink.ingestionIds()).containsExactly("orders-1-5", "web.clicks-0-9", "orders-0-2");
        assertThat(sink.tables()).containsExactly("ORDERS_RAW", "WEB_CLICKS_RAW");
    }

    @Test
    void shouldTellWhetherIngestionIdIsStored() {
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();

        sink.write(List.of(TestRecords.order("orders", 0, 0)));

        assertThat(sink.contains("orders-0-0")).isTrue();
        assertThat(sink.contains("orders-0-1")).isFalse();
    }

    @Test
    void shouldForgetEverythingWhenCleared() {
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        List<BronzeRecord> batch = TestRecords.orders("orders", 0, 0, 3);
        sink.write(batch);
        sink.write(batch);

        sink.clear();

        assertThat(sink.count()).isZero();
        assertThat(sink.records()).isEmpty();
        assertThat(sink.duplicatesSeen()).isZero();
        assertThat(sink.writeCalls()).isZero();
        assertThat(sink.tables()).isEmpty();
        assertThat(sink.write(batch)).isEqualTo(WriteResult.of(3, 3));
    }

    @Test
    void shouldUseGivenRouterWhenTopicsShareATable() {
        InMemoryBronzeSink sink =
                InMemoryBronzeSink.create(TableRouter.explicit(Map.of("orders", "EVENTS", "web.clicks", "EVENTS")));
        BronzeRecord order = TestRecords.order("orders", 0, 0).toBuilder()
                .ingestionId("same")
                .build();
        BronzeRecord click = TestRecords.click("web.clicks", 0, 0).toBuilder()
                .ingestionId("same")
                .build();

        WriteResult result = sink.write(List.of(order, click));

        assertThat(result).isEqualTo(WriteResult.of(2, 1));
        assertThat(sink.recordsForTable("EVENTS")).containsExactly(order);
        assertThat(sink.tables()).containsExactly("EVENTS");
    }

    @Test
    void shouldStoreNothingWhenBatchHoldsNull() {
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        List<BronzeRecord> batch = Arrays.asList(TestRecords.order("orders", 0, 0), null);

        assertThatThrownBy(() -> sink.write(batch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("records must not contain null, but element 1 was null");
        assertThat(sink.count()).isZero();
        assertThat(sink.writeCalls()).isZero();
    }

    @Test
    void shouldRejectBatchWhenRouterReturnsInvalidTableName() {
        InMemoryBronzeSink sink = InMemoryBronzeSink.create(topic -> "bad-name");

        assertThatThrownBy(() -> sink.write(List.of(TestRecords.order("orders", 0, 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad-name'");
        assertThat(sink.count()).isZero();
    }

    @Test
    void shouldStoreEachIdOnceWhenWritersRaceOnOverlappingBatches() throws Exception {
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<WriteResult>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                // Every writer writes offsets 0..999 of the same partition, in batches of 50.
                results.add(pool.submit(() -> {
                    WriteResult total = WriteResult.empty();
                    for (int from = 0; from < 1_000; from += 50) {
                        total = total.plus(sink.write(TestRecords.orders("orders", 0, from, 50)));
                    }
                    return total;
                }));
            }
            int inserted = 0;
            for (Future<WriteResult> f : results) {
                inserted += f.get().inserted();
            }

            assertThat(inserted).isEqualTo(1_000);
            assertThat(sink.count()).isEqualTo(1_000);
            assertThat(sink.duplicatesSeen()).isEqualTo(7_000);
            assertThat(sink.writeCalls()).isEqualTo(writers * 20L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldReturnSnapshotsWhenSinkChangesLater() {
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        sink.write(List.of(TestRecords.order("orders", 0, 0)));
        List<BronzeRecord> before = sink.records();

        sink.write(List.of(TestRecords.order("orders", 0, 1)));

        assertThat(before).hasSize(1);
        assertThatThrownBy(() -> before.add(TestRecords.order("orders", 0, 2)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldNameItselfInMemory() {
        assertThat(InMemoryBronzeSink.create().name()).isEqualTo("in-memory");
    }
}
