package io.flowguard.bronze.jdbc;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The column layout of Bronze tables and of the dead-letter table, as {@link TableDefinition}s that any
 * {@link SqlDialect} can render. Column names are upper case, as in Snowflake.
 *
 * @since 0.1.0
 */
public final class BronzeTables {

    public static final String EVENT_ID = "EVENT_ID";
    public static final String EVENT_TYPE = "EVENT_TYPE";
    public static final String SCHEMA_VERSION = "SCHEMA_VERSION";
    public static final String SOURCE_TOPIC = "SOURCE_TOPIC";
    public static final String PRODUCER_SERVICE = "PRODUCER_SERVICE";
    /** The idempotency key: unique per Bronze table. */
    public static final String INGESTION_ID = "INGESTION_ID";

    public static final String KAFKA_PARTITION = "KAFKA_PARTITION";
    public static final String KAFKA_OFFSET = "KAFKA_OFFSET";
    public static final String KAFKA_TIMESTAMP = "KAFKA_TIMESTAMP";
    public static final String KAFKA_KEY = "KAFKA_KEY";
    /**
     * How {@code KAFKA_KEY} is encoded: {@code UTF8} (the key's bytes were valid UTF-8 and are stored as text) or
     * {@code BASE64} (binary keys, stored as standard base64 so they are kept byte for byte); see
     * {@link io.flowguard.bronze.api.BronzeRecord#keyEncoding()}. Null in rows written before 0.2.0.
     *
     * @since 0.2.0
     */
    public static final String KAFKA_KEY_ENCODING = "KAFKA_KEY_ENCODING";
    /** A JSON object header name → UTF-8 value. */
    public static final String KAFKA_HEADERS = "KAFKA_HEADERS";

    public static final String INGESTED_AT = "INGESTED_AT";
    /** The payload as JSON. */
    public static final String RAW_EVENT = "RAW_EVENT";

    public static final String FAILED_AT = "FAILED_AT";
    public static final String STAGE = "STAGE";
    public static final String ERROR_CLASS = "ERROR_CLASS";
    public static final String ERROR_MESSAGE = "ERROR_MESSAGE";
    public static final String STACK_TRACE = "STACK_TRACE";
    public static final String ATTEMPTS = "ATTEMPTS";
    /** The dead letter's payload as text (UTF-8, malformed bytes replaced): it need not be valid JSON. */
    public static final String RAW_PAYLOAD = "RAW_PAYLOAD";

    public static final String PAYLOAD_SIZE_BYTES = "PAYLOAD_SIZE_BYTES";
    public static final String PAYLOAD_TRUNCATED = "PAYLOAD_TRUNCATED";
    /** A JSON object: topic, partition, offset, timestamp, timestampType, key and headers. */
    public static final String KAFKA_METADATA = "KAFKA_METADATA";

    /** The default dead-letter table name. */
    public static final String DEFAULT_DEAD_LETTER_TABLE = "BRONZE_DEAD_LETTER";

    /** The default ingestion-ledger table name. */
    public static final String DEFAULT_INGESTION_LEDGER_TABLE = "BRONZE_INGESTION_LOG";

    /** Ledger: the engine's batch id, e.g. {@code orders-lq3k2x-42}; parts of a bisected batch share it. */
    public static final String BATCH_ID = "BATCH_ID";
    /** Ledger: the engine name ({@code adhoc} for direct sink calls). */
    public static final String ENGINE = "ENGINE";
    /** Ledger: the consumer group, null outside an engine. */
    public static final String GROUP_ID = "GROUP_ID";
    /** Ledger: the Bronze table as the sink's router names it ({@code SCHEMA.TABLE} when a schema applies). */
    public static final String TABLE_NAME = "TABLE_NAME";

    public static final String FIRST_OFFSET = "FIRST_OFFSET";
    public static final String LAST_OFFSET = "LAST_OFFSET";
    /** Ledger: records the batch consumed in {@code FIRST_OFFSET..LAST_OFFSET} (landed, dead-lettered or skipped). */
    public static final String RECORDS = "RECORDS";
    /** Ledger: records of the range written to the table by this call, new or already present. */
    public static final String ROWS_LANDED = "ROWS_LANDED";
    /** Ledger: rows of the range that were new; null when the database's counts cannot attribute them to a partition. */
    public static final String ROWS_INSERTED = "ROWS_INSERTED";
    /** Ledger: records of the range dead-lettered before the write. */
    public static final String ROWS_DEAD_LETTERED = "ROWS_DEAD_LETTERED";
    /** Ledger: records of the range skipped (tombstones under the skip policy). */
    public static final String ROWS_SKIPPED = "ROWS_SKIPPED";
    /** Ledger: why the batch was flushed ({@code records}, {@code bytes}, {@code wait}, ...). */
    public static final String FLUSH_TRIGGER = "FLUSH_TRIGGER";
    /** Ledger: when the engine handed the batch to the writer. */
    public static final String STARTED_AT = "STARTED_AT";
    /** Ledger: when the sink wrote the ledger row, in the transaction that commits the batch (sink clock). */
    public static final String COMMITTED_AT = "COMMITTED_AT";
    /** Ledger: milliseconds the sink spent on the call before writing the ledger (table checks and row inserts). */
    public static final String WRITE_LATENCY_MS = "WRITE_LATENCY_MS";

    private static final List<ColumnDefinition> BRONZE_COLUMNS = List.of(
            ColumnDefinition.of(EVENT_ID, SqlType.VARCHAR),
            ColumnDefinition.of(EVENT_TYPE, SqlType.VARCHAR),
            ColumnDefinition.of(SCHEMA_VERSION, SqlType.VARCHAR),
            ColumnDefinition.notNull(SOURCE_TOPIC, SqlType.VARCHAR),
            ColumnDefinition.of(PRODUCER_SERVICE, SqlType.VARCHAR),
            ColumnDefinition.notNull(INGESTION_ID, SqlType.VARCHAR),
            ColumnDefinition.notNull(KAFKA_PARTITION, SqlType.INTEGER),
            ColumnDefinition.notNull(KAFKA_OFFSET, SqlType.BIGINT),
            ColumnDefinition.of(KAFKA_TIMESTAMP, SqlType.TIMESTAMP),
            ColumnDefinition.of(KAFKA_KEY, SqlType.VARCHAR),
            ColumnDefinition.of(KAFKA_HEADERS, SqlType.JSON),
            ColumnDefinition.notNull(INGESTED_AT, SqlType.TIMESTAMP),
            ColumnDefinition.of(RAW_EVENT, SqlType.JSON),
            // Last of the fixed columns, so legacy tables get it appended by the migration like any missing column.
            ColumnDefinition.of(KAFKA_KEY_ENCODING, SqlType.VARCHAR));

    private static final List<ColumnDefinition> DEAD_LETTER_COLUMNS = List.of(
            ColumnDefinition.notNull(FAILED_AT, SqlType.TIMESTAMP),
            ColumnDefinition.notNull(STAGE, SqlType.VARCHAR),
            ColumnDefinition.notNull(ERROR_CLASS, SqlType.VARCHAR),
            ColumnDefinition.of(ERROR_MESSAGE, SqlType.VARCHAR),
            ColumnDefinition.of(STACK_TRACE, SqlType.VARCHAR),
            ColumnDefinition.notNull(ATTEMPTS, SqlType.INTEGER),
            ColumnDefinition.notNull(SOURCE_TOPIC, SqlType.VARCHAR),
            ColumnDefinition.notNull(KAFKA_PARTITION, SqlType.INTEGER),
            ColumnDefinition.notNull(KAFKA_OFFSET, SqlType.BIGINT),
            ColumnDefinition.of(INGESTION_ID, SqlType.VARCHAR),
            ColumnDefinition.of(RAW_PAYLOAD, SqlType.VARCHAR),
            ColumnDefinition.notNull(PAYLOAD_SIZE_BYTES, SqlType.INTEGER),
            ColumnDefinition.notNull(PAYLOAD_TRUNCATED, SqlType.BOOLEAN),
            ColumnDefinition.of(KAFKA_METADATA, SqlType.JSON));

    private static final List<ColumnDefinition> LEDGER_COLUMNS = List.of(
            ColumnDefinition.notNull(BATCH_ID, SqlType.VARCHAR),
            ColumnDefinition.notNull(ENGINE, SqlType.VARCHAR),
            ColumnDefinition.of(GROUP_ID, SqlType.VARCHAR),
            ColumnDefinition.notNull(TABLE_NAME, SqlType.VARCHAR),
            ColumnDefinition.notNull(SOURCE_TOPIC, SqlType.VARCHAR),
            ColumnDefinition.notNull(KAFKA_PARTITION, SqlType.INTEGER),
            ColumnDefinition.notNull(FIRST_OFFSET, SqlType.BIGINT),
            ColumnDefinition.notNull(LAST_OFFSET, SqlType.BIGINT),
            ColumnDefinition.notNull(RECORDS, SqlType.INTEGER),
            ColumnDefinition.notNull(ROWS_LANDED, SqlType.INTEGER),
            ColumnDefinition.of(ROWS_INSERTED, SqlType.INTEGER),
            ColumnDefinition.notNull(ROWS_DEAD_LETTERED, SqlType.INTEGER),
            ColumnDefinition.notNull(ROWS_SKIPPED, SqlType.INTEGER),
            ColumnDefinition.notNull(FLUSH_TRIGGER, SqlType.VARCHAR),
            ColumnDefinition.notNull(STARTED_AT, SqlType.TIMESTAMP),
            ColumnDefinition.notNull(COMMITTED_AT, SqlType.TIMESTAMP),
            ColumnDefinition.notNull(WRITE_LATENCY_MS, SqlType.BIGINT));

    private BronzeTables() {}

    /** The fixed Bronze columns, in insert order (typed columns follow them). */
    public static List<ColumnDefinition> bronzeColumns() {
        return BRONZE_COLUMNS;
    }

    /**
     * A Bronze table: the fixed columns, then {@code typedColumns} in order; unique key {@code INGESTION_ID}; indexes on
     * {@code (SOURCE_TOPIC, INGESTED_AT)} for time windows and {@code (SOURCE_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET)} for
     * per-partition lookups.
     *
     * @param schema may be null (the connection's current schema)
     * @throws IllegalArgumentException when a typed column's name is a fixed column's name or repeats (ignoring case)
     */
    public static TableDefinition bronzeTable(String schema, String table, List<TypedColumn> typedColumns) {
        TableDefinition.Builder b =
                TableDefinition.builder(table).schema(schema).columns(BRONZE_COLUMNS);
        Set<String> taken = new HashSet<>();
        BRONZE_COLUMNS.forEach(c -> taken.add(c.name()));
        for (TypedColumn t : typedColumns) {
            if (!taken.add(t.column().toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("typed column " + t.column() + " of table " + table
                        + " clashes with a Bronze column or another typed column; choose another name");
            }
            b.column(ColumnDefinition.of(t.column(), t.type()));
        }
        return b.uniqueKey(INGESTION_ID)
                .index(SOURCE_TOPIC, INGESTED_AT)
                .index(SOURCE_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET)
                .build();
    }

    /**
     * The dead-letter table: unique on {@code (SOURCE_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET)}, indexed on
     * {@code FAILED_AT}.
     *
     * @param schema may be null (the connection's current schema)
     */
    public static TableDefinition deadLetterTable(String schema, String table) {
        return TableDefinition.builder(table)
                .schema(schema)
                .columns(DEAD_LETTER_COLUMNS)
                .uniqueKey(SOURCE_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET)
                .index(FAILED_AT)
                .build();
    }

    /**
     * The ingestion ledger: one row per sink call and (table, topic, partition), see {@link JdbcBronzeSink}. Unique on
     * {@code (BATCH_ID, TABLE_NAME, SOURCE_TOPIC, KAFKA_PARTITION, FIRST_OFFSET)} so a retried call adds nothing; indexed on
     * {@code (SOURCE_TOPIC, KAFKA_PARTITION, FIRST_OFFSET)} for gap checks and on {@code COMMITTED_AT} for time windows.
     *
     * @param schema may be null (the connection's current schema)
     * @since 0.1.0
     */
    public static TableDefinition ingestionLedgerTable(String schema, String table) {
        return TableDefinition.builder(table)
                .schema(schema)
                .columns(LEDGER_COLUMNS)
                .uniqueKey(BATCH_ID, TABLE_NAME, SOURCE_TOPIC, KAFKA_PARTITION, FIRST_OFFSET)
                .index(SOURCE_TOPIC, KAFKA_PARTITION, FIRST_OFFSET)
                .index(COMMITTED_AT)
                .build();
    }
}
