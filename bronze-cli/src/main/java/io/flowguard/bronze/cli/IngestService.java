package io.flowguard.bronze.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.config.BronzeWarehouse;
import io.flowguard.bronze.config.WarehouseSettings;
import io.flowguard.bronze.core.BronzeMeters;
import io.flowguard.bronze.core.EngineHealth;
import io.flowguard.bronze.core.EngineListener;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.Secrets;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone service behind {@code bronze ingest}: one engine built from a {@link BronzeConfig}, a Prometheus meter
 * registry, and an HTTP port serving {@code /health}, {@code /metrics} and the status page {@code /}.
 *
 * <p>Owns everything it opens; {@link #close()} drains the engine (within {@code bronze.close-timeout}), then stops the
 * HTTP server and closes the warehouse. Thread-safe.
 */
final class IngestService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final int BATCHES_SHOWN = 15;

    private final BronzeConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final PrometheusMeterRegistry registry;
    private final BronzeWarehouse warehouse;
    private final IngestionEngine engine;
    private final IngestionLedger ledger;
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService sampler;
    private final RateWindow landed = new RateWindow(Duration.ofHours(1));
    private final RateWindow deadLettered = new RateWindow(Duration.ofHours(1));
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ObjectMapper json = new ObjectMapper();

    private IngestService(BronzeConfig config, DataSource dataSource, Clock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
        String name = config.engineName();
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.warehouse = dataSource == null ? config.openWarehouse() : config.openWarehouse(dataSource);
        try {
            this.ledger = warehouse.ledger();
            this.engine = warehouse
                    .engineBuilder()
                    .meterRegistry(registry)
                    .clock(clock)
                    .listener(new EngineListener() {
                        @Override
                        public void onStateChange(String engine, EngineState from, EngineState to) {
                            if (to.isTerminal()) {
                                terminated.countDown();
                            }
                        }
                    })
                    .build();
            this.httpThreads = Executors.newFixedThreadPool(2, named("bronze-" + name + "-http"));
            this.http = HttpServer.create(new InetSocketAddress(config.httpHost(), config.httpPort()), 16);
        } catch (RuntimeException | IOException e) {
            warehouse.close();
            throw e;
        }
        http.setExecutor(httpThreads);
        http.createContext("/health", this::health);
        http.createContext("/metrics", this::metrics);
        http.createContext("/", this::page);
        this.sampler = Executors.newSingleThreadScheduledExecutor(named("bronze-" + name + "-status"));
    }

    /**
     * Builds and starts the engine and the HTTP server.
     *
     * @param dataSource the warehouse's DataSource, or null to open it from {@code bronze.warehouse.*}
     */
    static IngestService start(BronzeConfig config, DataSource dataSource, Clock clock) throws IOException {
        IngestService s = new IngestService(config, dataSource, clock);
        s.engine.start();
        s.http.start();
        s.sample();
        s.sampler.scheduleAtFixedRate(
                s::sample, SAMPLE_EVERY.toMillis(), SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(
                "[{}] bronze ingest: consuming {} as group {} into {}; HTTP on {} (/health, /metrics, /)",
                config.engineName(),
                config.topics(),
                config.groupId(),
                warehouse(config),
                s.url());
        return s;
    }

    /** The port the HTTP server listens on (the chosen one when {@code bronze.http.port=0}). */
    int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://host:port/}, with 127.0.0.1 for a wildcard bind. */
    String url() {
        String host = config.httpHost();
        return "http://" + ("0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host) + ":" + port() + "/";
    }

    IngestionEngine engine() {
        return engine;
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Blocks until the engine stopped on its own (FAILED) or was closed; returns its state then. */
    EngineState awaitTermination() throws InterruptedException {
        terminated.await();
        return engine.state();
    }

    /**
     * Drains the engine (flush, write, commit; at most {@code bronze.close-timeout}), then stops the HTTP server and
     * closes the warehouse. Idempotent.
     *
     * @return {@code true} when the engine closed cleanly (state CLOSED, no failure), so everything read was committed
     */
    boolean shutdown() {
        if (!closed.compareAndSet(false, true)) {
            return engine.state() == EngineState.CLOSED && engine.failure().isEmpty();
        }
        LOG.info(
                "[{}] bronze ingest: stopping; draining the engine (at most {})",
                config.engineName(),
                engine.config().closeTimeout());
        try {
            engine.close();
        } finally {
            sampler.shutdownNow();
            http.stop(0);
            httpThreads.shutdownNow();
            warehouse.close();
            registry.close();
        }
        boolean clean = engine.state() == EngineState.CLOSED && engine.failure().isEmpty();
        LOG.info(
                "[{}] bronze ingest: stopped, engine {}{}",
                config.engineName(),
                engine.state(),
                engine.failure()
                        .map(f -> " (" + config.warehouse().scrub(f.getMessage()) + ")")
                        .orElse(""));
        return clean;
    }

    @Override
    public void close() {
        shutdown();
    }

    // ---- HTTP ----

    private void health(HttpExchange x) throws IOException {
        if (!allowed(x)) {
            return;
        }
        EngineHealth h = engine.health();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", h.status().name());
        body.put("state", h.state().name());
        body.put("engine", engine.name());
        body.put("reasons", h.reasons());
        body.put("maxLag", h.maxLag());
        body.put("deadLetterRate", h.deadLetterRate());
        body.put("checkedAt", h.checkedAt().toString());
        respond(
                x,
                h.status() == EngineHealth.Status.DOWN ? 503 : 200,
                "application/json",
                json.writeValueAsString(body) + "\n");
    }

    private void metrics(HttpExchange x) throws IOException {
        if (!allowed(x)) {
            return;
        }
        respond(x, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    private void page(HttpExchange x) throws IOException {
        if (!allowed(x)) {
            return;
        }
        if (!"/".equals(x.getRequestURI().getPath())) {
            respond(x, 404, "text/plain; charset=utf-8", "not found: try /, /health or /metrics\n");
            return;
        }
        respond(x, 200, "text/html; charset=utf-8", StatusPage.render(snapshot()));
    }

    private static boolean allowed(HttpExchange x) throws IOException {
        String m = x.getRequestMethod();
        if ("GET".equals(m) || "HEAD".equals(m)) {
            return true;
        }
        x.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(x, 405, "text/plain; charset=utf-8", "method not allowed: use GET\n");
        return false;
    }

    private static void respond(HttpExchange x, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", contentType);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(x.getRequestMethod());
        x.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    // ---- figures ----

    private void sample() {
        try {
            Instant now = clock.instant();
            landed.record(now, counterTotal(BronzeMeters.RECORDS_LANDED));
            deadLettered.record(now, counterTotal(BronzeMeters.RECORDS_DEAD_LETTERED));
        } catch (RuntimeException e) {
            LOG.debug("[{}] status sample failed", config.engineName(), e);
        }
    }

    private double counterTotal(String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    StatusPage.Snapshot snapshot() {
        Instant now = clock.instant();
        List<StatusPage.Lag> lags = new ArrayList<>();
        for (Gauge g : registry.find(BronzeMeters.CONSUMER_LAG).gauges()) {
            String partition = g.getId().getTag(BronzeMeters.TAG_PARTITION);
            lags.add(new StatusPage.Lag(
                    g.getId().getTag(BronzeMeters.TAG_TOPIC),
                    partition == null ? -1 : Integer.parseInt(partition),
                    Math.round(g.value())));
        }
        lags.sort(Comparator.comparing(StatusPage.Lag::topic).thenComparingInt(StatusPage.Lag::partition));
        Gauge commitAge = registry.find(BronzeMeters.SECONDS_SINCE_LAST_COMMIT).gauge();
        List<IngestionLedger.Entry> batches = List.of();
        String ledgerProblem = null;
        if (!config.warehouse().ledger()) {
            ledgerProblem = "The ingestion ledger is off (bronze.warehouse.ledger=false).";
        } else {
            try {
                batches =
                        ledger
                                .landedBetween(now.minus(Duration.ofHours(1)), now.plusSeconds(1), Optional.empty())
                                .stream()
                                .sorted(Comparator.comparing(
                                        IngestionLedger.Entry::committedAt,
                                        Comparator.nullsLast(Comparator.reverseOrder())))
                                .limit(BATCHES_SHOWN)
                                .toList();
            } catch (RuntimeException e) {
                ledgerProblem = "Cannot read the ingestion ledger: "
                        + config.warehouse()
                                .scrub(Warehouse.firstLine(
                                        e.getCause() != null && e.getMessage() == null
                                                ? e.getCause().getMessage()
                                                : e.getMessage()));
            }
        }
        return new StatusPage.Snapshot(
                engine.name(),
                config.groupId(),
                config.topics(),
                warehouse(config),
                engine.state(),
                engine.health(),
                lags,
                landed.perSecond(Duration.ofMinutes(1)),
                counterTotal(BronzeMeters.RECORDS_LANDED),
                deadLettered.increase(Duration.ofHours(1)),
                commitAge == null ? 0 : commitAge.value(),
                batches,
                ledgerProblem,
                config.masked(),
                now,
                Duration.between(startedAt, now));
    }

    private static String warehouse(BronzeConfig config) {
        WarehouseSettings w = config.warehouse();
        String where = w.url() != null
                ? Secrets.maskUrl(w.url())
                : w.account() != null ? w.account() : "(application DataSource)";
        return w.type().key() + " " + where;
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
