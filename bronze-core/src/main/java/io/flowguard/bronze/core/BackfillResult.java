package io.flowguard.bronze.core;

/**
 * What a {@link BackfillJob} or {@link DeadLetterReplay} did: records read, landed (stored, new or already present),
 * inserted as new rows, dead-lettered again, and skipped (tombstones under the skip policy, or DLQ records without
 * replay headers). {@code inserted == 0} after a replay of rows that had landed means the replay was a no-op, as
 * idempotence promises.
 *
 * @since 0.1.0
 */
public record BackfillResult(long read, long landed, long inserted, long deadLettered, long skipped) {}
