package io.flowguard.bronze.examples.flowguard;

// Size note: over 400 lines because an example a reader follows top to bottom (route, validate, stamp, produce,
// answer); splitting it would make the example harder to read.

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over the ~400-line guide: about 170 of these lines are the documented Builder, kept nested as in IngestionEngine.
/**
 * The FlowGuard events gateway: an HTTP endpoint that checks events and produces them to Kafka, where an ingestion engine
 * running <em>beside</em> it lands them in Bronze (see docs/getting-started.md for why beside, not inside).
 *
 * <pre>{@code
 * try (EventsGateway gateway = EventsGateway.builder().bootstrapServers("kafka:9092").topics("orders", "clicks")
 *         .port(8000).start()) {
 *     // POST http://localhost:8000/events/orders  with one JSON event or a JSON array of events
 * }
 * }</pre>
 *
 * <p><b>Endpoints.</b> {@code POST /events/{topic}} takes one JSON event object or a JSON array of them and answers:
 * <ul>
 *   <li><b>202</b> {@code {"accepted":N,"events":[{"index":0,"event_id":..,"topic":..,"partition":..,"offset":..}]}} once
 *       Kafka acknowledged every event ({@code acks=all}, idempotent producer);</li>
 *   <li><b>400</b> {@code {"error":"...","index":i}} when the body is not JSON, not an object or array of objects, an
 *       event fails the envelope check ({@link Envelope}), or the topic is not one of {@link Builder#topics}; nothing of
 *       the body is produced;</li>
 *   <li><b>413</b> when the body is larger than {@link Builder#maxBodyBytes}; <b>405</b> for other methods;</li>
 *   <li><b>503</b> {@code {"error":"...","written":[...],"not_written":[...]}} when Kafka is unavailable.</li>
 * </ul>
 * {@code GET /health} answers 200. Each event is produced with the headers {@code event_id} (the event's, or a generated
 * UUID when it has none), {@code event_type}, {@code schema_version} and {@code producer_service}.
 *
 * <p><b>The all-or-nothing guarantee, exactly.</b> Every event of a body is checked before any is handed to the producer,
 * and the topic's metadata is fetched first (bounded by {@link Builder#kafkaTimeout}), so bad input and a Kafka that
 * cannot be reached write nothing. After that the events are sent together and the idempotent producer retries
 * transient errors without duplicating; only when Kafka fails <em>during</em> the send and stays failed for longer than
 * {@code kafkaTimeout} can some events of an array be written and others not. The 503 answer then lists both, by
 * index with their offsets, so the client resends only {@code not_written}. The gateway does not use Kafka transactions,
 * which would make an array atomic, because each commit marker occupies an offset that the ingestion ledger's gap check
 * reports and every engine would need {@code isolation.level=read_committed}.
 *
 * <p>Thread-safe. {@link #close()} stops the HTTP server (waiting up to a second for requests in progress) and closes
 * the producer.
 *
 * @since 0.2.0
 */
public final class EventsGateway implements AutoCloseable {
    /** Default {@link Builder#maxBodyBytes}: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** Default {@link Builder#maxEventsPerRequest}: {@value}. */
    public static final int DEFAULT_MAX_EVENTS_PER_REQUEST = 1_000;
    /** Default {@link Builder#kafkaTimeout}: 10 seconds. */
    public static final Duration DEFAULT_KAFKA_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link Builder#threads}: {@value}. */
    public static final int DEFAULT_THREADS = 8;
    /** Default {@link Builder#schemaVersions}: v1 and v2. */
    public static final Set<String> DEFAULT_SCHEMA_VERSIONS = Set.of("v1", "v2");

    private static final Logger LOG = LoggerFactory.getLogger(EventsGateway.class);
    private static final String EVENTS_PATH = "/events/";

    private final String name;
    private final Set<String> topics;
    private final int maxBodyBytes;
    private final Duration kafkaTimeout;
    private final Envelope envelope;
    private final Producer<byte[], byte[]> producer;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper();

    private EventsGateway(Builder b) throws IOException {
        this.name = b.name;
        this.topics = Set.copyOf(b.topics);
        this.maxBodyBytes = b.maxBodyBytes;
        this.kafkaTimeout = b.kafkaTimeout;
        this.envelope = new Envelope(b.schemaVersions, b.maxEventsPerRequest, UUID::randomUUID);
        this.producer = new KafkaProducer<>(producerConfig(b), new ByteArraySerializer(), new ByteArraySerializer());
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(b.threads, r -> {
            Thread t = new Thread(r, name + "-http-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(b.host, b.port), 0);
        } catch (IOException e) {
            producer.close(Duration.ZERO);
            executor.shutdownNow();
            throw new IOException(
                    "gateway " + name + " cannot listen on " + b.host + ":" + b.port + ": " + e.getMessage(), e);
        }
        this.server = s;
        server.createContext(EVENTS_PATH, this::handleEvents);
        server.createContext("/health", this::handleHealth);
        server.setExecutor(executor);
        server.start();
        LOG.info("gateway {} listening on {} for topics {}, producing to {}", name, uri(), topics, b.bootstrapServers);
    }

    /** A builder with the defaults; {@link Builder#bootstrapServers} and {@link Builder#topics} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the gateway listens on (the chosen one when {@link Builder#port} was 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URI, e.g. {@code http://127.0.0.1:8000}. */
    public URI uri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        producer.close(Duration.ofSeconds(5));
        LOG.info("gateway {} closed", name);
    }

    @Override
    public String toString() {
        return "EventsGateway{" + name + ", " + uri() + ", topics=" + topics + '}';
    }

    private static Map<String, Object> producerConfig(Builder b) {
        Map<String, Object> config = new HashMap<>(b.producerProperties);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, b.name);
        // Idempotent, fully acknowledged: a retried send is written once, and an acknowledged event survives the
        // leader.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        long timeout = b.kafkaTimeout.toMillis();
        // How long a request may wait for Kafka: for metadata or buffer space (max.block.ms), then for the
        // acknowledgement
        // including retries (delivery.timeout.ms, which must be >= linger.ms + request.timeout.ms).
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, (timeout - 5) / 2));
        return config;
    }

    private void handleHealth(HttpExchange exchange) throws IOException {
        try (exchange) {
            ObjectNode body = json.createObjectNode().put("status", "UP").put("gateway", name);
            body.putArray("topics")
                    .addAll(topics.stream()
                            .sorted()
                            .map(json.getNodeFactory()::textNode)
                            .toList());
            respond(exchange, 200, body);
        }
    }

    private void handleEvents(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                respond(
                        exchange,
                        405,
                        error(exchange.getRequestMethod() + " is not supported: POST events to /events/{topic}", -1));
                return;
            }
            String topic = exchange.getRequestURI().getPath().substring(EVENTS_PATH.length());
            if (topic.isEmpty() || topic.contains("/")) {
                respond(
                        exchange,
                        404,
                        error(
                                "no such endpoint " + exchange.getRequestURI().getPath()
                                        + ": POST events to /events/{topic}",
                                -1));
                return;
            }
            if (!topics.contains(topic)) {
                respond(
                        exchange,
                        400,
                        error(
                                "unknown topic '" + topic + "': this gateway accepts "
                                        + topics.stream().sorted().toList(),
                                -1));
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                respond(
                        exchange,
                        413,
                        error(
                                "the body is larger than " + maxBodyBytes + " bytes: split it into "
                                        + "several requests",
                                -1));
                return;
            }
            List<Envelope.Event> events;
            try {
                events = envelope.parse(body, exchange.getRequestHeaders().getFirst("X-Producer-Service"));
            } catch (Envelope.RejectedException e) {
                LOG.debug("gateway {} rejected a body for {}: {}", name, topic, e.getMessage());
                respond(exchange, 400, error(e.getMessage(), e.index()));
                return;
            }
            produce(exchange, topic, events);
        }
    }

    private void produce(HttpExchange exchange, String topic, List<Envelope.Event> events) throws IOException {
        try {
            // Reaching Kafka first means an outage answers 503 before any event of the body was handed to the producer.
            producer.partitionsFor(topic);
        } catch (RuntimeException e) {
            LOG.warn("gateway {} cannot reach Kafka for topic {}: {}", name, topic, e.toString());
            ObjectNode body =
                    error("Kafka is unavailable (" + e.getMessage() + "); nothing was written: retry later", -1);
            body.putArray("written");
            ArrayNode notWritten = body.putArray("not_written");
            events.forEach(ev -> notWritten.add(ev.index() < 0 ? 0 : ev.index()));
            respond(exchange, 503, body);
            return;
        }
        List<Future<RecordMetadata>> futures = new ArrayList<>(events.size());
        RuntimeException sendFailure = null;
        for (Envelope.Event ev : events) {
            try {
                futures.add(producer.send(record(topic, ev)));
            } catch (RuntimeException e) {
                sendFailure = e; // this and the following events are not handed to the producer
                break;
            }
        }
        ObjectNode accepted = json.createObjectNode();
        ArrayNode written = json.createArrayNode();
        ArrayNode notWritten = json.createArrayNode();
        String failure = sendFailure == null ? null : sendFailure.toString();
        long deadline = System.nanoTime() + kafkaTimeout.toNanos() + TimeUnit.SECONDS.toNanos(5);
        for (int i = 0; i < events.size(); i++) {
            Envelope.Event ev = events.get(i);
            if (i >= futures.size()) {
                notWritten.add(Math.max(ev.index(), 0));
                continue;
            }
            try {
                RecordMetadata m = futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                written.addObject()
                        .put("index", Math.max(ev.index(), 0))
                        .put("event_id", ev.eventId())
                        .put("event_id_generated", ev.eventIdGenerated())
                        .put("topic", m.topic())
                        .put("partition", m.partition())
                        .put("offset", m.offset());
            } catch (ExecutionException | TimeoutException e) {
                failure = failure != null ? failure : String.valueOf(e.getCause() != null ? e.getCause() : e);
                notWritten.add(Math.max(ev.index(), 0));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : "interrupted while waiting for Kafka";
                notWritten.add(Math.max(ev.index(), 0));
            }
        }
        if (notWritten.isEmpty()) {
            accepted.put("accepted", written.size());
            accepted.set("events", written);
            respond(exchange, 202, accepted);
            return;
        }
        LOG.warn(
                "gateway {} could not write {} of {} event(s) to {}: {}",
                name,
                notWritten.size(),
                events.size(),
                topic,
                failure);
        ObjectNode body = error(
                "Kafka is unavailable (" + failure + "): " + written.size() + " of " + events.size()
                        + " event(s) were written; resend only those listed in not_written",
                -1);
        body.set("written", written);
        body.set("not_written", notWritten);
        respond(exchange, 503, body);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, Envelope.Event ev) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("event_id", ev.eventId().getBytes(StandardCharsets.UTF_8));
        headers.add("event_type", ev.eventType().getBytes(StandardCharsets.UTF_8));
        headers.add("schema_version", ev.schemaVersion().getBytes(StandardCharsets.UTF_8));
        headers.add("producer_service", ev.producerService().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(
                topic, null, null, ev.key().getBytes(StandardCharsets.UTF_8), ev.payload(), headers);
    }

    /** The body, or null when it is larger than the limit. */
    private byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxBodyBytes + 1);
        return body.length > maxBodyBytes ? null : body;
    }

    private ObjectNode error(String message, int index) {
        ObjectNode body = json.createObjectNode().put("error", message);
        if (index >= 0) {
            body.put("index", index);
        }
        return body;
    }

    private void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Builds an {@link EventsGateway}; setters reject bad values at once. Not thread-safe. */
    public static final class Builder {
        private String name = "events-gateway";
        private String bootstrapServers;
        private Set<String> topics = Set.of();
        private String host = "127.0.0.1";
        private int port = 0;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxEventsPerRequest = DEFAULT_MAX_EVENTS_PER_REQUEST;
        private Duration kafkaTimeout = DEFAULT_KAFKA_TIMEOUT;
        private int threads = DEFAULT_THREADS;
        private Set<String> schemaVersions = DEFAULT_SCHEMA_VERSIONS;
        private Map<String, Object> producerProperties = Map.of();

        private Builder() {}

        /** The name in log lines, thread names ({@code <name>-http-N}) and the Kafka client id; default {@code events-gateway}. */
        public Builder name(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, but was '" + v + "'");
            }
            this.name = v;
            return this;
        }

        /** Kafka's {@code bootstrap.servers}; required. */
        public Builder bootstrapServers(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(
                        "bootstrapServers must be host:port[,host:port], but was '" + v + "'");
            }
            this.bootstrapServers = v;
            return this;
        }

        /** The topics events may be posted to; required. Any other topic answers 400. */
        public Builder topics(String... v) {
            Objects.requireNonNull(v, "topics");
            Set<String> set = new LinkedHashSet<>();
            for (String t : v) {
                if (t == null || t.isBlank() || t.contains("/")) {
                    throw new IllegalArgumentException(
                            "topics must be non-blank names without '/', but one was '" + t + "'");
                }
                set.add(t);
            }
            this.topics = set;
            return this;
        }

        /** The address to listen on; default {@code 127.0.0.1} (use {@code 0.0.0.0} to accept remote clients). */
        public Builder host(String v) {
            this.host = Objects.requireNonNull(v, "host");
            return this;
        }

        /** The port, 0..65535; default 0: a free port, see {@link EventsGateway#port()}. */
        public Builder port(int v) {
            if (v < 0 || v > 65_535) {
                throw new IllegalArgumentException("port must be within [0, 65535], but was " + v);
            }
            this.port = v;
            return this;
        }

        /** The largest body accepted, in bytes, > 0; default 1 MiB. Larger: 413. */
        public Builder maxBodyBytes(int v) {
            if (v <= 0 || v == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxBodyBytes must be > 0 and < 2^31-1, but was " + v);
            }
            this.maxBodyBytes = v;
            return this;
        }

        /** The most events in one array, > 0; default {@value EventsGateway#DEFAULT_MAX_EVENTS_PER_REQUEST}. More: 400. */
        public Builder maxEventsPerRequest(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxEventsPerRequest must be > 0, but was " + v);
            }
            this.maxEventsPerRequest = v;
            return this;
        }

        /**
         * How long a request waits for Kafka before answering 503, at least 100 ms; default 10 s. Sets the producer's
         * {@code max.block.ms} and {@code delivery.timeout.ms} to it and {@code request.timeout.ms} to about half.
         */
        public Builder kafkaTimeout(Duration v) {
            Objects.requireNonNull(v, "kafkaTimeout");
            if (v.toMillis() < 100 || v.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "kafkaTimeout must be >= 100ms and fit in an int of millis, but was " + v);
            }
            this.kafkaTimeout = v;
            return this;
        }

        /** HTTP worker threads, > 0; default {@value EventsGateway#DEFAULT_THREADS}. */
        public Builder threads(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("threads must be > 0, but was " + v);
            }
            this.threads = v;
            return this;
        }

        /** The accepted {@code schema_version} values; default v1 and v2. */
        public Builder schemaVersions(String... v) {
            Objects.requireNonNull(v, "schemaVersions");
            if (v.length == 0) {
                throw new IllegalArgumentException("schemaVersions must name at least one version");
            }
            this.schemaVersions = Set.of(v);
            return this;
        }

        /**
         * Extra producer properties (security, compression, ...). Idempotence, {@code acks=all}, the timeouts derived from
         * {@link #kafkaTimeout} and the bootstrap servers are set by the gateway and win over these.
         */
        public Builder producerProperties(Map<String, ?> v) {
            this.producerProperties = Map.copyOf(Objects.requireNonNull(v, "producerProperties"));
            return this;
        }

        /**
         * Starts listening and returns the running gateway.
         *
         * @throws IllegalArgumentException when bootstrap servers or topics are missing
         * @throws IOException when the address cannot be bound
         */
        public EventsGateway start() throws IOException {
            List<String> problems = new ArrayList<>();
            if (bootstrapServers == null) {
                problems.add("bootstrapServers is required: set bootstrapServers(\"host:9092\")");
            }
            if (topics.isEmpty()) {
                problems.add("topics is required: set topics(\"orders\", \"clicks\")");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new EventsGateway(this);
        }
    }
}
