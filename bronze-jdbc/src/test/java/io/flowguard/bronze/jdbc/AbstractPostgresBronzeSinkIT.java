package io.flowguard.bronze.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The sink suite on an embedded PostgreSQL, each test in a fresh schema; a subclass names its server
 * ({@link #pg()}), its dialect and the JSON column type that dialect creates.
 */
abstract class AbstractPostgresBronzeSinkIT extends AbstractJdbcBronzeSinkIT {
    String schema;

    /** The embedded server of the subclass (a static {@code @RegisterExtension} field). */
    abstract EmbeddedPostgresExtension pg();

    @BeforeEach
    void freshSchema() {
        schema = pg().freshSchema();
    }

    @Override
    DataSource dataSource() {
        return pg().dataSource();
    }

    @Override
    String schema() {
        return schema;
    }

    @Override
    String jsonField(String column, String field) {
        return '"' + column + "\"->>'" + field + "'";
    }

    @Override
    void createLegacyOrdersTable() {
        String t = '"' + schema + "\".orders_raw";
        Rows.execute(
                pg().dataSource(),
                "CREATE TABLE " + t + " (EVENT_ID VARCHAR(100), ORDER_ID VARCHAR(100), USER_ID INTEGER, RAW_EVENT "
                        + jsonTypeName() + ")",
                "INSERT INTO " + t + " VALUES ('legacy-1', 'ORD-1', 1, '{\"order_id\":\"ORD-1\"}'), "
                        + "('legacy-2', 'ORD-2', 2, '{\"order_id\":\"ORD-2\"}')");
    }

    @Override
    DataSource unreachableDataSource() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setUser("postgres");
        ds.setConnectTimeout(2);
        return ds;
    }
}
