package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.TableRouter;
import io.flowguard.bronze.testkit.BronzeSinkContract;
import io.flowguard.bronze.testkit.StoredRow;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink contract against a real PostgreSQL (embedded binary), each test in a fresh schema. */
class PostgresBronzeSinkContractIT extends BronzeSinkContract {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("CONTRACT");

    private String schema;

    @Override
    protected BronzeSink createSink() {
        schema = PG.freshSchema();
        return JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .build();
    }

    @Override
    protected List<StoredRow> readBack(String topic) {
        String table = TableRouter.fromTopicName().tableFor(topic);
        return Rows.readBronze(
                PG.dataSource(),
                '"' + schema + "\".\"" + table + '"',
                Rows.tableExists(PG.dataSource(), schema, table));
    }
}
