package io.flowguard.bronze.chaos;

import io.flowguard.bronze.core.EngineListener;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.RetryPolicy;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The engine process of {@link ChaosIT}: one {@link IngestionEngine} writing to PostgreSQL through {@link JdbcBronzeSink}
 * and {@link JdbcDeadLetterSink}, run until the process is killed (SIGKILL: nothing is drained) or terminated (SIGTERM:
 * a shutdown hook closes the engine, which drains and leaves the group).
 *
 * <p>Arguments: {@code <bootstrapServers> <topic> <groupId> <jdbcUrl> <engineName>}. Prints {@value #READY} followed by
 * the engine name to stdout once the engine is started, and {@value #STOPPED} with the final state when it ends. Exit
 * code 0 after a close, 1 when the engine failed.
 *
 * <p>Settings chosen for the chaos scenario: a session timeout of 6 s (the broker's minimum) so a killed member's
 * partitions move on quickly; {@code max.poll.interval.ms} of 15 s, <em>shorter</em> than the 20 s database outage, so an
 * engine that stopped polling while its writer retries would be evicted and the test would see it; a retry budget of
 * 2 minutes, longer than the outage.
 */
public final class ChaosEngineMain {
    /** The line printed when the engine has started. */
    public static final String READY = "CHAOS-ENGINE-READY";
    /** The line printed when the engine has stopped. */
    public static final String STOPPED = "CHAOS-ENGINE-STOPPED";
    /** Consumer {@code max.poll.interval.ms}: less than the database outage of {@link ChaosIT}. */
    public static final int MAX_POLL_INTERVAL_MS = 15_000;

    private ChaosEngineMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5) {
            System.err.println("usage: ChaosEngineMain <bootstrapServers> <topic> <groupId> <jdbcUrl> <engineName>");
            System.exit(2);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[3]);
        dataSource.setConnectTimeout(5);
        dataSource.setSocketTimeout(30);

        CountDownLatch stopped = new CountDownLatch(1);
        IngestionEngine engine = IngestionEngine.builder()
                .name(args[4])
                .bootstrapServers(args[0])
                .topics(args[1])
                .groupId(args[2])
                .sink(JdbcBronzeSink.postgres(dataSource))
                .deadLetterSink(JdbcDeadLetterSink.postgres(dataSource))
                .maxBatchRecords(500)
                .maxBatchWait(Duration.ofMillis(200))
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(1_000)
                        .initialBackoff(Duration.ofMillis(200))
                        .maxBackoff(Duration.ofSeconds(2))
                        .maxRetryDuration(Duration.ofMinutes(2))
                        .build())
                .consumerProperty("session.timeout.ms", 6_000)
                .consumerProperty("heartbeat.interval.ms", 1_000)
                .consumerProperty("max.poll.interval.ms", MAX_POLL_INTERVAL_MS)
                // must fit in max.poll.interval.ms with the commit timeout, or the builder rejects it (F3)
                .revocationTimeout(Duration.ofSeconds(5))
                .listener(new EngineListener() {
                    @Override
                    public void onStateChange(String name, EngineState from, EngineState to) {
                        if (to.isTerminal()) {
                            stopped.countDown();
                        }
                    }
                })
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "chaos-shutdown"));
        engine.start();
        System.out.println(READY + " " + engine.name());
        System.out.flush();
        stopped.await();
        System.out.println(STOPPED + " " + engine.name() + " state=" + engine.state()
                + engine.failure().map(f -> " failure=" + f).orElse(""));
        System.out.flush();
        if (engine.state() == EngineState.FAILED) {
            // The poll thread has ended; exit without waiting for shutdown hooks to matter.
            Runtime.getRuntime().halt(1);
        }
    }
}
