package io.flowguard.bronze.snowflake;

import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.snowflake.internal.SnowflakeNaming;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Reads the ingestion ledger {@link SnowflakeMergeSink} writes, with bronze-jdbc's {@link IngestionLedger} speaking
 * Snowflake: {@link IngestionLedger#landedBetween landedBetween} (ledger rows committed in a time window) and
 * {@link IngestionLedger#gaps gaps} (offsets neither the ledger nor {@link SnowflakeDeadLetterSink}'s table accounts for).
 *
 * <pre>{@code
 * IngestionLedger ledger = SnowflakeIngestionLedger.builder(dataSource).schema("BRONZE").build();
 * List<IngestionLedger.OffsetRange> missing = ledger.gaps("orders");
 * }</pre>
 *
 * <p>Both queries need a running warehouse. The {@link DataSource} stays the caller's.
 *
 * @since 0.1.0
 */
public final class SnowflakeIngestionLedger {
    private SnowflakeIngestionLedger() {}

    /**
     * A builder of an {@link IngestionLedger} reading through {@code dataSource} (which stays the caller's) in Snowflake's
     * dialect; set {@code schema}, {@code table} and {@code deadLetterTable} as for any other database.
     */
    public static IngestionLedger.Builder builder(DataSource dataSource) {
        return IngestionLedger.builder(
                Objects.requireNonNull(dataSource, "dataSource must not be null"), SnowflakeNaming.EXACT);
    }
}
