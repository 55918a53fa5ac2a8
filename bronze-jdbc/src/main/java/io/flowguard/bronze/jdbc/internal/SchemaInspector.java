package io.flowguard.bronze.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
    public record ExistingTable(String schema, String table, Map<String, String> columns) {}

    /**
     * One index of a table: its name, whether it is unique, its columns in order (as the database spells them) and
     * whether it is partial (has a predicate, so {@code ON CONFLICT} cannot use it).
     */
    public record ExistingIndex(String name, boolean unique, List<String> columns, boolean partial) {

        /** Whether this index is over exactly {@code names}, in order, ignoring case. */
        public boolean covers(List<String> names) {
            if (columns.size() != names.size()) {
                return false;
            }
            for (int i = 0; i < names.size(); i++) {
                if (columns.get(i) == null || !columns.get(i).equalsIgnoreCase(names.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    private SchemaInspector() {}

    /**
     * Whether {@code schema} exists, spelled exactly so (a quoted name keeps its case); {@code false} when the driver
     * cannot tell.
     */
    public static boolean schemaExists(Connection connection, String schema) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        try (ResultSet rs = md.getSchemas(connection.getCatalog(), escapePattern(schema, md.getSearchStringEscape()))) {
            while (rs.next()) {
                if (schema.equals(rs.getString("TABLE_SCHEM"))) {
                    return true;
                }
            }
        } catch (SQLFeatureNotSupportedException e) {
            return false;
        }
        return false;
    }

    /**
     * The indexes of {@code table} (found by {@link #find}), or empty when the driver cannot list them. Read through
     * {@link DatabaseMetaData#getIndexInfo} (PostgreSQL: {@code pg_index}), so an index of any name counts.
     */
    public static Optional<List<ExistingIndex>> indexes(Connection connection, ExistingTable table)
            throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        Map<String, Boolean> partial = new LinkedHashMap<>();
        Map<String, java.util.TreeMap<Integer, String>> columns = new LinkedHashMap<>();
        try (ResultSet rs = md.getIndexInfo(connection.getCatalog(), table.schema(), table.table(), false, true)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name == null || rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic) {
                    continue;
                }
                unique.putIfAbsent(name, !rs.getBoolean("NON_UNIQUE"));
                String filter = rs.getString("FILTER_CONDITION");
                partial.merge(name, filter != null && !filter.isBlank(), Boolean::logicalOr);
                java.util.TreeMap<Integer, String> cols = columns.computeIfAbsent(name, n -> new java.util.TreeMap<>());
                cols.put((int) rs.getShort("ORDINAL_POSITION"), rs.getString("COLUMN_NAME"));
            }
        } catch (SQLFeatureNotSupportedException e) {
            return Optional.empty();
        }
        List<ExistingIndex> out = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : unique.entrySet()) {
            out.add(new ExistingIndex(
                    e.getKey(),
                    e.getValue(),
                    new ArrayList<>(columns.get(e.getKey()).values()),
                    partial.get(e.getKey())));
        }
        return Optional.of(out);
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
                    boolean isTable = type == null
                            || (type.toUpperCase(Locale.ROOT).contains("TABLE")
                                    && !type.toUpperCase(Locale.ROOT).contains("SYSTEM"));
                    if (isTable
                            && foundTable.equalsIgnoreCase(table)
                            && (targetSchema == null || targetSchema.equalsIgnoreCase(foundSchema))) {
                        return Optional.of(new ExistingTable(
                                foundSchema, foundTable, columns(md, catalog, foundSchema, foundTable, escape)));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> columns(
            DatabaseMetaData md, String catalog, String schema, String table, String escape) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (ResultSet rs = md.getColumns(
                catalog, schema == null ? null : escapePattern(schema, escape), escapePattern(table, escape), "%")) {
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
