package io.flowguard.bronze.snowflake.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TypedColumn;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowJsonTest {
    private final RowJson rowJson = new RowJson();

    @Test
    void shouldSendJsonTextOfScalarsForJsonTypedColumns() throws Exception {
        BronzeRecord r = BronzeRecord.builder()
                .ingestionId("orders-0-1")
                .sourceTopic("orders")
                .partition(0)
                .offset(1)
                .ingestedAt(Instant.parse("2025-01-01T00:00:00Z"))
                .rawEvent("{\"s\":\"hello\",\"a\":\"[1,2]\",\"n\":7,\"o\":{\"x\":1}}")
                .build();

        JsonNode row = new ObjectMapper()
                .readTree(rowJson.bronze(
                        r,
                        List.of(
                                TypedColumn.of("S", "s", SqlType.JSON),
                                TypedColumn.of("A", "a", SqlType.JSON),
                                TypedColumn.of("N", "n", SqlType.JSON),
                                TypedColumn.of("O", "o", SqlType.JSON),
                                TypedColumn.of("S_TEXT", "s", SqlType.VARCHAR))));

        // PARSE_JSON of each value must give back the original node: a string stays a string.
        assertThat(row.get("typed_0").asText()).isEqualTo("\"hello\"");
        assertThat(row.get("typed_1").asText()).isEqualTo("\"[1,2]\"");
        assertThat(row.get("typed_2").asText()).isEqualTo("7");
        assertThat(row.get("typed_3").asText()).isEqualTo("{\"x\":1}");
        assertThat(row.get("typed_4").asText()).isEqualTo("hello");
    }
}
