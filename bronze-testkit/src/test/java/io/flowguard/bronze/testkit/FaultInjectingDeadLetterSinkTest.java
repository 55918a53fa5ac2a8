package io.flowguard.bronze.testkit;

import static io.flowguard.bronze.testkit.InMemoryDeadLetterSinkTest.deadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetter.Stage;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectingDeadLetterSinkTest {
    private final InMemoryDeadLetterSink store = InMemoryDeadLetterSink.create();
    private final FaultInjectingDeadLetterSink sink = FaultInjectingDeadLetterSink.wrap(store);
    private final List<DeadLetter> deadLetters = List.of(deadLetter("orders", 0, 1, Stage.DESERIALIZE));

    @Test
    void shouldPassWritesThroughWhenNoFaultIsSet() {
        sink.write(deadLetters);

        assertThat(store.count()).isEqualTo(1);
        assertThat(sink.attempts()).isEqualTo(1);
        assertThat(sink.failures()).isZero();
    }

    @Test
    void shouldFailNextWritesWithoutStoringThenRecover() {
        sink.failNextWrites(2);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> sink.write(deadLetters))
                    .isInstanceOfSatisfying(
                            SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        }
        assertThat(store.count()).isZero();

        sink.write(deadLetters);

        assertThat(store.count()).isEqualTo(1);
        assertThat(sink.attempts()).isEqualTo(3);
        assertThat(sink.failures()).isEqualTo(2);
    }

    @Test
    void shouldFailEveryWriteWhileFailAlwaysIsOn() {
        sink.failAlways(true);

        assertThatThrownBy(() -> sink.write(deadLetters)).isInstanceOf(SinkWriteException.class);
        assertThatThrownBy(() -> sink.write(deadLetters)).isInstanceOf(SinkWriteException.class);
        sink.clearFaults();
        sink.write(deadLetters);

        assertThat(store.count()).isEqualTo(1);
        assertThat(sink.failures()).isEqualTo(2);
    }

    @Test
    void shouldRejectNegativeCountNamingTheValue() {
        assertThatThrownBy(() -> sink.failNextWrites(-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failNextWrites must be >= 0, but was -3");
    }

    @Test
    void shouldNameDelegate() {
        assertThat(sink.name()).isEqualTo("fault-injecting(in-memory)");
        assertThat(sink.delegate()).isSameAs(store);
    }
}
