package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.WriteResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Builder validation and behaviour that needs no database (a data source that must not be touched). */
class JdbcBronzeSinkTest {
    private final UntouchableDataSource dataSource = new UntouchableDataSource();

    @Test
    void shouldNotTouchDatabaseWhenBatchIsEmpty() {
        assertThat(JdbcBronzeSink.postgres(dataSource).write(List.of())).isEqualTo(WriteResult.empty());
    }

    @Test
    void shouldNameItselfAfterDialectByDefault() {
        assertThat(JdbcBronzeSink.postgres(dataSource).name()).isEqualTo("jdbc-postgres");
        assertThat(JdbcBronzeSink.duckdb(dataSource).name()).isEqualTo("jdbc-duckdb");
        assertThat(JdbcBronzeSink.builder(dataSource, SqlDialect.duckdb())
                        .name("lake")
                        .build()
                        .name())
                .isEqualTo("lake");
    }

    @Test
    void shouldNeverShowDataSourceInToString() {
        assertThat(JdbcBronzeSink.postgres(dataSource).toString())
                .doesNotContain("s3cr3t")
                .contains("jdbc-postgres");
        assertThat(JdbcDeadLetterSink.postgres(dataSource).toString()).doesNotContain("s3cr3t");
    }

    @Test
    void shouldRejectNonPositiveMaxRowsPerStatement() {
        assertThatThrownBy(() -> JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
                        .maxRowsPerStatement(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRowsPerStatement must be > 0, but was 0");
    }

    @Test
    void shouldRejectSchemaThatIsNotAnIdentifier() {
        assertThatThrownBy(() -> JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
                        .schema("bronze; DROP SCHEMA x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bronze; DROP SCHEMA x'");
    }

    @Test
    void shouldRejectTypedColumnThatClashesWithBronzeColumn() {
        assertThatThrownBy(() -> JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
                        .typedColumns("ORDERS_RAW", TypedColumn.of("raw_event", "x", SqlType.VARCHAR)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("raw_event")
                .hasMessageContaining("clashes");
    }

    @Test
    void shouldRejectTypedColumnsForInvalidTableName() {
        assertThatThrownBy(() -> JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
                        .typedColumns("orders; DROP TABLE x", TypedColumn.of("A", "a", SqlType.VARCHAR)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectMissingDialect() {
        assertThatThrownBy(() -> JdbcBronzeSink.builder(dataSource, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("SqlDialect.postgres()");
    }

    @Test
    void shouldRejectLedgerTableThatIsNotAnIdentifier() {
        assertThatThrownBy(() -> JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
                        .ingestionLedgerTable("log; DROP x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ingestionLedgerTable must match")
                .hasMessageContaining("'log; DROP x'");
    }

    @Test
    void shouldNameLedgerTableInToStringAndSayWhenItIsOff() {
        assertThat(JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
                        .schema("BRONZE")
                        .build()
                        .toString())
                .contains("ledger=BRONZE.BRONZE_INGESTION_LOG");
        assertThat(JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
                        .ingestionLedgerTable("AUDIT.LOG")
                        .build()
                        .toString())
                .contains("ledger=AUDIT.LOG");
        assertThat(JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
                        .ingestionLedger(false)
                        .build()
                        .toString())
                .contains("ledger=off");
    }

    @Test
    void shouldRejectMissingClock() {
        assertThatThrownBy(() -> JdbcBronzeSink.builder(dataSource, SqlDialect.postgres())
                        .clock(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("clock must not be null");
    }
}
