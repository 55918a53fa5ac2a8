package io.flowguard.bronze.jdbc.internal;

import io.flowguard.bronze.jdbc.SqlType;
import java.util.List;

/**
 * PostgreSQL: every column bound as a {@code text[]} and cast, rows made by multi-argument {@code unnest}, duplicates
 * skipped by {@code ON CONFLICT (key) DO NOTHING} against the unique index. JSON is {@code JSONB}; a unique index allows
 * any number of {@code NULL} keys, so legacy rows without an ingestion id can stay.
 */
public final class PostgresDialect extends ArrayInsertDialect {

    /** The shared, stateless instance. */
    public static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {}

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String typeName(SqlType type) {
        return type == SqlType.JSON ? "JSONB" : standardTypeName(type);
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
