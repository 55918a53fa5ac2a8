package io.flowguard.bronze.api;

/**
 * What a {@link BronzeSink#write} did with a batch: every record of the batch is stored when it returns; {@link #inserted()}
 * of them are new rows and {@link #duplicates()} were already present (or repeated inside the batch) and changed nothing.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class WriteResult {
    private static final WriteResult EMPTY = new WriteResult(0, 0);

    private final int records;
    private final int inserted;

    private WriteResult(int records, int inserted) {
        this.records = records;
        this.inserted = inserted;
    }

    /**
     * @param records  how many records the batch held, {@code >= 0}
     * @param inserted how many of them became new rows, {@code 0 <= inserted <= records}
     */
    public static WriteResult of(int records, int inserted) {
        if (records < 0 || inserted < 0 || inserted > records) {
            throw new IllegalArgumentException(
                    "need 0 <= inserted <= records, but records=" + records + " and inserted=" + inserted);
        }
        return records == 0 ? EMPTY : new WriteResult(records, inserted);
    }

    public static WriteResult empty() {
        return EMPTY;
    }

    /** The number of records in the batch. */
    public int records() {
        return records;
    }

    /** The number of records that became new rows. */
    public int inserted() {
        return inserted;
    }

    /** The number of records that were already stored and changed nothing. */
    public int duplicates() {
        return records - inserted;
    }

    /** Adds two results, e.g. of the per-table parts of one batch. */
    public WriteResult plus(WriteResult other) {
        return of(records + other.records, inserted + other.inserted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteResult w && w.records == records && w.inserted == inserted;
    }

    @Override
    public int hashCode() {
        return 31 * records + inserted;
    }

    @Override
    public String toString() {
        return "WriteResult{records=" + records + ", inserted=" + inserted + ", duplicates=" + duplicates() + '}';
    }
}
