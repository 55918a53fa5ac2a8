package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableDefinitionTest {

    @Test
    void shouldRenameColumnsKeyAndIndexesForPhysicalNames() {
        TableDefinition logical = BronzeTables.bronzeTable(null, "ORDERS_RAW", List.of());

        TableDefinition physical = logical.renamed(
                "public", "orders_raw", Map.of("INGESTION_ID", "ingestion_id", "SOURCE_TOPIC", "source_topic"));

        assertThat(physical.displayName()).isEqualTo("public.orders_raw");
        assertThat(physical.uniqueKey()).containsExactly("ingestion_id");
        assertThat(physical.indexes().get(0)).containsExactly("source_topic", "INGESTED_AT");
        assertThat(physical.columnNames()).contains("ingestion_id", "RAW_EVENT").doesNotContain("INGESTION_ID");
    }

    @Test
    void shouldRejectUniqueKeyOnUnknownColumn() {
        assertThatThrownBy(() -> TableDefinition.builder("T")
                        .column(ColumnDefinition.of("A", SqlType.VARCHAR))
                        .uniqueKey("B")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'B'");
    }

    @Test
    void shouldRejectColumnsThatRepeatIgnoringCase() {
        assertThatThrownBy(() -> TableDefinition.builder("T")
                        .column(ColumnDefinition.of("A", SqlType.VARCHAR))
                        .column(ColumnDefinition.of("a", SqlType.INTEGER))
                        .uniqueKey("A")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a' repeats");
    }

    @Test
    void shouldRejectTableNameThatCarriesSql() {
        assertThatThrownBy(() -> TableDefinition.builder("orders; DROP TABLE x")
                        .column(ColumnDefinition.of("A", SqlType.VARCHAR))
                        .uniqueKey("A")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'orders; DROP TABLE x'");
    }

    @Test
    void shouldRejectTypedColumnWithBadPathOrName() {
        assertThatThrownBy(() -> TypedColumn.of("ORDER_ID", "a..b", SqlType.VARCHAR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a..b'");
        assertThatThrownBy(() -> TypedColumn.of("ORDER ID", "a", SqlType.VARCHAR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ORDER ID'");
    }

    @Test
    void shouldDefineDeadLetterTableUniqueOnTopicPartitionOffset() {
        TableDefinition dl = BronzeTables.deadLetterTable(null, BronzeTables.DEFAULT_DEAD_LETTER_TABLE);

        assertThat(dl.uniqueKey()).containsExactly("SOURCE_TOPIC", "KAFKA_PARTITION", "KAFKA_OFFSET");
        assertThat(dl.column("RAW_PAYLOAD"))
                .get()
                .extracting(ColumnDefinition::type)
                .isEqualTo(SqlType.VARCHAR);
        assertThat(dl.column("KAFKA_METADATA"))
                .get()
                .extracting(ColumnDefinition::type)
                .isEqualTo(SqlType.JSON);
    }
}
