package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.core.DeadLetterBreaker;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link DeadLetterBreaker} judges: a batch together with the batches written just before it, as many as it
 * takes to reach {@link DeadLetterBreaker#minBatchRecords()} records. Batches are closed by size, by
 * {@code maxBatchWait} or, with {@code flushWhenIdle}, whenever the writer is idle, so at a low input rate (a few hundred
 * records a second) no single batch reaches the minimum; judging the recent run of records keeps a systemic failure from quarantining the stream batch by
 * batch. A batch trips the breaker when more than the breaker's fraction of its own records <em>and</em> of the window's
 * records failed with the same error class. A trip empties the window (the re-read is judged afresh).
 *
 * <p>Writer thread only; not thread-safe.
 */
final class BreakerWindow {
    /** A batch that was written: its size and its dead letters per error class. */
    private record Seen(int records, Map<String, Integer> deadByClass) {}

    private final DeadLetterBreaker breaker;
    /** Written batches, newest first, kept while they are needed to reach the breaker's minimum. */
    private final ArrayDeque<Seen> recent = new ArrayDeque<>();

    private int recentRecords;

    BreakerWindow(DeadLetterBreaker breaker) {
        this.breaker = breaker;
    }

    /**
     * Throws when {@code dead} (the dead letters of batch {@code batchId} so far), with the recent batches, looks
     * systemic; nothing of the batch may then be dead-lettered or committed.
     *
     * @throws SystemicDeadLettersException with the error class, counts and an example
     */
    void check(long batchId, int batchRecords, List<DeadLetter> dead) {
        if (dead.isEmpty() || !breaker.enabled()) {
            return;
        }
        Map<String, Integer> byClass = byClass(dead);
        DeadLetter worst = null;
        int worstCount = 0;
        for (DeadLetter d : dead) {
            int n = byClass.get(d.errorClass());
            if (n > worstCount) {
                worstCount = n;
                worst = d;
            }
        }
        if (worstCount <= breaker.maxFraction() * batchRecords) {
            return; // most of this batch is fine, whatever came before
        }
        int records = batchRecords;
        int failed = worstCount;
        int before = 0;
        for (Seen s : recent) {
            if (records >= breaker.minBatchRecords()) {
                break;
            }
            records += s.records();
            failed += s.deadByClass().getOrDefault(worst.errorClass(), 0);
            before++;
        }
        if (!breaker.trips(records, failed)) {
            return;
        }
        reset();
        throw new SystemicDeadLettersException(
                "dead-letter breaker open: " + failed + " of " + records + " records of batch " + batchId
                        + (before == 0 ? "" : " and the " + before + " batch(es) before it")
                        + " failed with " + worst.errorClass() + " (stage " + worst.stage() + ", e.g. " + worst.topic()
                        + "-" + worst.partition() + "@" + worst.offset() + ": " + abbreviate(worst.errorMessage())
                        + "); that looks systemic, not like bad input, so the partitions are paused and nothing is "
                        + "dead-lettered or committed; fix the cause, the engine re-reads them after "
                        + breaker.retryAfter(),
                worst.errorClass());
    }

    /** Remembers a batch that was written with {@code dead} dead letters. */
    void written(int batchRecords, List<DeadLetter> dead) {
        if (!breaker.enabled()) {
            return;
        }
        recent.addFirst(new Seen(batchRecords, dead.isEmpty() ? Map.of() : byClass(dead)));
        recentRecords += batchRecords;
        while (recent.size() > 1 && recentRecords - recent.peekLast().records() >= breaker.minBatchRecords()) {
            recentRecords -= recent.pollLast().records();
        }
    }

    /** Forgets every batch seen. */
    void reset() {
        recent.clear();
        recentRecords = 0;
    }

    private static Map<String, Integer> byClass(List<DeadLetter> dead) {
        Map<String, Integer> byClass = new HashMap<>();
        for (DeadLetter d : dead) {
            byClass.merge(d.errorClass(), 1, Integer::sum);
        }
        return byClass;
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
