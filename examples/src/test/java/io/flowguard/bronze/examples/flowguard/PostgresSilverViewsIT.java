package io.flowguard.bronze.examples.flowguard;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresSilverViewsIT extends AbstractSilverViewsIT {
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    @Override
    BronzeSink sink(DataSource dataSource) {
        return JdbcBronzeSink.postgres(dataSource);
    }

    @Override
    SilverViews.Warehouse warehouse() {
        return SilverViews.Warehouse.POSTGRES;
    }

    @Override
    void dropUniqueIndex(Statement st, String table) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = '" + table
                + "' AND indexdef LIKE 'CREATE UNIQUE%'")) {
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
        return '"' + column + '"';
    }

    @Override
    String laterPayload() {
        return "\"RAW_EVENT\" || '{\"customer_id\":999999,\"user_id\":999999}'::jsonb";
    }
}
