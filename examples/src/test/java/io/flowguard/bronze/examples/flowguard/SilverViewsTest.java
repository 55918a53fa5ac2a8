package io.flowguard.bronze.examples.flowguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Silver files as text: the documented constructs of each dialect, and one statement per view. */
class SilverViewsTest {

    @Test
    void shouldWriteTheSnowflakeViewsWithVariantPathsAndQualify() {
        String sql = SilverViews.sql(SilverViews.Warehouse.SNOWFLAKE);
        List<String> statements = SilverViews.statements(SilverViews.Warehouse.SNOWFLAKE);

        assertThat(statements).hasSize(2);
        assertThat(statements.get(0))
                .startsWith("CREATE OR REPLACE VIEW ORDERS_SILVER AS")
                .contains("COALESCE(TRY_CAST(RAW_EVENT:customer_id::STRING AS NUMBER),")
                .contains("TRY_CAST(RAW_EVENT:user_id::STRING AS NUMBER))")
                .contains("RAW_EVENT:order_id::STRING")
                .contains("RAW_EVENT:restaurant.name::STRING")
                .contains("ARRAY_SIZE(RAW_EVENT:items)")
                .contains("AS TIMESTAMP_TZ)")
                .contains("FROM ORDERS_RAW")
                .endsWith("QUALIFY ROW_NUMBER() OVER (PARTITION BY INGESTION_ID ORDER BY INGESTED_AT) = 1");
        assertThat(statements.get(1))
                .startsWith("CREATE OR REPLACE VIEW CLICKS_SILVER AS")
                .contains("RAW_EVENT:customer_id::")
                .contains("RAW_EVENT:user_id::")
                .contains("RAW_EVENT:session_id::STRING")
                .contains("FROM CLICKS_RAW")
                .endsWith("QUALIFY ROW_NUMBER() OVER (PARTITION BY INGESTION_ID ORDER BY INGESTED_AT) = 1");
        assertThat(sql).doesNotContain("->").doesNotContain("\"");
    }

    @Test
    void shouldDeduplicateWithASubqueryOnPostgresAndQualifyOnDuckDb() {
        List<String> postgres = SilverViews.statements(SilverViews.Warehouse.POSTGRES);
        List<String> duckdb = SilverViews.statements(SilverViews.Warehouse.DUCKDB);

        assertThat(postgres)
                .hasSize(2)
                .allSatisfy(s -> assertThat(s)
                        .doesNotContain("QUALIFY")
                        .contains(
                                "ROW_NUMBER() OVER (PARTITION BY \"INGESTION_ID\" ORDER BY \"INGESTED_AT\") AS row_in_id")
                        .endsWith("WHERE row_in_id = 1"));
        assertThat(postgres.get(0))
                .contains("COALESCE(CASE WHEN jsonb_typeof(\"RAW_EVENT\"->'customer_id') = 'number'");
        assertThat(duckdb)
                .hasSize(2)
                .allSatisfy(s -> assertThat(s)
                        .contains("COALESCE(TRY_CAST(RAW_EVENT->>'$.customer_id' AS BIGINT),")
                        .endsWith("QUALIFY ROW_NUMBER() OVER (PARTITION BY INGESTION_ID ORDER BY INGESTED_AT) = 1"));
    }
}
