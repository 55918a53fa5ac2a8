package io.flowguard.bronze.api;

/**
 * The root of every exception FlowGuard Bronze throws on purpose (argument errors stay {@link IllegalArgumentException}).
 *
 * <p>{@link #isRetriable()} tells whether repeating the same operation may succeed (a network blip, a timeout, throttling,
 * lock contention) or will fail again the same way (bad data, a rejected row, a missing table).
 *
 * @since 0.1.0
 */
public class BronzeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    public BronzeException(String message, boolean retriable) {
        this(message, null, retriable);
    }

    public BronzeException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** {@code true} when the same operation may succeed if repeated later; {@code false} for data and configuration errors. */
    public boolean isRetriable() {
        return retriable;
    }
}
