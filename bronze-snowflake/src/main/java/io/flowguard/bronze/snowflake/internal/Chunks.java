package io.flowguard.bronze.snowflake.internal;

import java.util.ArrayList;
import java.util.List;

/** Splits rows into statement-sized chunks by row count and by the UTF-8 size of the JSON array they form. */
public final class Chunks {
    private Chunks() {}

    /** Rows {@code [from, to)} of one statement. */
    public record Chunk(int from, int to) {
        /** How many rows the chunk holds. */
        public int size() {
            return to - from;
        }
    }

    /**
     * Consecutive {@code [from, to)} index ranges, each holding at most {@code maxRows} rows and forming a JSON array of
     * at most {@code maxBytes} bytes ({@code [} + rows joined by {@code ,} + {@code ]}). A single row larger than
     * {@code maxBytes} gets a chunk of its own: it cannot be split, and Snowflake decides whether it fits.
     */
    public static List<Chunk> split(int[] rowBytes, int maxRows, long maxBytes) {
        List<Chunk> out = new ArrayList<>();
        int from = 0;
        long bytes = 2;
        for (int i = 0; i < rowBytes.length; i++) {
            long added = rowBytes[i] + (i > from ? 1 : 0);
            if (i > from && (i - from >= maxRows || bytes + added > maxBytes)) {
                out.add(new Chunk(from, i));
                from = i;
                bytes = 2;
                added = rowBytes[i];
            }
            bytes += added;
        }
        if (from < rowBytes.length) {
            out.add(new Chunk(from, rowBytes.length));
        }
        return out;
    }

    /** {@code [row, row, ...]} of {@code rows[from..to)}. */
    public static String array(List<String> rows, int from, int to, int expectedBytes) {
        StringBuilder sb = new StringBuilder(Math.max(16, expectedBytes));
        sb.append('[');
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(',');
            }
            sb.append(rows.get(i));
        }
        return sb.append(']').toString();
    }
}
