package io.flowguard.bronze.testkit;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link DeadLetterSink} that keeps dead letters in memory, idempotent on topic, partition and offset as the
 * dead-letter contract asks: a dead letter delivered again (after a restart) is stored once and counted in
 * {@link #repeatsSeen()}.
 *
 * <p>Thread-safe: every method locks the sink; read helpers return snapshots. Closing is a no-op.
 *
 * @since 0.1.0
 */
public final class InMemoryDeadLetterSink implements DeadLetterSink {
    private final Object lock = new Object();
    private final List<DeadLetter> stored = new ArrayList<>();
    private final Set<Position> positions = new HashSet<>();
    private long repeatsSeen;
    private long writeCalls;

    private InMemoryDeadLetterSink() {}

    /** An empty sink. */
    public static InMemoryDeadLetterSink create() {
        return new InMemoryDeadLetterSink();
    }

    /**
     * Stores every dead letter whose topic-partition-offset is not yet stored.
     *
     * @throws IllegalArgumentException when the list holds a null
     */
    @Override
    public void write(List<DeadLetter> deadLetters) {
        Objects.requireNonNull(deadLetters, "deadLetters must not be null");
        for (int i = 0; i < deadLetters.size(); i++) {
            if (deadLetters.get(i) == null) {
                throw new IllegalArgumentException("deadLetters must not contain null, but element " + i + " was null");
            }
        }
        synchronized (lock) {
            writeCalls++;
            for (DeadLetter d : deadLetters) {
                if (positions.add(new Position(d.topic(), d.partition(), d.offset()))) {
                    stored.add(d);
                } else {
                    repeatsSeen++;
                }
            }
        }
    }

    @Override
    public String name() {
        return "in-memory";
    }

    /** How many distinct dead letters are stored. */
    public int count() {
        synchronized (lock) {
            return stored.size();
        }
    }

    /** A snapshot of the stored dead letters in arrival order. */
    public List<DeadLetter> deadLetters() {
        synchronized (lock) {
            return List.copyOf(stored);
        }
    }

    /** A snapshot of the stored dead letters of one stage, in arrival order. */
    public List<DeadLetter> byStage(DeadLetter.Stage stage) {
        Objects.requireNonNull(stage, "stage must not be null");
        synchronized (lock) {
            return stored.stream().filter(d -> d.stage() == stage).toList();
        }
    }

    /** A snapshot of the stored dead letters of one topic, in arrival order. */
    public List<DeadLetter> byTopic(String topic) {
        Objects.requireNonNull(topic, "topic must not be null");
        synchronized (lock) {
            return stored.stream().filter(d -> d.topic().equals(topic)).toList();
        }
    }

    /** {@code true} when a dead letter for {@code topic-partition-offset} is stored. */
    public boolean contains(String topic, int partition, long offset) {
        synchronized (lock) {
            return positions.contains(new Position(topic, partition, offset));
        }
    }

    /** How many written dead letters had a topic-partition-offset already stored (and were dropped). */
    public long repeatsSeen() {
        synchronized (lock) {
            return repeatsSeen;
        }
    }

    /** How many times {@link #write(List)} was called successfully, empty lists included. */
    public long writeCalls() {
        synchronized (lock) {
            return writeCalls;
        }
    }

    /** Forgets every dead letter and resets the counters. */
    public void clear() {
        synchronized (lock) {
            stored.clear();
            positions.clear();
            repeatsSeen = 0;
            writeCalls = 0;
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryDeadLetterSink{deadLetters=" + stored.size() + ", repeatsSeen=" + repeatsSeen + '}';
        }
    }

    private record Position(String topic, int partition, long offset) {}
}
