package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.api.WriteResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FaultInjectingSinkTest {
    private final InMemoryBronzeSink store = InMemoryBronzeSink.create();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final FaultInjectingSink sink = FaultInjectingSink.wrap(store, sleeps::add);
    private final List<BronzeRecord> batch = TestRecords.orders("orders", 0, 0, 10);

    @Test
    void shouldPassWritesThroughWhenNoFaultIsSet() {
        WriteResult result = sink.write(batch);

        assertThat(result).isEqualTo(WriteResult.of(10, 10));
        assertThat(store.count()).isEqualTo(10);
        assertThat(sink.attempts()).isEqualTo(1);
        assertThat(sink.successes()).isEqualTo(1);
        assertThat(sink.failures()).isZero();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void shouldFailNextWritesWithTransientErrorThenRecover() {
        sink.failNextWrites(2);

        assertThatThrownBy(() -> sink.write(batch))
                .isInstanceOfSatisfying(
                        SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        assertThatThrownBy(() -> sink.write(batch)).isInstanceOf(SinkWriteException.class);
        assertThat(store.count()).isZero();

        assertThat(sink.write(batch)).isEqualTo(WriteResult.of(10, 10));
        assertThat(sink.attempts()).isEqualTo(3);
        assertThat(sink.transientFailures()).isEqualTo(2);
        assertThat(sink.successes()).isEqualTo(1);
    }

    @Test
    void shouldMarkTransientFailuresRetriable() {
        sink.failNextWrites(1);

        assertThatThrownBy(() -> sink.write(batch))
                .isInstanceOfSatisfying(
                        SinkWriteException.class,
                        e -> assertThat(e.isRetriable()).isTrue());
    }

    @Test
    void shouldStoreBatchAndStillFailWhenFailingAfterStoring() {
        sink.failNextWritesAfterStoring(1);

        assertThatThrownBy(() -> sink.write(batch))
                .isInstanceOfSatisfying(
                        SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        assertThat(store.count()).isEqualTo(10);

        WriteResult retry = sink.write(batch);

        assertThat(retry).isEqualTo(WriteResult.of(10, 0));
        assertThat(store.duplicatesSeen()).isEqualTo(10);
    }

    @Test
    void shouldRejectEveryBatchHoldingMatchingRecordWithDataError() {
        sink.rejectRecordsMatching(r -> r.offset() == 7);

        assertThatThrownBy(() -> sink.write(batch)).isInstanceOfSatisfying(SinkWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.getMessage()).contains("orders-0-7");
        });
        assertThatThrownBy(() -> sink.write(batch.subList(5, 10))).isInstanceOf(SinkWriteException.class);

        assertThat(sink.write(batch.subList(0, 7))).isEqualTo(WriteResult.of(7, 7));
        assertThat(sink.write(batch.subList(8, 10))).isEqualTo(WriteResult.of(2, 2));
        assertThat(store.contains("orders-0-7")).isFalse();
        assertThat(sink.dataFailures()).isEqualTo(2);
    }

    @Test
    void shouldLetEngineIsolateRejectedRecordWhenBisecting() {
        sink.rejectRecordsMatching(r -> r.offset() == 3 || r.offset() == 8);

        List<BronzeRecord> rejected = new CopyOnWriteArrayList<>();
        bisect(batch, rejected);

        assertThat(rejected).extracting(BronzeRecord::offset).containsExactly(3L, 8L);
        assertThat(store.count()).isEqualTo(8);
    }

    private void bisect(List<BronzeRecord> records, List<BronzeRecord> rejected) {
        try {
            sink.write(records);
        } catch (SinkWriteException e) {
            if (records.size() == 1) {
                rejected.add(records.get(0));
                return;
            }
            int mid = records.size() / 2;
            bisect(records.subList(0, mid), rejected);
            bisect(records.subList(mid, records.size()), rejected);
        }
    }

    @Test
    void shouldFailEveryWriteWhileFailAlwaysIsOn() {
        sink.failAlways(true);

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> sink.write(batch)).isInstanceOf(SinkWriteException.class);
        }
        sink.failAlways(false);

        assertThat(sink.write(batch).inserted()).isEqualTo(10);
        assertThat(sink.transientFailures()).isEqualTo(5);
        assertThat(sink.failures()).isEqualTo(5);
        assertThat(sink.attempts()).isEqualTo(6);
    }

    @Test
    void shouldDelayEveryWriteThroughSleeper() {
        sink.delayPerWrite(Duration.ofMillis(250));

        sink.write(batch);
        sink.write(batch);

        assertThat(sleeps).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
    }

    @Test
    void shouldDelayFailingWritesToo() {
        sink.delayPerWrite(Duration.ofSeconds(1)).failNextWrites(1);

        assertThatThrownBy(() -> sink.write(batch)).isInstanceOf(SinkWriteException.class);

        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void shouldFailTransientlyAndKeepInterruptFlagWhenInterruptedDuringDelay() {
        AtomicBoolean delegateCalled = new AtomicBoolean();
        BronzeSink delegate = (records, batch) -> {
            delegateCalled.set(true);
            return WriteResult.of(records.size(), records.size());
        };
        FaultInjectingSink interrupted = FaultInjectingSink.wrap(delegate, d -> {
                    throw new InterruptedException("stop");
                })
                .delayPerWrite(Duration.ofSeconds(5));

        try {
            assertThatThrownBy(() -> interrupted.write(batch))
                    .isInstanceOfSatisfying(
                            SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(delegateCalled).isFalse();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void shouldSleepForRealByDefault() {
        FaultInjectingSink real = FaultInjectingSink.wrap(store).delayPerWrite(Duration.ofMillis(30));
        long start = System.nanoTime();

        real.write(batch);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(30));
    }

    @Test
    void shouldRemoveEveryFaultWhenCleared() {
        sink.failAlways(true)
                .failNextWrites(3)
                .failNextWritesAfterStoring(3)
                .rejectRecordsMatching(r -> true)
                .delayPerWrite(Duration.ofSeconds(1));

        sink.clearFaults();

        assertThat(sink.write(batch)).isEqualTo(WriteResult.of(10, 10));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void shouldRejectInvalidSettingsNamingTheValue() {
        assertThatThrownBy(() -> sink.failNextWrites(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failNextWrites must be >= 0, but was -1");
        assertThatThrownBy(() -> sink.failNextWritesAfterStoring(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failNextWritesAfterStoring must be >= 0, but was -2");
        assertThatThrownBy(() -> sink.delayPerWrite(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delayPerWrite must be >= 0, but was PT-0.005S");
    }

    @Test
    void shouldCloseDelegateAndNameItWhenWrapping() {
        AtomicBoolean closed = new AtomicBoolean();
        BronzeSink delegate = new BronzeSink() {
            @Override
            public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
                return WriteResult.empty();
            }

            @Override
            public String name() {
                return "warehouse";
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        FaultInjectingSink wrapper = FaultInjectingSink.wrap(delegate);

        wrapper.close();

        assertThat(closed).isTrue();
        assertThat(wrapper.name()).isEqualTo("fault-injecting(warehouse)");
        assertThat(wrapper.delegate()).isSameAs(delegate);
    }

    @Test
    void shouldForwardEveryCapabilityTheSinkInterfaceDefaults() throws Exception {
        // A decorator that does not override a default method silently hides the delegate's capability (its companion
        // dead-letter sink, stored positions, recommended batch limits) from the engine. Each new default must be
        // forwarded.
        for (java.lang.reflect.Method m : BronzeSink.class.getMethods()) {
            if (m.isDefault() && !m.getName().equals("write")) {
                assertThat(FaultInjectingSink.class
                                .getMethod(m.getName(), m.getParameterTypes())
                                .getDeclaringClass())
                        .as("FaultInjectingSink overrides %s", m)
                        .isEqualTo(FaultInjectingSink.class);
            }
        }
    }
}
