package io.flowguard.bronze.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the engine retries a batch whose write failed transiently: exponential backoff with full jitter, bounded by a
 * number of attempts and a total time, whichever runs out first. When the budget is spent the engine moves to
 * {@link EngineState#FAILED} without committing the batch; it never skips it.
 *
 * <p>Delay before retry {@code n} (1-based) is a random value in {@code [d/2, d]} with
 * {@code d = min(maxBackoff, initialBackoff × multiplier^(n-1))}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RetryPolicy {
    /** Default attempts per batch, first try included: {@value}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** Default first backoff: 200 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    /** Default backoff cap: 30 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** Default growth factor per retry: {@value}. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Default total time budget per batch: 5 minutes. */
    public static final Duration DEFAULT_MAX_RETRY_DURATION = Duration.ofMinutes(5);

    private static final RetryPolicy DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;
    private final Duration maxRetryDuration;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.multiplier = b.multiplier;
        this.maxRetryDuration = b.maxRetryDuration;
    }

    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A policy that never retries: the first transient failure fails the engine. */
    public static RetryPolicy noRetries() {
        return builder().maxAttempts(1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public double multiplier() {
        return multiplier;
    }

    public Duration maxRetryDuration() {
        return maxRetryDuration;
    }

    /** The upper bound of the delay before retry {@code retry} (1-based), before jitter. */
    public Duration ceilingFor(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1, but was " + retry);
        }
        double ms = initialBackoff.toMillis() * Math.pow(multiplier, retry - 1);
        return ms >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) ms);
    }

    /**
     * The delay before retry {@code retry} given a uniform random {@code u} in {@code [0, 1)}: within
     * {@code [ceiling/2, ceiling]}.
     */
    public Duration delayFor(int retry, double u) {
        if (!(u >= 0.0 && u < 1.0)) {
            throw new IllegalArgumentException("u must be in [0, 1), but was " + u);
        }
        long ceiling = ceilingFor(retry).toMillis();
        long floor = ceiling / 2;
        return Duration.ofMillis(Math.min(ceiling, floor + (long) (u * (ceiling - floor + 1))));
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff="
                + maxBackoff + ", multiplier=" + multiplier + ", maxRetryDuration=" + maxRetryDuration + '}';
    }

    /** Builds a {@link RetryPolicy}; setters reject bad values at once. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double multiplier = DEFAULT_MULTIPLIER;
        private Duration maxRetryDuration = DEFAULT_MAX_RETRY_DURATION;

        private Builder() {}

        /** Attempts per batch including the first, {@code >= 1}. */
        public Builder maxAttempts(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + v);
            }
            this.maxAttempts = v;
            return this;
        }

        public Builder initialBackoff(Duration v) {
            this.initialBackoff = requirePositive(v, "initialBackoff");
            return this;
        }

        public Builder maxBackoff(Duration v) {
            this.maxBackoff = requirePositive(v, "maxBackoff");
            return this;
        }

        /** Growth per retry, {@code >= 1.0}. */
        public Builder multiplier(double v) {
            if (!(v >= 1.0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1.0, but was " + v);
            }
            this.multiplier = v;
            return this;
        }

        public Builder maxRetryDuration(Duration v) {
            this.maxRetryDuration = requirePositive(v, "maxRetryDuration");
            return this;
        }

        /** @throws IllegalArgumentException when initialBackoff exceeds maxBackoff */
        public RetryPolicy build() {
            List<String> errors = new ArrayList<>();
            if (initialBackoff.compareTo(maxBackoff) > 0) {
                errors.add("initialBackoff (" + initialBackoff + ") must not exceed maxBackoff (" + maxBackoff + ")");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid RetryPolicy: " + String.join("; ", errors));
            }
            return new RetryPolicy(this);
        }

        static Duration requirePositive(Duration v, String name) {
            Objects.requireNonNull(v, name + " must not be null");
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0, but was " + v);
            }
            return v;
        }
    }
}
