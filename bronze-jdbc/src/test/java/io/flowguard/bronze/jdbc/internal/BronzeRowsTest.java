package io.flowguard.bronze.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.Header;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TypedColumn;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BronzeRowsTest {
    private final BronzeRows rows = new BronzeRows(new ObjectMapper());
    private final BronzeRecord record = BronzeRecord.builder()
            .ingestionId("orders-0-1")
            .sourceTopic("orders")
            .partition(0)
            .offset(1)
            .ingestedAt(Instant.parse("2025-01-01T00:00:00Z"))
            .headers(Map.of("a", "1"))
            .rawEvent("{\"order_id\":\"O-1\",\"n\":42,\"meta\":{\"region\":\"eu\",\"tags\":[1,2]},\"gone\":null}")
            .build();

    @Test
    void shouldLayOutOneValuePerBronzeColumnThenTypedColumns() {
        Object[] row = rows.bronzeRow(record, List.of(TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR)));

        assertThat(row).hasSize(BronzeTables.bronzeColumns().size() + 1);
        assertThat(row[5]).isEqualTo("orders-0-1");
        assertThat(row[10]).isEqualTo("{\"a\":\"1\"}");
        assertThat(row[13]).as("KAFKA_KEY_ENCODING").isEqualTo("UTF8");
        assertThat(row[14]).isEqualTo("O-1");
    }

    @Test
    void shouldExtractScalarsAsTextAndStructuresAsJson() {
        Object[] row = rows.bronzeRow(
                record,
                List.of(
                        TypedColumn.of("N", "n", SqlType.INTEGER),
                        TypedColumn.of("REGION", "meta.region", SqlType.VARCHAR),
                        TypedColumn.of("TAGS", "meta.tags", SqlType.JSON),
                        TypedColumn.of("GONE", "gone", SqlType.VARCHAR),
                        TypedColumn.of("ABSENT", "meta.region.deeper", SqlType.VARCHAR)));

        assertThat(row).endsWith("42", "eu", "[1,2]", null, null);
    }

    @Test
    void shouldLeaveTypedColumnsNullForTombstone() {
        Object[] row = rows.bronzeRow(
                record.toBuilder().rawEvent(null).build(), List.of(TypedColumn.of("N", "n", SqlType.INTEGER)));

        assertThat(row[14]).isNull();
    }

    @Test
    void shouldRejectPayloadThatIsNotJsonWhenTypedColumnsAreConfigured() {
        BronzeRecord notJson = record.toBuilder().rawEvent("{oops").build();

        assertThatThrownBy(() -> rows.bronzeRow(notJson, List.of(TypedColumn.of("N", "n", SqlType.INTEGER))))
                .isInstanceOf(BronzeRows.UnparseablePayloadException.class)
                .hasMessageContaining("orders-0-1");
    }

    @Test
    void shouldDecodeMalformedUtf8AndReplaceNulInDeadLetterPayload() {
        byte[] payload = {'{', 'x', (byte) 0xC3, (byte) 0x28, 0, '}'};
        DeadLetter d = DeadLetter.builder()
                .failedAt(Instant.EPOCH)
                .stage(DeadLetter.Stage.DESERIALIZE)
                .errorClass("E")
                .topic("t")
                .partition(1)
                .offset(2)
                .rawPayload(payload)
                .rawKey(new byte[] {'k', 0})
                .headers(List.of(Header.of("h", "v"), Header.of("h", (byte[]) null)))
                .build();

        Object[] row = rows.deadLetterRow(d);

        assertThat(row)
                .hasSize(BronzeTables.deadLetterTable(null, "DL").columns().size());
        assertThat(row[10]).isEqualTo("{x\uFFFD(\uFFFD}");
        assertThat(row[11]).isEqualTo(6);
        assertThat(row[12]).isEqualTo(false);
        assertThat((String) row[13])
                .isEqualTo("{\"topic\":\"t\",\"partition\":1,\"offset\":2,\"timestamp\":null,"
                        + "\"timestampType\":\"NO_TIMESTAMP\",\"key\":\"k\uFFFD\",\"headers\":[{\"name\":\"h\",\"value\":\"v\"},"
                        + "{\"name\":\"h\",\"value\":null}]}");
    }

    @Test
    void shouldBindJsonTextOfScalarsForJsonTypedColumns() {
        BronzeRecord r = record.toBuilder()
                .rawEvent("{\"s\":\"hello\",\"a\":\"[1,2]\",\"n\":7,\"b\":true}")
                .build();

        Object[] row = rows.bronzeRow(
                r,
                List.of(
                        TypedColumn.of("S", "s", SqlType.JSON),
                        TypedColumn.of("A", "a", SqlType.JSON),
                        TypedColumn.of("N", "n", SqlType.JSON),
                        TypedColumn.of("B", "b", SqlType.JSON),
                        TypedColumn.of("S_TEXT", "s", SqlType.VARCHAR)));

        assertThat(row).endsWith("\"hello\"", "\"[1,2]\"", "7", "true", "hello");
    }

    @Test
    void shouldReplaceNulInKeyAndHeaderNamesAndValues() {
        BronzeRecord r = record.toBuilder()
                .key("\u0000\u0000*")
                .headers(Map.of("tr\u0000ce", "a\u0000b"))
                .build();

        Object[] row = rows.bronzeRow(r, List.of());

        assertThat(row[9]).isEqualTo("\uFFFD\uFFFD*");
        assertThat(row[10]).isEqualTo("{\"tr\uFFFDce\":\"a\uFFFDb\"}");
    }
}
