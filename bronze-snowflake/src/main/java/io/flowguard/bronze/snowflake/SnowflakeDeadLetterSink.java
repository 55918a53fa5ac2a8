package io.flowguard.bronze.snowflake;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.snowflake.internal.Chunks;
import io.flowguard.bronze.snowflake.internal.MergeExecutor;
import io.flowguard.bronze.snowflake.internal.MergeStatement;
import io.flowguard.bronze.snowflake.internal.Pruning;
import io.flowguard.bronze.snowflake.internal.RowJson;
import io.flowguard.bronze.snowflake.internal.SessionVerifyingDataSource;
import io.flowguard.bronze.snowflake.internal.SnowflakeSql;
import io.flowguard.bronze.snowflake.internal.TableManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeadLetterSink} that stores dead letters in one Snowflake table (default
 * {@value BronzeTables#DEFAULT_DEAD_LETTER_TABLE}), created if missing, laid out by {@link BronzeTables#deadLetterTable}:
 * {@code FAILED_AT} ({@code TIMESTAMP_TZ}), {@code STAGE}, {@code ERROR_CLASS}, {@code ERROR_MESSAGE},
 * {@code STACK_TRACE}, {@code ATTEMPTS}, {@code SOURCE_TOPIC}, {@code KAFKA_PARTITION}, {@code KAFKA_OFFSET},
 * {@code INGESTION_ID}, {@code RAW_PAYLOAD} (text: UTF-8, malformed bytes replaced by U+FFFD — a payload that failed to
 * parse is often not JSON), {@code PAYLOAD_SIZE_BYTES}, {@code PAYLOAD_TRUNCATED} and {@code KAFKA_METADATA}
 * ({@code VARIANT}: topic, partition, offset, timestamp, timestampType, key, headers as {@code [{name, value}]}).
 *
 * <p>One {@code MERGE} per call (per chunk of {@link SnowflakeMergeSink#DEFAULT_MAX_BYTES_PER_STATEMENT} bytes), idempotent
 * on {@code (SOURCE_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET)}: a dead letter stored again after a restart is skipped and the
 * first one stays. The {@link DataSource} stays the caller's. Thread-safe.
 *
 * @since 0.1.0
 */
public final class SnowflakeDeadLetterSink implements DeadLetterSink {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeDeadLetterSink.class);

    /** Default name in logs: {@value}. */
    public static final String DEFAULT_NAME = "snowflake-dead-letter";

    private final DataSource dataSource;
    private final String name;
    private final TableDefinition table;
    private final TableManager tables;
    private final RowJson json = new RowJson();

    /** A sink with all defaults, writing through {@code dataSource} (which stays the caller's). */
    public SnowflakeDeadLetterSink(DataSource dataSource) {
        this(builder(dataSource));
    }

    private SnowflakeDeadLetterSink(Builder b) {
        this.dataSource = SessionVerifyingDataSource.wrap(b.dataSource, b.name);
        this.name = b.name;
        this.table = BronzeTables.deadLetterTable(b.schema, b.table);
        this.tables = new TableManager(name, b.createTable);
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    @Override
    public void write(List<DeadLetter> deadLetters) {
        Objects.requireNonNull(deadLetters, "deadLetters");
        if (deadLetters.isEmpty()) {
            return;
        }
        Map<Coordinate, DeadLetter> unique = new LinkedHashMap<>();
        for (DeadLetter d : deadLetters) {
            unique.putIfAbsent(new Coordinate(d.topic(), d.partition(), d.offset()), d);
        }
        List<DeadLetter> list = new ArrayList<>(unique.values());
        List<String> rows = new ArrayList<>(list.size());
        int[] bytes = new int[list.size()];
        for (DeadLetter d : list) {
            String row = json.deadLetter(d);
            bytes[rows.size()] = RowJson.utf8Length(row);
            rows.add(row);
        }
        List<String> keys = table.columnNames().stream()
                .map(c -> c.toLowerCase(Locale.ROOT))
                .toList();
        List<MergeStatement> statements = new ArrayList<>();
        for (Chunks.Chunk chunk : Chunks.split(
                bytes,
                SnowflakeMergeSink.DEFAULT_MAX_ROWS_PER_STATEMENT,
                SnowflakeMergeSink.DEFAULT_MAX_BYTES_PER_STATEMENT)) {
            Pruning pruning = Pruning.offsetRanges(list.subList(chunk.from(), chunk.to()).stream()
                    .map(d -> new Pruning.Position(d.topic(), d.partition(), d.offset()))
                    .toList());
            String sql = SnowflakeSql.merge(
                    table,
                    keys,
                    table.uniqueKey(),
                    BronzeTables.FAILED_AT,
                    pruning.sql(BronzeTables.SOURCE_TOPIC, BronzeTables.KAFKA_PARTITION, BronzeTables.KAFKA_OFFSET));
            statements.add(new MergeStatement(
                    table, sql, Chunks.array(rows, chunk.from(), chunk.to(), 0), pruning, chunk.to() - chunk.from()));
        }
        tables.ensure(dataSource, table, List.of());
        int inserted;
        try {
            inserted = MergeExecutor.execute(name, dataSource, statements);
        } catch (MergeExecutor.StatementFailedException e) {
            if (SnowflakeErrors.isMissingObject(e.sqlException())) {
                tables.forget(table);
            }
            throw SnowflakeErrors.toSinkWriteException(
                    "storing " + deadLetters.size() + " dead letters", table.displayName(), e.sqlException());
        }
        LOG.debug("[{}] stored {} dead letters in {}: {} new", name, deadLetters.size(), table.displayName(), inserted);
    }

    /**
     * Creates or migrates the dead-letter table now instead of at the first write.
     *
     * @throws SinkWriteException when it cannot be created, migrated or found
     */
    public void ensureTable() {
        tables.ensure(dataSource, table, List.of());
    }

    @Override
    public String name() {
        return name;
    }

    /** Does nothing: the {@link DataSource} is the caller's to close. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "SnowflakeDeadLetterSink{" + name + ", table=" + table.displayName() + '}';
    }

    /** Builds a {@link SnowflakeDeadLetterSink}; not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String name = DEFAULT_NAME;
        private String schema;
        private String table = BronzeTables.DEFAULT_DEAD_LETTER_TABLE;
        private boolean createTable = SnowflakeMergeSink.DEFAULT_CREATE_TABLES;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
        }

        /** The name in logs; default {@value #DEFAULT_NAME}. */
        public Builder name(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("name must be non-blank, but was '" + v + "'");
            }
            this.name = v;
            return this;
        }

        /** The table's schema; default {@code null}: the connection's current schema. */
        public Builder schema(String v) {
            if (v != null) {
                SnowflakeSql.quote(v);
            }
            this.schema = v;
            return this;
        }

        /** The table name; default {@value BronzeTables#DEFAULT_DEAD_LETTER_TABLE}. */
        public Builder table(String v) {
            SnowflakeSql.quote(v);
            this.table = v;
            return this;
        }

        /** Whether to create (or add missing columns to) the table at the first write; default {@code true}. */
        public Builder createTable(boolean v) {
            this.createTable = v;
            return this;
        }

        public SnowflakeDeadLetterSink build() {
            return new SnowflakeDeadLetterSink(this);
        }
    }

    /** The unique key of a dead letter: where it was in Kafka. */
    private record Coordinate(String topic, int partition, long offset) {}
}
