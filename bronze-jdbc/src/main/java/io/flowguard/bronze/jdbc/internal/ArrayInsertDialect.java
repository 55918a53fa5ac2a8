package io.flowguard.bronze.jdbc.internal;

import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TableDefinition;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A dialect that binds each column of a chunk as one text array and casts it in SQL ({@code ?::TYPE[]}), so an insert
 * statement has one parameter per column whatever the number of rows: the statement text is constant, the database
 * parses and plans it once, and no bind-parameter limit applies. Shared by PostgreSQL and DuckDB.
 */
abstract class ArrayInsertDialect implements SqlDialect {

    /** The element type name passed to {@link Connection#createArrayOf(String, Object[])} for text arrays. */
    abstract String textArrayElementType();

    /** The FROM/SELECT part that turns the array parameters into rows, e.g. {@code SELECT * FROM unnest(?::TEXT[], ...)}. */
    abstract String selectFromArrays(List<String> arrayCasts);

    /** Whether {@link #indexStatements} includes the secondary indexes or only the unique key. */
    abstract boolean secondaryIndexes();

    @Override
    public List<String> createTableStatements(TableDefinition table) {
        String columns = table.columns().stream()
                .map(c -> quoteIdentifier(c.name()) + ' ' + typeName(c.type()) + (c.nullable() ? "" : " NOT NULL"))
                .collect(Collectors.joining(", "));
        List<String> statements = new ArrayList<>();
        statements.add("CREATE TABLE IF NOT EXISTS " + qualifiedName(table) + " (" + columns + ")");
        statements.addAll(indexStatements(table));
        return List.copyOf(statements);
    }

    @Override
    public List<String> indexStatements(TableDefinition table) {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE UNIQUE INDEX IF NOT EXISTS " + quoteIdentifier(indexName(table, table.uniqueKey(), true))
                + " ON " + qualifiedName(table) + " (" + quotedList(table.uniqueKey()) + ")");
        if (secondaryIndexes()) {
            for (List<String> index : table.indexes()) {
                statements.add("CREATE INDEX IF NOT EXISTS " + quoteIdentifier(indexName(table, index, false)) + " ON "
                        + qualifiedName(table) + " (" + quotedList(index) + ")");
            }
        }
        return List.copyOf(statements);
    }

    @Override
    public String insertStatement(TableDefinition table, int rowCount) {
        List<String> casts = table.columns().stream()
                .map(c -> "?::" + typeName(c.type()) + "[]")
                .toList();
        return "INSERT INTO " + qualifiedName(table) + " (" + quotedList(table.columnNames()) + ") "
                + selectFromArrays(casts) + " ON CONFLICT (" + quotedList(table.uniqueKey()) + ") DO NOTHING";
    }

    @Override
    public String appendStatement(TableDefinition table, int rowCount) {
        List<String> casts = table.columns().stream()
                .map(c -> "?::" + typeName(c.type()) + "[]")
                .toList();
        return "INSERT INTO " + qualifiedName(table) + " (" + quotedList(table.columnNames()) + ") "
                + selectFromArrays(casts);
    }

    @Override
    public void bindInsert(PreparedStatement statement, TableDefinition table, List<Object[]> rows)
            throws SQLException {
        Connection connection = statement.getConnection();
        List<ColumnDefinition> columns = table.columns();
        for (int col = 0; col < columns.size(); col++) {
            String[] values = new String[rows.size()];
            // The text of the last instant seen in this column: a batch shares one ingestion time, and neighbouring
            // records often share a Kafka timestamp, while Instant.toString is the costliest part of the binding.
            Instant lastInstant = null;
            String lastInstantText = null;
            for (int r = 0; r < rows.size(); r++) {
                Object[] row = rows.get(r);
                if (row.length != columns.size()) {
                    throw new IllegalArgumentException("row " + r + " has " + row.length + " values but table "
                            + table.displayName() + " has " + columns.size() + " columns");
                }
                Object value = row[col];
                if (value instanceof Instant instant) {
                    if (!instant.equals(lastInstant)) {
                        lastInstant = instant;
                        lastInstantText = instant.toString();
                    }
                    values[r] = lastInstantText;
                } else {
                    values[r] = value == null ? null : value.toString();
                }
            }
            Array array = connection.createArrayOf(textArrayElementType(), values);
            statement.setArray(col + 1, array);
        }
    }

    @Override
    public int maxRowsPerStatement(TableDefinition table) {
        return Integer.MAX_VALUE;
    }

    final String quotedList(List<String> names) {
        return names.stream().map(this::quoteIdentifier).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return name();
    }

    /** Type names shared by dialects whose names differ only for a few types. */
    static String standardTypeName(SqlType type) {
        return switch (type) {
            case VARCHAR -> "VARCHAR";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMPTZ";
            case JSON -> "JSON";
        };
    }
}
