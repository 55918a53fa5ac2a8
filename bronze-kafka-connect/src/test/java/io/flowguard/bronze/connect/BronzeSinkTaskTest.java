package io.flowguard.bronze.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.connect.internal.TaskMetrics;
import io.flowguard.bronze.connect.internal.TaskResources;
import io.flowguard.bronze.core.BronzeRecordFactory;
import io.flowguard.bronze.core.RetryPolicy;
import io.flowguard.bronze.jdbc.DuckDbDataSource;
import io.flowguard.bronze.jdbc.JdbcBronzeSink;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.testkit.FaultInjectingSink;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;

/** The task's failure handling, with in-memory sinks and a recording Connect context. */
class BronzeSinkTaskTest {
    private final InMemoryBronzeSink store = InMemoryBronzeSink.create();
    private final InMemoryDeadLetterSink deadLetters = InMemoryDeadLetterSink.create();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RecordingContext context = new RecordingContext();

    private static Map<String, String> props(String... extra) {
        Map<String, String> p =
                new HashMap<>(Map.of("name", "orders-bronze", "topics", "orders", BronzeConnectorConfig.TASK_ID, "0"));
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    private BronzeSinkTask task(FaultInjectingSink sink, RetryPolicy retry) {
        BronzeSinkTask task = new BronzeSinkTask(c -> TaskResources.of(
                sink, deadLetters, BronzeRecordFactory.builder().build(), retry, () -> closed.set(true)));
        task.initialize(context);
        return task;
    }

    private BronzeSinkTask task(BronzeSink sink, RecordingContext ctx) {
        BronzeSinkTask task = new BronzeSinkTask(c -> TaskResources.of(
                sink, deadLetters, BronzeRecordFactory.builder().build(), retries(3), () -> closed.set(true)));
        task.initialize(ctx);
        return task;
    }

    private static SinkRecord record(long offset, Object value) {
        return new SinkRecord(
                "orders",
                0,
                null,
                "k".getBytes(StandardCharsets.UTF_8),
                Schema.OPTIONAL_BYTES_SCHEMA,
                value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : value,
                offset,
                1L,
                TimestampType.CREATE_TIME);
    }

    private static RetryPolicy retries(int attempts) {
        return RetryPolicy.builder()
                .maxAttempts(attempts)
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(400))
                .build();
    }

    @Test
    void shouldAskConnectToWaitAndRedeliverWhenTheSinkFailsTransiently() {
        FaultInjectingSink sink = FaultInjectingSink.wrap(store).failNextWrites(1);
        BronzeSinkTask task = task(sink, retries(5));
        task.start(props());
        List<SinkRecord> batch = List.of(record(0, "{\"a\":1}"), record(1, "{\"a\":2}"));

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        assertThat(context.timeouts)
                .singleElement()
                .satisfies(t -> assertThat(t).isBetween(50L, 100L));
        assertThat(store.count()).isZero();

        task.put(batch); // Connect delivers the same records again
        assertThat(store.ingestionIds()).containsExactlyInAnyOrder("orders-0-0", "orders-0-1");
    }

    @Test
    void shouldFailTheTaskWithNothingCommittedWhenTheRetryBudgetIsSpent() {
        FaultInjectingSink sink = FaultInjectingSink.wrap(store).failAlways(true);
        BronzeSinkTask task = task(sink, retries(2));
        task.start(props());
        List<SinkRecord> batch = List.of(record(0, "{}"));

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        assertThatThrownBy(() -> task.put(batch))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("retry budget")
                .hasMessageContaining("nothing of this batch was committed");
    }

    @Test
    void shouldFailTheTaskNamingTheConverterWhenAValueIsNotBytes() {
        BronzeSinkTask task = task(FaultInjectingSink.wrap(store), retries(5));
        task.start(props());

        assertThatThrownBy(() -> task.put(List.of(record(0, Map.of("a", 1)))))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
        assertThat(store.count()).isZero();
    }

    @Test
    void shouldHandDeadLettersToConnectsReporterWhenItsDeadLetterQueueIsConfigured() {
        context.reporter = (record, error) -> {
            context.reported.add(record.kafkaOffset() + ":" + error.getMessage());
            return CompletableFuture.completedFuture(null);
        };
        BronzeSinkTask task = task(FaultInjectingSink.wrap(store), retries(5));
        task.start(props("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "orders.dlq"));

        task.put(List.of(record(0, "{}"), record(1, "not json")));

        assertThat(context.reported)
                .singleElement()
                .satisfies(r -> assertThat(r).startsWith("1:bronze stage=DESERIALIZE"));
        assertThat(deadLetters.count())
                .as("the Bronze dead-letter sink is not used")
                .isZero();
        assertThat(store.ingestionIds()).containsExactly("orders-0-0");
    }

    @Test
    void shouldUseTheBronzeDeadLetterSinkWhenConnectToleratesNoErrors() {
        context.reporter = (record, error) -> {
            throw new AssertionError("must not be called");
        };
        BronzeSinkTask task = task(FaultInjectingSink.wrap(store), retries(5));
        task.start(props("errors.deadletterqueue.topic.name", "orders.dlq"));

        task.put(List.of(record(7, "[]")));

        assertThat(deadLetters.contains("orders", 0, 7)).isTrue();
    }

    @Test
    void shouldRefuseToStartAndReleaseResourcesWhenTheWorkerOffersNoReporter() {
        context.reporter = null;
        BronzeSinkTask task = task(FaultInjectingSink.wrap(store), retries(5));

        assertThatThrownBy(() -> task.start(props("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "q")))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("errors.deadletterqueue.topic.name");
        assertThat(closed).isTrue();
    }

    @Test
    void shouldCloseItsResourcesWhenStopped() {
        BronzeSinkTask task = task(FaultInjectingSink.wrap(store), retries(5));
        task.start(props());

        task.stop();

        assertThat(closed).isTrue();
    }

    @Test
    void shouldCountLandedDeadLetteredAndSkippedRecordsInConnectsPluginMetrics() {
        context.pluginMetrics =
                new PluginMetricsImpl(context.metrics, Map.of("connector", "orders-bronze", "task", "0"));
        BronzeSinkTask task = task(FaultInjectingSink.wrap(store), retries(5));
        task.start(props());

        task.put(List.of(record(0, "{}"), record(1, "nope"), record(2, null)));
        task.put(List.of(record(0, "{}"))); // a re-delivery: lands again, inserts nothing

        assertThat(context.metric(TaskMetrics.LANDED)).isEqualTo(2.0);
        assertThat(context.metric(TaskMetrics.INSERTED)).isEqualTo(1.0);
        assertThat(context.metric(TaskMetrics.DEAD_LETTERED)).isEqualTo(1.0);
        assertThat(context.metric(TaskMetrics.SKIPPED)).isEqualTo(1.0);
    }

    @Test
    void shouldSeekAssignedPartitionsToWhatAnAppendingSinkAlreadyHoldsWhenTheyAreOpened() throws Exception {
        try (DuckDbDataSource db = DuckDbDataSource.inMemory()) {
            JdbcBronzeSink append = JdbcBronzeSink.builder(db, SqlDialect.duckdb())
                    .writeMode(WriteMode.APPEND)
                    .build();
            BronzeSinkTask before = task(append, context);
            before.start(props());
            // Written (rows and ledger) but, as after a worker crash, never committed to Kafka.
            before.put(List.of(record(0, "{}"), record(1, "{}"), record(2, "nope"), record(3, "{}")));

            RecordingContext next = new RecordingContext();
            BronzeSinkTask after = task(append, next);
            after.start(props());
            after.open(List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1)));

            assertThat(next.offsets)
                    .as("orders-0 resumes after offset 3, the dead letter included; orders-1 is unknown")
                    .isEqualTo(Map.of(new TopicPartition("orders", 0), 4L));
        }
    }

    @Test
    void shouldFailTheTaskWhenTheSinkCannotSayWhereItIsOnOpen() {
        BronzeSink unreachable = new BronzeSink() {
            @Override
            public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
                return WriteResult.of(records.size(), records.size());
            }

            @Override
            public Map<SourcePartition, Long> storedPositions(Collection<SourcePartition> partitions) {
                throw new SinkWriteException(
                        "ledger unreachable", null, SinkWriteException.ErrorKind.TRANSIENT, null, null, 0);
            }
        };
        BronzeSinkTask task = task(unreachable, context);
        task.start(props());

        assertThatThrownBy(() -> task.open(List.of(new TopicPartition("orders", 0))))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("stored positions")
                .hasMessageContaining("restart");
        assertThat(context.offsets).isEmpty();
    }

    /** Records what the task asks of Connect. */
    static final class RecordingContext implements SinkTaskContext {
        final List<Long> timeouts = new ArrayList<>();
        final List<String> reported = new ArrayList<>();
        ErrantRecordReporter reporter = (r, e) -> CompletableFuture.completedFuture(null);

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        final Map<TopicPartition, Long> offsets = new HashMap<>();

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
            this.offsets.putAll(offsets);
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
            offsets.put(tp, offset);
        }

        @Override
        public void timeout(long timeoutMs) {
            timeouts.add(timeoutMs);
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(new TopicPartition("orders", 0));
        }

        @Override
        public void pause(TopicPartition... partitions) {}

        @Override
        public void resume(TopicPartition... partitions) {}

        @Override
        public void requestCommit() {}

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return reporter;
        }

        final Metrics metrics = new Metrics();
        PluginMetrics pluginMetrics;

        @Override
        public PluginMetrics pluginMetrics() {
            return pluginMetrics;
        }

        double metric(String name) {
            return metrics.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals(name))
                    .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no metric " + name));
        }
    }
}
