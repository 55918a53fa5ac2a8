package io.flowguard.bronze.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TableDefinition;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden tests: the exact SQL the DuckDB dialect generates, and how it classifies DuckDB's SQLState-less errors. */
class DuckDbDialectTest {
    private final SqlDialect dialect = SqlDialect.duckdb();
    private final TableDefinition small = TableDefinition.builder("T")
            .column(ColumnDefinition.notNull("ID", SqlType.VARCHAR))
            .column(ColumnDefinition.of("N", SqlType.DOUBLE))
            .column(ColumnDefinition.of("DOC", SqlType.JSON))
            .uniqueKey("ID")
            .index("N")
            .build();

    @Test
    void shouldCreateTableWithOnlyTheUniqueIndex() {
        assertThat(dialect.createTableStatements(small))
                .containsExactly(
                        "CREATE TABLE IF NOT EXISTS \"T\" (\"ID\" VARCHAR NOT NULL, \"N\" DOUBLE, \"DOC\" JSON)",
                        "CREATE UNIQUE INDEX IF NOT EXISTS \"T_ID_UX\" ON \"T\" (\"ID\")");
    }

    @Test
    void shouldInsertFromZippedUnnestsSkippingConflicts() {
        assertThat(dialect.insertStatement(small, 2))
                .isEqualTo(
                        "INSERT INTO \"T\" (\"ID\", \"N\", \"DOC\") SELECT unnest(?::VARCHAR[]), unnest(?::DOUBLE[]), "
                                + "unnest(?::JSON[]) ON CONFLICT (\"ID\") DO NOTHING");
    }

    @Test
    void shouldAddColumn() {
        assertThat(dialect.addColumnStatement(small, ColumnDefinition.of("X", SqlType.BIGINT)))
                .isEqualTo("ALTER TABLE \"T\" ADD COLUMN \"X\" BIGINT");
    }

    @Test
    void shouldMapEveryTypeToDuckDbName() {
        assertThat(List.of(SqlType.values()))
                .extracting(dialect::typeName)
                .containsExactly("VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMPTZ", "JSON");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Conversion Error: Could not convert string 'x2' to INT32|DATA",
                "Constraint Error: NOT NULL constraint failed: T.ID|DATA",
                "Invalid Input Error: Malformed JSON|DATA",
                "Out of Range Error: Overflow in multiplication of INT32|DATA",
                "Catalog Error: Table with name T does not exist!|TRANSIENT",
                "Binder Error: column X not found|TRANSIENT",
                "Parser Error: syntax error at or near \"SELEC\"|TRANSIENT",
                "Not implemented Error: Unsupported|TRANSIENT",
                "IO Error: Cannot open file \"/x/y.db\": No such file or directory|TRANSIENT",
                "TransactionContext Error: Conflict on update|TRANSIENT",
                "Out of Memory Error: could not allocate block|TRANSIENT",
                "Interrupt Error: Interrupted!|TRANSIENT"
            })
    void shouldClassifyDuckDbErrorByItsTypePrefix(String message, ErrorKind expected) {
        assertThat(dialect.classify(new SQLException(message))).isEqualTo(expected);
    }
}
