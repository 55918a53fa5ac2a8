package io.flowguard.bronze.core;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.WriteResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A small idempotent sink for engine unit tests, with a gate to hold writes and programmable failures. */
final class RecordingSink implements BronzeSink {
    private final Map<String, BronzeRecord> stored = new LinkedHashMap<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    final AtomicInteger writeCalls = new AtomicInteger();
    final AtomicInteger transientFailuresLeft = new AtomicInteger();
    volatile Predicate<BronzeRecord> rejects = r -> false;
    volatile CountDownLatch gate;
    final CountDownLatch writeEntered = new CountDownLatch(1);

    final java.util.concurrent.atomic.AtomicReference<BatchInfo> lastBatch =
            new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
        lastBatch.set(batch);
        writeCalls.incrementAndGet();
        writeEntered.countDown();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                if (!g.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkWriteException("interrupted", e, SinkWriteException.ErrorKind.TRANSIENT);
            }
        }
        if (transientFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SinkWriteException("simulated connection reset", null, SinkWriteException.ErrorKind.TRANSIENT);
        }
        for (BronzeRecord r : records) {
            if (rejects.test(r)) {
                throw new SinkWriteException(
                        "simulated rejected row " + r.ingestionId(), null, SinkWriteException.ErrorKind.DATA);
            }
        }
        synchronized (this) {
            int inserted = 0;
            for (BronzeRecord r : records) {
                if (stored.putIfAbsent(r.ingestionId(), r) == null) {
                    inserted++;
                }
            }
            batchSizes.add(records.size());
            return WriteResult.of(records.size(), inserted);
        }
    }

    synchronized int count() {
        return stored.size();
    }

    synchronized List<BronzeRecord> records() {
        return new ArrayList<>(stored.values());
    }

    synchronized List<Integer> batchSizes() {
        return new ArrayList<>(batchSizes);
    }

    synchronized boolean contains(String ingestionId) {
        return stored.containsKey(ingestionId);
    }
}
