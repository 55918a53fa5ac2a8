package io.flowguard.bronze.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.jdbc.internal.BronzeRows;
import io.flowguard.bronze.jdbc.internal.TableWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeadLetterSink} that stores dead letters in one table (default {@value BronzeTables#DEFAULT_DEAD_LETTER_TABLE}),
 * created if missing, laid out by {@link BronzeTables#deadLetterTable}: {@code FAILED_AT}, {@code STAGE},
 * {@code ERROR_CLASS}, {@code ERROR_MESSAGE}, {@code STACK_TRACE}, {@code ATTEMPTS}, {@code SOURCE_TOPIC},
 * {@code KAFKA_PARTITION}, {@code KAFKA_OFFSET}, {@code INGESTION_ID}, {@code RAW_PAYLOAD}, {@code PAYLOAD_SIZE_BYTES},
 * {@code PAYLOAD_TRUNCATED}, {@code KAFKA_METADATA}.
 *
 * <p>{@code RAW_PAYLOAD} is text, not JSON, because a payload that failed to parse is often not JSON: the bytes are
 * decoded as UTF-8 with malformed sequences replaced by U+FFFD (and NUL, which PostgreSQL cannot store, too). The byte-exact
 * payload stays in Kafka at the recorded offset. {@code KAFKA_METADATA} is a JSON object with {@code topic},
 * {@code partition}, {@code offset}, {@code timestamp}, {@code timestampType}, {@code key} and {@code headers} (an array
 * of {@code {name, value}} objects, repeats kept).
 *
 * <p>One transaction per call; idempotent on {@code (SOURCE_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET)}: a dead letter stored
 * again (after a restart) is skipped, and the first stored stays. The {@link DataSource} stays the caller's. Thread-safe.
 *
 * @since 0.1.0
 */
public final class JdbcDeadLetterSink implements DeadLetterSink {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcDeadLetterSink.class);

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final String name;
    private final TableDefinition table;
    private final TableWriter writer;
    private final BronzeRows rows;

    private JdbcDeadLetterSink(Builder b) {
        this.dataSource = b.dataSource;
        this.dialect = b.dialect;
        this.name = b.name != null ? b.name : "jdbc-dead-letter-" + dialect.name();
        this.table = BronzeTables.deadLetterTable(b.schema, b.table);
        this.writer = new TableWriter(name, dialect, b.createTable, JdbcBronzeSink.DEFAULT_MAX_ROWS_PER_STATEMENT);
        this.rows = new BronzeRows(new ObjectMapper());
    }

    /** A builder for a sink writing through {@code dataSource} (which stays the caller's) in {@code dialect}. */
    public static Builder builder(DataSource dataSource, SqlDialect dialect) {
        return new Builder(dataSource, dialect);
    }

    /** A PostgreSQL dead-letter sink with all defaults. */
    public static JdbcDeadLetterSink postgres(DataSource dataSource) {
        return builder(dataSource, SqlDialect.postgres()).build();
    }

    /** A DuckDB dead-letter sink with all defaults. */
    public static JdbcDeadLetterSink duckdb(DataSource dataSource) {
        return builder(dataSource, SqlDialect.duckdb()).build();
    }

    @Override
    public void write(List<DeadLetter> deadLetters) {
        Objects.requireNonNull(deadLetters, "deadLetters");
        if (deadLetters.isEmpty()) {
            return;
        }
        Map<Coordinate, Object[]> unique = new LinkedHashMap<>();
        for (DeadLetter d : deadLetters) {
            unique.putIfAbsent(new Coordinate(d.topic(), d.partition(), d.offset()), rows.deadLetterRow(d));
        }
        TableDefinition physical = writer.ensure(dataSource, table);
        int inserted;
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            Throwable failure = null;
            try {
                inserted = writer.insert(connection, physical, new ArrayList<>(unique.values()));
                connection.commit();
            } catch (Throwable e) {
                failure = e;
                TableWriter.rollbackQuietly(connection, e);
                throw e;
            } finally {
                TableWriter.restoreAutoCommit(connection, autoCommit, failure);
            }
        } catch (SQLException e) {
            if (TableWriter.invalidatesEnsuredTable(e)) {
                writer.forget(table);
            }
            throw SqlErrors.toSinkWriteException(
                    "writing " + deadLetters.size() + " dead letters", table.displayName(), e, dialect);
        }
        LOG.debug(
                "[{}] stored {} dead letters in {}: {} new",
                name,
                deadLetters.size(),
                physical.displayName(),
                inserted);
    }

    /**
     * Creates or migrates the dead-letter table now instead of at the first write.
     *
     * @return the table as the database spells it
     * @throws SinkWriteException when it cannot be created, migrated or found
     */
    public TableDefinition ensureTable() {
        return writer.ensure(dataSource, table);
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
        return "JdbcDeadLetterSink{" + name + ", dialect=" + dialect.name() + ", table=" + table.displayName() + '}';
    }

    /** Builds a {@link JdbcDeadLetterSink}; not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private final SqlDialect dialect;
        private String name;
        private String schema;
        private String table = BronzeTables.DEFAULT_DEAD_LETTER_TABLE;
        private boolean createTable = JdbcBronzeSink.DEFAULT_CREATE_TABLES;

        private Builder(DataSource dataSource, SqlDialect dialect) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
            this.dialect =
                    Objects.requireNonNull(dialect, "dialect must not be null: use SqlDialect.postgres() or .duckdb()");
        }

        /** The name in logs and metrics; default {@code "jdbc-dead-letter-<dialect>"}. */
        public Builder name(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("name must be non-blank, but was '" + v + "'");
            }
            this.name = v;
            return this;
        }

        /** The table's schema; default {@code null}: the connection's current schema. */
        public Builder schema(String v) {
            this.schema = v == null ? null : Identifiers.requireValid(v, "schema");
            return this;
        }

        /** The table name; default {@value BronzeTables#DEFAULT_DEAD_LETTER_TABLE}. */
        public Builder table(String v) {
            this.table = Identifiers.requireValid(v, "dead-letter table name");
            return this;
        }

        /** Whether to create (or migrate) the table at the first write; default {@code true}. */
        public Builder createTable(boolean v) {
            this.createTable = v;
            return this;
        }

        public JdbcDeadLetterSink build() {
            return new JdbcDeadLetterSink(this);
        }
    }

    /** The unique key of a dead letter: where it was in Kafka. */
    private record Coordinate(String topic, int partition, long offset) {}
}
