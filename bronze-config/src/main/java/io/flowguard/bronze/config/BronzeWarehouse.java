package io.flowguard.bronze.config;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.config.internal.DriverDataSource;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.KafkaDeadLetterSink;
import io.flowguard.bronze.jdbc.DuckDbDataSource;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.snowflake.SnowflakeConnectionConfig;
import io.flowguard.bronze.snowflake.SnowflakeDataSource;
import io.flowguard.bronze.snowflake.SnowflakeDeadLetterSink;
import io.flowguard.bronze.snowflake.SnowflakeIngestionLedger;
import io.flowguard.bronze.snowflake.SnowflakeMergeSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse of a {@link BronzeConfig}: its DataSource, and the sink, dead-letter sink and ingestion-ledger reader
 * made from the {@code bronze.*} keys, the same for the library, {@code bronze ingest}, the Spring Boot starter and the
 * Kafka Connect connector.
 *
 * <p>Owns what it creates: {@link #close()} closes the sinks, a Kafka dead-letter producer and a DataSource it opened
 * (not one passed in). Close it after the engine that uses it. Thread-safe.
 *
 * @since 0.2.0
 */
public final class BronzeWarehouse implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BronzeWarehouse.class);

    private final BronzeConfig config;
    private final WarehouseSettings settings;
    private final DataSource dataSource;
    private final AutoCloseable ownedDataSource;
    private BronzeSink sink;
    private DeadLetterSink deadLetterSink;

    private BronzeWarehouse(BronzeConfig config, DataSource dataSource, AutoCloseable ownedDataSource) {
        this.config = config;
        this.settings = config.warehouse();
        this.dataSource = dataSource;
        this.ownedDataSource = ownedDataSource;
    }

    static BronzeWarehouse open(BronzeConfig config, DataSource given) {
        WarehouseSettings s = config.warehouse();
        if (given != null) {
            return new BronzeWarehouse(config, given, null);
        }
        List<String> problems = new ArrayList<>(s.connectionProblems());
        if (!s.type().driverAvailable()) {
            problems.add(BronzeKeys.WAREHOUSE_TYPE + ": " + s.type().missingDriverMessage());
        }
        if (!problems.isEmpty()) {
            throw new BronzeConfigException(problems);
        }
        switch (s.type()) {
            case DUCKDB -> {
                DuckDbDataSource duck = DuckDbDataSource.open(s.url());
                return new BronzeWarehouse(config, duck, duck);
            }
            case POSTGRES -> {
                Properties p = new Properties();
                if (s.user() != null) {
                    p.setProperty("user", s.user());
                }
                if (s.password() != null) {
                    p.setProperty("password", s.password());
                }
                s.driverProperties().forEach(p::setProperty);
                return new BronzeWarehouse(config, new DriverDataSource(s.url(), p), null);
            }
            default -> {
                ReusingDataSource reusing = new ReusingDataSource(SnowflakeDataSource.of(snowflakeConfig(s)));
                return new BronzeWarehouse(config, reusing, reusing);
            }
        }
    }

    static SnowflakeConnectionConfig snowflakeConfig(WarehouseSettings s) {
        try {
            SnowflakeConnectionConfig.Builder b =
                    SnowflakeConnectionConfig.builder().account(s.account()).user(s.user());
            if (s.host() != null) {
                b.host(s.host());
            }
            if (s.port() != null) {
                b.port(s.port());
            }
            b.ssl(s.ssl());
            if (s.password() != null) {
                b.password(s.password());
            } else if (s.privateKey() != null) {
                b.privateKey(s.privateKey(), s.privateKeyPassphrase());
            } else {
                b.privateKeyFile(s.privateKeyFile(), s.privateKeyPassphrase());
            }
            List<String> problems = new ArrayList<>();
            s.driverProperties().forEach((k, v) -> {
                try {
                    b.property(k, v);
                } catch (IllegalArgumentException e) {
                    problems.add(
                            "bronze.warehouse.driver." + k + ": is set by its own bronze.warehouse.* key; remove it");
                }
            });
            if (!problems.isEmpty()) {
                throw new BronzeConfigException(problems);
            }
            return b.role(s.role())
                    .warehouse(s.computeWarehouse())
                    .database(s.database())
                    .schema(s.schema())
                    .build();
        } catch (BronzeConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BronzeConfigException(List.of("bronze.warehouse: " + s.scrub(e.getMessage())));
        }
    }

    /** The warehouse type. */
    public WarehouseType type() {
        return settings.type();
    }

    /** The DataSource the sinks and the ledger reader use. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The Bronze sink ({@code JdbcBronzeSink} for PostgreSQL and DuckDB, {@code SnowflakeMergeSink} for Snowflake) with
     * the configured schema, table routing, typed columns and ledger; made once.
     */
    public synchronized BronzeSink sink() {
        if (sink == null) {
            String name = "bronze-" + config.engineName();
            if (settings.type() == WarehouseType.SNOWFLAKE) {
                SnowflakeMergeSink.Builder b = SnowflakeMergeSink.builder(dataSource)
                        .name(name)
                        .schema(settings.schema())
                        .tableRouter(config.tableRouter())
                        .createTables(settings.createTables())
                        .ingestionLedger(settings.ledger())
                        .ingestionLedgerTable(settings.ledgerTable());
                config.typedColumns().forEach(b::typedColumns);
                sink = b.build();
            } else {
                JdbcBronzeSink.Builder b = JdbcBronzeSink.builder(dataSource, dialect())
                        .name(name)
                        .schema(settings.schema())
                        .tableRouter(config.tableRouter())
                        .createTables(settings.createTables())
                        .ingestionLedger(settings.ledger())
                        .ingestionLedgerTable(settings.ledgerTable());
                config.typedColumns().forEach(b::typedColumns);
                sink = b.build();
            }
        }
        return sink;
    }

    /** The dead-letter sink of {@code bronze.dead-letter.type}: a table, a Kafka topic or the log; made once. */
    public synchronized DeadLetterSink deadLetterSink() {
        if (deadLetterSink == null) {
            DeadLetterSettings d = config.deadLetter();
            deadLetterSink = switch (d.target()) {
                case LOG -> DeadLetterSink.logging();
                case KAFKA -> {
                    KafkaDeadLetterSink.Builder b = KafkaDeadLetterSink.builder()
                            .bootstrapServers(
                                    d.bootstrapServers() != null ? d.bootstrapServers() : config.bootstrapServers())
                            .consumerGroup(config.groupId())
                            .sendTimeout(d.sendTimeout());
                    if (d.topic() != null) {
                        String topic = d.topic();
                        b.topicNamer(source -> topic);
                    }
                    config.sharedClientProperties().forEach(b::producerProperty);
                    d.producerProperties().forEach(b::producerProperty);
                    yield b.build();
                }
                case TABLE ->
                    settings.type() == WarehouseType.SNOWFLAKE
                            ? SnowflakeDeadLetterSink.builder(dataSource)
                                    .name("bronze-" + config.engineName() + "-dead-letter")
                                    .schema(settings.schema())
                                    .table(d.table())
                                    .createTable(settings.createTables())
                                    .build()
                            : JdbcDeadLetterSink.builder(dataSource, dialect())
                                    .name("bronze-" + config.engineName() + "-dead-letter")
                                    .schema(settings.schema())
                                    .table(d.table())
                                    .createTable(settings.createTables())
                                    .build();
            };
        }
        return deadLetterSink;
    }

    /** A reader of the ingestion ledger (and dead-letter table) for status pages and the CLI. */
    public IngestionLedger ledger() {
        IngestionLedger.Builder b = settings.type() == WarehouseType.SNOWFLAKE
                ? SnowflakeIngestionLedger.builder(dataSource)
                : IngestionLedger.builder(dataSource, dialect());
        return b.schema(settings.schema())
                .table(settings.ledgerTable())
                .deadLetterTable(
                        config.deadLetter().target() == DeadLetterTarget.TABLE
                                ? config.deadLetter().table()
                                : null)
                .build();
    }

    /** {@link BronzeConfig#engineBuilder()} with this warehouse's sink and dead-letter sink. */
    public IngestionEngine.Builder engineBuilder() {
        return config.engineBuilder().sink(sink()).deadLetterSink(deadLetterSink());
    }

    private SqlDialect dialect() {
        if (settings.type() == WarehouseType.DUCKDB) {
            return SqlDialect.duckdb();
        }
        return settings.jsonType().equals("json") ? SqlDialect.postgresPlainJson() : SqlDialect.postgres();
    }

    /** Closes the sinks, a Kafka dead-letter producer and a DataSource this warehouse opened. Idempotent. */
    @Override
    public synchronized void close() {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable c : new AutoCloseable[] {deadLetterSink, sink, ownedDataSource}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        deadLetterSink = null;
        sink = null;
        if (!failures.isEmpty()) {
            LOG.warn(
                    "[{}] closing the warehouse: {}",
                    config.engineName(),
                    settings.scrub(failures.get(0).getMessage()));
        }
    }

    @Override
    public String toString() {
        return "BronzeWarehouse{" + settings + ", " + config.deadLetter() + '}';
    }
}
