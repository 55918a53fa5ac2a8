package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.testkit.BronzeSinkContract;
import io.flowguard.bronze.testkit.StoredRow;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The sink contract against a real PostgreSQL (embedded binary), each test in a fresh schema. */
class PostgresBronzeSinkContractIT extends BronzeSinkContract {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private String schema;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    protected BronzeSink createSink() {
        schema = "CONTRACT_" + SCHEMAS.incrementAndGet();
        return JdbcBronzeSink.builder(dataSource, SqlDialect.postgres()).schema(schema).build();
    }

    @Override
    protected List<StoredRow> readBack(String topic) {
        String table = TableRouter.fromTopicName().tableFor(topic);
        return Rows.readBronze(dataSource, '"' + schema + "\".\"" + table + '"', Rows.tableExists(dataSource, schema, table));
    }
}
