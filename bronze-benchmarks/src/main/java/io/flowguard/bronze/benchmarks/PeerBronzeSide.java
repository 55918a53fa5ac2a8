package io.flowguard.bronze.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The Bronze side of {@link PeerBenchmark}, run as its own JVM so that its peak RSS and CPU time are its own, as Kafka
 * Connect's are: {@code engines} {@link IngestionEngine}s in one consumer group, writing through one sink (built by the
 * sink factory of {@code mode}) over one HikariCP pool, until standard input closes or the process is terminated.
 *
 * <p>Arguments ({@code --name value}): {@code bootstrap}, {@code jdbc-url}, {@code topic}, {@code group}, {@code mode}
 * (a key of {@link #SINK_MODES}), {@code batch} (maxBatchRecords), {@code max-batch-wait-ms}, {@code pool} (maximum pool
 * size), {@code engines}. Prints {@code ready} once every engine has started; exits non-zero when an engine fails.
 */
public final class PeerBronzeSide {

    /**
     * The sink modes the benchmark can run, by name. {@code default} is {@link JdbcBronzeSink#postgres(DataSource)}
     * (idempotent insert, ingestion ledger on). Add {@code append} here once the SQL sinks have an append mode
     * (branch h-sinkcore), e.g. {@code "append", ds -> JdbcBronzeSink.builder(ds, SqlDialect.postgres()).append(true).build()}.
     */
    static final Map<String, Function<DataSource, BronzeSink>> SINK_MODES = sinkModes();

    private PeerBronzeSide() {
    }

    private static Map<String, Function<DataSource, BronzeSink>> sinkModes() {
        Map<String, Function<DataSource, BronzeSink>> modes = new LinkedHashMap<>();
        modes.put("default", JdbcBronzeSink::postgres);
        return Map.copyOf(modes);
    }

    /** The sink factory of {@code mode}, or an error that lists the modes this build has. */
    static Function<DataSource, BronzeSink> sinkFactory(String mode) {
        Function<DataSource, BronzeSink> f = SINK_MODES.get(mode);
        if (f == null) {
            throw new IllegalArgumentException("sink mode '" + mode + "' is not available in this build; available: "
                    + SINK_MODES.keySet() + " (append comes with the SQL sinks' append mode: add it to PeerBronzeSide.SINK_MODES)");
        }
        return f;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = PeerBenchmark.parseArgs(args);
        int engines = Integer.parseInt(a.getOrDefault("engines", "1"));
        int pool = Integer.parseInt(a.getOrDefault("pool", Integer.toString(Math.max(2, engines))));
        Function<DataSource, BronzeSink> factory = sinkFactory(a.getOrDefault("mode", "default"));

        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(require(a, "jdbc-url"));
        hc.setMaximumPoolSize(pool);
        hc.setMinimumIdle(pool);
        hc.setPoolName("peer-bronze");
        List<IngestionEngine> started = new ArrayList<>();
        try (HikariDataSource ds = new HikariDataSource(hc)) {
            BronzeSink sink = factory.apply(ds);
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
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // drain until the parent closes our stdin
                }
            } catch (IOException ignored) {
                // parent gone
            }
        }, "peer-stdin");
        watcher.setDaemon(true);
        watcher.start();
        while (watcher.isAlive()) {
            for (IngestionEngine e : engines) {
                if (e.state() == EngineState.FAILED) {
                    System.err.println("engine " + e.name() + " failed: " + e.failure().orElse(null));
                    e.failure().ifPresent(Throwable::printStackTrace);
                    System.exit(3);
                }
            }
            Thread.sleep(100);
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
