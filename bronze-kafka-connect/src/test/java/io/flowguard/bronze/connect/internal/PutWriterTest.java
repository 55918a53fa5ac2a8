package io.flowguard.bronze.connect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.BronzeRecordFactory;
import io.flowguard.bronze.core.TombstonePolicy;
import io.flowguard.bronze.testkit.FaultInjectingSink;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class PutWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T20:00:00Z"), ZoneOffset.UTC);

    private final InMemoryDeadLetterSink deadLetters = InMemoryDeadLetterSink.create();

    static SinkRecord record(int partition, long offset, String value) {
        return new SinkRecord(
                "orders",
                partition,
                Schema.OPTIONAL_BYTES_SCHEMA,
                ("k" + offset).getBytes(StandardCharsets.UTF_8),
                Schema.OPTIONAL_BYTES_SCHEMA,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                offset,
                1_700_000_000_000L,
                TimestampType.CREATE_TIME);
    }

    private PutWriter writer(BronzeSink sink, BronzeRecordFactory factory) {
        return new PutWriter(
                "bronze-orders-0", "connect-bronze-orders", factory, sink, DeadLetterRoutes.sink(deadLetters), CLOCK);
    }

    @Test
    void shouldAnnounceEveryOffsetToTheSinkWithDeadLetteredAndSkippedCounts() {
        CapturingSink sink = new CapturingSink();
        PutWriter.Result r = writer(
                        sink,
                        BronzeRecordFactory.builder()
                                .tombstonePolicy(TombstonePolicy.SKIP)
                                .build())
                .write(List.of(
                        record(0, 10, "{\"event_id\":\"a\"}"),
                        record(0, 11, "not json"),
                        record(0, 12, null),
                        record(1, 5, "{\"event_id\":\"b\"}")));

        assertThat(r.records()).isEqualTo(4);
        assertThat(r.landed()).isEqualTo(2);
        assertThat(r.deadLettered()).isEqualTo(1);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(sink.batches).hasSize(1);
        BatchInfo info = sink.batches.get(0);
        assertThat(info.engine()).isEqualTo("bronze-orders-0");
        assertThat(info.groupId()).isEqualTo("connect-bronze-orders");
        assertThat(info.ranges())
                .containsExactlyInAnyOrder(
                        new BatchInfo.PartitionRange("orders", 0, 10, 12, 3, 1, 1),
                        new BatchInfo.PartitionRange("orders", 1, 5, 5, 1, 0, 0));
        assertThat(sink.rows).extracting(BronzeRecord::ingestionId).containsExactly("orders-0-10", "orders-1-5");
        assertThat(deadLetters.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.stage()).isEqualTo(DeadLetter.Stage.DESERIALIZE);
            assertThat(d.offset()).isEqualTo(11);
            assertThat(new String(d.rawPayload(), StandardCharsets.UTF_8)).isEqualTo("not json");
        });
    }

    @Test
    void shouldStillWriteTheLedgerWhenEveryRecordWasDeadLettered() {
        CapturingSink sink = new CapturingSink();
        writer(sink, BronzeRecordFactory.builder().build()).write(List.of(record(0, 1, "[1]"), record(0, 2, "x")));

        assertThat(sink.batches)
                .singleElement()
                .satisfies(b -> assertThat(b.ranges())
                        .containsExactly(new BatchInfo.PartitionRange("orders", 0, 1, 2, 2, 2, 0)));
        assertThat(sink.rows).isEmpty();
        assertThat(deadLetters.count()).isEqualTo(2);
    }

    @Test
    void shouldIsolateAndDeadLetterOnlyTheRowsTheWarehouseRejects() {
        InMemoryBronzeSink store = InMemoryBronzeSink.create();
        FaultInjectingSink sink =
                FaultInjectingSink.wrap(store).rejectRecordsMatching(r -> r.offset() == 3 || r.offset() == 6);
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            records.add(record(0, i, "{\"n\":" + i + "}"));
        }
        PutWriter.Result r = writer(sink, BronzeRecordFactory.builder().build()).write(records);

        assertThat(store.ingestionIds()).hasSize(6).doesNotContain("orders-0-3", "orders-0-6");
        assertThat(deadLetters.byStage(DeadLetter.Stage.WRITE))
                .extracting(DeadLetter::offset)
                .containsExactlyInAnyOrder(3L, 6L);
        assertThat(r.landed()).isEqualTo(6);
        assertThat(r.deadLettered()).isEqualTo(2);
    }

    @Test
    void shouldStoreConversionDeadLettersBeforeTheRowsSoThatASeekToTheStoredPositionCannotLoseThem() {
        FaultInjectingSink sink =
                FaultInjectingSink.wrap(InMemoryBronzeSink.create()).failNextWrites(1);
        PutWriter writer = writer(sink, BronzeRecordFactory.builder().build());

        assertThatThrownBy(() -> writer.write(List.of(record(0, 1, "{}"), record(0, 2, "bad"))))
                .isInstanceOf(SinkWriteException.class);
        assertThat(deadLetters.count())
                .as("the dead letter is stored before the rows and their ledger row; the retry "
                        + "stores it again, idempotently")
                .isEqualTo(1);
    }

    @Test
    void shouldThrowWhenTheDeadLetterSinkFailsSoThatNothingIsCommitted() {
        CapturingSink sink = new CapturingSink();
        PutWriter writer = new PutWriter(
                "t",
                "g",
                BronzeRecordFactory.builder().build(),
                sink,
                DeadLetterRoutes.sink(io.flowguard.bronze.testkit.FaultInjectingDeadLetterSink.wrap(deadLetters)
                        .failNextWrites(1)),
                CLOCK);

        assertThatThrownBy(() -> writer.write(List.of(record(0, 1, "bad")))).isInstanceOf(RuntimeException.class);
        assertThat(deadLetters.count()).isZero();
    }

    /** Records every batch and stores every row (no dedup needed here). */
    static final class CapturingSink implements BronzeSink {
        final List<BatchInfo> batches = new ArrayList<>();
        final List<BronzeRecord> rows = new ArrayList<>();

        @Override
        public WriteResult write(List<BronzeRecord> records) {
            return write(records, BatchInfo.adHoc(Instant.EPOCH));
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            batches.add(batch);
            rows.addAll(records);
            return WriteResult.of(records.size(), records.size());
        }
    }
}
