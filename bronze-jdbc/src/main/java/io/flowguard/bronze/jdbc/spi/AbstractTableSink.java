package io.flowguard.bronze.jdbc.spi;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.jdbc.WriteMode;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of a SQL table sink that is the same for every warehouse: the {@link BronzeSink} methods, each handed to
 * the {@link TableSinkCore}. A sink extends it and adds its builder, its dialect and its companion dead-letter sink.
 * Thread-safe as the core is.
 *
 * @since 0.2.0
 */
public abstract class AbstractTableSink implements BronzeSink {
    private final TableSinkCore core;

    protected AbstractTableSink(TableSinkCore core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    /** The core this sink writes through. */
    protected final TableSinkCore core() {
        return core;
    }

    /** Writes with {@link BatchInfo#adHoc(Instant) ad-hoc} batch context on the sink's clock: ledger rows carry engine {@code adhoc}. */
    @Override
    public final WriteResult write(List<BronzeRecord> records) {
        Objects.requireNonNull(records, "records");
        return write(records, BatchInfo.adHoc(core.options().clock().instant()));
    }

    @Override
    public final WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
        return core.write(records, batch);
    }

    /**
     * In {@link WriteMode#APPEND append mode}, one past the highest offset the ingestion ledger holds per partition (of
     * the table the partition's topic routes to); empty in merge mode, where the sink is idempotent on ingestion id.
     */
    @Override
    public final Map<SourcePartition, Long> storedPositions(Collection<SourcePartition> partitions) {
        return core.storedPositions(partitions);
    }

    /** How this sink lands batches. */
    public final WriteMode writeMode() {
        return core.options().writeMode();
    }

    @Override
    public final String name() {
        return core.options().name();
    }

    /** Does nothing: the {@code DataSource} is the caller's to close. */
    @Override
    public void close() {}
}
