package io.flowguard.bronze.benchmarks;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.jdbc.AbstractDataSource;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.snowflake.SnowflakeMergeSink;
import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.flowguard.bronze.testkit.TestRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;

/**
 * Snowflake sink through the real snowflake-jdbc driver into fakesnow, driven by the engine from an in-JVM Kafka broker:
 * once per {@link WriteMode}, {@code events} order events over 3 partitions. Counts, per mode, the rows landed, the
 * duplicates ({@code rows - distinct INGESTION_ID}), the missing events, the statements the sink sends per batch (prepared
 * statements executed during sink writes, divided by the writes; transaction control not counted) and the largest
 * statement after gzip compression (SQL text plus bound strings: what Snowflake's 1 MB guidance counts).
 *
 * <p>Arguments: {@code [events (default 100000)] [maxBatchRecords (default 5000)]}. Needs {@code FAKESNOW_BIN} (or
 * fakesnow on the PATH). The last lines printed are, one per mode:
 * {@code snowflake: mode=M rows=R duplicates=D missing=X statements_per_batch=S max_statement_compressed_bytes=B}.
 */
public final class SnowflakeBenchmark {
    private static final int PARTITIONS = 3;

    private SnowflakeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        List<String> lines = new ArrayList<>();
        Fakesnow fakesnow = Fakesnow.create();
        fakesnow.start();
        try (KafkaBroker kafka = KafkaBroker.create().start()) {
            for (WriteMode mode : WriteMode.values()) {
                lines.add(run(kafka, fakesnow, mode, events, batch));
            }
        } finally {
            fakesnow.stop();
        }
        lines.forEach(System.out::println);
    }

    private static String run(KafkaBroker kafka, Fakesnow fakesnow, WriteMode mode, int events, int batch)
            throws Exception {
        String schema = "BENCH_" + mode;
        String topic = kafka.createUniqueTopic("orders", PARTITIONS);
        kafka.produceJson(topic, events, i -> TestRecords.orderJson(topic, i % PARTITIONS, i / PARTITIONS));
        DataSource plain = fakesnow.dataSource("BRONZE_BENCH", schema);
        Measuring measuring = new Measuring(plain);
        SnowflakeMergeSink sink = SnowflakeMergeSink.builder(measuring)
                .schema(schema)
                .writeMode(mode)
                .build();
        sink.ensureTable(io.flowguard.bronze.api.TableRouter.fromTopicName().tableFor(topic));
        CountingSink counting = new CountingSink(sink, measuring);
        String group = "bench-" + topic;
        long t0 = System.nanoTime();
        try (IngestionEngine engine = IngestionEngine.builder()
                .name("snowflake-bench-" + mode)
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(counting)
                .deadLetterSink(DeadLetterSink.logging())
                .maxBatchRecords(batch)
                .maxBatchWait(Duration.ofMillis(500))
                .start()) {
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            while (kafka.committedOffsets(group).values().stream()
                            .mapToLong(Long::longValue)
                            .sum()
                    < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the engine did not commit " + events + " events within 15 minutes");
                }
                Thread.sleep(200); // a benchmark driver, not a test: polling the group's progress
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String table = schema + "."
                + io.flowguard.bronze.api.TableRouter.fromTopicName().tableFor(topic);
        long rows = scalar(plain, "SELECT COUNT(*) FROM " + table);
        long distinct = scalar(plain, "SELECT COUNT(DISTINCT INGESTION_ID) FROM " + table);
        double perBatch = counting.writes.get() == 0 ? 0 : (double) counting.statements.get() / counting.writes.get();
        System.out.printf(
                Locale.ROOT,
                "snowflake %s: %d events in %.1f s (%.0f rows/s) in %d sink writes of up to %d records%n",
                mode,
                events,
                seconds,
                events / seconds,
                counting.writes.get(),
                batch);
        return String.format(
                Locale.ROOT,
                "snowflake: mode=%s rows=%d duplicates=%d missing=%d statements_per_batch=%.1f "
                        + "max_statement_compressed_bytes=%d",
                mode.name().toLowerCase(Locale.ROOT),
                rows,
                rows - distinct,
                events - distinct,
                perBatch,
                measuring.maxCompressed.get());
    }

    private static long scalar(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Counts sink writes and the prepared statements they execute; passes everything else on. */
    static final class CountingSink implements BronzeSink {
        final AtomicLong writes = new AtomicLong();
        final AtomicLong statements = new AtomicLong();
        private final BronzeSink delegate;
        private final Measuring measuring;

        CountingSink(BronzeSink delegate, Measuring measuring) {
            this.delegate = delegate;
            this.measuring = measuring;
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            long before = measuring.executed.get();
            WriteResult r = delegate.write(records, batch);
            writes.incrementAndGet();
            statements.addAndGet(measuring.executed.get() - before);
            return r;
        }

        @Override
        public Map<SourcePartition, Long> storedPositions(Collection<SourcePartition> partitions) {
            return delegate.storedPositions(partitions);
        }

        @Override
        public Optional<DeadLetterSink> companionDeadLetterSink() {
            return delegate.companionDeadLetterSink();
        }

        @Override
        public Optional<io.flowguard.bronze.api.BatchLimits> recommendedBatchLimits() {
            return delegate.recommendedBatchLimits();
        }
    }

    /** Measures every prepared statement executed through it: how many, and the largest gzip size of text plus binds. */
    static final class Measuring extends AbstractDataSource {
        final AtomicLong executed = new AtomicLong();
        final AtomicLong maxCompressed = new AtomicLong();
        private final DataSource target;

        Measuring(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = target.getConnection();
            return (Connection) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                        Object result = invoke(real, m, a);
                        if (m.getName().equals("prepareStatement")) {
                            return measured((PreparedStatement) result, (String) a[0]);
                        }
                        return result;
                    });
        }

        private PreparedStatement measured(PreparedStatement real, String sql) {
            List<String> binds = new ArrayList<>();
            return (PreparedStatement) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
                        if (m.getName().equals("setString")) {
                            binds.add((String) a[1]);
                        }
                        if (m.getName().startsWith("execute")) {
                            executed.incrementAndGet();
                            maxCompressed.accumulateAndGet(gzipSize(sql, binds), Math::max);
                        }
                        return invoke(real, m, a);
                    });
        }

        private static Object invoke(Object target, java.lang.reflect.Method m, Object[] a) throws Throwable {
            try {
                return m.invoke(target, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private static long gzipSize(String sql, List<String> binds) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
                gzip.write(sql.getBytes(StandardCharsets.UTF_8));
                for (String b : binds) {
                    if (b != null) {
                        gzip.write(b.getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return bytes.size();
        }
    }
}
