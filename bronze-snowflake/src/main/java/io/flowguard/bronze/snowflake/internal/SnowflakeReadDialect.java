package io.flowguard.bronze.snowflake.internal;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.jdbc.SqlNaming;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.snowflake.SnowflakeErrors;

import java.sql.SQLException;

/**
 * Snowflake's naming for readers of Bronze tables ({@code IngestionLedger}): type names, error classes and 255-character
 * identifiers. Writing goes through {@link SnowflakeTableSinkDialect}; this implements only the naming half, fully.
 */
public final class SnowflakeReadDialect implements SqlNaming {
    public static final SnowflakeReadDialect INSTANCE = new SnowflakeReadDialect();

    private SnowflakeReadDialect() {
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
