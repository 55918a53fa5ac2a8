package io.flowguard.bronze.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchLimitsTest {

    @Test
    void shouldRejectNonPositiveLimitsNamingTheValue() {
        assertThatThrownBy(() -> new BatchLimits(0, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRecords must be > 0, but was 0");
        assertThatThrownBy(() -> new BatchLimits(1, -5, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBytes must be > 0, but was -5");
        assertThatThrownBy(() -> new BatchLimits(1, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxWait must be positive, but was PT0S");
        assertThatThrownBy(() -> new BatchLimits(1, 1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldRecommendNothingByDefault() {
        BronzeSink sink = (records, batch) -> WriteResult.of(records.size(), records.size());

        assertThat(sink.recommendedBatchLimits()).isEmpty();
        assertThat(sink.write(List.of()).records()).isZero();
    }
}
