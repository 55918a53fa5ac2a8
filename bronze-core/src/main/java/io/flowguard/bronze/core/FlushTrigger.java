package io.flowguard.bronze.core;

/**
 * Why a batch was flushed to the sink. Used as the {@code trigger} tag of {@link BronzeMeters#BATCH_FLUSHES}.
 *
 * @since 0.1.0
 */
public enum FlushTrigger {
    /** The batch reached {@code maxBatchRecords}. */
    RECORDS,
    /** The batch reached {@code maxBatchBytes}. */
    BYTES,
    /** {@code maxBatchWait} passed since the batch's first record arrived. */
    WAIT,
    /**
     * The writer was idle, so the records buffered so far were written at once ({@code flushWhenIdle}).
     *
     * @since 0.2.0
     */
    IDLE,
    /** Partitions were being revoked in a rebalance; their buffered records were flushed before they went. */
    REVOCATION,
    /** The engine was closing and drained its buffer. */
    SHUTDOWN,
    /** A {@link BackfillJob} or {@link DeadLetterReplay} wrote the batch; replays commit nothing. */
    REPLAY
}
