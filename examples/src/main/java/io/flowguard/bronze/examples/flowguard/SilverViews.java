package io.flowguard.bronze.examples.flowguard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The FlowGuard Silver views ({@code ORDERS_SILVER}, {@code CLICKS_SILVER}) for each warehouse, kept as plain SQL files
 * in {@code examples/src/main/resources/sql/} ({@code silver-snowflake.sql}, {@code silver-postgres.sql},
 * {@code silver-duckdb.sql}) so a data engineer can run them by hand; this class only loads and runs them. Stateless.
 *
 * @since 0.2.0
 */
public final class SilverViews {

    /** The warehouses a Silver file exists for. */
    public enum Warehouse {
        SNOWFLAKE("silver-snowflake.sql"),
        POSTGRES("silver-postgres.sql"),
        DUCKDB("silver-duckdb.sql");

        private final String file;

        Warehouse(String file) {
            this.file = file;
        }

        /** The file name under {@code sql/} on the class path. */
        public String file() {
            return file;
        }
    }

    private SilverViews() {}

    /** The SQL file's text. */
    public static String sql(Warehouse warehouse) {
        try (InputStream in = SilverViews.class.getResourceAsStream("/sql/" + warehouse.file())) {
            if (in == null) {
                throw new IllegalStateException("sql/" + warehouse.file() + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The file's statements: comment lines dropped, split at a {@code ;} that ends a line (the files put one there after
     * each statement and nowhere else).
     */
    public static List<String> statements(Warehouse warehouse) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql(warehouse).split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String s = current.toString().strip();
                statements.add(s.substring(0, s.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("sql/" + warehouse.file() + " ends with a statement without ';'");
        }
        return statements;
    }

    /** Creates (or replaces) both views through {@code connection}, in its current schema. */
    public static void create(Connection connection, Warehouse warehouse) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String sql : statements(warehouse)) {
                st.execute(sql);
            }
        }
    }
}
