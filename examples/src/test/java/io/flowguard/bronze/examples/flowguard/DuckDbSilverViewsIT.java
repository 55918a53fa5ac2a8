package io.flowguard.bronze.examples.flowguard;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.jdbc.DuckDbDataSource;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

class DuckDbSilverViewsIT extends AbstractSilverViewsIT {
    private DuckDbDataSource ds;

    @Override
    DataSource dataSource() {
        ds = DuckDbDataSource.inMemory();
        return ds;
    }

    @AfterEach
    void close() throws SQLException {
        if (ds != null) {
            ds.close();
        }
    }

    @Override
    BronzeSink sink(DataSource dataSource) {
        return JdbcBronzeSink.duckdb(dataSource);
    }

    @Override
    SilverViews.Warehouse warehouse() {
        return SilverViews.Warehouse.DUCKDB;
    }

    @Override
    void dropUniqueIndex(Statement st, String table) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (ResultSet rs =
                st.executeQuery("SELECT index_name FROM duckdb_indexes() WHERE table_name = '" + table + "'")) {
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
        }
        for (String index : indexes) {
            st.execute("DROP INDEX \"" + index + "\"");
        }
    }

    @Override
    String q(String column) {
        return column;
    }

    @Override
    String laterPayload() {
        return "json_merge_patch(RAW_EVENT, '{\"customer_id\":999999,\"user_id\":999999}')";
    }
}
