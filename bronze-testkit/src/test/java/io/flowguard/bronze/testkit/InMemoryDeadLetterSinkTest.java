package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetter.Stage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryDeadLetterSinkTest {

    static DeadLetter deadLetter(String topic, int partition, long offset, Stage stage) {
        return DeadLetter.builder()
                .failedAt(Instant.parse("2025-03-14T10:00:00Z"))
                .stage(stage)
                .errorClass("com.fasterxml.jackson.core.JsonParseException")
                .errorMessage("Unexpected character")
                .topic(topic)
                .partition(partition)
                .offset(offset)
                .rawPayload("not json".getBytes(StandardCharsets.UTF_8))
                .build();
    }

    @Test
    void shouldStoreDeadLettersInArrivalOrder() {
        InMemoryDeadLetterSink sink = InMemoryDeadLetterSink.create();
        DeadLetter a = deadLetter("orders", 0, 4, Stage.DESERIALIZE);
        DeadLetter b = deadLetter("orders", 1, 2, Stage.EXTRACT);

        sink.write(List.of(a, b));

        assertThat(sink.count()).isEqualTo(2);
        assertThat(sink.deadLetters()).containsExactly(a, b);
        assertThat(sink.contains("orders", 1, 2)).isTrue();
        assertThat(sink.contains("orders", 1, 3)).isFalse();
    }

    @Test
    void shouldStoreOnceAndCountRepeatWhenSamePositionIsDeliveredAgain() {
        InMemoryDeadLetterSink sink = InMemoryDeadLetterSink.create();
        DeadLetter first = deadLetter("orders", 0, 4, Stage.DESERIALIZE);
        DeadLetter redelivered = first.toBuilder()
                .attempts(3)
                .failedAt(Instant.parse("2025-03-14T11:00:00Z"))
                .build();

        sink.write(List.of(first));
        sink.write(List.of(redelivered, redelivered));

        assertThat(sink.deadLetters()).containsExactly(first);
        assertThat(sink.repeatsSeen()).isEqualTo(2);
        assertThat(sink.writeCalls()).isEqualTo(2);
    }

    @Test
    void shouldFilterByStageAndTopic() {
        InMemoryDeadLetterSink sink = InMemoryDeadLetterSink.create();
        DeadLetter parse = deadLetter("orders", 0, 1, Stage.DESERIALIZE);
        DeadLetter size = deadLetter("web.clicks", 0, 2, Stage.SIZE_LIMIT);
        DeadLetter write = deadLetter("orders", 0, 3, Stage.WRITE);

        sink.write(List.of(parse, size, write));

        assertThat(sink.byStage(Stage.DESERIALIZE)).containsExactly(parse);
        assertThat(sink.byStage(Stage.WRITE)).containsExactly(write);
        assertThat(sink.byStage(Stage.EXTRACT)).isEmpty();
        assertThat(sink.byTopic("orders")).containsExactly(parse, write);
    }

    @Test
    void shouldForgetEverythingWhenCleared() {
        InMemoryDeadLetterSink sink = InMemoryDeadLetterSink.create();
        DeadLetter d = deadLetter("orders", 0, 1, Stage.WRITE);
        sink.write(List.of(d, d));

        sink.clear();

        assertThat(sink.count()).isZero();
        assertThat(sink.repeatsSeen()).isZero();
        assertThat(sink.writeCalls()).isZero();
        sink.write(List.of(d));
        assertThat(sink.count()).isEqualTo(1);
    }

    @Test
    void shouldStoreNothingWhenListHoldsNull() {
        InMemoryDeadLetterSink sink = InMemoryDeadLetterSink.create();
        List<DeadLetter> list = Arrays.asList(deadLetter("orders", 0, 1, Stage.WRITE), null);

        assertThatThrownBy(() -> sink.write(list))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadLetters must not contain null, but element 1 was null");
        assertThat(sink.count()).isZero();
    }

    @Test
    void shouldStoreEachPositionOnceWhenWritersRace() throws Exception {
        InMemoryDeadLetterSink sink = InMemoryDeadLetterSink.create();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                futures.add(pool.submit(() -> {
                    for (int offset = 0; offset < 500; offset++) {
                        sink.write(List.of(deadLetter("orders", 0, offset, Stage.WRITE)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }

            assertThat(sink.count()).isEqualTo(500);
            assertThat(sink.repeatsSeen()).isEqualTo(1_500);
        } finally {
            pool.shutdownNow();
        }
    }
}
