package io.flowguard.bronze.core.internal;

/**
 * A range of offsets of one partition to read: {@code from} inclusive, {@code toExclusive} exclusive
 * ({@code Long.MAX_VALUE}: up to the log end as of the start of the read).
 */
public record OffsetRange(long from, long toExclusive) {}
