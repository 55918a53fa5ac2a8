package io.flowguard.bronze.connect;

import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.connect.internal.DeadLetterRoutes;
import io.flowguard.bronze.connect.internal.PutWriter;
import io.flowguard.bronze.connect.internal.TaskMetrics;
import io.flowguard.bronze.connect.internal.TaskResources;
import io.flowguard.bronze.core.RetryPolicy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task of {@link BronzeSinkConnector}: each {@link #put} call is one Bronze batch, written to the warehouse (rows,
 * ingestion ledger, dead letters) before {@code put} returns, so the offsets Connect commits afterwards are always of
 * stored records.
 *
 * <p><b>Failures.</b> A transient sink failure makes {@code put} throw {@link RetriableException} after asking Connect to
 * wait ({@code context.timeout}) per the {@code bronze.retry.*} back-off; Connect then delivers the same records again,
 * and the sink's idempotence on the ingestion id ({@code topic-partition-offset} by default) keeps the table free of
 * duplicates. When the retry budget is spent the task fails ({@link ConnectException}) with nothing of the batch
 * committed. A record that cannot land is dead-lettered: to Connect's dead-letter queue when the connector sets
 * {@code errors.tolerance=all} and {@code errors.deadletterqueue.topic.name}, otherwise to the Bronze dead-letter sink
 * (the warehouse's {@code BRONZE_DEAD_LETTER} table by default). A key or value that is not bytes fails the task with a
 * message naming the converter to set: nothing is committed past it.
 *
 * <p><b>Stored positions.</b> When partitions are assigned ({@link #open}) the task asks the sink where it already is
 * ({@link io.flowguard.bronze.api.BronzeSink#storedPositions}) and has Connect seek each partition the sink knows to that
 * position ({@code SinkTaskContext.offset}), as the engine does: a sink that appends instead of merging (a SQL sink in
 * {@code WriteMode.APPEND}, given through {@link TaskResources#of} when embedding) then resumes after what the warehouse
 * holds, not at the last offset Connect committed. The idempotent sinks the {@code bronze.*} keys make report no
 * positions, and their re-deliveries are absorbed by the key instead.
 *
 * <p>Connect calls a task from one thread.
 *
 * @since 0.2.0
 */
public class BronzeSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(BronzeSinkTask.class);

    private TaskResources resources;
    private PutWriter writer;
    private TaskMetrics metrics;
    private RetryPolicy retryPolicy;
    private String name;
    private int failures;
    private long firstFailureNanos;

    private final Function<BronzeConnectorConfig, TaskResources> opener;

    /** Connect's no-argument constructor. */
    public BronzeSinkTask() {
        this(TaskResources::open);
    }

    /** For tests: resources made by {@code opener} instead of from the {@code bronze.*} keys. */
    BronzeSinkTask(Function<BronzeConnectorConfig, TaskResources> opener) {
        this.opener = opener;
    }

    @Override
    public String version() {
        return BronzeSinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        BronzeConnectorConfig config = BronzeConnectorConfig.parse(props);
        this.name = config.taskName();
        this.resources = opener.apply(config);
        this.retryPolicy = resources.retryPolicy();
        PutWriter.DeadLetterRoute route;
        if (config.usesConnectDeadLetterQueue()) {
            ErrantRecordReporter reporter = context.errantRecordReporter();
            if (reporter == null) {
                resources.close();
                throw new ConnectException(
                        "errors.deadletterqueue.topic.name is set but this worker offers no errant record "
                                + "reporter (Connect 2.6 or later is needed); remove it to use the Bronze dead-letter table");
            }
            route = DeadLetterRoutes.connect(reporter);
        } else {
            DeadLetterSink dls = resources.deadLetterSink();
            route = DeadLetterRoutes.sink(dls);
        }
        this.metrics = TaskMetrics.register(pluginMetrics());
        this.writer = new PutWriter(
                name, config.groupId(), resources.recordFactory(), resources.sink(), route, Clock.systemUTC());
        log.info(
                "[{}] started: sink {}, dead letters to {}",
                name,
                resources.sink().name(),
                route.name());
    }

    /**
     * Seeks each newly assigned partition to the sink's stored position, when the sink reports one.
     *
     * @throws ConnectException when the sink cannot say where it is (the task fails rather than risk writing twice;
     *                          restart it once the warehouse answers)
     */
    @Override
    public void open(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<SourcePartition> asked = new ArrayList<>(partitions.size());
        for (TopicPartition tp : partitions) {
            asked.add(new SourcePartition(tp.topic(), tp.partition()));
        }
        Map<SourcePartition, Long> stored;
        try {
            stored = resources.sink().storedPositions(asked);
        } catch (RuntimeException e) {
            throw new ConnectException(
                    "[" + name + "] reading the stored positions of " + asked + " from sink "
                            + resources.sink().name()
                            + " failed, so the task cannot tell where the warehouse is; restart the task "
                            + "(POST /connectors/<name>/tasks/<n>/restart) once the warehouse answers: "
                            + e.getMessage(),
                    e);
        }
        stored.forEach((p, next) -> {
            context.offset(new TopicPartition(p.topic(), p.partition()), next);
            log.info(
                    "[{}] {} resumes at offset {}, after what sink {} already holds",
                    name,
                    p,
                    next,
                    resources.sink().name());
        });
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        PutWriter.Result result;
        try {
            result = writer.write(records);
        } catch (DataException e) {
            // A converter other than ByteArrayConverter: a configuration error that no retry can fix.
            throw new ConnectException("[" + name + "] " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw retryOrFail(records.size(), e);
        }
        failures = 0;
        metrics.record(result);
        log.debug(
                "[{}] batch {}: {} record(s), {} landed ({} new), {} dead-lettered, {} skipped",
                name,
                result.batchId(),
                result.records(),
                result.landed(),
                result.inserted(),
                result.deadLettered(),
                result.skipped());
    }

    private RuntimeException retryOrFail(int size, RuntimeException e) {
        if (failures == 0) {
            firstFailureNanos = System.nanoTime();
        }
        failures++;
        long elapsedMs = (System.nanoTime() - firstFailureNanos) / 1_000_000;
        boolean data = e instanceof SinkWriteException swe && swe.kind() == SinkWriteException.ErrorKind.DATA;
        if (data
                || failures >= retryPolicy.maxAttempts()
                || elapsedMs >= retryPolicy.maxRetryDuration().toMillis()) {
            return new ConnectException(
                    "[" + name + "] writing " + size + " record(s) failed " + failures + " time(s) in "
                            + elapsedMs + " ms"
                            + (data
                                    ? " with a data error the dead-letter sink could not take"
                                    : ", retry budget " + retryPolicy + " spent")
                            + "; nothing of this batch was committed: " + e.getMessage(),
                    e);
        }
        long delay = retryPolicy
                .delayFor(failures, ThreadLocalRandom.current().nextDouble())
                .toMillis();
        log.warn(
                "[{}] writing {} record(s) failed (attempt {}/{}), Connect re-delivers them in {} ms: {}",
                name,
                size,
                failures,
                retryPolicy.maxAttempts(),
                delay,
                e.toString());
        context.timeout(delay);
        return new RetriableException(e);
    }

    /** The worker's plugin metrics, or null when it offers none (a worker before Kafka 4.1). */
    private org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
        try {
            return context.pluginMetrics();
        } catch (UnsupportedOperationException | AbstractMethodError | NoSuchMethodError e) {
            return null;
        }
    }

    @Override
    public void stop() {
        if (resources != null) {
            resources.close();
            resources = null;
        }
        log.info("[{}] stopped", name);
    }
}
