package io.flowguard.bronze.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateWindowTest {
    private static final Instant T0 = Instant.parse("2026-11-29T03:00:00Z");

    @Test
    void shouldComputeTheRateOverTheLastMinuteAndTheIncreaseOverTheLastHour() {
        RateWindow w = new RateWindow(Duration.ofHours(1));
        for (int i = 0;
                i <= 120;
                i++) { // one sample every 30 s for an hour: 10 per second for 50 min, then 1 per second
            long seconds = i * 30L;
            double count = seconds <= 3000 ? seconds * 10.0 : 30_000 + (seconds - 3000);
            w.record(T0.plusSeconds(seconds), count);
        }

        assertThat(w.perSecond(Duration.ofMinutes(1))).isEqualTo(1.0);
        assertThat(w.increase(Duration.ofMinutes(10))).isEqualTo(600.0);
        assertThat(w.increase(Duration.ofHours(1))).isEqualTo(30_600.0); // the oldest sample is exactly an hour back
    }

    @Test
    void shouldReportZeroWithFewerThanTwoSamplesAndNeverANegativeRate() {
        RateWindow w = new RateWindow(Duration.ofHours(1));
        assertThat(w.perSecond(Duration.ofMinutes(1))).isZero();
        w.record(T0, 100);
        assertThat(w.increase(Duration.ofHours(1))).isZero();
        w.record(T0.plusSeconds(5), 40); // a counter reset (new registry) must not show as negative throughput
        assertThat(w.perSecond(Duration.ofMinutes(1))).isZero();
    }

    @Test
    void shouldForgetSamplesOlderThanTheRetention() {
        RateWindow w = new RateWindow(Duration.ofMinutes(5));
        w.record(T0, 0);
        w.record(T0.plus(Duration.ofMinutes(30)), 1_000);
        w.record(T0.plus(Duration.ofMinutes(31)), 1_060);
        w.record(T0.plus(Duration.ofMinutes(40)), 1_600);

        assertThat(w.increase(Duration.ofHours(1))).isEqualTo(540.0); // from the sample at 31 min, the one at the edge
    }
}
