package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BronzeRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredRowTest {
    private final BronzeRecord record = TestRecords.order("orders", 3, 1042);

    @Test
    void shouldCopyEveryFieldWhenBuiltFromRecord() {
        StoredRow row = StoredRow.of(record);

        assertThat(row.ingestionId()).isEqualTo("orders-3-1042");
        assertThat(row.eventId()).isEqualTo(record.eventId());
        assertThat(row.eventType()).isEqualTo("order_created");
        assertThat(row.schemaVersion()).isEqualTo("v2");
        assertThat(row.sourceTopic()).isEqualTo("orders");
        assertThat(row.producerService()).isEqualTo("order-service");
        assertThat(row.partition()).isEqualTo(3);
        assertThat(row.offset()).isEqualTo(1042);
        assertThat(row.kafkaTimestamp()).isEqualTo(record.kafkaTimestamp());
        assertThat(row.key()).isEqualTo(record.key());
        assertThat(row.headers()).isEqualTo(record.headers());
        assertThat(row.rawEvent()).isEqualTo(record.rawEvent());
    }

    @Test
    void shouldEqualRowWhoseJsonIsReserializedWithOtherKeyOrderAndSpacing() {
        StoredRow expected = StoredRow.of(record.toBuilder()
                .rawEvent("{\"a\":1,\"b\":{\"c\":[1,2]},\"d\":1.50}")
                .build());
        StoredRow stored = StoredRow.of(record.toBuilder()
                .rawEvent("{\n  \"d\": 1.5,\n  \"b\": {\"c\": [1, 2]},\n  \"a\": 1\n}")
                .build());

        assertThat(stored).isEqualTo(expected);
        assertThat(stored.hashCode()).isEqualTo(expected.hashCode());
    }

    @Test
    void shouldDifferWhenJsonValuesDiffer() {
        StoredRow expected =
                StoredRow.of(record.toBuilder().rawEvent("{\"items\":[1,2]}").build());

        assertThat(StoredRow.of(record.toBuilder().rawEvent("{\"items\":[2,1]}").build()))
                .isNotEqualTo(expected);
        assertThat(StoredRow.of(record.toBuilder()
                        .rawEvent("{\"items\":[1,2],\"x\":null}")
                        .build()))
                .isNotEqualTo(expected);
        assertThat(StoredRow.of(
                        record.toBuilder().rawEvent("{\"items\":\"[1,2]\"}").build()))
                .isNotEqualTo(expected);
        assertThat(StoredRow.of(record.toBuilder().rawEvent(null).build())).isNotEqualTo(expected);
    }

    @Test
    void shouldDifferWhenAnyMetadataFieldDiffers() {
        StoredRow expected = StoredRow.of(record);
        List<BronzeRecord> variants = List.of(
                record.toBuilder().ingestionId("other").build(),
                record.toBuilder().eventId("other").build(),
                record.toBuilder().eventType(null).build(),
                record.toBuilder().schemaVersion("v9").build(),
                record.toBuilder().sourceTopic("orders2").build(),
                record.toBuilder().producerService("x").build(),
                record.toBuilder().partition(4).build(),
                record.toBuilder().offset(1043).build(),
                record.toBuilder()
                        .kafkaTimestamp(record.kafkaTimestamp().plusMillis(1))
                        .build(),
                record.toBuilder().key("other-key").build(),
                record.toBuilder()
                        .headers(Map.of("event_type", "order_created"))
                        .build());

        for (BronzeRecord variant : variants) {
            assertThat(StoredRow.of(variant)).as("variant %s", variant).isNotEqualTo(expected);
        }
    }

    @Test
    void shouldTreatAbsentHeadersAsEmptyAndKeepNullValues() {
        Map<String, String> withNull = new HashMap<>();
        withNull.put("h", null);

        StoredRow none = StoredRow.builder().ingestionId("id").headers(null).build();
        StoredRow nullValued =
                StoredRow.builder().ingestionId("id").headers(withNull).build();

        assertThat(none.headers()).isEmpty();
        assertThat(none)
                .isEqualTo(
                        StoredRow.builder().ingestionId("id").headers(Map.of()).build());
        assertThat(nullValued.headers()).containsEntry("h", null);
        assertThat(nullValued).isNotEqualTo(none);
    }

    @Test
    void shouldSortByTopicThenPartitionThenOffset() {
        List<StoredRow> rows = new ArrayList<>(
                List.of(row("web.clicks", 0, 0), row("orders", 1, 0), row("orders", 0, 10), row("orders", 0, 2)));

        rows.sort(null);

        assertThat(rows)
                .extracting(StoredRow::ingestionId)
                .containsExactly("orders-0-2", "orders-0-10", "orders-1-0", "web.clicks-0-0");
    }

    @Test
    void shouldRejectMissingIngestionIdNamingTheValue() {
        assertThatThrownBy(() -> StoredRow.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ingestionId must be a non-empty string, but was null");
        assertThatThrownBy(() -> StoredRow.builder().ingestionId("").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ingestionId must be a non-empty string, but was \"\"");
    }

    @Test
    void shouldShortenLargeRawEventInToString() {
        StoredRow row = StoredRow.of(TestRecords.largeOrder("orders", 0, 0, 50_000));

        assertThat(row.toString()).hasSizeLessThan(1_000).contains("chars)").contains("ingestionId=orders-0-0");
    }

    @Test
    void shouldCompareTimestampsExactly() {
        Instant t = Instant.parse("2025-01-01T00:00:00.123Z");
        StoredRow a = StoredRow.builder().ingestionId("id").kafkaTimestamp(t).build();

        assertThat(a)
                .isEqualTo(StoredRow.builder()
                        .ingestionId("id")
                        .kafkaTimestamp(Instant.ofEpochMilli(t.toEpochMilli()))
                        .build());
        assertThat(a)
                .isNotEqualTo(StoredRow.builder()
                        .ingestionId("id")
                        .kafkaTimestamp(t.plusNanos(1_000))
                        .build());
    }

    private static StoredRow row(String topic, int partition, long offset) {
        return StoredRow.builder()
                .ingestionId(topic + '-' + partition + '-' + offset)
                .sourceTopic(topic)
                .partition(partition)
                .offset(offset)
                .build();
    }
}
