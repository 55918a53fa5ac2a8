package io.flowguard.bronze.jdbc.internal;

import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.jdbc.SqlErrors;
import io.flowguard.bronze.jdbc.SqlType;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * DuckDB: every column bound as a {@code VARCHAR[]} and cast, rows made by zipping {@code unnest}s in the select list,
 * duplicates skipped by {@code ON CONFLICT (key) DO NOTHING} against a unique (ART) index.
 *
 * <p>Only the unique index is created: DuckDB answers time-window and per-topic scans from zone maps, and every extra ART
 * index slows inserts. DuckDB's driver reports no SQLState, so {@link #classify} reads the error type that prefixes its
 * messages ({@code "Conversion Error: ..."}): value errors (conversion, constraint, invalid input, out of range, type
 * mismatch) are DATA; everything else, including {@code Catalog Error} and {@code Binder Error} (a dropped table or
 * column), is classified by {@link SqlErrors}, which makes it TRANSIENT.
 */
public final class DuckDbDialect extends ArrayInsertDialect {

    /** The shared, stateless instance. */
    public static final DuckDbDialect INSTANCE = new DuckDbDialect();

    /**
     * Error types a value can cause. Catalog, Binder, Parser, Not implemented and Dependency errors are left out on
     * purpose: values are bound, so those mean a missing table or column (or a bug) and no row causes them, the same
     * reasoning as SQLState class 42 and 0A in {@link SqlErrors}.
     */
    private static final List<String> DATA_ERRORS = List.of(
            "Constraint Error", "Conversion Error", "Invalid Input Error", "Out of Range Error", "Mismatch Type Error");

    private DuckDbDialect() {}

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public String typeName(SqlType type) {
        return type == SqlType.DOUBLE ? "DOUBLE" : standardTypeName(type);
    }

    @Override
    String textArrayElementType() {
        return "VARCHAR";
    }

    @Override
    String selectFromArrays(List<String> arrayCasts) {
        return "SELECT " + arrayCasts.stream().map(c -> "unnest(" + c + ")").collect(Collectors.joining(", "));
    }

    @Override
    boolean secondaryIndexes() {
        return false;
    }

    @Override
    public ErrorKind classify(SQLException e) {
        if (SqlErrors.sqlState(e) == null && e.getMessage() != null) {
            String message = e.getMessage();
            for (String prefix : DATA_ERRORS) {
                if (message.startsWith(prefix)) {
                    return ErrorKind.DATA;
                }
            }
        }
        return SqlErrors.classify(e);
    }
}
