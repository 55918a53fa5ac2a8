package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.jdbc.internal.DuckDbDialect;
import io.flowguard.bronze.jdbc.internal.PostgresDialect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * How the JDBC sinks speak to one database: identifier quoting, type names, DDL, and the idempotent set-based insert.
 *
 * <p>Implement this interface to add a warehouse (bronze-snowflake does); {@link #postgres()} and {@link #duckdb()} are
 * built in. Every method that returns SQL is a pure function of its arguments, so statements can be golden-tested.
 * Nothing from a record is ever part of the SQL text: values travel as bind parameters, and the only identifiers are
 * table, schema and column names validated as {@code [A-Za-z_][A-Za-z0-9_$]*} and quoted by {@link #quoteIdentifier}.
 *
 * <p><b>Identifier convention.</b> Names are quoted with their case kept; the sinks create upper-case names
 * ({@code "ORDERS_RAW"}, {@code "INGESTION_ID"}) as Snowflake does, and match existing tables and columns ignoring case.
 *
 * <p>Implementations must be stateless and thread-safe.
 *
 * @since 0.1.0
 */
public interface SqlDialect {

    /** PostgreSQL 12 or later: {@code INSERT ... SELECT FROM unnest(?::type[], ...) ON CONFLICT DO NOTHING}. */
    static SqlDialect postgres() {
        return PostgresDialect.INSTANCE;
    }

    /** DuckDB 1.1 or later: {@code INSERT ... SELECT unnest(?::TYPE[]), ... ON CONFLICT DO NOTHING}. */
    static SqlDialect duckdb() {
        return DuckDbDialect.INSTANCE;
    }

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
        return table.schema() == null ? quoteIdentifier(table.table())
                : quoteIdentifier(table.schema()) + '.' + quoteIdentifier(table.table());
    }

    /** The longest identifier the database keeps without truncating it (PostgreSQL: 63). */
    default int maxIdentifierLength() {
        return 63;
    }

    /** This database's name for a column type, e.g. {@link SqlType#JSON} → {@code JSONB} in PostgreSQL. */
    String typeName(SqlType type);

    /** {@code CREATE SCHEMA IF NOT EXISTS "S"}. */
    default String createSchemaStatement(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(schema);
    }

    /** The statements that create the table if it does not exist, including {@link #indexStatements}; run in order. */
    List<String> createTableStatements(TableDefinition table);

    /** {@code ALTER TABLE t ADD COLUMN c type}, adding {@code column} as a nullable column to an existing table. */
    default String addColumnStatement(TableDefinition table, ColumnDefinition column) {
        return "ALTER TABLE " + qualifiedName(table) + " ADD COLUMN " + quoteIdentifier(column.name()) + ' '
                + typeName(column.type());
    }

    /**
     * The statements that create the unique key index and secondary indexes if they do not exist. Run after
     * {@link #createTableStatements} and after migrating an existing table; must be safe to repeat.
     */
    List<String> indexStatements(TableDefinition table);

    /**
     * A deterministic index name, {@code <TABLE>_<COL>..._UX} (unique) or {@code _IX}, shortened with a hash when longer
     * than {@link #maxIdentifierLength()}.
     */
    default String indexName(TableDefinition table, List<String> columns, boolean unique) {
        String name = table.table() + '_' + String.join("_", columns) + (unique ? "_UX" : "_IX");
        int max = maxIdentifierLength();
        if (name.length() <= max) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest, 0, 4).toUpperCase(java.util.Locale.ROOT);
            return name.substring(0, max - hash.length() - 1) + '_' + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }

    /**
     * The statement that inserts {@code rowCount} rows into {@code table}, skipping rows whose unique key is already
     * stored, and whose update count is the number of rows inserted. Dialects that bind whole columns as arrays return
     * the same text for every {@code rowCount}.
     */
    String insertStatement(TableDefinition table, int rowCount);

    /**
     * Binds {@code rows} to a statement prepared from {@link #insertStatement(TableDefinition, int)} with
     * {@code rows.size()}.
     *
     * <p>Each row holds one value per column of {@code table}, in order. A value is {@code null}; or a {@code String}
     * (text the database casts to the column type: how typed columns extracted from JSON and JSON documents arrive); or
     * an {@code Integer}, {@code Long}, {@code Double}, {@code Boolean} or {@code java.time.Instant}.
     */
    void bindInsert(PreparedStatement statement, TableDefinition table, List<Object[]> rows) throws SQLException;

    /** The most rows one insert statement may carry (bind-parameter limits); the sinks chunk larger batches. */
    int maxRowsPerStatement(TableDefinition table);

    /** Whether a failure is worth retrying; defaults to {@link SqlErrors#classify(SQLException)}. */
    default SinkWriteException.ErrorKind classify(SQLException e) {
        return SqlErrors.classify(e);
    }
}
