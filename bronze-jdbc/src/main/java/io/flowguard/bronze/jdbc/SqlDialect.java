package io.flowguard.bronze.jdbc;

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
 * <p>Implement this interface to add a database that the {@link JdbcBronzeSink} writes through an array-bound insert;
 * {@link #postgres()} and {@link #duckdb()} are built in. The naming half ({@link SqlNaming}) is all a reader such as
 * {@link IngestionLedger} needs; a warehouse with its own way of writing (bronze-snowflake) implements only that half
 * plus a {@link io.flowguard.bronze.jdbc.spi.TableSinkDialect}. Every method that returns SQL is a pure function of its arguments, so statements can be golden-tested.
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
public interface SqlDialect extends SqlNaming {

    /**
     * PostgreSQL 12 or later: {@code INSERT ... SELECT FROM unnest(?::type[], ...) ON CONFLICT DO NOTHING}. JSON columns
     * ({@code RAW_EVENT}, {@code KAFKA_HEADERS}, typed JSON columns) are created as {@code jsonb}.
     */
    static SqlDialect postgres() {
        return PostgresDialect.INSTANCE;
    }

    /**
     * PostgreSQL as {@link #postgres()}, but JSON columns it creates are {@code json} instead of {@code jsonb}: still
     * validated on insert, but stored as the text received, so an insert costs the server less CPU and WAL (measured in
     * {@code docs/benchmarks.md}), at the price of no binary form: no GIN index, and every query re-parses the text. A
     * schema choice for tables written far more than queried; it applies only to tables and columns this dialect creates
     * (an existing column keeps its type, and PostgreSQL converts on insert).
     *
     * @since 0.2.0
     */
    static SqlDialect postgresPlainJson() {
        return PostgresDialect.PLAIN_JSON;
    }

    /** DuckDB 1.1 or later: {@code INSERT ... SELECT unnest(?::TYPE[]), ... ON CONFLICT DO NOTHING}. */
    static SqlDialect duckdb() {
        return DuckDbDialect.INSTANCE;
    }

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
     * The plain insert of {@code rowCount} rows into {@code table} for {@link WriteMode#APPEND}: like
     * {@link #insertStatement} but without skipping stored keys (the ingestion ledger keeps append mode exactly-once), so
     * it binds the same way.
     *
     * @since 0.2.0
     */
    String appendStatement(TableDefinition table, int rowCount);

    /**
     * A statement taking one transaction-scoped lock per (key, partition) pair bound to it, {@code partitions} pairs of
     * a text key and an int partition, in order; null (the default) when the database has no such locks.
     * PostgreSQL: {@code SELECT pg_advisory_xact_lock(hashtext(?), ?), ...}.
     *
     * @since 0.2.0
     */
    default String partitionLockStatement(int partitions) {
        return null;
    }

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
}
