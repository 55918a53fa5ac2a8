package io.flowguard.bronze.core;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import java.util.ArrayList;
import java.util.List;

/** Collects dead letters for engine unit tests. */
final class RecordingDeadLetterSink implements DeadLetterSink {
    private final List<DeadLetter> letters = new ArrayList<>();

    @Override
    public synchronized void write(List<DeadLetter> deadLetters) {
        letters.addAll(deadLetters);
    }

    synchronized List<DeadLetter> letters() {
        return new ArrayList<>(letters);
    }

    synchronized int count() {
        return letters.size();
    }
}
