package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.testkit.TestRecords;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole sink suite again with {@link SqlDialect#postgresPlainJson()}: JSON columns created as {@code json} instead
 * of {@code jsonb}, everything else (idempotence, ledger, typed columns, dead letters) unchanged.
 */
class PostgresPlainJsonBronzeSinkIT extends AbstractPostgresBronzeSinkIT {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension("PJ");

    @Override
    EmbeddedPostgresExtension pg() {
        return PG;
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.postgresPlainJson();
    }

    @Override
    String jsonTypeName() {
        return "json";
    }

    @Test
    void shouldCreateRawEventAndHeadersAsJsonAndKeepTheTextAsSent() {
        JdbcBronzeSink sink = sinkBuilder(dataSource()).build();
        List<BronzeRecord> records = TestRecords.orders(ORDERS, 0, 0, 3);

        WriteResult result = sink.write(records);

        assertThat(result).isEqualTo(WriteResult.of(3, 3));
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT column_name || ':' || data_type FROM information_schema.columns WHERE table_schema = '"
                                + schema + "' AND column_name IN ('RAW_EVENT', 'KAFKA_HEADERS') ORDER BY 1"))
                .containsExactly("KAFKA_HEADERS:json", "RAW_EVENT:json");
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT \"RAW_EVENT\"::text FROM " + table(ORDERS_RAW) + " ORDER BY \"KAFKA_OFFSET\""))
                .as("json keeps the text as received (jsonb would normalise it)")
                .containsExactlyElementsOf(
                        records.stream().map(BronzeRecord::rawEvent).toList());
    }

    @Test
    void shouldWriteIntoAnExistingJsonbTableWhichKeepsItsColumnTypes() {
        JdbcBronzeSink.builder(PG.dataSource(), SqlDialect.postgres())
                .schema(schema)
                .build()
                .ensureTable(ORDERS_RAW);
        JdbcBronzeSink sink = sinkBuilder(dataSource()).build();

        assertThat(sink.write(TestRecords.orders(ORDERS, 0, 0, 3))).isEqualTo(WriteResult.of(3, 3));
        assertThat(sink.write(TestRecords.orders(ORDERS, 0, 0, 3)))
                .as("a redelivery is still skipped")
                .isEqualTo(WriteResult.of(3, 0));

        assertThat(count("SELECT COUNT(*) FROM " + table(ORDERS_RAW) + " WHERE \"RAW_EVENT\"->>'order_id' IS NOT NULL"))
                .isEqualTo(3);
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT data_type FROM information_schema.columns WHERE table_schema = '" + schema
                                + "' AND column_name = 'RAW_EVENT'"))
                .containsExactly("jsonb");
    }
}
