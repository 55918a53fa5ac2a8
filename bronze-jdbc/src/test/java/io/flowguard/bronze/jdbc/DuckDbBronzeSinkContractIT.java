package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.testkit.BronzeSinkContract;
import io.flowguard.bronze.testkit.StoredRow;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The sink contract against DuckDB, each test in a fresh in-memory database. */
class DuckDbBronzeSinkContractIT extends BronzeSinkContract {
    private DuckDbDataSource dataSource;

    @Override
    protected BronzeSink createSink() {
        dataSource = DuckDbDataSource.inMemory();
        return JdbcBronzeSink.duckdb(dataSource);
    }

    @Override
    protected List<StoredRow> readBack(String topic) {
        String table = TableRouter.fromTopicName().tableFor(topic);
        return Rows.readBronze(dataSource, '"' + table + '"', Rows.tableExists(dataSource, null, table));
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
