package io.flowguard.bronze.snowflake.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.TableDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schema check before writing (S3 identifier case, S7 legacy tables), on what DESCRIBE TABLE returns. */
class SchemaCheckTest {
    private final TableDefinition table = BronzeTables.bronzeTable("BRONZE", "ORDERS_RAW", List.of());

    /** DESCRIBE of a complete table as the sink creates it. */
    private Map<String, TableManager.Described> complete() {
        Map<String, TableManager.Described> d = new LinkedHashMap<>();
        for (ColumnDefinition c : table.columns()) {
            String type = switch (c.type()) {
                case VARCHAR -> "VARCHAR(16777216)";
                case INTEGER, BIGINT -> "NUMBER(38,0)";
                case TIMESTAMP -> "TIMESTAMP_TZ(9)";
                case JSON -> "VARIANT";
                case DOUBLE -> "FLOAT";
                case BOOLEAN -> "BOOLEAN";
            };
            d.put(c.name(), new TableManager.Described(type, c.nullable(), null));
        }
        return d;
    }

    private static SinkWriteException configurationError(Runnable check) {
        try {
            check.run();
        } catch (SinkWriteException e) {
            return e;
        }
        throw new AssertionError("expected the schema check to fail");
    }

    @Test
    void shouldAcceptTheTableTheSinkCreatesAndAddNothing() {
        assertThat(TableManager.check(table, complete())).isEmpty();
    }

    @Test
    void shouldListOnlyMissingColumnsOfALegacyTableToAdd() {
        Map<String, TableManager.Described> legacy = complete();
        legacy.remove(BronzeTables.KAFKA_KEY_ENCODING);

        assertThat(TableManager.check(table, legacy))
                .extracting(ColumnDefinition::name)
                .containsExactly(BronzeTables.KAFKA_KEY_ENCODING);
    }

    @Test
    void shouldFailOnceSayingWhatToRenameWhenALegacyColumnIsQuotedLowerCase() {
        Map<String, TableManager.Described> legacy = complete();
        legacy.put("event_id", legacy.remove("EVENT_ID"));

        SinkWriteException e = configurationError(() -> TableManager.check(table, legacy));

        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.getMessage())
                .contains("a configuration problem, not bad data")
                .contains("ALTER TABLE \"BRONZE\".\"ORDERS_RAW\" RENAME COLUMN \"event_id\" TO EVENT_ID");
    }

    @Test
    void shouldReportATooNarrowVarcharAnUnfilledNotNullColumnAndAChangedTypeTogether() {
        Map<String, TableManager.Described> legacy = complete();
        legacy.put("INGESTION_ID", new TableManager.Described("VARCHAR(20)", false, null));
        legacy.put("KAFKA_OFFSET", new TableManager.Described("NUMBER(9,0)", false, null));
        legacy.put("TENANT", new TableManager.Described("VARCHAR(16777216)", false, null));
        legacy.put("NOTE", new TableManager.Described("VARCHAR(16777216)", false, "'n/a'"));

        SinkWriteException e = configurationError(() -> TableManager.check(table, legacy));

        assertThat(e.kind())
                .as("a schema problem is never DATA: no row is dead-lettered for it")
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.getMessage())
                .contains("column INGESTION_ID is VARCHAR(20)", "too narrow")
                .contains("column KAFKA_OFFSET is NUMBER(9,0)", "NUMBER(19,0)")
                .contains("column \"TENANT\" is NOT NULL without a default", "DROP NOT NULL")
                .doesNotContain("\"NOTE\"");
    }

    @Test
    void shouldAcceptWiderOrEquivalentTypes() {
        assertThat(TableManager.typeProblem(io.flowguard.bronze.jdbc.SqlType.VARCHAR, "TEXT"))
                .isNull();
        assertThat(TableManager.typeProblem(io.flowguard.bronze.jdbc.SqlType.TIMESTAMP, "TIMESTAMP_LTZ(9)"))
                .isNull();
        assertThat(TableManager.typeProblem(io.flowguard.bronze.jdbc.SqlType.JSON, "OBJECT"))
                .isNull();
        assertThat(TableManager.typeProblem(io.flowguard.bronze.jdbc.SqlType.INTEGER, "NUMBER(10,0)"))
                .isNull();
        assertThat(TableManager.typeProblem(io.flowguard.bronze.jdbc.SqlType.BIGINT, "NUMBER(18,2)"))
                .isNotNull();
    }
}
