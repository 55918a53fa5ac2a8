package io.flowguard.bronze.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Samples of an ever-growing count (a counter) over time, for "per second over the last minute" and "in the last hour"
 * figures on the status page. Keeps the samples of {@code retention}. Thread-safe.
 */
final class RateWindow {
    private record Sample(Instant at, double count) {}

    private final Duration retention;
    private final Deque<Sample> samples = new ArrayDeque<>();

    RateWindow(Duration retention) {
        this.retention = retention;
    }

    /** Records the count at {@code now}; drops samples older than the retention (keeping one at its edge). */
    synchronized void record(Instant now, double count) {
        samples.addLast(new Sample(now, count));
        Instant horizon = now.minus(retention);
        while (samples.size() > 2) {
            Iterator<Sample> it = samples.iterator();
            it.next();
            if (it.next().at().isAfter(horizon)) {
                break;
            }
            samples.removeFirst();
        }
    }

    /** How much the count grew over (at most) the last {@code window}; 0 with fewer than two samples. */
    synchronized double increase(Duration window) {
        if (samples.size() < 2) {
            return 0;
        }
        return Math.max(0, samples.peekLast().count() - base(window).count());
    }

    /** The growth per second over (at most) the last {@code window}; 0 with fewer than two samples. */
    synchronized double perSecond(Duration window) {
        if (samples.size() < 2) {
            return 0;
        }
        Sample last = samples.peekLast();
        Sample base = base(window);
        double seconds = Duration.between(base.at(), last.at()).toMillis() / 1000.0;
        return seconds <= 0 ? 0 : Math.max(0, last.count() - base.count()) / seconds;
    }

    /** The latest sample at or before the window's start, else the oldest. */
    private Sample base(Duration window) {
        Instant from = samples.peekLast().at().minus(window);
        Sample base = samples.peekFirst();
        for (Sample s : samples) {
            if (s.at().isAfter(from)) {
                break;
            }
            base = s;
        }
        return base;
    }
}
