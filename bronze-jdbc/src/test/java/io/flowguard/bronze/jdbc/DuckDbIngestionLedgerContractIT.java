package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.testkit.IngestionLedgerContract;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The testkit's ledger contract against DuckDB, each test in a fresh in-memory database. */
class DuckDbIngestionLedgerContractIT extends IngestionLedgerContract {
    private DuckDbDataSource dataSource;

    @Override
    protected BronzeSink createSink() {
        dataSource = DuckDbDataSource.inMemory();
        return JdbcBronzeSink.duckdb(dataSource);
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    private IngestionLedger reader() {
        return IngestionLedger.builder(dataSource, SqlDialect.duckdb()).build();
    }

    @Override
    protected List<LedgerRow> ledger(String topic) {
        return ContractReads.ledger(reader(), topic);
    }

    @Override
    protected List<OffsetGap> gaps(String topic) {
        return ContractReads.gaps(reader(), topic);
    }
}
