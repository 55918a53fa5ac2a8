package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.testkit.IngestionLedgerContract;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testkit's ledger contract against a real PostgreSQL (embedded binary), each test in a fresh schema. */
class PostgresIngestionLedgerContractIT extends IngestionLedgerContract {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("LEDGERCONTRACT");

    private String schema;

    @Override
    protected BronzeSink createSink() {
        schema = PG.freshSchema();
        return JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .build();
    }

    private IngestionLedger reader() {
        return IngestionLedger.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .build();
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
