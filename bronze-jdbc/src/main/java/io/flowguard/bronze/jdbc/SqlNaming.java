package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.SinkWriteException;
import java.sql.SQLException;

/**
 * The naming half of a SQL dialect: identifier quoting, type names and error classes. Enough to read Bronze tables
 * ({@link IngestionLedger}); {@link SqlDialect} adds the DDL and insert statements of the array-bound JDBC sinks.
 *
 * <p>Implementations must be stateless and thread-safe.
 *
 * @since 0.2.0
 */
public interface SqlNaming {

    /** A short lower-case name for logs and metrics, e.g. {@code "postgres"}. */
    String name();

    /**
     * Validates and quotes one identifier, keeping its case: {@code ORDERS_RAW} → {@code "ORDERS_RAW"}.
     *
     * @throws IllegalArgumentException when {@code identifier} is not {@code [A-Za-z_][A-Za-z0-9_$]*}
     */
    default String quoteIdentifier(String identifier) {
        Identifiers.requireValid(identifier, "identifier");
        return '"' + identifier + '"';
    }

    /** The quoted, schema-qualified name of a table: {@code "BRONZE"."ORDERS_RAW"} or {@code "ORDERS_RAW"}. */
    default String qualifiedName(TableDefinition table) {
        return table.schema() == null
                ? quoteIdentifier(table.table())
                : quoteIdentifier(table.schema()) + '.' + quoteIdentifier(table.table());
    }

    /** The longest identifier the database keeps without truncating it (PostgreSQL: 63). */
    default int maxIdentifierLength() {
        return 63;
    }

    /** This database's name for a column type, e.g. {@link SqlType#JSON} → {@code JSONB} in PostgreSQL. */
    String typeName(SqlType type);

    /** Whether a failure is worth retrying; defaults to {@link SqlErrors#classify(SQLException)}. */
    default SinkWriteException.ErrorKind classify(SQLException e) {
        return SqlErrors.classify(e);
    }
}
