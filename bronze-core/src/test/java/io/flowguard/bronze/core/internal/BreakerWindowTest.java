package io.flowguard.bronze.core.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.core.DeadLetterBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BreakerWindowTest {
    private final BreakerWindow window = new BreakerWindow(DeadLetterBreaker.of(100, 0.5, Duration.ofMinutes(1)));

    private static List<DeadLetter> dead(int n, String errorClass) {
        List<DeadLetter> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(DeadLetter.builder()
                    .topic("orders")
                    .partition(0)
                    .offset(i)
                    .stage(DeadLetter.Stage.DESERIALIZE)
                    .errorClass(errorClass)
                    .errorMessage("bad " + i)
                    .failedAt(Instant.EPOCH)
                    .build());
        }
        return out;
    }

    @Test
    void shouldJudgeASmallBatchTogetherWithTheBatchesWrittenBeforeIt() {
        assertThatCode(() -> window.check(1, 60, dead(60, "Parse"))).doesNotThrowAnyException();
        window.written(60, dead(60, "Parse"));

        assertThatThrownBy(() -> window.check(2, 60, dead(60, "Parse")))
                .isInstanceOf(SystemicDeadLettersException.class)
                .hasMessageContaining("120 of 120 records of batch 2 and the 1 batch(es) before it");
    }

    @Test
    void shouldNotTripOnABatchThatIsMostlyFineWhateverCameBefore() {
        window.written(90, dead(90, "Parse"));

        assertThatCode(() -> window.check(2, 20, dead(5, "Parse"))).doesNotThrowAnyException();
    }

    @Test
    void shouldCountOnlyTheSameErrorClassAcrossBatches() {
        window.written(60, dead(60, "Other"));

        assertThatCode(() -> window.check(2, 60, dead(60, "Parse"))).doesNotThrowAnyException();
    }

    @Test
    void shouldForgetBatchesNoLongerNeededToReachTheMinimum() {
        window.written(60, dead(60, "Parse")); // falls out once 100 newer records are seen
        window.written(100, List.of());

        assertThatCode(() -> window.check(3, 10, dead(10, "Parse"))).doesNotThrowAnyException();
    }

    @Test
    void shouldStartAfreshAfterATrip() {
        window.written(60, dead(60, "Parse"));
        assertThatThrownBy(() -> window.check(2, 60, dead(60, "Parse")))
                .isInstanceOf(SystemicDeadLettersException.class);

        assertThatCode(() -> window.check(2, 60, dead(60, "Parse")))
                .as("the re-read batch is judged on its own again")
                .doesNotThrowAnyException();
    }

    @Test
    void shouldJudgeABatchAtTheMinimumOnItsOwnAsBefore() {
        window.written(100, List.of());

        assertThatThrownBy(() -> window.check(2, 100, dead(51, "Parse")))
                .isInstanceOf(SystemicDeadLettersException.class)
                .hasMessageContaining("51 of 100 records of batch 2 failed");
    }
}
