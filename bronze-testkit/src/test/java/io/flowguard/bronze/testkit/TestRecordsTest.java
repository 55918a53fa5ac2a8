package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.KafkaTimestampType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldBuildEqualRecordsWhenCalledTwiceWithSamePosition() {
        assertThat(TestRecords.order("orders", 1, 7)).isEqualTo(TestRecords.order("orders", 1, 7));
        assertThat(TestRecords.click("web.clicks", 0, 3)).isEqualTo(TestRecords.click("web.clicks", 0, 3));
        assertThat(TestRecords.order("orders", 1, 7)).isNotEqualTo(TestRecords.order("orders", 1, 8));
    }

    @Test
    void shouldFillEveryMetadataFieldOfAnOrder() throws Exception {
        BronzeRecord order = TestRecords.order("orders", 3, 1042);

        assertThat(order.ingestionId()).isEqualTo("orders-3-1042");
        assertThat(order.hasOffsetDerivedIngestionId()).isTrue();
        assertThat(order.eventId()).isEqualTo(TestRecords.eventId("orders", 3, 1042));
        assertThat(order.eventType()).isEqualTo("order_created");
        assertThat(order.schemaVersion()).isEqualTo("v2");
        assertThat(order.producerService()).isEqualTo("order-service");
        assertThat(order.kafkaTimestamp()).isEqualTo(TestRecords.BASE_TIME.plusSeconds(1042));
        assertThat(order.timestampType()).isEqualTo(KafkaTimestampType.CREATE_TIME);
        assertThat(order.key()).isNotBlank();
        assertThat(order.headers()).containsKeys("event_type", "schema_version", "producer_service", "trace_id");
        assertThat(order.ingestedAt()).isEqualTo(TestRecords.INGESTED_AT);
        JsonNode payload = JSON.readTree(order.rawEvent());
        assertThat(payload.get("event_id").asText()).isEqualTo(order.eventId());
        assertThat(payload.get("event_type").asText()).isEqualTo("order_created");
        assertThat(payload.get("meta").isObject()).isTrue();
    }

    @Test
    void shouldBuildValidJsonForClicksIncludingNullReferrer() throws Exception {
        for (long offset = 0; offset < 6; offset++) {
            JsonNode payload =
                    JSON.readTree(TestRecords.click("web.clicks", 0, offset).rawEvent());
            assertThat(payload.get("event_type").asText()).isEqualTo("page_view");
            assertThat(payload.has("referrer")).isTrue();
        }
        assertThat(JSON.readTree(TestRecords.clickJson("web.clicks", 0, 3))
                        .get("referrer")
                        .isNull())
                .isTrue();
    }

    @Test
    void shouldBuildConsecutiveOffsetsForLists() {
        List<BronzeRecord> orders = TestRecords.orders("orders", 2, 10, 5);

        assertThat(orders).extracting(BronzeRecord::offset).containsExactly(10L, 11L, 12L, 13L, 14L);
        assertThat(orders).extracting(BronzeRecord::partition).containsOnly(2);
        assertThat(TestRecords.clicks("web.clicks", 0, 0, 0)).isEmpty();
    }

    @Test
    void shouldGiveDistinctEventIdsToDistinctPositions() {
        assertThat(TestRecords.eventId("orders", 0, 1))
                .isNotEqualTo(TestRecords.eventId("orders", 1, 0))
                .isNotEqualTo(TestRecords.eventId("web.clicks", 0, 1));
    }

    @Test
    void shouldPadLargeOrderToAboutRequestedSize() throws Exception {
        BronzeRecord large = TestRecords.largeOrder("orders", 0, 0, 100 * 1024);

        int bytes = large.rawEvent().getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isBetween(100 * 1024 - 64, 100 * 1024 + 64);
        assertThat(JSON.readTree(large.rawEvent()).get("notes").asText()).startsWith("line 0");
    }

    @Test
    void shouldRejectNegativeSizesNamingTheValue() {
        assertThatThrownBy(() -> TestRecords.orders("orders", 0, 0, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count must be >= 0, but was -1");
        assertThatThrownBy(() -> TestRecords.largeOrder("orders", 0, 0, -5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("approxBytes must be >= 0, but was -5");
    }
}
