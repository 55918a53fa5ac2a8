package io.flowguard.bronze.jdbc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The shape of a sink's table, independent of any database: an optional schema, a name, ordered columns, the unique key
 * that makes writes idempotent, and secondary indexes. A {@link SqlDialect} turns it into DDL and insert statements.
 *
 * <p>Names are unquoted identifiers whose case is kept (dialects quote them). Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TableDefinition {
    private final String schema;
    private final String table;
    private final List<ColumnDefinition> columns;
    private final List<String> uniqueKey;
    private final List<List<String>> indexes;

    private TableDefinition(Builder b) {
        this.schema = b.schema == null ? null : Identifiers.requireValid(b.schema, "schema");
        this.table = Identifiers.requireValid(b.table, "table name");
        if (b.columns.isEmpty()) {
            throw new IllegalArgumentException("table " + table + " needs at least one column");
        }
        this.columns = List.copyOf(b.columns);
        Set<String> seen = new HashSet<>();
        for (ColumnDefinition c : columns) {
            if (!seen.add(c.name().toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("column names of table " + table
                        + " must be unique ignoring case, but '" + c.name() + "' repeats");
            }
        }
        if (b.uniqueKey.isEmpty()) {
            throw new IllegalArgumentException("table " + table + " needs a unique key: set uniqueKey(...)");
        }
        this.uniqueKey = List.copyOf(b.uniqueKey);
        this.uniqueKey.forEach(this::requireColumn);
        List<List<String>> idx = new ArrayList<>();
        for (List<String> index : b.indexes) {
            index.forEach(this::requireColumn);
            idx.add(List.copyOf(index));
        }
        this.indexes = List.copyOf(idx);
    }

    private void requireColumn(String name) {
        if (column(name).isEmpty()) {
            throw new IllegalArgumentException(
                    "table " + table + " has no column '" + name + "' (columns: " + columnNames() + ")");
        }
    }

    /** A builder for a table named {@code table} (an unquoted identifier). */
    public static Builder builder(String table) {
        return new Builder(table);
    }

    /** The schema, or {@code null} for the connection's current schema. */
    public String schema() {
        return schema;
    }

    /** The table name, without schema. */
    public String table() {
        return table;
    }

    /** {@code SCHEMA.TABLE} or {@code TABLE}, unquoted: for logs and error messages. */
    public String displayName() {
        return schema == null ? table : schema + '.' + table;
    }

    /** The columns, in insert order. */
    public List<ColumnDefinition> columns() {
        return columns;
    }

    /** The names of {@link #columns()}, in order. */
    public List<String> columnNames() {
        return columns.stream().map(ColumnDefinition::name).toList();
    }

    /** The column named {@code name} (exact case), if any. */
    public Optional<ColumnDefinition> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The columns whose values are unique together; a row whose key is already stored is skipped by inserts. */
    public List<String> uniqueKey() {
        return uniqueKey;
    }

    /** Secondary (non-unique) indexes, each a list of column names. */
    public List<List<String>> indexes() {
        return indexes;
    }

    /**
     * This table under physical names: another schema and table name, and columns renamed by {@code columnNames}
     * (logical name → physical name; absent names stay). Used when an existing table spells identifiers differently,
     * e.g. a legacy lower-case PostgreSQL table.
     */
    public TableDefinition renamed(String newSchema, String newTable, Map<String, String> columnNames) {
        Builder b = builder(newTable).schema(newSchema);
        for (ColumnDefinition c : columns) {
            b.column(c.withName(columnNames.getOrDefault(c.name(), c.name())));
        }
        b.uniqueKey(uniqueKey.stream().map(n -> columnNames.getOrDefault(n, n)).toList());
        for (List<String> index : indexes) {
            b.index(index.stream().map(n -> columnNames.getOrDefault(n, n)).toList());
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableDefinition t
                && Objects.equals(t.schema, schema)
                && t.table.equals(table)
                && t.columns.equals(columns)
                && t.uniqueKey.equals(uniqueKey)
                && t.indexes.equals(indexes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, table, columns, uniqueKey, indexes);
    }

    @Override
    public String toString() {
        return "TableDefinition{" + displayName() + ", columns=" + columns + ", uniqueKey=" + uniqueKey + ", indexes="
                + indexes + '}';
    }

    /** Builds a {@link TableDefinition}; not thread-safe. */
    public static final class Builder {
        private final String table;
        private String schema;
        private final List<ColumnDefinition> columns = new ArrayList<>();
        private List<String> uniqueKey = List.of();
        private final List<List<String>> indexes = new ArrayList<>();

        private Builder(String table) {
            this.table = table;
        }

        /** The schema; {@code null} (the default) means the connection's current schema. */
        public Builder schema(String v) {
            this.schema = v;
            return this;
        }

        public Builder column(ColumnDefinition c) {
            columns.add(Objects.requireNonNull(c, "column"));
            return this;
        }

        public Builder columns(List<ColumnDefinition> cs) {
            cs.forEach(this::column);
            return this;
        }

        public Builder uniqueKey(List<String> v) {
            this.uniqueKey = List.copyOf(v);
            return this;
        }

        public Builder uniqueKey(String... v) {
            return uniqueKey(List.of(v));
        }

        public Builder index(List<String> v) {
            indexes.add(List.copyOf(v));
            return this;
        }

        public Builder index(String... v) {
            return index(List.of(v));
        }

        /** @throws IllegalArgumentException naming the first invalid name, repeated column or unknown key column */
        public TableDefinition build() {
            return new TableDefinition(this);
        }
    }
}
