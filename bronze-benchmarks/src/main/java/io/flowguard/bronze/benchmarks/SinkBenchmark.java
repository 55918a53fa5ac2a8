package io.flowguard.bronze.benchmarks;

// Size note: over 400 lines because a benchmark program: setup, the measured modes and the report in one file, so that
// one run is reproducible from one read.

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.AbstractDataSource;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.jdbc.internal.BronzeRows;
import io.flowguard.bronze.testkit.TestRecords;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * PostgreSQL sink throughput: the idempotent {@link JdbcBronzeSink} ({@code INSERT ... SELECT FROM unnest(...) ON CONFLICT
 * ("INGESTION_ID") DO NOTHING} against a unique index) vs the fastest plain insert of the same rows (the same unnest
 * statement without {@code ON CONFLICT}, into an identical table without the unique index), in one embedded PostgreSQL.
 *
 * <p>Both sides start from the same {@link BronzeRecord}s (order events with ~150-byte JSON payloads), turn them into rows
 * the same way, write batches of the same size, one transaction per batch, over one reused connection (as from a pool),
 * into a fresh empty table per round. The variants are interleaved batch by batch in rotating order, so that load from
 * other processes on a shared machine falls on all of them alike; only the writes are timed. After an untimed warm-up
 * round over 50 batches, {@code rounds} rounds run and each variant's median rate is reported. The sink is measured with the ingestion ledger off (the fair
 * comparison: the plain insert keeps no ledger) and on.
 *
 * <p>Append mode ({@code WriteMode.APPEND}: plain insert, advisory lock, ledger check and ledger row in one transaction)
 * is measured beside them. Arguments: {@code [rows (default 200000)] [batchSize (default 1000)] [rounds (default 3)]}.
 * The last two lines printed are {@code postgres merge/plain ratio: R (merge M rows/s, plain P rows/s, statements per
 * batch S)}, S being the statements the sink sends per batch with the ledger off, and
 * {@code postgres append/plain ratio: R (append A rows/s, plain P rows/s)}.
 */
public final class SinkBenchmark {
    private static final String TOPIC = "orders";
    private static final String SCHEMA = "BENCH";
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF"};

    private SinkBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<List<BronzeRecord>> batches = batches(rows, batchSize);
        System.out.printf(
                Locale.ROOT,
                "%d rows in %d batches of %d, raw event %d bytes on average, %d cores%n",
                rows,
                batches.size(),
                batchSize,
                averagePayload(batches),
                Runtime.getRuntime().availableProcessors());
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                ReusedConnectionDataSource ds = new ReusedConnectionDataSource(postgres.getPostgresDatabase())) {
            System.out.println("PostgreSQL " + ds.getConnection().getMetaData().getDatabaseProductVersion() + ", "
                    + ds.settings("shared_buffers", "fsync", "synchronous_commit", "wal_level"));
            ds.execute("CREATE SCHEMA \"" + SCHEMA + '"');
            Variant[] variants = {new Merge(ds, false), new Merge(ds, true), new Plain(ds), new Append(ds)};
            run(ds, variants, batches.subList(0, Math.min(batches.size(), 50)), "warm-up");

            double[][] rates = new double[variants.length][rounds];
            for (int round = 0; round < rounds; round++) {
                double[] r = run(ds, variants, batches, "round " + (round + 1));
                for (int v = 0; v < variants.length; v++) {
                    rates[v][round] = r[v];
                }
            }
            double m = median(rates[0]);
            double ml = median(rates[1]);
            double p = median(rates[2]);
            double a = median(rates[3]);
            long statements = variants[0].statementsPerBatch();
            System.out.printf(
                    Locale.ROOT,
                    "median of %d rounds: merge (ledger off) %.0f rows/s, merge (ledger on) %.0f rows/s "
                            + "(%d statements/batch, %.3f of plain), plain %.0f rows/s%n",
                    rounds,
                    m,
                    ml,
                    variants[1].statementsPerBatch(),
                    ml / p,
                    p);
            System.out.printf(
                    Locale.ROOT,
                    "postgres merge/plain ratio: %.3f (merge %.0f rows/s, plain %.0f rows/s, "
                            + "statements per batch %d)%n",
                    m / p,
                    m,
                    p,
                    statements);
            System.out.printf(
                    Locale.ROOT,
                    "postgres append/plain ratio: %.3f (append %.0f rows/s, plain %.0f rows/s)%n",
                    a / p,
                    a,
                    p);
        }
    }

    /**
     * Writes every batch with every variant, each into its own fresh table, interleaved batch by batch in rotating order
     * so that background load on a shared machine falls on all variants alike; only the writes are timed.
     *
     * @return rows per second of each variant
     */
    static double[] run(
            ReusedConnectionDataSource ds, Variant[] variants, List<List<BronzeRecord>> batches, String label)
            throws SQLException {
        long[] nanos = new long[variants.length];
        long[] inserted = new long[variants.length];
        for (Variant v : variants) {
            v.prepare();
        }
        ds.execute("CHECKPOINT");
        for (int i = 0; i < batches.size(); i++) {
            for (int k = 0; k < variants.length; k++) {
                int v = (i + k) % variants.length;
                long before = ds.statements.get();
                long t0 = System.nanoTime();
                inserted[v] += variants[v].write(i, batches.get(i));
                nanos[v] += System.nanoTime() - t0;
                variants[v].statements += ds.statements.get() - before;
                variants[v].batches++;
            }
        }
        double[] rates = new double[variants.length];
        for (int v = 0; v < variants.length; v++) {
            check(inserted[v], batches);
            rates[v] = inserted[v] / (nanos[v] / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "%-8s %-18s %8.0f rows/s  %.2f s  %d statements/batch%n",
                    label,
                    variants[v].label(),
                    rates[v],
                    nanos[v] / 1e9,
                    variants[v].statementsPerBatch());
        }
        return rates;
    }

    /** One way of writing the benchmark rows. */
    abstract static class Variant {
        long statements;
        long batches;

        /** Drops and creates this variant's table (untimed). */
        abstract void prepare() throws SQLException;

        /** Writes one batch in one transaction; returns the rows inserted. */
        abstract long write(int index, List<BronzeRecord> batch) throws SQLException;

        abstract String label();

        long statementsPerBatch() {
            return batches == 0 ? 0 : Math.round((double) statements / batches);
        }
    }

    /** The idempotent sink, ledger on or off. */
    static final class Merge extends Variant {
        private final ReusedConnectionDataSource ds;
        private final boolean ledger;
        private final String table;
        private JdbcBronzeSink sink;

        Merge(ReusedConnectionDataSource ds, boolean ledger) {
            this.ds = ds;
            this.ledger = ledger;
            this.table = ledger ? "ORDERS_MERGE_LEDGER" : "ORDERS_MERGE";
        }

        @Override
        void prepare() throws SQLException {
            ds.execute("DROP TABLE IF EXISTS \"" + SCHEMA + "\".\"" + table + '"');
            if (ledger) {
                ds.execute("DROP TABLE IF EXISTS \"" + SCHEMA + "\".\"" + BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE
                        + '"');
            }
            sink = JdbcBronzeSink.builder(ds, SqlDialect.postgres())
                    .schema(SCHEMA)
                    .tableRouter(topic -> table)
                    .ingestionLedger(ledger)
                    .build();
            sink.ensureTable(table);
            if (ledger) { // creates the ledger table outside the timed part, like the Bronze table
                sink.write(List.of(TestRecords.order("warm.up", 0, 0)));
                ds.execute("DELETE FROM \"" + SCHEMA + "\".\"" + table + '"');
            }
            statements = 0;
            batches = 0;
        }

        @Override
        long write(int index, List<BronzeRecord> batch) {
            BronzeRecord first = batch.get(0);
            BronzeRecord last = batch.get(batch.size() - 1);
            BatchInfo info = BatchInfo.of(
                    "bench-" + index,
                    "bench",
                    "bench",
                    "records",
                    Instant.now(),
                    List.of(new BatchInfo.PartitionRange(
                            TOPIC, first.partition(), first.offset(), last.offset(), batch.size(), 0, 0)));
            WriteResult r = sink.write(batch, info);
            return r.inserted();
        }

        @Override
        String label() {
            return ledger ? "merge (ledger on)" : "merge (ledger off)";
        }
    }

    /**
     * Append mode: the sink's plain insert plus, in the same transaction, the advisory lock, the ledger check and the
     * ledger row (its own ledger table, so the merge variant's does not interfere).
     */
    static final class Append extends Variant {
        private final ReusedConnectionDataSource ds;
        private static final String TABLE = "ORDERS_APPEND";
        private static final String LEDGER = "APPEND_LEDGER";
        private JdbcBronzeSink sink;

        Append(ReusedConnectionDataSource ds) {
            this.ds = ds;
        }

        @Override
        void prepare() throws SQLException {
            ds.execute("DROP TABLE IF EXISTS \"" + SCHEMA + "\".\"" + TABLE + '"');
            ds.execute("DROP TABLE IF EXISTS \"" + SCHEMA + "\".\"" + LEDGER + '"');
            sink = JdbcBronzeSink.builder(ds, SqlDialect.postgres())
                    .schema(SCHEMA)
                    .tableRouter(topic -> TABLE)
                    .writeMode(WriteMode.APPEND)
                    .ingestionLedgerTable(LEDGER)
                    .build();
            sink.ensureTable(TABLE);
            sink.write(List.of(TestRecords.order("warm.up", 0, 0))); // creates the ledger table outside the timed part
            ds.execute("DELETE FROM \"" + SCHEMA + "\".\"" + TABLE + '"');
            statements = 0;
            batches = 0;
        }

        @Override
        long write(int index, List<BronzeRecord> batch) {
            BronzeRecord first = batch.get(0);
            BronzeRecord last = batch.get(batch.size() - 1);
            BatchInfo info = BatchInfo.of(
                    "bench-" + index,
                    "bench",
                    "bench",
                    "records",
                    Instant.now(),
                    List.of(new BatchInfo.PartitionRange(
                            TOPIC, first.partition(), first.offset(), last.offset(), batch.size(), 0, 0)));
            return sink.write(batch, info).inserted();
        }

        @Override
        String label() {
            return "append (ledger)";
        }
    }

    /**
     * The fastest plain insert found: the sink's own unnest statement without {@code ON CONFLICT}, into the same table
     * shape minus the unique index (the secondary indexes are kept, as the Bronze table has them). Rows are converted
     * from records exactly as the sink does.
     */
    static final class Plain extends Variant {
        private final ReusedConnectionDataSource ds;
        private final SqlDialect dialect = SqlDialect.postgres();
        private final TableDefinition table = BronzeTables.bronzeTable(SCHEMA, "ORDERS_PLAIN", List.of());
        private final BronzeRows converter = new BronzeRows(new ObjectMapper());
        private final String sql;

        Plain(ReusedConnectionDataSource ds) {
            this.ds = ds;
            String merge = dialect.insertStatement(table, 1);
            this.sql = merge.substring(0, merge.indexOf(" ON CONFLICT"));
        }

        @Override
        void prepare() throws SQLException {
            ds.execute("DROP TABLE IF EXISTS \"" + SCHEMA + "\".\"ORDERS_PLAIN\"");
            for (String ddl : dialect.createTableStatements(table)) {
                if (!ddl.startsWith("CREATE UNIQUE INDEX")) {
                    ds.execute(ddl);
                }
            }
            statements = 0;
            batches = 0;
        }

        @Override
        long write(int index, List<BronzeRecord> batch) throws SQLException {
            List<Object[]> values = new ArrayList<>(batch.size());
            for (BronzeRecord r : batch) {
                values.add(converter.bronzeRow(r, List.of()));
            }
            Connection c = ds.getConnection();
            c.setAutoCommit(false);
            int inserted;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                dialect.bindInsert(ps, table, values);
                inserted = ps.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
            return inserted;
        }

        @Override
        String label() {
            return "plain INSERT";
        }
    }

    private static void check(long inserted, List<List<BronzeRecord>> batches) {
        long expected = batches.stream().mapToLong(List::size).sum();
        if (inserted != expected) {
            throw new IllegalStateException("inserted " + inserted + " rows, expected " + expected);
        }
    }

    /** Order events over 3 partitions with TestRecords' envelope (key, headers, timestamps) and a ~150-byte payload. */
    static List<List<BronzeRecord>> batches(int rows, int batchSize) {
        List<List<BronzeRecord>> batches = new ArrayList<>();
        List<BronzeRecord> current = new ArrayList<>(batchSize);
        for (int i = 0; i < rows; i++) {
            int partition = (i / batchSize) % 3; // a batch holds one partition's run of offsets, as a poll often does
            long offset = i;
            String json = String.format(
                    Locale.ROOT,
                    "{\"event_id\":\"evt-%09d\",\"event_type\":\"order_created\","
                            + "\"schema_version\":\"v1\",\"order_id\":\"ord-%09d\",\"user_id\":%d,\"price\":%d.99,\"currency\":\"%s\"}",
                    i,
                    i,
                    i % 100_000,
                    i % 500,
                    CURRENCIES[i % CURRENCIES.length]);
            current.add(TestRecords.order(TOPIC, partition, offset).toBuilder()
                    .eventId("evt-" + i)
                    .rawEvent(json)
                    .build());
            if (current.size() == batchSize) {
                batches.add(current);
                current = new ArrayList<>(batchSize);
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    private static long averagePayload(List<List<BronzeRecord>> batches) {
        long bytes = 0;
        long n = 0;
        for (List<BronzeRecord> b : batches) {
            for (BronzeRecord r : b) {
                bytes += r.rawEvent().length();
                n++;
            }
        }
        return n == 0 ? 0 : bytes / n;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /**
     * One physical connection handed out again and again (what a pool does), whose {@code close()} is a no-op, counting
     * the statements executed through it. Single-threaded use only.
     */
    static final class ReusedConnectionDataSource extends AbstractDataSource implements AutoCloseable {
        final AtomicLong statements = new AtomicLong();
        private final Connection physical;
        private final Connection handle;

        ReusedConnectionDataSource(DataSource target) throws SQLException {
            this.physical = target.getConnection();
            this.handle = (Connection) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            return null;
                        }
                        Object result = invoke(physical, method, args);
                        if (result instanceof PreparedStatement ps) {
                            return counting(ps, PreparedStatement.class);
                        }
                        if (result instanceof Statement s) {
                            return counting(s, Statement.class);
                        }
                        return result;
                    });
        }

        private Object counting(Statement target, Class<?> type) {
            InvocationHandler h = (proxy, method, args) -> {
                if (method.getName().startsWith("execute")) {
                    statements.incrementAndGet();
                }
                return invoke(target, method, args);
            };
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        String settings(String... names) throws SQLException {
            StringBuilder out = new StringBuilder();
            try (Statement s = physical.createStatement()) {
                for (String name : names) {
                    try (java.sql.ResultSet rs = s.executeQuery("SHOW " + name)) {
                        rs.next();
                        out.append(out.length() == 0 ? "" : ", ")
                                .append(name)
                                .append('=')
                                .append(rs.getString(1));
                    }
                }
            }
            return out.toString();
        }

        void execute(String... sql) throws SQLException {
            try (Statement s = physical.createStatement()) {
                for (String q : sql) {
                    s.execute(q);
                }
            }
        }

        @Override
        public Connection getConnection() {
            return handle;
        }

        @Override
        public void close() throws SQLException {
            physical.close();
        }
    }
}
