package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.flowguard.bronze.testkit.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * S13 on fakesnow through the real driver: a DATA error on a typed column is followed, outside the failed transaction,
 * by one {@code TRY_CAST} query over the same bound JSON that names the bad rows, so the engine dead-letters exactly
 * those instead of bisecting with 2·log2(n) transactions.
 */
class SnowflakeRejectedRowsIT {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    static final Set<Integer> BAD = Set.of(37, 151);

    private static String qtyJson(int i) {
        return "{\"event_id\":\"e-" + i + "\",\"qty\":\"" + (BAD.contains(i) ? "lots-" + i : Integer.toString(i))
                + "\"}";
    }

    private static SnowflakeMergeSink sink(DataSource dataSource, String schema, WriteMode mode) {
        return SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .writeMode(mode)
                .typedColumns("ORDERS_RAW", TypedColumn.of("QTY", "qty", SqlType.INTEGER))
                .build();
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void shouldNameExactlyTheRowsWhoseTypedValuesDoNotCastWithOneQueryAfterTheRollback(WriteMode mode) {
        String schema = "REJECTED_" + mode;
        CountingDataSource counting = new CountingDataSource(SNOW.dataSource("BRONZE_IT", schema));
        SnowflakeMergeSink sink = sink(counting, schema, mode);
        sink.ensureTable("ORDERS_RAW");
        List<BronzeRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(TestRecords.order("orders", 0, i).toBuilder()
                    .rawEvent(qtyJson(i))
                    .build());
        }
        counting.reset();

        SinkWriteException e = catchThrowableOfType(SinkWriteException.class, () -> sink.write(records));

        assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
        assertThat(e.vendorCode()).isBetween(100_000, 100_999);
        assertThat(e.rejectedIngestionIds())
                .containsExactlyInAnyOrder(
                        records.get(37).ingestionId(), records.get(151).ingestionId());
        assertThat(counting.executed().stream().filter(sql -> sql.contains("TRY_CAST")))
                .as("one diagnostic query for the one chunk, not a transaction per bisection step")
                .hasSize(1);
        assertThat(SnowRows.count(counting, "SELECT COUNT(*) FROM " + schema + ".ORDERS_RAW"))
                .as("the failed write was rolled back")
                .isZero();

        List<BronzeRecord> good = records.stream()
                .filter(r -> !e.rejectedIngestionIds().contains(r.ingestionId()))
                .toList();
        assertThat(sink.write(good).inserted()).isEqualTo(198);
    }

    /** Counts the calls the engine makes and the ones that failed. */
    private static final class CountingSink implements BronzeSink {
        final BronzeSink delegate;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        CountingSink(BronzeSink delegate) {
            this.delegate = delegate;
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            calls.incrementAndGet();
            try {
                return delegate.write(records, batch);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                throw e;
            }
        }
    }

    @Test
    void shouldLetTheEngineDeadLetterExactlyTheBadRowsWithoutBisecting() {
        String schema = "REJECTED_ENGINE";
        DataSource dataSource = SNOW.dataSource("BRONZE_IT", schema);
        String topic = KAFKA.createUniqueTopic("orders", 1);
        List<RecordMetadata> acks = KAFKA.produceJson(topic, 300, SnowflakeRejectedRowsIT::qtyJson);
        CountingSink sink = new CountingSink(SnowflakeMergeSink.builder(dataSource)
                .schema(schema)
                .typedColumns(
                        io.flowguard.bronze.api.TableRouter.fromTopicName().tableFor(topic),
                        TypedColumn.of("QTY", "qty", SqlType.INTEGER))
                .build());
        InMemoryDeadLetterSink deadLetters = InMemoryDeadLetterSink.create();
        String group = "rejected-" + topic;

        try (IngestionEngine engine = IngestionEngine.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(deadLetters)
                .maxBatchRecords(300)
                .maxBatchWait(Duration.ofMillis(500))
                .start()) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> KAFKA.committedOffsets(group).values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum()
                            == 300);
        }

        assertThat(deadLetters.deadLetters())
                .extracting(DeadLetter::offset)
                .containsExactlyInAnyOrder(acks.get(37).offset(), acks.get(151).offset());
        assertThat(deadLetters.deadLetters())
                .allSatisfy(d -> assertThat(d.stage()).isEqualTo(DeadLetter.Stage.WRITE));
        assertThat(SnowRows.count(
                        dataSource,
                        "SELECT COUNT(*) FROM " + schema + "."
                                + io.flowguard.bronze.api.TableRouter.fromTopicName()
                                        .tableFor(topic)))
                .isEqualTo(298);
        assertThat(sink.failures.get())
                .as("at most one failed call per batch holding a bad row; bisection would take ~2·log2(n) each")
                .isBetween(1, 2);
    }
}
