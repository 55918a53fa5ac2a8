package io.flowguard.bronze.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what exists through {@link DatabaseMetaData}, matching names ignoring case: PostgreSQL folds unquoted names to
 * lower case, so a legacy {@code CREATE TABLE orders_raw} must be found when looking for {@code ORDERS_RAW}.
 * Public for {@link io.flowguard.bronze.jdbc.IngestionLedger}, which reads tables the sinks created.
 */
public final class SchemaInspector {

    /** A table as the database spells it, with its columns (upper-cased name → name as spelled). */
    public record ExistingTable(String schema, String table, Map<String, String> columns) {
    }

    private SchemaInspector() {
    }

    /**
     * Finds {@code table} in {@code schema} (or the connection's current schema when null), ignoring case; an exact-case
     * match wins over others.
     */
    public static Optional<ExistingTable> find(Connection connection, String schema, String table) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        String targetSchema = schema != null ? schema : connection.getSchema();
        String escape = md.getSearchStringEscape();
        String catalog = connection.getCatalog();
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add(table);
        candidates.add(table.toUpperCase(Locale.ROOT));
        candidates.add(table.toLowerCase(Locale.ROOT));
        for (String candidate : candidates) {
            try (ResultSet rs = md.getTables(catalog, null, escapePattern(candidate, escape), null)) {
                while (rs.next()) {
                    String foundSchema = rs.getString("TABLE_SCHEM");
                    String foundTable = rs.getString("TABLE_NAME");
                    String type = rs.getString("TABLE_TYPE");
                    boolean isTable = type == null || (type.toUpperCase(Locale.ROOT).contains("TABLE")
                            && !type.toUpperCase(Locale.ROOT).contains("SYSTEM"));
                    if (isTable && foundTable.equalsIgnoreCase(table)
                            && (targetSchema == null || targetSchema.equalsIgnoreCase(foundSchema))) {
                        return Optional.of(new ExistingTable(foundSchema, foundTable,
                                columns(md, catalog, foundSchema, foundTable, escape)));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> columns(DatabaseMetaData md, String catalog, String schema, String table,
                                               String escape) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (ResultSet rs = md.getColumns(catalog, schema == null ? null : escapePattern(schema, escape),
                escapePattern(table, escape), "%")) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                columns.putIfAbsent(name.toUpperCase(Locale.ROOT), name);
            }
        }
        return columns;
    }

    /** Escapes the {@code LIKE} wildcards {@code _} and {@code %} that table names may contain. */
    static String escapePattern(String name, String escape) {
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }
}
