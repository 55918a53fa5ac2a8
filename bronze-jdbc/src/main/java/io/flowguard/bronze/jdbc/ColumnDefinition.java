package io.flowguard.bronze.jdbc;

import java.util.Objects;

/**
 * One column of a {@link TableDefinition}: a name, a {@link SqlType} and whether it may hold {@code NULL}.
 *
 * <p>The name is an unquoted identifier ({@code [A-Za-z_][A-Za-z0-9_$]*}); dialects quote it, so its case is kept.
 * Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ColumnDefinition {
    private final String name;
    private final SqlType type;
    private final boolean nullable;

    private ColumnDefinition(String name, SqlType type, boolean nullable) {
        this.name = Identifiers.requireValid(name, "column name");
        this.type = Objects.requireNonNull(type, "type must not be null");
        this.nullable = nullable;
    }

    /** A nullable column. */
    public static ColumnDefinition of(String name, SqlType type) {
        return new ColumnDefinition(name, type, true);
    }

    /** A {@code NOT NULL} column (enforced on tables the sink creates; columns added to an existing table are nullable). */
    public static ColumnDefinition notNull(String name, SqlType type) {
        return new ColumnDefinition(name, type, false);
    }

    public String name() {
        return name;
    }

    public SqlType type() {
        return type;
    }

    public boolean nullable() {
        return nullable;
    }

    /** The same column under another name, e.g. the lower-case name it has in a legacy table. */
    public ColumnDefinition withName(String newName) {
        return new ColumnDefinition(newName, type, nullable);
    }

    /** The same column without its {@code NOT NULL}: how a column is added to a table that already holds rows. */
    public ColumnDefinition asNullable() {
        return nullable ? this : new ColumnDefinition(name, type, true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnDefinition c && c.name.equals(name) && c.type == type && c.nullable == nullable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, nullable);
    }

    @Override
    public String toString() {
        return name + ' ' + type + (nullable ? "" : " NOT NULL");
    }
}
