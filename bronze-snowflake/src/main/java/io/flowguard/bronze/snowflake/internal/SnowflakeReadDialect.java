package io.flowguard.bronze.snowflake.internal;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.snowflake.SnowflakeErrors;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The part of {@link SqlDialect} that {@link io.flowguard.bronze.jdbc.IngestionLedger} reads with: Snowflake's type names
 * (for {@code CAST(? AS TIMESTAMP_TZ)}), identifier quoting and error classification. The Snowflake sinks write with their
 * own {@code MERGE}s ({@link SnowflakeSql}), so the write methods are unsupported. Stateless.
 */
public final class SnowflakeReadDialect implements SqlDialect {
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

    @Override
    public List<String> createTableStatements(TableDefinition table) {
        throw unsupported();
    }

    @Override
    public List<String> indexStatements(TableDefinition table) {
        throw unsupported();
    }

    @Override
    public String insertStatement(TableDefinition table, int rowCount) {
        throw unsupported();
    }

    @Override
    public void bindInsert(PreparedStatement statement, TableDefinition table, List<Object[]> rows) {
        throw unsupported();
    }

    @Override
    public int maxRowsPerStatement(TableDefinition table) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("the Snowflake dialect only reads (IngestionLedger); write with "
                + "SnowflakeMergeSink and SnowflakeDeadLetterSink");
    }
}
