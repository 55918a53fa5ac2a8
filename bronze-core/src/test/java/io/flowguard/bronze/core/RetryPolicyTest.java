package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void shouldGrowExponentiallyUpToTheCap() {
        RetryPolicy p = RetryPolicy.builder()
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(1))
                .build();
        assertThat(p.ceilingFor(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.ceilingFor(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.ceilingFor(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(p.ceilingFor(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.ceilingFor(500)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldRejectInconsistentSettingsNamingThem() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
                .hasMessage("maxAttempts must be >= 1, but was 0");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5)).hasMessageContaining("but was 0.5");
        assertThatThrownBy(() -> RetryPolicy.builder()
                        .initialBackoff(Duration.ofSeconds(10))
                        .maxBackoff(Duration.ofSeconds(1))
                        .build())
                .hasMessageContaining("initialBackoff (PT10S) must not exceed maxBackoff (PT1S)");
    }

    @Property
    void delayIsAlwaysWithinHalfTheCeilingAndTheCeiling(
            @ForAll @IntRange(min = 1, max = 60) int retry,
            @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double u,
            @ForAll @IntRange(min = 1, max = 5000) int initialMs,
            @ForAll @IntRange(min = 0, max = 100_000) int extraCapMs) {
        RetryPolicy p = RetryPolicy.builder()
                .initialBackoff(Duration.ofMillis(initialMs))
                .maxBackoff(Duration.ofMillis(initialMs + (long) extraCapMs))
                .build();
        long ceiling = p.ceilingFor(retry).toMillis();
        long delay = p.delayFor(retry, u).toMillis();
        assertThat(delay).isBetween(ceiling / 2, ceiling);
        assertThat(ceiling).isLessThanOrEqualTo(p.maxBackoff().toMillis());
        if (retry > 1) {
            assertThat(ceiling).isGreaterThanOrEqualTo(p.ceilingFor(retry - 1).toMillis());
        }
    }
}
