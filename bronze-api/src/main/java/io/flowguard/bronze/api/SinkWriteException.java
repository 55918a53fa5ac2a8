package io.flowguard.bronze.api;

/**
 * A {@link BronzeSink} or {@link DeadLetterSink} could not write a batch.
 *
 * <p>{@link #kind()} classifies the failure: {@link ErrorKind#TRANSIENT} failures are retried by the engine with backoff;
 * {@link ErrorKind#DATA} failures mean some record in the batch is rejected by the warehouse, and the engine isolates it:
 * when the sink names the rejected rows ({@link #rejectedRows}), the engine dead-letters exactly those and writes the rest
 * again; otherwise it bisects the batch.
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
    private final java.util.List<String> rejectedIngestionIds;

    public SinkWriteException(
            String message, Throwable cause, ErrorKind kind, String table, String sqlState, int vendorCode) {
        this(message, cause, kind, table, sqlState, vendorCode, java.util.List.of());
    }

    private SinkWriteException(
            String message,
            Throwable cause,
            ErrorKind kind,
            String table,
            String sqlState,
            int vendorCode,
            java.util.List<String> rejectedIngestionIds) {
        super(message, cause, kind == ErrorKind.TRANSIENT);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.table = table;
        this.sqlState = sqlState;
        this.vendorCode = vendorCode;
        this.rejectedIngestionIds = rejectedIngestionIds;
    }

    /**
     * A {@link ErrorKind#DATA} failure whose rejected rows the sink identified (e.g. with one diagnostic query instead of
     * bisection): the engine dead-letters the records with these {@link BronzeRecord#ingestionId() ingestion ids}, with
     * this exception's message, and writes the others again. Ids that match no record of the call are ignored; when none
     * matches, the engine bisects as for any DATA failure.
     *
     * @param rejectedIngestionIds ingestion ids of the rejected records of the failed call; not empty
     * @throws IllegalArgumentException when {@code rejectedIngestionIds} is empty
     * @since 0.2.0
     */
    public static SinkWriteException rejectedRows(
            String message,
            Throwable cause,
            String table,
            String sqlState,
            int vendorCode,
            java.util.Collection<String> rejectedIngestionIds) {
        java.util.Objects.requireNonNull(rejectedIngestionIds, "rejectedIngestionIds");
        if (rejectedIngestionIds.isEmpty()) {
            throw new IllegalArgumentException("rejectedIngestionIds must not be empty: throw a plain DATA "
                    + "SinkWriteException when the rejected rows are not known");
        }
        return new SinkWriteException(
                message,
                cause,
                ErrorKind.DATA,
                table,
                sqlState,
                vendorCode,
                java.util.List.copyOf(new java.util.LinkedHashSet<>(rejectedIngestionIds)));
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

    /**
     * The ingestion ids of the rows the sink knows it rejected ({@link #rejectedRows}); empty when not known (the engine
     * then bisects). Immutable.
     *
     * @since 0.2.0
     */
    public java.util.List<String> rejectedIngestionIds() {
        return rejectedIngestionIds;
    }
}
