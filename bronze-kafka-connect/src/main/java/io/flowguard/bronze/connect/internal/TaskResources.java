package io.flowguard.bronze.connect.internal;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.connect.BronzeConnectorConfig;
import io.flowguard.bronze.core.BronzeRecordFactory;
import io.flowguard.bronze.core.RetryPolicy;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.JdbcDeadLetterSink;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/** What a task writes with, opened from its configuration and closed when it stops. INTERIM until bronze-config. */
public final class TaskResources implements AutoCloseable {
    private final BronzeSink sink;
    private final DeadLetterSink deadLetterSink;
    private final BronzeRecordFactory recordFactory;
    private final RetryPolicy retryPolicy;

    private TaskResources(BronzeSink sink, DeadLetterSink deadLetterSink, BronzeRecordFactory recordFactory, RetryPolicy retryPolicy) {
        this.sink = sink;
        this.deadLetterSink = deadLetterSink;
        this.recordFactory = recordFactory;
        this.retryPolicy = retryPolicy;
    }

    public static TaskResources open(BronzeConnectorConfig config) {
        Map<String, String> b = config.bronzeProperties();
        ConnectorKeys.check(b);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(b.get(ConnectorKeys.WAREHOUSE_URL));
        if (b.get(ConnectorKeys.WAREHOUSE_USER) != null) {
            ds.setUser(b.get(ConnectorKeys.WAREHOUSE_USER));
        }
        if (b.get(ConnectorKeys.WAREHOUSE_PASSWORD) != null) {
            ds.setPassword(b.get(ConnectorKeys.WAREHOUSE_PASSWORD));
        }
        JdbcBronzeSink.Builder sb = JdbcBronzeSink.builder(ds, io.flowguard.bronze.jdbc.SqlDialect.postgres());
        JdbcDeadLetterSink.Builder db = JdbcDeadLetterSink.builder(ds, io.flowguard.bronze.jdbc.SqlDialect.postgres());
        String schema = b.get(ConnectorKeys.WAREHOUSE_SCHEMA);
        if (schema != null) {
            sb.schema(schema);
            db.schema(schema);
        }
        return new TaskResources(sb.build(), db.build(), BronzeRecordFactory.builder().build(), RetryPolicy.defaults());
    }

    public BronzeSink sink() {
        return sink;
    }

    public DeadLetterSink deadLetterSink() {
        return deadLetterSink;
    }

    public BronzeRecordFactory recordFactory() {
        return recordFactory;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    @Override
    public void close() {
        sink.close();
        deadLetterSink.close();
    }
}
