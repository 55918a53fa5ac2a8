package io.flowguard.bronze.api;

/**
 * A {@link BronzeSink} or {@link DeadLetterSink} could not write a batch.
 *
 * <p>{@link #kind()} classifies the failure: {@link ErrorKind#TRANSIENT} failures are retried by the engine with backoff;
 * {@link ErrorKind#DATA} failures mean some record in the batch is rejected by the warehouse, and the engine isolates it.
 *
 * @since 0.1.0
 */
public class SinkWriteException extends BronzeException {
    private static final long serialVersionUID = 1L;

    /** How a write failure should be handled. */
    public enum ErrorKind {
        /** Network, timeout, throttling, lock contention: the same batch may succeed later. */
        TRANSIENT,
        /** The warehouse rejected a row (bad value, constraint): repeating the same batch fails again. */
        DATA
    }

    private final ErrorKind kind;
    private final String table;
    private final String sqlState;
    private final int vendorCode;

    public SinkWriteException(String message, Throwable cause, ErrorKind kind, String table, String sqlState, int vendorCode) {
        super(message, cause, kind == ErrorKind.TRANSIENT);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.table = table;
        this.sqlState = sqlState;
        this.vendorCode = vendorCode;
    }

    public SinkWriteException(String message, Throwable cause, ErrorKind kind) {
        this(message, cause, kind, null, null, 0);
    }

    /** The failure class; never null. */
    public ErrorKind kind() {
        return kind;
    }

    /** The target table, or {@code null} when not known or not a table sink. */
    public String table() {
        return table;
    }

    /** The SQLState reported by the driver, or {@code null}. */
    public String sqlState() {
        return sqlState;
    }

    /** The vendor error code reported by the driver, or {@code 0}. */
    public int vendorCode() {
        return vendorCode;
    }
}
