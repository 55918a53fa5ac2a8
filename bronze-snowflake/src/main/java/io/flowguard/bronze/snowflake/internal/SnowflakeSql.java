package io.flowguard.bronze.snowflake.internal;

import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Renders every statement the Snowflake sinks send. Pure functions of their arguments, so they are golden-tested.
 *
 * <p>Rules (each asserted by {@code SnowflakeSqlTest}): rows travel as <em>one</em> JSON-array bind parameter expanded
 * with {@code LATERAL FLATTEN} — no {@code VALUES} list, so no {@code PARSE_JSON} inside {@code VALUES} (Snowflake rejects
 * it) and no 16,384-row limit; the merge's {@code INSERT VALUES} only references {@code s.} columns; repeats inside the
 * array are removed with {@code QUALIFY ROW_NUMBER()}; the target side is restricted by the pruning predicate the caller
 * passes; identifiers are validated and double-quoted; nothing from a record is ever part of the text.
 */
public final class SnowflakeSql {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private SnowflakeSql() {}

    /**
     * {@code "NAME"}, after checking it is a plain identifier and upper-casing it: Snowflake resolves an unquoted
     * identifier to upper case, so {@code orders} → {@code "ORDERS"} names the same object as the user's unquoted
     * {@code SELECT ... FROM orders} and as a connection's unquoted {@code schema=bronze}. Quoting keeps reserved words
     * safe; upper-casing keeps the object case-insensitive to readers (S3).
     */
    public static String quote(String identifier) {
        return '"' + canonical(identifier) + '"';
    }

    /** The name Snowflake gives an unquoted {@code identifier}: upper case, after checking it is a plain identifier. */
    public static String canonical(String identifier) {
        if (identifier == null
                || identifier.length() > 255
                || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException(
                    "identifier must match [A-Za-z_][A-Za-z0-9_$]* (at most 255 characters), " + "but was '"
                            + identifier + "'");
        }
        return identifier.toUpperCase(java.util.Locale.ROOT);
    }

    /** {@code "S"."T"} or {@code "T"}. */
    public static String qualified(TableDefinition table) {
        return table.schema() == null ? quote(table.table()) : quote(table.schema()) + '.' + quote(table.table());
    }

    /** Snowflake's type for a logical type: instants are {@code TIMESTAMP_TZ}, JSON is {@code VARIANT}. */
    public static String typeName(SqlType type) {
        return switch (type) {
            case VARCHAR -> "VARCHAR";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMP_TZ";
            case JSON -> "VARIANT";
        };
    }

    /** {@code CREATE SCHEMA IF NOT EXISTS "S"}. */
    public static String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS} with every column; {@code clusterBy} (raw expressions over quoted columns, may
     * be empty) becomes a {@code CLUSTER BY} clause.
     */
    public static String createTable(TableDefinition table, List<String> clusterBy) {
        StringJoiner cols = new StringJoiner(", ", " (", ")");
        for (ColumnDefinition c : table.columns()) {
            cols.add(quote(c.name()) + ' ' + typeName(c.type()) + (c.nullable() ? "" : " NOT NULL"));
        }
        String sql = "CREATE TABLE IF NOT EXISTS " + qualified(table) + cols;
        return clusterBy.isEmpty() ? sql : sql + " CLUSTER BY (" + String.join(", ", clusterBy) + ')';
    }

    /** {@code ALTER TABLE t ADD COLUMN IF NOT EXISTS "C" TYPE}: nullable, so existing rows stay valid. */
    public static String addColumn(TableDefinition table, ColumnDefinition column) {
        return "ALTER TABLE " + qualified(table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + ' '
                + typeName(column.type());
    }

    /** {@code DESCRIBE TABLE t}: lists columns without a running warehouse. */
    public static String describeTable(TableDefinition table) {
        return "DESCRIBE TABLE " + qualified(table);
    }

    /**
     * The JSON key a column's value travels under in the batch array: the column name in lower case, e.g.
     * {@code KAFKA_OFFSET} → {@code kafka_offset}; typed columns use {@code typed_<i>}.
     */
    public static String jsonKey(int columnIndex, int fixedColumns, String column) {
        return columnIndex < fixedColumns
                ? column.toLowerCase(java.util.Locale.ROOT)
                : "typed_" + (columnIndex - fixedColumns);
    }

    /**
     * The expression that reads one column from a flattened array element {@code f}: every value travels as a JSON
     * string and is cast by Snowflake ({@code f.value:k::VARCHAR::INTEGER}), JSON documents are parsed
     * ({@code PARSE_JSON(f.value:k::VARCHAR)}); an absent key gives {@code NULL}.
     */
    public static String readExpression(String jsonKey, SqlType type) {
        String text = "f.value:" + jsonKey + "::VARCHAR";
        return switch (type) {
            case VARCHAR -> text;
            case JSON -> "PARSE_JSON(" + text + ')';
            default -> text + "::" + typeName(type);
        };
    }

    /**
     * The plain insert of one JSON-array parameter (parameter 1) into {@code table}, for the ingestion ledger and for
     * append mode: {@code INSERT INTO t (...) SELECT <read expressions> FROM LATERAL FLATTEN(INPUT => PARSE_JSON(?)) f}.
     * INSERTs into one table run side by side in Snowflake (they write new micro-partitions only), unlike MERGE.
     *
     * @param keys the JSON key of each column of {@code table}, in column order
     */
    public static String insert(TableDefinition table, List<String> keys) {
        List<ColumnDefinition> columns = table.columns();
        if (keys.size() != columns.size()) {
            throw new IllegalArgumentException("need one JSON key per column, but got " + keys.size() + " keys for "
                    + columns.size() + " columns");
        }
        StringJoiner select = new StringJoiner(", ");
        StringJoiner insert = new StringJoiner(", ");
        for (int i = 0; i < columns.size(); i++) {
            ColumnDefinition c = columns.get(i);
            if (!IDENTIFIER.matcher(keys.get(i)).matches()) {
                throw new IllegalArgumentException(
                        "JSON key must be a plain identifier, but was '" + keys.get(i) + "'");
            }
            select.add(readExpression(keys.get(i), c.type()));
            insert.add(quote(c.name()));
        }
        return "INSERT INTO " + qualified(table) + " (" + insert + ") SELECT " + select
                + " FROM LATERAL FLATTEN(INPUT => PARSE_JSON(?)) f";
    }

    /**
     * The idempotent merge of one JSON-array parameter (parameter 1) into {@code table}:
     *
     * <pre>
     * MERGE INTO t USING (SELECT * FROM (SELECT &lt;read expressions&gt; FROM LATERAL FLATTEN(INPUT =&gt; PARSE_JSON(?)) f)
     *   QUALIFY ROW_NUMBER() OVER (PARTITION BY &lt;key&gt; ORDER BY &lt;order&gt;) = 1) s
     * ON &lt;key matches&gt; &lt;pruning&gt; WHEN NOT MATCHED THEN INSERT (...) VALUES (s....)
     * </pre>
     *
     * @param keys       the JSON key of each column of {@code table}, in column order
     * @param matchOn    the unique key columns
     * @param dedupOrder the column whose lowest value wins among repeats in the array
     * @param pruning    extra target-side conditions appended to {@code ON} (starting with {@code " AND "}), or empty;
     *                   its parameters follow parameter 1
     */
    public static String merge(
            TableDefinition table, List<String> keys, List<String> matchOn, String dedupOrder, String pruning) {
        List<ColumnDefinition> columns = table.columns();
        if (keys.size() != columns.size()) {
            throw new IllegalArgumentException("need one JSON key per column, but got " + keys.size() + " keys for "
                    + columns.size() + " columns");
        }
        StringJoiner select = new StringJoiner(", ");
        StringJoiner insert = new StringJoiner(", ");
        StringJoiner values = new StringJoiner(", ");
        for (int i = 0; i < columns.size(); i++) {
            ColumnDefinition c = columns.get(i);
            if (!IDENTIFIER.matcher(keys.get(i)).matches()) {
                throw new IllegalArgumentException(
                        "JSON key must be a plain identifier, but was '" + keys.get(i) + "'");
            }
            select.add(readExpression(keys.get(i), c.type()) + " AS " + quote(c.name()));
            insert.add(quote(c.name()));
            values.add("s." + quote(c.name()));
        }
        List<String> partitionBy = new ArrayList<>();
        StringJoiner on = new StringJoiner(" AND ");
        for (String k : matchOn) {
            partitionBy.add(quote(k));
            on.add("t." + quote(k) + " = s." + quote(k));
        }
        return "MERGE INTO " + qualified(table) + " t USING (SELECT * FROM (SELECT " + select
                + " FROM LATERAL FLATTEN(INPUT => PARSE_JSON(?)) f) QUALIFY ROW_NUMBER() OVER (PARTITION BY "
                + String.join(", ", partitionBy) + " ORDER BY " + quote(dedupOrder) + ") = 1) s ON " + on + pruning
                + " WHEN NOT MATCHED THEN INSERT (" + insert + ") VALUES (" + values + ')';
    }

    /**
     * The diagnostic query that names the rows of one JSON-array parameter (parameter 1, the same array a failed
     * {@link #insert} or {@link #merge} bound) whose values do not convert to their column's type: it selects the
     * ingestion id of each element where some non-{@code VARCHAR} column has a non-empty value
     * ({@code f.value:k::VARCHAR <> ''}, so NULL and absent values never count) that
     * {@code TRY_CAST(f.value:k::VARCHAR AS <type>)} (numbers, booleans, timestamps) or
     * {@code TRY_PARSE_JSON(f.value:k::VARCHAR)} ({@code VARIANT}) turns into NULL: the same conversions as
     * {@link #readExpression}, which raise an error instead. Empty strings are left out because a conversion may turn
     * them into NULL without an error; naming too few rows only costs a bisection, naming a good row would dead-letter
     * it. It reads nothing
     * from any table, so it runs outside the failed transaction. Null when no column can fail a conversion (every
     * column is {@code VARCHAR}).
     *
     * @param keys          the JSON key of each column of {@code table}, in column order
     * @param ingestionIdKey the JSON key of the ingestion id
     */
    public static String rejectedRows(TableDefinition table, List<String> keys, String ingestionIdKey) {
        List<ColumnDefinition> columns = table.columns();
        if (keys.size() != columns.size()) {
            throw new IllegalArgumentException("need one JSON key per column, but got " + keys.size() + " keys for "
                    + columns.size() + " columns");
        }
        StringJoiner bad = new StringJoiner(" OR ");
        for (int i = 0; i < columns.size(); i++) {
            SqlType type = columns.get(i).type();
            if (type == SqlType.VARCHAR) {
                continue;
            }
            if (!IDENTIFIER.matcher(keys.get(i)).matches()) {
                throw new IllegalArgumentException(
                        "JSON key must be a plain identifier, but was '" + keys.get(i) + "'");
            }
            String text = "f.value:" + keys.get(i) + "::VARCHAR";
            // Blank text is no value to convert: PARSE_JSON of whitespace is NULL, not an error.
            bad.add("(" + (type == SqlType.JSON ? "TRIM(" + text + ")" : text) + " <> '' AND "
                    + (type == SqlType.JSON
                            ? "TRY_PARSE_JSON(" + text + ")"
                            : "TRY_CAST(" + text + " AS " + typeName(type) + ")")
                    + " IS NULL)");
        }
        if (bad.length() == 0) {
            return null;
        }
        if (!IDENTIFIER.matcher(ingestionIdKey).matches()) {
            throw new IllegalArgumentException("JSON key must be a plain identifier, but was '" + ingestionIdKey + "'");
        }
        return "SELECT f.value:" + ingestionIdKey + "::VARCHAR FROM LATERAL FLATTEN(INPUT => PARSE_JSON(?)) f WHERE "
                + bad;
    }
}
