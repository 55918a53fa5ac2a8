package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.testkit.DeadLetterSinkContract;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The testkit's dead-letter contract against a real PostgreSQL, through {@link JdbcBronzeSink#companionDeadLetterSink()}
 * (which is also what proves the companion writes {@code BRONZE_DEAD_LETTER} in the sink's schema).
 */
class PostgresDeadLetterSinkContractIT extends DeadLetterSinkContract {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("DLCONTRACT");

    private String schema;

    @Override
    protected DeadLetterSink createSink() {
        schema = PG.freshSchema();
        return JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .build()
                .companionDeadLetterSink()
                .orElseThrow();
    }

    @Override
    protected List<StoredDeadLetter> readBack() {
        return ContractReads.deadLetters(
                PG.dataSource(),
                '"' + schema + "\".\"" + BronzeTables.DEFAULT_DEAD_LETTER_TABLE + '"',
                Rows.tableExists(PG.dataSource(), schema, BronzeTables.DEFAULT_DEAD_LETTER_TABLE));
    }
}
