package io.flowguard.bronze.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.WriteMode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * The Bronze side of {@link PeerBenchmark}, run as its own JVM so that its peak RSS and CPU time are its own, as Kafka
 * Connect's are: {@code engines} {@link IngestionEngine}s in one consumer group, writing through one sink (built by the
 * sink factory of {@code mode}) over one HikariCP pool, until standard input closes or the process is terminated.
 *
 * <p>Arguments ({@code --name value}): {@code bootstrap}, {@code jdbc-url}, {@code topic}, {@code group}, {@code mode}
 * (a key of {@link #SINK_MODES}), {@code batch} (maxBatchRecords), {@code max-batch-wait-ms}, {@code pool} (maximum pool
 * size; 0: no pool, a bare {@code PGSimpleDataSource} that opens a connection per call), {@code engines}, {@code router}
 * ({@code default}, or {@code memo}: the default naming computed once per topic). Prints {@code ready} once every engine
 * has started; exits non-zero when an engine fails.
 */
public final class PeerBronzeSide {

    /**
     * The sink modes the benchmark can run, by name: {@code default} is {@link JdbcBronzeSink#postgres(DataSource)}
     * (idempotent {@code INSERT ... ON CONFLICT DO NOTHING}, ingestion ledger on); {@code append} is
     * {@code writeMode(WriteMode.APPEND)} (plain inserts, exactly-once from the ledger; docs/append-mode.md); {@code json} and
     * {@code append-json} are the same with {@link SqlDialect#postgresPlainJson()} ({@code json} columns). A new mode
     * is one more entry here: a factory of the sink from the DataSource and the table router.
     */
    static final Map<String, BiFunction<DataSource, TableRouter, BronzeSink>> SINK_MODES = sinkModes();

    private PeerBronzeSide() {}

    private static Map<String, BiFunction<DataSource, TableRouter, BronzeSink>> sinkModes() {
        Map<String, BiFunction<DataSource, TableRouter, BronzeSink>> modes = new LinkedHashMap<>();
        // JdbcBronzeSink.postgres(ds) is this builder with every default; the router is the default one unless
        // --router memo asks for the same naming computed once per topic.
        modes.put(
                "default",
                (ds, router) -> JdbcBronzeSink.builder(ds, SqlDialect.postgres())
                        .tableRouter(router)
                        .build());
        modes.put(
                "append",
                (ds, router) -> JdbcBronzeSink.builder(ds, SqlDialect.postgres())
                        .tableRouter(router)
                        .writeMode(WriteMode.APPEND)
                        .build());
        // The same two with RAW_EVENT and KAFKA_HEADERS created as json instead of jsonb
        // (SqlDialect.postgresPlainJson).
        modes.put(
                "json",
                (ds, router) -> JdbcBronzeSink.builder(ds, SqlDialect.postgresPlainJson())
                        .tableRouter(router)
                        .build());
        modes.put(
                "append-json",
                (ds, router) -> JdbcBronzeSink.builder(ds, SqlDialect.postgresPlainJson())
                        .tableRouter(router)
                        .writeMode(WriteMode.APPEND)
                        .build());
        return Map.copyOf(modes);
    }

    /**
     * {@link TableRouter#fromTopicName()} computed once per topic: the same names, without a regular expression compiled
     * per record (what the default router costs in the sink's write path; see docs/benchmarks.md). Thread-safe.
     */
    static TableRouter memoized(TableRouter router) {
        Map<String, String> names = new ConcurrentHashMap<>();
        return topic -> names.computeIfAbsent(topic, router::tableFor);
    }

    /** The sink factory of {@code mode}, or an error that lists the modes this build has. */
    static BiFunction<DataSource, TableRouter, BronzeSink> sinkFactory(String mode) {
        BiFunction<DataSource, TableRouter, BronzeSink> f = SINK_MODES.get(mode);
        if (f == null) {
            throw new IllegalArgumentException(
                    "sink mode '" + mode + "' is not available in this build; available: " + SINK_MODES.keySet()
                            + " (append comes with the SQL sinks' append mode: add it to PeerBronzeSide.SINK_MODES)");
        }
        return f;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = PeerBenchmark.parseArgs(args);
        int engines = Integer.parseInt(a.getOrDefault("engines", "1"));
        int pool = Integer.parseInt(a.getOrDefault("pool", Integer.toString(Math.max(2, engines))));
        BiFunction<DataSource, TableRouter, BronzeSink> factory = sinkFactory(a.getOrDefault("mode", "default"));
        String routing = a.getOrDefault("router", "default");
        if (!routing.equals("default") && !routing.equals("memo")) {
            throw new IllegalArgumentException("--router must be default or memo, but was " + routing);
        }
        TableRouter router =
                routing.equals("memo") ? memoized(TableRouter.fromTopicName()) : TableRouter.fromTopicName();

        List<IngestionEngine> started = new ArrayList<>();
        try (Pool ds = pool == 0 ? Pool.unpooled(require(a, "jdbc-url")) : Pool.hikari(require(a, "jdbc-url"), pool)) {
            BronzeSink sink = factory.apply(ds.dataSource(), router);
            try {
                for (int i = 0; i < engines; i++) {
                    IngestionEngine.Builder b = IngestionEngine.builder()
                            .name("peer-" + (i + 1))
                            .bootstrapServers(require(a, "bootstrap"))
                            .groupId(require(a, "group"))
                            .topics(require(a, "topic"))
                            .sink(sink)
                            .consumerProperty("interceptor.classes", FirstRecordInterceptor.class.getName());
                    if (a.containsKey("batch")) {
                        b.maxBatchRecords(Integer.parseInt(a.get("batch")));
                    }
                    if (a.containsKey("max-batch-wait-ms")) {
                        b.maxBatchWait(Duration.ofMillis(Long.parseLong(a.get("max-batch-wait-ms"))));
                    }
                    if (a.containsKey("flush-when-idle")) {
                        b.flushWhenIdle(Boolean.parseBoolean(a.get("flush-when-idle")));
                    }
                    if (a.containsKey("max-poll-records")) {
                        b.consumerProperty("max.poll.records", Integer.parseInt(a.get("max-poll-records")));
                    }
                    started.add(b.start());
                }
                System.out.println("ready");
                System.out.flush();
                awaitStdinClosed(started);
            } finally {
                for (IngestionEngine e : started) {
                    e.close();
                }
                sink.close();
            }
        }
    }

    /** Returns when the parent closes our standard input; exits with status 3 when an engine fails first. */
    private static void awaitStdinClosed(List<IngestionEngine> engines) throws InterruptedException {
        Thread watcher = new Thread(
                () -> {
                    try {
                        while (System.in.read() >= 0) {
                            // drain until the parent closes our stdin
                        }
                    } catch (IOException ignored) {
                        // parent gone
                    }
                },
                "peer-stdin");
        watcher.setDaemon(true);
        watcher.start();
        while (watcher.isAlive()) {
            for (IngestionEngine e : engines) {
                if (e.state() == EngineState.FAILED) {
                    System.err.println(
                            "engine " + e.name() + " failed: " + e.failure().orElse(null));
                    e.failure().ifPresent(Throwable::printStackTrace);
                    System.exit(3);
                }
            }
            Thread.sleep(100);
        }
    }

    /** The DataSource under the sink: a HikariCP pool, or (pool size 0) a bare driver DataSource, a new connection per call. */
    private record Pool(DataSource dataSource, AutoCloseable owner) implements AutoCloseable {
        static Pool hikari(String url, int size) {
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(url);
            hc.setMaximumPoolSize(size);
            hc.setMinimumIdle(size);
            hc.setPoolName("peer-bronze");
            HikariDataSource ds = new HikariDataSource(hc);
            return new Pool(ds, ds);
        }

        static Pool unpooled(String url) {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(url);
            return new Pool(ds, () -> {});
        }

        @Override
        public void close() throws Exception {
            owner.close();
        }
    }

    private static String require(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }
}
