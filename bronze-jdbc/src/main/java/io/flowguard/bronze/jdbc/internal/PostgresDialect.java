package io.flowguard.bronze.jdbc.internal;

import io.flowguard.bronze.jdbc.SqlType;
import java.util.List;

/**
 * PostgreSQL: every column bound as a {@code text[]} and cast, rows made by multi-argument {@code unnest}, duplicates
 * skipped by {@code ON CONFLICT (key) DO NOTHING} against the unique index. JSON is {@code JSONB} ({@link #INSTANCE}) or
 * {@code JSON} ({@link #PLAIN_JSON}: validated on insert but kept as text, cheaper to write, no binary form to index); a
 * unique index allows any number of {@code NULL} keys, so legacy rows without an ingestion id can stay.
 */
public final class PostgresDialect extends ArrayInsertDialect {

    /** The shared, stateless instance: JSON columns are {@code JSONB}. */
    public static final PostgresDialect INSTANCE = new PostgresDialect("JSONB");

    /** The shared, stateless instance whose JSON columns are {@code JSON}. */
    public static final PostgresDialect PLAIN_JSON = new PostgresDialect("JSON");

    private final String jsonTypeName;

    private PostgresDialect(String jsonTypeName) {
        this.jsonTypeName = jsonTypeName;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String typeName(SqlType type) {
        return type == SqlType.JSON ? jsonTypeName : standardTypeName(type);
    }

    @Override
    public String toString() {
        return this == INSTANCE ? name() : name() + " (json as " + jsonTypeName + ")";
    }

    @Override
    String textArrayElementType() {
        return "text";
    }

    @Override
    String selectFromArrays(List<String> arrayCasts) {
        return "SELECT * FROM unnest(" + String.join(", ", arrayCasts) + ")";
    }

    @Override
    boolean secondaryIndexes() {
        return true;
    }

    /** One {@code pg_advisory_xact_lock(hashtext(key), partition)} per pair, taken left to right, released at commit. */
    @Override
    public String partitionLockStatement(int partitions) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < partitions; i++) {
            sql.append(i == 0 ? "" : ", ").append("pg_advisory_xact_lock(hashtext(?), ?)");
        }
        return sql.toString();
    }
}
