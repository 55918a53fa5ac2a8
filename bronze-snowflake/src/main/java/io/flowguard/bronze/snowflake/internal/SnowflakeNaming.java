package io.flowguard.bronze.snowflake.internal;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.jdbc.SqlNaming;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.snowflake.SnowflakeErrors;
import java.sql.SQLException;

/**
 * Snowflake's naming: type names, error classes, 255-character identifiers. {@link #EXACT} quotes names as given, for
 * readers that quote the spelling {@code DESCRIBE} or the driver's metadata returned ({@code IngestionLedger});
 * {@link #UNQUOTED_SEMANTICS} upper-cases before quoting, for the names the sinks create (S3).
 */
public final class SnowflakeNaming implements SqlNaming {
    /** Quotes a name as given: for names read back from Snowflake. */
    public static final SnowflakeNaming EXACT = new SnowflakeNaming(false);
    /** Upper-cases, then quotes ({@code orders} → {@code "ORDERS"}): how Snowflake resolves an unquoted name. */
    public static final SnowflakeNaming UNQUOTED_SEMANTICS = new SnowflakeNaming(true);

    private final boolean upperCase;

    private SnowflakeNaming(boolean upperCase) {
        this.upperCase = upperCase;
    }

    @Override
    public String quoteIdentifier(String identifier) {
        return upperCase ? SnowflakeSql.quote(identifier) : SqlNaming.super.quoteIdentifier(identifier);
    }

    @Override
    public String name() {
        return "snowflake";
    }

    @Override
    public int maxIdentifierLength() {
        return 255;
    }

    @Override
    public String typeName(SqlType type) {
        return SnowflakeSql.typeName(type);
    }

    @Override
    public SinkWriteException.ErrorKind classify(SQLException e) {
        return SnowflakeErrors.classify(e);
    }
}
