package io.flowguard.bronze.jdbc;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An optional Bronze column filled from a JSON path of the payload, e.g.
 * {@code TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR)} or {@code TypedColumn.of("USER_ID", "user.id", SqlType.BIGINT)}.
 *
 * <p>The path is dotted ({@code "meta.order_id"}); a scalar is taken as its JSON text and cast by the database to the
 * column type, an object or array as its JSON text, and an absent field or JSON {@code null} gives {@code NULL}. A value
 * the database cannot cast (e.g. {@code "abc"} for an {@link SqlType#INTEGER}) fails the write with a
 * {@code SinkWriteException} of kind {@code DATA}, so the engine dead-letters that record. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TypedColumn {
    private static final Pattern PATH = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)*");

    private final String column;
    private final String jsonPath;
    private final SqlType type;

    private TypedColumn(String column, String jsonPath, SqlType type) {
        this.column = Identifiers.requireValid(column, "typed column name");
        if (jsonPath == null || !PATH.matcher(jsonPath).matches()) {
            throw new IllegalArgumentException("jsonPath of typed column " + column
                    + " must be a dotted path of non-blank names such as 'order_id' or 'meta.order_id', but was '"
                    + jsonPath + "'");
        }
        this.jsonPath = jsonPath;
        this.type = Objects.requireNonNull(type, "type of typed column " + column + " must not be null");
    }

    /**
     * @param column   the column name, an unquoted identifier such as {@code ORDER_ID}
     * @param jsonPath a dotted path into the payload such as {@code order_id}
     * @param type     the column type
     */
    public static TypedColumn of(String column, String jsonPath, SqlType type) {
        return new TypedColumn(column, jsonPath, type);
    }

    public String column() {
        return column;
    }

    public String jsonPath() {
        return jsonPath;
    }

    public SqlType type() {
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TypedColumn t && t.column.equals(column) && t.jsonPath.equals(jsonPath) && t.type == type;
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, jsonPath, type);
    }

    @Override
    public String toString() {
        return column + ' ' + type + " <- " + jsonPath;
    }
}
