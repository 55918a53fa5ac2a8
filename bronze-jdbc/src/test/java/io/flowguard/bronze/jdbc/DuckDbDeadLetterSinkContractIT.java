package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.testkit.DeadLetterSinkContract;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The testkit's dead-letter contract against DuckDB, through {@link JdbcBronzeSink#companionDeadLetterSink()}. */
class DuckDbDeadLetterSinkContractIT extends DeadLetterSinkContract {
    private DuckDbDataSource dataSource;

    @Override
    protected DeadLetterSink createSink() {
        dataSource = DuckDbDataSource.inMemory();
        return JdbcBronzeSink.duckdb(dataSource).companionDeadLetterSink().orElseThrow();
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    protected List<StoredDeadLetter> readBack() {
        return ContractReads.deadLetters(
                dataSource,
                '"' + BronzeTables.DEFAULT_DEAD_LETTER_TABLE + '"',
                Rows.tableExists(dataSource, null, BronzeTables.DEFAULT_DEAD_LETTER_TABLE));
    }
}
