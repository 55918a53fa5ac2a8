package io.flowguard.bronze.testkit;

// Size note: over 400 lines because a traffic generator whose event shapes (v1, v2, each malformation) are listed
// together so tests can see every kind at once.

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A generator of realistic FlowGuard traffic for demos, load tests and users' own tests: food orders and web clicks, in
 * schema {@code v1} and {@code v2}, with a share of malformed events the engine must dead-letter.
 *
 * <pre>{@code
 * FlowGuardTraffic traffic = FlowGuardTraffic.builder().seed(42).malformedShare(0.01).v2Share(0.2).build();
 * FlowGuardTraffic.Summary s = traffic.send(producer, 10_000, 500.0, Duration.ofMinutes(5)); // 500 events/s
 * }</pre>
 *
 * <p><b>Events.</b> Orders ({@code order_created}, {@code order_paid}, {@code order_cancelled} from {@code order-service})
 * carry {@code order_id}, {@code user_id}, {@code restaurant}, {@code items} (food, quantity, unit price) and
 * {@code total_price}; clicks ({@code page_view}, {@code button_click}, {@code add_to_cart} from {@code web-gateway}) carry
 * {@code user_id}, {@code session_id}, {@code page}, {@code element} and {@code device}. Every valid event has
 * {@code event_id}, {@code event_type}, {@code schema_version} and {@code producer_service} both in the payload and as
 * headers. Schema {@code v2} renames {@code user_id} to {@code customer_id} and sets {@code schema_version} to {@code v2}.
 *
 * <p><b>Malformed events</b> ({@link Malformation}): truncated JSON, a JSON array instead of an object, bytes that are not
 * UTF-8, and an {@code event_type} that is an object instead of a string (sent without headers, because a header would
 * win over the payload field under the default metadata rules). Each is dead-lettered by the engine with its default
 * rules; none is an empty value (which the engine skips rather than dead-letters).
 *
 * <p>Deterministic for a given seed and clock: the same builder yields the same events in the same order. Not
 * thread-safe: use one instance per producing thread.
 *
 * @since 0.1.0
 */
public final class FlowGuardTraffic {
    /** The default order topic: {@value}. */
    public static final String DEFAULT_ORDERS_TOPIC = "orders";
    /** The default click topic: {@value}. */
    public static final String DEFAULT_CLICKS_TOPIC = "clicks";
    /** The default share of malformed events: {@value}. */
    public static final double DEFAULT_MALFORMED_SHARE = 0.01;
    /** The default share of valid events in schema v2: {@value}. */
    public static final double DEFAULT_V2_SHARE = 0.2;
    /** The default seed: {@value}. */
    public static final long DEFAULT_SEED = 20_261_127L;

    /** How an event is broken. */
    public enum Malformation {
        /** JSON cut off in the middle: {@code {"event_id":"...","order_id":"ord-1}. */
        BROKEN_JSON,
        /** A JSON array where an object is expected. */
        NOT_AN_OBJECT,
        /** Bytes that are not valid UTF-8. */
        INVALID_UTF8,
        /** {@code event_type} is a JSON object, not a string; no headers. */
        WRONG_TYPED_METADATA
    }

    /**
     * One generated event, ready to send.
     *
     * @param malformation null for a valid event
     * @param schemaVersion {@code v1} or {@code v2}; for a malformed event the version it was derived from
     */
    public record Event(
            String topic,
            String key,
            byte[] value,
            Map<String, String> headers,
            String eventType,
            String schemaVersion,
            Malformation malformation) {
        /** {@code true} when the engine should land it. */
        public boolean valid() {
            return malformation == null;
        }

        /** The value as UTF-8 text (malformed bytes replaced). */
        public String valueText() {
            return new String(value, StandardCharsets.UTF_8);
        }

        /** A producer record with the key, value and headers as UTF-8 bytes; the partition is left to the producer. */
        public ProducerRecord<byte[], byte[]> toProducerRecord() {
            RecordHeaders h = new RecordHeaders();
            headers.forEach((name, v) -> h.add(name, v.getBytes(StandardCharsets.UTF_8)));
            return new ProducerRecord<>(topic, null, null, key.getBytes(StandardCharsets.UTF_8), value, h);
        }
    }

    /** What {@link #send} sent: totals by topic, schema version and malformation. */
    public static final class Summary {
        private long sent;
        private long valid;
        private long v2;
        private final Map<String, Long> byTopic = new LinkedHashMap<>();
        private final Map<Malformation, Long> malformed = new EnumMap<>(Malformation.class);
        private Duration elapsed = Duration.ZERO;

        void add(Event e) {
            sent++;
            byTopic.merge(e.topic(), 1L, Long::sum);
            if (e.valid()) {
                valid++;
                if ("v2".equals(e.schemaVersion())) {
                    v2++;
                }
            } else {
                malformed.merge(e.malformation(), 1L, Long::sum);
            }
        }

        /** Events sent and acknowledged. */
        public long sent() {
            return sent;
        }
        /** Valid events sent (the engine lands these). */
        public long valid() {
            return valid;
        }
        /** Valid events in schema v2. */
        public long v2() {
            return v2;
        }
        /** Malformed events sent (the engine dead-letters these). */
        public long malformed() {
            return sent - valid;
        }
        /** Events per topic, in first-sent order. */
        public Map<String, Long> byTopic() {
            return Map.copyOf(byTopic);
        }
        /** Malformed events per kind. */
        public Map<Malformation, Long> malformedByKind() {
            return Map.copyOf(malformed);
        }
        /** Wall time of the send. */
        public Duration elapsed() {
            return elapsed;
        }

        @Override
        public String toString() {
            return "Summary{sent=" + sent + ", valid=" + valid + ", v2=" + v2 + ", malformed=" + malformed() + " "
                    + malformed + ", byTopic=" + byTopic + ", elapsed=" + elapsed + '}';
        }
    }

    private static final String[][] RESTAURANTS = {
        {"rest-101", "Dosa Plaza"},
        {"rest-102", "Burger Barn"},
        {"rest-103", "Sushi Sora"},
        {"rest-104", "Pizza Napoli"},
        {"rest-105", "Green Bowl"},
        {"rest-106", "Taco Loco"},
        {"rest-107", "Biryani House"},
        {"rest-108", "Pho Saigon"}
    };
    private static final String[][] FOODS = {
        {"food-1", "Masala Dosa", "4.50"}, {"food-2", "Cheeseburger", "8.90"}, {"food-3", "Salmon Nigiri", "6.20"},
        {"food-4", "Margherita", "9.50"}, {"food-5", "Quinoa Salad", "7.80"}, {"food-6", "Al Pastor Taco", "3.40"},
        {"food-7", "Chicken Biryani", "11.00"}, {"food-8", "Beef Pho", "10.50"}, {"food-9", "Mango Lassi", "2.90"},
        {"food-10", "Fries", "3.10"}
    };
    private static final String[] ORDER_TYPES = {
        "order_created", "order_created", "order_created", "order_paid", "order_cancelled"
    };
    private static final String[] CLICK_TYPES = {"page_view", "page_view", "button_click", "add_to_cart"};
    private static final String[] PAGES = {"/", "/search", "/restaurant/rest-103", "/menu", "/cart", "/checkout"};
    private static final String[] ELEMENTS = {
        "nav.home", "search.box", "menu.item", "cart.add", "checkout.pay", "banner.promo"
    };
    private static final String[] DEVICES = {"ios", "android", "web"};

    private final List<String> topics;
    private final String ordersTopic;
    private final double malformedShare;
    private final double v2Share;
    private final Random random;
    private final Clock clock;
    private long sequence;

    private FlowGuardTraffic(Builder b) {
        this.topics = List.copyOf(b.topics);
        this.ordersTopic = b.ordersTopic;
        this.malformedShare = b.malformedShare;
        this.v2Share = b.v2Share;
        this.random = new Random(b.seed);
        this.clock = b.clock;
    }

    /** A builder with the defaults: topics {@code orders} and {@code clicks}, 1% malformed, 20% v2. */
    public static Builder builder() {
        return new Builder();
    }

    /** The topics events go to, in order. */
    public List<String> topics() {
        return topics;
    }

    /** The next event: a topic chosen uniformly, then valid (v1 or v2) or malformed by the configured shares. */
    public Event next() {
        long n = sequence++;
        String topic = topics.get(random.nextInt(topics.size()));
        boolean order = isOrderTopic(topic);
        String version = random.nextDouble() < v2Share ? "v2" : "v1";
        boolean broken = random.nextDouble() < malformedShare;
        UUID eventId = new UUID(
                random.nextLong() & 0xffffffffffff0fffL | 0x0000000000004000L,
                random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L);
        String eventType = order
                ? ORDER_TYPES[random.nextInt(ORDER_TYPES.length)]
                : CLICK_TYPES[random.nextInt(CLICK_TYPES.length)];
        String producer = order ? "order-service" : "web-gateway";
        long userId = 1_000 + random.nextInt(9_000);
        String json = order
                ? orderJson(eventId, eventType, version, producer, userId, n)
                : clickJson(eventId, eventType, version, producer, userId);
        String key = order ? "user-" + userId : "session-" + Long.toHexString(userId * 31 + n % 7);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("event_id", eventId.toString());
        headers.put("event_type", eventType);
        headers.put("schema_version", version);
        headers.put("producer_service", producer);
        if (!broken) {
            return new Event(topic, key, json.getBytes(StandardCharsets.UTF_8), headers, eventType, version, null);
        }
        Malformation kind = Malformation.values()[random.nextInt(Malformation.values().length)];
        byte[] value;
        switch (kind) {
            case BROKEN_JSON -> value = json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8);
            case NOT_AN_OBJECT -> value = ("[" + json + "]").getBytes(StandardCharsets.UTF_8);
            case INVALID_UTF8 -> {
                byte[] text = json.getBytes(StandardCharsets.UTF_8);
                value = new byte[text.length + 2];
                System.arraycopy(text, 0, value, 2, text.length);
                value[0] = (byte) 0xC3; // a lead byte followed by a non-continuation byte: not UTF-8
                value[1] = (byte) 0x28;
            }
            case WRONG_TYPED_METADATA -> {
                value = json.replace(
                                "\"event_type\":\"" + eventType + "\"",
                                "\"event_type\":{\"name\":\"" + eventType + "\",\"v\":1}")
                        .getBytes(StandardCharsets.UTF_8);
                headers.clear();
            }
            default -> throw new IllegalStateException("unknown malformation " + kind);
        }
        return new Event(topic, key, value, headers, eventType, version, kind);
    }

    /** The next {@code count} events. */
    public List<Event> next(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, but was " + count);
        }
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(next());
        }
        return events;
    }

    /**
     * Sends events through {@code producer} until {@code count} were sent or {@code maxDuration} passed, at most
     * {@code ratePerSecond} per second, then flushes and waits for every acknowledgement. The producer stays the caller's.
     *
     * @param count         events to send, {@code > 0}, or {@code -1} for no limit (then {@code maxDuration} bounds it)
     * @param ratePerSecond events per second, {@code > 0}, or {@code 0} for as fast as the producer takes them
     * @param maxDuration   how long to send at most, {@code > 0}; null for no limit (then {@code count} bounds it)
     * @throws IllegalStateException when the broker does not acknowledge within 60 s after the last send
     */
    public Summary send(Producer<byte[], byte[]> producer, long count, double ratePerSecond, Duration maxDuration) {
        return send(producer, count, ratePerSecond, maxDuration, System::nanoTime);
    }

    Summary send(
            Producer<byte[], byte[]> producer,
            long count,
            double ratePerSecond,
            Duration maxDuration,
            LongSupplier nanoTime) {
        Objects.requireNonNull(producer, "producer");
        if (count == 0 || count < -1) {
            throw new IllegalArgumentException("count must be > 0 or -1 (no limit), but was " + count);
        }
        if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("ratePerSecond must be >= 0 (0: unlimited), but was " + ratePerSecond);
        }
        if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
            throw new IllegalArgumentException("maxDuration must be > 0, but was " + maxDuration);
        }
        if (count == -1 && maxDuration == null) {
            throw new IllegalArgumentException(
                    "give a count, a duration or both; with neither the traffic would never stop");
        }
        Summary summary = new Summary();
        long start = nanoTime.getAsLong();
        long deadline = maxDuration == null ? Long.MAX_VALUE : start + maxDuration.toNanos();
        List<Future<RecordMetadata>> pending = new ArrayList<>();
        List<Event> inFlight = new ArrayList<>();
        for (long i = 0; count == -1 || i < count; i++) {
            long now = nanoTime.getAsLong();
            if (now - deadline >= 0) {
                break;
            }
            if (ratePerSecond > 0) {
                long due = start + (long) (i * 1_000_000_000.0 / ratePerSecond);
                if (due - now > 0) {
                    if (due - deadline >= 0) {
                        break;
                    }
                    sleepNanos(due - now);
                }
            }
            Event e = next();
            pending.add(producer.send(e.toProducerRecord()));
            inFlight.add(e);
            if (pending.size() >= 1_000) {
                acknowledge(pending, inFlight, summary);
            }
        }
        producer.flush();
        acknowledge(pending, inFlight, summary);
        summary.elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
        return summary;
    }

    private static void acknowledge(List<Future<RecordMetadata>> pending, List<Event> inFlight, Summary summary) {
        try {
            for (int i = 0; i < pending.size(); i++) {
                pending.get(i).get(60, TimeUnit.SECONDS);
                summary.add(inFlight.get(i));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for acknowledgements", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "the broker did not acknowledge an event: " + (e.getCause() != null ? e.getCause() : e), e);
        }
        pending.clear();
        inFlight.clear();
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing traffic", e);
        }
    }

    private boolean isOrderTopic(String topic) {
        return topic.equals(ordersTopic)
                || ordersTopic == null && topic.toLowerCase(Locale.ROOT).contains("order");
    }

    private String orderJson(UUID eventId, String eventType, String version, String producer, long userId, long n) {
        String[] restaurant = RESTAURANTS[random.nextInt(RESTAURANTS.length)];
        int lines = 1 + random.nextInt(3);
        StringBuilder items = new StringBuilder();
        long totalCents = 0;
        for (int i = 0; i < lines; i++) {
            String[] food = FOODS[random.nextInt(FOODS.length)];
            int qty = 1 + random.nextInt(3);
            long cents = Math.round(Double.parseDouble(food[2]) * 100);
            totalCents += cents * qty;
            if (i > 0) {
                items.append(',');
            }
            items.append("{\"food_id\":\"")
                    .append(food[0])
                    .append("\",\"name\":\"")
                    .append(food[1])
                    .append("\",\"quantity\":")
                    .append(qty)
                    .append(",\"unit_price\":")
                    .append(food[2])
                    .append('}');
        }
        return "{" + meta(eventId, eventType, version, producer)
                + ",\"order_id\":\"ord-" + Long.toHexString(eventId.getMostSignificantBits() >>> 16) + "-" + n + "\""
                + ",\"" + userField(version) + "\":" + userId
                + ",\"restaurant\":{\"id\":\"" + restaurant[0] + "\",\"name\":\"" + restaurant[1] + "\"}"
                + ",\"items\":[" + items + "]"
                + ",\"total_price\":" + String.format(Locale.ROOT, "%d.%02d", totalCents / 100, totalCents % 100)
                + ",\"currency\":\"EUR\""
                + ",\"created_at\":\"" + clock.instant() + "\"}";
    }

    private String clickJson(UUID eventId, String eventType, String version, String producer, long userId) {
        return "{" + meta(eventId, eventType, version, producer)
                + ",\"" + userField(version) + "\":" + userId
                + ",\"session_id\":\"sess-" + Long.toHexString(eventId.getLeastSignificantBits() >>> 24) + "\""
                + ",\"page\":\"" + PAGES[random.nextInt(PAGES.length)] + "\""
                + ",\"element\":\"" + ELEMENTS[random.nextInt(ELEMENTS.length)] + "\""
                + ",\"device\":\"" + DEVICES[random.nextInt(DEVICES.length)] + "\""
                + ",\"clicked_at\":\"" + clock.instant() + "\"}";
    }

    private static String meta(UUID eventId, String eventType, String version, String producer) {
        return "\"event_id\":\"" + eventId + "\",\"event_type\":\"" + eventType + "\",\"schema_version\":\"" + version
                + "\",\"producer_service\":\"" + producer + "\"";
    }

    private static String userField(String version) {
        return "v2".equals(version) ? "customer_id" : "user_id";
    }

    /** Builds a {@link FlowGuardTraffic}; setters reject bad values at once. Not thread-safe. */
    public static final class Builder {
        private List<String> topics = List.of(DEFAULT_ORDERS_TOPIC, DEFAULT_CLICKS_TOPIC);
        private String ordersTopic;
        private double malformedShare = DEFAULT_MALFORMED_SHARE;
        private double v2Share = DEFAULT_V2_SHARE;
        private long seed = DEFAULT_SEED;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * The topics to spread events over (uniformly); default {@code orders, clicks}. A topic whose name contains
         * {@code order} gets orders, any other clicks, unless {@link #ordersTopic(String)} names the order topic.
         */
        public Builder topics(List<String> v) {
            Objects.requireNonNull(v, "topics");
            if (v.isEmpty() || v.stream().anyMatch(t -> t == null || t.isBlank())) {
                throw new IllegalArgumentException("topics must be one or more non-blank names, but was " + v);
            }
            this.topics = List.copyOf(v);
            return this;
        }

        /** The topics; see {@link #topics(List)}. */
        public Builder topics(String... v) {
            return topics(List.of(v));
        }

        /** The one topic that gets orders (every other gets clicks); default: any topic whose name contains "order". */
        public Builder ordersTopic(String v) {
            this.ordersTopic = Objects.requireNonNull(v, "ordersTopic");
            return this;
        }

        /** Share of malformed events, within [0, 1]; default {@value #DEFAULT_MALFORMED_SHARE}. */
        public Builder malformedShare(double v) {
            this.malformedShare = requireShare(v, "malformedShare");
            return this;
        }

        /** Share of events in schema v2, within [0, 1]; default {@value #DEFAULT_V2_SHARE}. */
        public Builder v2Share(double v) {
            this.v2Share = requireShare(v, "v2Share");
            return this;
        }

        /** The random seed; default {@value #DEFAULT_SEED}. The same seed gives the same events. */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** The clock for {@code created_at}/{@code clicked_at}; default the UTC system clock. */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        public FlowGuardTraffic build() {
            return new FlowGuardTraffic(this);
        }

        private static double requireShare(double v, String name) {
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new IllegalArgumentException(name + " must be within [0, 1], but was " + v);
            }
            return v;
        }
    }
}
