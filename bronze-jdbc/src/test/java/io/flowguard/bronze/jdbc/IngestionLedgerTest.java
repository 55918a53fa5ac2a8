package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Builder validation and argument checks of {@link IngestionLedger} that need no database. */
class IngestionLedgerTest {
    private final UntouchableDataSource dataSource = new UntouchableDataSource();

    @Test
    void shouldRejectTableNamesThatAreNotIdentifiers() {
        assertThatThrownBy(() -> IngestionLedger.builder(dataSource, SqlDialect.postgres())
                        .table("log; DROP x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'log; DROP x'");
        assertThatThrownBy(() -> IngestionLedger.builder(dataSource, SqlDialect.postgres())
                        .deadLetterTable("dl-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dl-1'");
        assertThatThrownBy(() -> IngestionLedger.builder(dataSource, SqlDialect.postgres())
                        .schema("a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a b'");
    }

    @Test
    void shouldRejectEmptyWindowWithoutTouchingTheDatabase() {
        IngestionLedger ledger =
                IngestionLedger.builder(dataSource, SqlDialect.postgres()).build();
        Instant t = Instant.parse("2025-01-01T00:00:00Z");

        assertThatThrownBy(() -> ledger.landedBetween(t, t.minusSeconds(1), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("from must be before to, but was 2025-01-01T00:00:00Z .. 2024-12-31T23:59:59Z");
    }

    @Test
    void shouldDescribeItsTablesInToString() {
        assertThat(IngestionLedger.builder(dataSource, SqlDialect.postgres())
                        .schema("BRONZE")
                        .build()
                        .toString())
                .isEqualTo("IngestionLedger{BRONZE.BRONZE_INGESTION_LOG, deadLetters=BRONZE.BRONZE_DEAD_LETTER}");
        assertThat(IngestionLedger.builder(dataSource, SqlDialect.duckdb())
                        .table("A.LOG")
                        .deadLetterTable(null)
                        .build()
                        .toString())
                .isEqualTo("IngestionLedger{A.LOG, deadLetters=none}");
    }
}
