package io.flowguard.bronze.jdbc;

/**
 * How a SQL table sink lands a batch. See {@code docs/append-mode.md} for when to choose which.
 *
 * @since 0.2.0
 */
public enum WriteMode {
    /**
     * The default: every row is written idempotently on {@code INGESTION_ID} ({@code INSERT ... ON CONFLICT DO NOTHING} on
     * PostgreSQL and DuckDB, {@code MERGE ... WHEN NOT MATCHED THEN INSERT} on Snowflake), so a re-delivered record changes
     * nothing whatever its id is derived from. Each statement reads the target's key index (Snowflake: the target table,
     * pruned), and on Snowflake merges into one table run one at a time.
     */
    MERGE,
    /**
     * Plain {@code INSERT} of the rows plus, in the same transaction, the ingestion-ledger row(s) with the batch's offset
     * range. Exactly-once comes from the ledger instead of the key: the sink reports {@code max(LAST_OFFSET) + 1} per
     * partition as its {@link io.flowguard.bronze.api.BronzeSink#storedPositions stored position}, so the engine resumes
     * after what the warehouse holds, and inside the transaction the sink skips offsets the ledger already covers.
     * Needs the ingestion ledger and offset-derived ingestion ids (the default {@code IdempotencyKey}); payload-derived ids
     * need {@link #MERGE}.
     */
    APPEND
}
