package io.flowguard.bronze.testkit;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.api.WriteResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link BronzeSink} that keeps rows in memory: one "table" per {@link TableRouter} target, each storing an ingestion
 * id at most once, exactly as the sink contract demands of a warehouse sink. For engine tests that need a correct sink
 * without a database, and as the reference implementation of {@link BronzeSinkContract}.
 *
 * <p>Tables come from {@link TableRouter#fromTopicName()} unless another router is given. Besides the rows it counts
 * {@link #writeCalls()} and {@link #duplicatesSeen()}, so a test can prove a re-delivery happened and changed nothing.
 *
 * <p>Thread-safe: every method locks the sink, so {@code write} and the read helpers may run from any threads; read
 * helpers return snapshots. Closing is a no-op; the sink stays readable.
 *
 * @since 0.1.0
 */
public final class InMemoryBronzeSink implements BronzeSink {
    private final TableRouter router;
    private final Object lock = new Object();
    /** table → ingestion id → record, in insertion order. */
    private final Map<String, LinkedHashMap<String, BronzeRecord>> tables = new LinkedHashMap<>();
    /** Every stored record in arrival order, across tables. */
    private final List<BronzeRecord> arrivals = new ArrayList<>();
    /** The batch context of every write call, in call order. */
    private final List<BatchInfo> batches = new ArrayList<>();

    private long duplicatesSeen;
    private long writeCalls;

    private InMemoryBronzeSink(TableRouter router) {
        this.router = Objects.requireNonNull(router, "router must not be null");
    }

    /** An empty sink routing with {@link TableRouter#fromTopicName()}. */
    public static InMemoryBronzeSink create() {
        return new InMemoryBronzeSink(TableRouter.fromTopicName());
    }

    /** An empty sink routing with {@code router}. */
    public static InMemoryBronzeSink create(TableRouter router) {
        return new InMemoryBronzeSink(router);
    }

    /**
     * Stores every record whose ingestion id is not yet in its table; the others, including ids repeated inside the
     * batch, change nothing and count as duplicates.
     *
     * @throws IllegalArgumentException when the batch holds a null record or the router returns an invalid table name
     */
    @Override
    public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
        Objects.requireNonNull(records, "records must not be null");
        Objects.requireNonNull(batch, "batch must not be null");
        // Route and validate before storing anything, so a bad batch stores nothing (all or nothing per call).
        List<String> targets = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            BronzeRecord r = records.get(i);
            if (r == null) {
                throw new IllegalArgumentException("records must not contain null, but element " + i + " was null");
            }
            targets.add(TableRouter.requireValidTableName(router.tableFor(r.sourceTopic())));
        }
        synchronized (lock) {
            writeCalls++;
            batches.add(batch);
            int inserted = 0;
            for (int i = 0; i < records.size(); i++) {
                BronzeRecord r = records.get(i);
                Map<String, BronzeRecord> table = tables.computeIfAbsent(targets.get(i), t -> new LinkedHashMap<>());
                if (table.putIfAbsent(r.ingestionId(), r) == null) {
                    arrivals.add(r);
                    inserted++;
                } else {
                    duplicatesSeen++;
                }
            }
            return WriteResult.of(records.size(), inserted);
        }
    }

    @Override
    public String name() {
        return "in-memory";
    }

    /**
     * A snapshot of the {@link BatchInfo} of every write call so far, in call order ({@link BatchInfo#adHoc ad-hoc} ones
     * for {@link #write(List)}), so a test can assert what batch context reached the sink through decorators.
     *
     * @since 0.2.0
     */
    public List<BatchInfo> batches() {
        synchronized (lock) {
            return List.copyOf(batches);
        }
    }

    /** How many rows are stored, across tables. */
    public int count() {
        synchronized (lock) {
            return arrivals.size();
        }
    }

    /** A snapshot of every stored record in the order it was first stored, across tables. */
    public List<BronzeRecord> records() {
        synchronized (lock) {
            return List.copyOf(arrivals);
        }
    }

    /** A snapshot of the stored records whose source topic is {@code topic}, in the order they were stored. */
    public List<BronzeRecord> recordsForTopic(String topic) {
        Objects.requireNonNull(topic, "topic must not be null");
        synchronized (lock) {
            return arrivals.stream().filter(r -> r.sourceTopic().equals(topic)).toList();
        }
    }

    /** A snapshot of every row of {@code table} (whatever topic it came from), in the order it was stored. */
    public List<BronzeRecord> recordsForTable(String table) {
        Objects.requireNonNull(table, "table must not be null");
        synchronized (lock) {
            Map<String, BronzeRecord> rows = tables.get(table);
            return rows == null ? List.of() : List.copyOf(rows.values());
        }
    }

    /** A snapshot of the names of the tables that hold at least one row, in the order they were first written. */
    public Set<String> tables() {
        synchronized (lock) {
            Set<String> names = new LinkedHashSet<>();
            tables.forEach((name, rows) -> {
                if (!rows.isEmpty()) {
                    names.add(name);
                }
            });
            return Collections.unmodifiableSet(names);
        }
    }

    /** A snapshot of every stored ingestion id across tables, in the order first stored. */
    public Set<String> ingestionIds() {
        synchronized (lock) {
            Set<String> ids = new LinkedHashSet<>();
            arrivals.forEach(r -> ids.add(r.ingestionId()));
            return Collections.unmodifiableSet(ids);
        }
    }

    /** {@code true} when some table stores {@code ingestionId}. */
    public boolean contains(String ingestionId) {
        synchronized (lock) {
            for (Map<String, BronzeRecord> rows : tables.values()) {
                if (rows.containsKey(ingestionId)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** How many written records hit an ingestion id already stored in their table, including repeats within a batch. */
    public long duplicatesSeen() {
        synchronized (lock) {
            return duplicatesSeen;
        }
    }

    /** How many times {@link #write(List)} stored a batch (empty batches included, rejected batches not). */
    public long writeCalls() {
        synchronized (lock) {
            return writeCalls;
        }
    }

    /** Forgets every row and resets the counters. */
    public void clear() {
        synchronized (lock) {
            tables.clear();
            arrivals.clear();
            batches.clear();
            duplicatesSeen = 0;
            writeCalls = 0;
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryBronzeSink{rows=" + arrivals.size() + ", tables=" + tables.keySet() + ", writeCalls="
                    + writeCalls + ", duplicatesSeen=" + duplicatesSeen + '}';
        }
    }
}
