package io.flowguard.bronze.core;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import java.util.ArrayList;
import java.util.List;

/** Collects dead letters for engine unit tests. */
final class RecordingDeadLetterSink implements DeadLetterSink {
    private final List<DeadLetter> letters = new ArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public synchronized void write(List<DeadLetter> deadLetters) {
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new io.flowguard.bronze.api.SinkWriteException(
                    "dead-letter table unreachable",
                    null,
                    io.flowguard.bronze.api.SinkWriteException.ErrorKind.TRANSIENT);
        }
        letters.addAll(deadLetters);
    }

    synchronized List<DeadLetter> letters() {
        return new ArrayList<>(letters);
    }

    synchronized int count() {
        return letters.size();
    }
}
