package io.flowguard.bronze.examples.flowguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.testkit.FlowGuardTraffic;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The Silver views over real Bronze rows of both schema versions, written by the real sink: typed columns, one
 * {@code CUSTOMER_ID} for v1's {@code user_id} and v2's {@code customer_id}, and a duplicated Bronze row hidden.
 */
abstract class AbstractSilverViewsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A data source on an empty database whose current schema the test may fill. */
    abstract DataSource dataSource() throws Exception;

    abstract BronzeSink sink(DataSource dataSource);

    abstract SilverViews.Warehouse warehouse();

    /** Drops the unique index the sink created on {@code table}'s INGESTION_ID, as an append-mode table has none. */
    abstract void dropUniqueIndex(Statement st, String table) throws SQLException;

    /** {@code column} as quoted in this warehouse's SQL. */
    abstract String q(String column);

    @Test
    void shouldReadBothSchemaVersionsIntoTypedColumnsAndHideDuplicatedRows() throws Exception {
        DataSource ds = dataSource();
        List<FlowGuardTraffic.Event> events = FlowGuardTraffic.builder()
                .seed(7)
                .v2Share(0.5)
                .malformedShare(0)
                .build()
                .next(60);
        List<BronzeRecord> records = new ArrayList<>();
        Map<String, JsonNode> payloadById = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            FlowGuardTraffic.Event e = events.get(i);
            String ingestionId = e.topic() + "-0-" + i;
            payloadById.put(ingestionId, JSON.readTree(e.value()));
            records.add(BronzeRecord.builder()
                    .ingestionId(ingestionId)
                    .eventId(e.headers().get("event_id"))
                    .eventType(e.eventType())
                    .schemaVersion(e.schemaVersion())
                    .producerService(e.headers().get("producer_service"))
                    .sourceTopic(e.topic())
                    .partition(0)
                    .offset(i)
                    .kafkaTimestamp(Instant.now())
                    .key(e.key())
                    .headers(e.headers())
                    .ingestedAt(Instant.parse("2026-11-29T10:00:00Z"))
                    .rawEvent(e.valueText())
                    .build());
        }
        try (BronzeSink sink = sink(ds)) {
            sink.write(records, BatchInfo.adHoc(Instant.now()));
        }
        long orders = events.stream().filter(e -> e.topic().equals("orders")).count();
        long clicks = events.size() - orders;
        assertThat(orders).isPositive();
        assertThat(clicks).isPositive();
        String duplicated = "orders-0-"
                + events.indexOf(events.stream()
                        .filter(e -> e.topic().equals("orders"))
                        .findFirst()
                        .orElseThrow());

        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            SilverViews.create(c, warehouse());
            // The duplicate arrives later (as a replay in append mode would) and carries a different payload: the view
            // must
            // keep the first.
            dropUniqueIndex(st, "ORDERS_RAW");
            st.execute(duplicateRow(st, duplicated));
            assertThat(count(st, "SELECT COUNT(*) FROM " + q("ORDERS_RAW"))).isEqualTo(orders + 1);

            assertThat(count(st, "SELECT COUNT(*) FROM " + q("ORDERS_SILVER")))
                    .as("one Silver row per ingestion id")
                    .isEqualTo(orders);
            assertThat(count(st, "SELECT COUNT(*) FROM " + q("CLICKS_SILVER"))).isEqualTo(clicks);
            assertThat(count(
                            st,
                            "SELECT COUNT(*) FROM " + q("ORDERS_SILVER") + " WHERE " + q("CUSTOMER_ID") + " = 999999"))
                    .as("the later duplicate is hidden")
                    .isZero();

            int v1 = 0;
            int v2 = 0;
            try (ResultSet rs =
                    st.executeQuery("SELECT " + q("INGESTION_ID") + ", " + q("SCHEMA_VERSION") + ", " + q("CUSTOMER_ID")
                            + ", " + q("ORDER_ID") + ", " + q("TOTAL_PRICE") + ", " + q("ITEM_COUNT") + ", "
                            + q("CREATED_AT") + ", "
                            + q("RESTAURANT_NAME") + " FROM " + q("ORDERS_SILVER"))) {
                while (rs.next()) {
                    JsonNode payload = payloadById.get(rs.getString(1));
                    String version = rs.getString(2);
                    JsonNode expectedCustomer = payload.get("v2".equals(version) ? "customer_id" : "user_id");
                    assertThat(expectedCustomer)
                            .as("%s carries the id its version names", rs.getString(1))
                            .isNotNull();
                    assertThat(rs.getLong(3))
                            .as("CUSTOMER_ID of %s (%s)", rs.getString(1), version)
                            .isEqualTo(expectedCustomer.asLong());
                    assertThat(rs.getString(4))
                            .isEqualTo(payload.get("order_id").asText());
                    assertThat(rs.getBigDecimal(5))
                            .isEqualByComparingTo(
                                    new BigDecimal(payload.get("total_price").asText()));
                    assertThat(rs.getInt(6)).isEqualTo(payload.get("items").size());
                    assertThat(instant(rs, 7))
                            .as("microseconds: PostgreSQL rounds the nanoseconds, DuckDB truncates them")
                            .isCloseTo(Instant.parse(payload.get("created_at").asText()), within(1, ChronoUnit.MICROS));
                    assertThat(rs.getString(8))
                            .isEqualTo(payload.get("restaurant").get("name").asText());
                    if ("v2".equals(version)) {
                        v2++;
                    } else {
                        v1++;
                    }
                }
            }
            assertThat(v1).as("v1 orders").isPositive();
            assertThat(v2).as("v2 orders").isPositive();
            try (ResultSet rs = st.executeQuery("SELECT " + q("INGESTION_ID") + ", " + q("SCHEMA_VERSION") + ", "
                    + q("CUSTOMER_ID") + ", " + q("SESSION_ID") + ", " + q("DEVICE") + ", " + q("CLICKED_AT") + " FROM "
                    + q("CLICKS_SILVER"))) {
                while (rs.next()) {
                    JsonNode payload = payloadById.get(rs.getString(1));
                    JsonNode expectedCustomer = payload.get("v2".equals(rs.getString(2)) ? "customer_id" : "user_id");
                    assertThat(rs.getLong(3)).isEqualTo(expectedCustomer.asLong());
                    assertThat(rs.getString(4))
                            .isEqualTo(payload.get("session_id").asText());
                    assertThat(rs.getString(5)).isEqualTo(payload.get("device").asText());
                    assertThat(instant(rs, 6)).isNotNull();
                }
            }
            assertThat(count(st, "SELECT COUNT(DISTINCT " + q("SCHEMA_VERSION") + ") FROM " + q("CLICKS_SILVER")))
                    .isEqualTo(2);
        }
    }

    /** An INSERT copying the row of {@code ingestionId} with a later INGESTED_AT and customer id 999999. */
    private String duplicateRow(Statement st, String ingestionId) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + q("ORDERS_RAW") + " WHERE 1 = 0")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                columns.add(rs.getMetaData().getColumnName(i));
            }
        }
        List<String> values = new ArrayList<>();
        for (String col : columns) {
            values.add(
                    switch (col) {
                        case "INGESTED_AT" -> q(col) + " + INTERVAL '1 hour'";
                        case "RAW_EVENT" -> laterPayload();
                        default -> q(col);
                    });
        }
        return "INSERT INTO " + q("ORDERS_RAW") + " ("
                + String.join(", ", columns.stream().map(this::q).toList()) + ") SELECT " + String.join(", ", values)
                + " FROM " + q("ORDERS_RAW") + " WHERE " + q("INGESTION_ID") + " = '" + ingestionId + "'";
    }

    /** A TIMESTAMPTZ column as an instant. */
    Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** A payload expression setting customer_id to 999999 in the copied row's RAW_EVENT. */
    abstract String laterPayload();

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
