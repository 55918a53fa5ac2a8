package io.flowguard.bronze.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.testkit.StoredRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Test helpers that read Bronze tables back with plain JDBC. */
final class Rows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Rows() {}

    /** Every row of {@code qualifiedTable} (already quoted), or none when the table does not exist. */
    static List<StoredRow> readBronze(DataSource ds, String qualifiedTable, boolean tableExists) {
        if (!tableExists) {
            return List.of();
        }
        String sql = "SELECT \"INGESTION_ID\", \"EVENT_ID\", \"EVENT_TYPE\", \"SCHEMA_VERSION\", \"SOURCE_TOPIC\", "
                + "\"PRODUCER_SERVICE\", \"KAFKA_PARTITION\", \"KAFKA_OFFSET\", \"KAFKA_TIMESTAMP\", \"KAFKA_KEY\", "
                + "CAST(\"KAFKA_HEADERS\" AS VARCHAR), CAST(\"RAW_EVENT\" AS VARCHAR) FROM " + qualifiedTable;
        List<StoredRow> rows = new ArrayList<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                OffsetDateTime ts = rs.getObject(9, OffsetDateTime.class);
                rows.add(StoredRow.builder()
                        .ingestionId(rs.getString(1))
                        .eventId(rs.getString(2))
                        .eventType(rs.getString(3))
                        .schemaVersion(rs.getString(4))
                        .sourceTopic(rs.getString(5))
                        .producerService(rs.getString(6))
                        .partition(rs.getInt(7))
                        .offset(rs.getLong(8))
                        .kafkaTimestamp(ts == null ? null : ts.toInstant())
                        .key(rs.getString(10))
                        .headers(headers(rs.getString(11)))
                        .rawEvent(rs.getString(12))
                        .build());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + qualifiedTable, e);
        }
        return rows;
    }

    static Map<String, String> headers(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (Exception e) {
            throw new IllegalStateException("headers are not a JSON object of strings: " + json, e);
        }
    }

    /** The single value of a one-row, one-column query. */
    static Object scalar(DataSource ds, String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("no row from " + sql);
            }
            return rs.getObject(1);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** The values of the first column of every row. */
    static List<Object> column(DataSource ds, String sql) {
        List<Object> values = new ArrayList<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getObject(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
        return values;
    }

    static void execute(DataSource ds, String... statements) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + String.join("; ", statements), e);
        }
    }

    static boolean tableExists(DataSource ds, String schema, String table) {
        try (Connection c = ds.getConnection();
                ResultSet rs = c.getMetaData().getTables(null, schema, table, null)) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
