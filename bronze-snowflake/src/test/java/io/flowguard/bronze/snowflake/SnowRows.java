package io.flowguard.bronze.snowflake;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.testkit.StoredRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Reads Bronze rows back from Snowflake for assertions. */
final class SnowRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SnowRows() {}

    static List<StoredRow> readBack(DataSource ds, String qualifiedTable) {
        String sql = "SELECT INGESTION_ID, EVENT_ID, EVENT_TYPE, SCHEMA_VERSION, SOURCE_TOPIC, PRODUCER_SERVICE, "
                + "KAFKA_PARTITION, KAFKA_OFFSET, KAFKA_TIMESTAMP, KAFKA_KEY, KAFKA_HEADERS, RAW_EVENT FROM "
                + qualifiedTable;
        List<StoredRow> rows = new ArrayList<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Timestamp ts = rs.getTimestamp(9);
                String headers = rs.getString(11);
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
                        .headers(headers == null ? null : parseHeaders(headers))
                        .rawEvent(rs.getString(12))
                        .build());
            }
        } catch (SQLException e) {
            if (SnowflakeErrors.isMissingObject(e)) {
                return List.of();
            }
            throw new IllegalStateException(e);
        }
        return rows;
    }

    static long count(DataSource ds, String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void execute(DataSource ds, String... sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parseHeaders(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (Exception e) {
            throw new IllegalStateException("KAFKA_HEADERS is not a JSON object: " + json, e);
        }
    }
}
