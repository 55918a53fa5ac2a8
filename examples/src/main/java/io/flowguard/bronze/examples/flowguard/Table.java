package io.flowguard.bronze.examples.flowguard;

import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints a query's result as an aligned text table, with a title; for the demo's report. */
final class Table {
    private Table() {}

    static void print(Statement st, PrintStream out, String title, String sql) throws SQLException {
        out.println("-- " + title);
        List<List<String>> rows = new ArrayList<>();
        int columns;
        try (ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            columns = md.getColumnCount();
            List<String> header = new ArrayList<>();
            for (int i = 1; i <= columns; i++) {
                header.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
            }
            rows.add(header);
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    String v = String.valueOf(rs.getString(i));
                    // Error classes are long: the simple name says enough here.
                    row.add(v.matches("([a-z0-9_]+\\.)+[A-Z][A-Za-z0-9_$]*") ? v.substring(v.lastIndexOf('.') + 1) : v);
                }
                rows.add(row);
            }
        }
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
    }
}
