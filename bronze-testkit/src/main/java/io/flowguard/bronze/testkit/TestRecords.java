package io.flowguard.bronze.testkit;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.api.KafkaTimestampType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Builds realistic FlowGuard {@link BronzeRecord}s for tests: orders ({@code order_created}) and web clicks
 * ({@code page_view}), each a pure function of topic, partition and offset, so the same call always builds an equal
 * record and a re-delivery is easy to simulate.
 *
 * <p>Every record has the default ingestion id ({@code topic-partition-offset}), a name-based UUID event id, a key,
 * FlowGuard headers ({@code event_type}, {@code schema_version}, {@code producer_service}, {@code trace_id}), a
 * millisecond-precision {@code CREATE_TIME} timestamp of {@link #BASE_TIME} plus the offset in seconds, and
 * {@link #INGESTED_AT} as ingested-at. Use {@link BronzeRecord#toBuilder()} to vary a field.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class TestRecords {
    /** The Kafka timestamp of offset 0: 2025-03-14T09:26:53.589Z (millisecond precision, like Kafka's). */
    public static final Instant BASE_TIME = Instant.parse("2025-03-14T09:26:53.589Z");
    /** The ingested-at of every record built here. */
    public static final Instant INGESTED_AT = Instant.parse("2025-03-14T09:30:00.456Z");
    /** The default order topic, {@value}. */
    public static final String ORDERS_TOPIC = "orders";
    /** The default click topic, {@value}. */
    public static final String CLICKS_TOPIC = "web.clicks";

    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF"};
    private static final String[] SKUS = {"SKU-1001", "SKU-2002", "SKU-3003", "SKU-4004", "SKU-5005"};
    private static final String[] PAGES = {"/", "/search", "/product/42", "/cart", "/checkout"};

    private TestRecords() {}

    /** An {@code order_created} event from {@code order-service} at {@code topic-partition-offset}. */
    public static BronzeRecord order(String topic, int partition, long offset) {
        return envelope(
                topic,
                partition,
                offset,
                "order_created",
                "order-service",
                "customer-" + (offset % 97),
                orderJson(topic, partition, offset));
    }

    /** A {@code page_view} event from {@code web-gateway} at {@code topic-partition-offset}. */
    public static BronzeRecord click(String topic, int partition, long offset) {
        return envelope(
                topic,
                partition,
                offset,
                "page_view",
                "web-gateway",
                "session-" + (offset % 31),
                clickJson(topic, partition, offset));
    }

    /** {@code count} consecutive orders of one partition starting at {@code firstOffset}. */
    public static List<BronzeRecord> orders(String topic, int partition, long firstOffset, int count) {
        requireCount(count);
        List<BronzeRecord> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(order(topic, partition, firstOffset + i));
        }
        return list;
    }

    /** {@code count} consecutive clicks of one partition starting at {@code firstOffset}. */
    public static List<BronzeRecord> clicks(String topic, int partition, long firstOffset, int count) {
        requireCount(count);
        List<BronzeRecord> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(click(topic, partition, firstOffset + i));
        }
        return list;
    }

    /**
     * An order whose payload is padded with a {@code notes} string to about {@code approxBytes} bytes of UTF-8.
     *
     * @throws IllegalArgumentException when {@code approxBytes} is negative
     */
    public static BronzeRecord largeOrder(String topic, int partition, long offset, int approxBytes) {
        if (approxBytes < 0) {
            throw new IllegalArgumentException("approxBytes must be >= 0, but was " + approxBytes);
        }
        BronzeRecord base = order(topic, partition, offset);
        int pad = Math.max(0, approxBytes - base.rawEvent().getBytes(StandardCharsets.UTF_8).length - 12);
        StringBuilder notes = new StringBuilder(pad);
        for (int i = 0; notes.length() < pad; i++) {
            notes.append("line ").append(i).append(" of the notes. ");
        }
        notes.setLength(pad);
        String raw = base.rawEvent().substring(0, base.rawEvent().length() - 1) + ",\"notes\":\"" + notes + "\"}";
        return base.toBuilder().rawEvent(raw).build();
    }

    /**
     * The JSON payload of {@link #order(String, int, long)}: {@code event_id}, {@code event_type}, {@code schema_version},
     * {@code producer_service}, an order id, customer, amount, currency, line items and a nested {@code meta} object.
     * Handy as a Kafka value for end-to-end tests.
     */
    public static String orderJson(String topic, int partition, long offset) {
        long n = offset + 1;
        String sku = SKUS[(int) (offset % SKUS.length)];
        long cents = 1_999 + (offset * 137) % 50_000;
        return "{\"event_id\":\"" + eventId(topic, partition, offset) + "\",\"event_type\":\"order_created\","
                + "\"schema_version\":\"v2\",\"producer_service\":\"order-service\",\"order_id\":\"ORD-" + partition
                + '-' + n
                + "\",\"customer_id\":\"customer-" + (offset % 97) + "\",\"amount\":" + (cents / 100) + '.'
                + String.format(Locale.ROOT, "%02d", cents % 100) + ",\"currency\":\""
                + CURRENCIES[(int) (offset % CURRENCIES.length)]
                + "\",\"items\":[{\"sku\":\"" + sku + "\",\"qty\":" + (1 + offset % 3) + "}],\"express\":"
                + (offset % 2 == 0)
                + ",\"meta\":{\"created_at\":\"" + timestamp(offset) + "\",\"region\":\"eu-west-1\"}}";
    }

    /**
     * The JSON payload of {@link #click(String, int, long)}: {@code event_id}, {@code event_type}, session, page,
     * referrer ({@code null} on every third click) and a nested {@code meta} object.
     */
    public static String clickJson(String topic, int partition, long offset) {
        return "{\"event_id\":\"" + eventId(topic, partition, offset) + "\",\"event_type\":\"page_view\","
                + "\"schema_version\":\"v1\",\"producer_service\":\"web-gateway\",\"session_id\":\"session-"
                + (offset % 31)
                + "\",\"page\":\"" + PAGES[(int) (offset % PAGES.length)] + "\",\"referrer\":"
                + (offset % 3 == 0 ? "null" : "\"https://example.com/ref/" + offset + '"')
                + ",\"duration_ms\":" + (250 + offset % 5_000) + ",\"meta\":{\"user_agent\":\"Mozilla/5.0\",\"ts\":\""
                + timestamp(offset) + "\"}}";
    }

    /** The deterministic event id of the record at {@code topic-partition-offset}: a name-based UUID. */
    public static String eventId(String topic, int partition, long offset) {
        return UUID.nameUUIDFromBytes(IdempotencyKey.formatTopicPartitionOffset(topic, partition, offset)
                        .getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** The Kafka timestamp of the record at {@code offset}: {@link #BASE_TIME} plus {@code offset} seconds. */
    public static Instant timestamp(long offset) {
        return BASE_TIME.plusSeconds(offset);
    }

    private static BronzeRecord envelope(
            String topic, int partition, long offset, String type, String producer, String key, String json) {
        String eventId = eventId(topic, partition, offset);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("event_type", type);
        headers.put("schema_version", type.equals("order_created") ? "v2" : "v1");
        headers.put("producer_service", producer);
        headers.put("trace_id", eventId.replace("-", "").substring(0, 16));
        return BronzeRecord.builder()
                .ingestionId(IdempotencyKey.formatTopicPartitionOffset(topic, partition, offset))
                .eventId(eventId)
                .eventType(type)
                .schemaVersion(headers.get("schema_version"))
                .sourceTopic(topic)
                .producerService(producer)
                .partition(partition)
                .offset(offset)
                .kafkaTimestamp(timestamp(offset))
                .timestampType(KafkaTimestampType.CREATE_TIME)
                .key(key)
                .headers(headers)
                .ingestedAt(INGESTED_AT)
                .rawEvent(json)
                .build();
    }

    private static void requireCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, but was " + count);
        }
    }
}
