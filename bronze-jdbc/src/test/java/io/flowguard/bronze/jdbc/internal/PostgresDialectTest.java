package io.flowguard.bronze.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.jdbc.TypedColumn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden tests: the exact SQL the PostgreSQL dialect generates. */
class PostgresDialectTest {
    private final SqlDialect dialect = SqlDialect.postgres();
    private final TableDefinition small = TableDefinition.builder("T")
            .schema("S")
            .column(ColumnDefinition.notNull("ID", SqlType.VARCHAR))
            .column(ColumnDefinition.of("N", SqlType.INTEGER))
            .column(ColumnDefinition.of("DOC", SqlType.JSON))
            .uniqueKey("ID")
            .index("N")
            .build();

    @Test
    void shouldCreateTableWithUniqueAndSecondaryIndexes() {
        assertThat(dialect.createTableStatements(small))
                .containsExactly(
                        "CREATE TABLE IF NOT EXISTS \"S\".\"T\" (\"ID\" VARCHAR NOT NULL, \"N\" INTEGER, \"DOC\" JSONB)",
                        "CREATE UNIQUE INDEX IF NOT EXISTS \"T_ID_UX\" ON \"S\".\"T\" (\"ID\")",
                        "CREATE INDEX IF NOT EXISTS \"T_N_IX\" ON \"S\".\"T\" (\"N\")");
    }

    @Test
    void shouldInsertFromUnnestedArraysSkippingConflicts() {
        assertThat(dialect.insertStatement(small, 2))
                .isEqualTo(
                        "INSERT INTO \"S\".\"T\" (\"ID\", \"N\", \"DOC\") SELECT * FROM unnest(?::VARCHAR[], ?::INTEGER[], ?::JSONB[]) "
                                + "ON CONFLICT (\"ID\") DO NOTHING");
    }

    @Test
    void shouldTakeOneAdvisoryTransactionLockPerPartitionInOrder() {
        assertThat(dialect.partitionLockStatement(2))
                .isEqualTo("SELECT pg_advisory_xact_lock(hashtext(?), ?), pg_advisory_xact_lock(hashtext(?), ?)");
        assertThat(SqlDialect.duckdb().partitionLockStatement(2))
                .as("DuckDB has no such lock")
                .isNull();
    }

    @Test
    void shouldGenerateSameInsertTextWhateverTheRowCount() {
        assertThat(dialect.insertStatement(small, 1)).isEqualTo(dialect.insertStatement(small, 65_536));
    }

    @Test
    void shouldInsertEveryBronzeColumnWithTypedColumnsLast() {
        TableDefinition orders = BronzeTables.bronzeTable(
                null, "ORDERS_RAW", List.of(TypedColumn.of("ORDER_ID", "order_id", SqlType.VARCHAR)));

        assertThat(dialect.insertStatement(orders, 2))
                .isEqualTo(
                        "INSERT INTO \"ORDERS_RAW\" (\"EVENT_ID\", \"EVENT_TYPE\", "
                                + "\"SCHEMA_VERSION\", \"SOURCE_TOPIC\", \"PRODUCER_SERVICE\", \"INGESTION_ID\", \"KAFKA_PARTITION\", "
                                + "\"KAFKA_OFFSET\", \"KAFKA_TIMESTAMP\", \"KAFKA_KEY\", \"KAFKA_HEADERS\", \"INGESTED_AT\", \"RAW_EVENT\", "
                                + "\"KAFKA_KEY_ENCODING\", \"ORDER_ID\") SELECT * FROM unnest(?::VARCHAR[], ?::VARCHAR[], ?::VARCHAR[], ?::VARCHAR[], "
                                + "?::VARCHAR[], ?::VARCHAR[], ?::INTEGER[], ?::BIGINT[], ?::TIMESTAMPTZ[], ?::VARCHAR[], ?::JSONB[], "
                                + "?::TIMESTAMPTZ[], ?::JSONB[], ?::VARCHAR[], ?::VARCHAR[]) ON CONFLICT (\"INGESTION_ID\") DO NOTHING");
        assertThat(dialect.appendStatement(orders, 2))
                .as("append mode: the same insert without ON CONFLICT")
                .isEqualTo(dialect.insertStatement(orders, 2).replace(" ON CONFLICT (\"INGESTION_ID\") DO NOTHING", ""))
                .doesNotContain("ON CONFLICT");
        assertThat(dialect.createTableStatements(orders).get(0))
                .isEqualTo("CREATE TABLE IF NOT EXISTS \"ORDERS_RAW\" ("
                        + "\"EVENT_ID\" VARCHAR, \"EVENT_TYPE\" VARCHAR, \"SCHEMA_VERSION\" VARCHAR, \"SOURCE_TOPIC\" VARCHAR NOT NULL, "
                        + "\"PRODUCER_SERVICE\" VARCHAR, \"INGESTION_ID\" VARCHAR NOT NULL, \"KAFKA_PARTITION\" INTEGER NOT NULL, "
                        + "\"KAFKA_OFFSET\" BIGINT NOT NULL, \"KAFKA_TIMESTAMP\" TIMESTAMPTZ, \"KAFKA_KEY\" VARCHAR, "
                        + "\"KAFKA_HEADERS\" JSONB, \"INGESTED_AT\" TIMESTAMPTZ NOT NULL, \"RAW_EVENT\" JSONB, \"KAFKA_KEY_ENCODING\" VARCHAR, "
                        + "\"ORDER_ID\" VARCHAR)");
    }

    @Test
    void shouldAddColumnAsNullable() {
        assertThat(dialect.addColumnStatement(small, ColumnDefinition.of("EXTRA", SqlType.TIMESTAMP)))
                .isEqualTo("ALTER TABLE \"S\".\"T\" ADD COLUMN \"EXTRA\" TIMESTAMPTZ");
    }

    @Test
    void shouldKeepIdentifierCaseWhenQuoting() {
        assertThat(dialect.quoteIdentifier("orders_raw")).isEqualTo("\"orders_raw\"");
        assertThat(dialect.createSchemaStatement("BRONZE")).isEqualTo("CREATE SCHEMA IF NOT EXISTS \"BRONZE\"");
    }

    @Test
    void shouldRejectIdentifierThatCarriesSql() {
        assertThatThrownBy(() -> dialect.quoteIdentifier("orders; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'orders; DROP TABLE x'");
        assertThatThrownBy(() -> dialect.quoteIdentifier("a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dialect.quoteIdentifier("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldShortenIndexNameWithHashWhenLongerThan63Characters() {
        TableDefinition longName = TableDefinition.builder("A_VERY_LONG_TABLE_NAME_THAT_GOES_ON_AND_ON_FOR_A_WHILE_RAW")
                .column(ColumnDefinition.notNull("INGESTION_ID", SqlType.VARCHAR))
                .uniqueKey("INGESTION_ID")
                .build();

        String name = dialect.indexName(longName, List.of("INGESTION_ID"), true);

        assertThat(name).hasSize(63).startsWith("A_VERY_LONG_TABLE_NAME").matches(".*_[0-9A-F]{8}");
        assertThat(dialect.indexName(longName, List.of("INGESTION_ID"), true)).isEqualTo(name);
        assertThat(dialect.indexName(longName, List.of("INGESTION_ID"), false)).isNotEqualTo(name);
    }

    @Test
    void shouldMapEveryTypeToPostgresName() {
        assertThat(List.of(SqlType.values()))
                .extracting(dialect::typeName)
                .containsExactly("VARCHAR", "INTEGER", "BIGINT", "DOUBLE PRECISION", "BOOLEAN", "TIMESTAMPTZ", "JSONB");
    }
}
