package io.flowguard.bronze.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T03:00:00Z"), ZoneOffset.UTC);

    private static Instant parse(String s) {
        return Times.parse(s, "--from", CLOCK).instant();
    }

    @Test
    void shouldAcceptTheFormsOnCallTypes() {
        Instant twoAm = Instant.parse("2026-11-27T02:00:00Z");
        assertThat(parse("2026-11-27T02:00")).isEqualTo(twoAm);
        assertThat(parse("2026-11-27 02:00")).isEqualTo(twoAm);
        assertThat(parse("2026-11-27T02:00:00Z")).isEqualTo(twoAm);
        assertThat(parse("2026-11-27T03:00+01:00")).isEqualTo(twoAm);
        assertThat(parse("2026-11-27")).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(parse("now")).isEqualTo(CLOCK.instant());
        assertThat(parse("-1h")).isEqualTo(twoAm);
        assertThat(parse("now-60m")).isEqualTo(twoAm);
        assertThat(parse("1h ago")).isEqualTo(twoAm);
        assertThat(parse(Long.toString(twoAm.toEpochMilli()))).isEqualTo(twoAm);
    }

    @Test
    void shouldSayHowATimeWasRead() {
        assertThat(Times.parse("2026-11-27T02:00", "--from", CLOCK).readAs())
                .isEqualTo("'2026-11-27T02:00' read as UTC = 2026-11-27T02:00:00Z");
    }

    @Test
    void shouldRejectAnUnreadableTimeWithTheFormsItAccepts() {
        assertThatThrownBy(() -> parse("last tuesday"))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("--from must be a time like 2026-11-27T02:00 (UTC)")
                .hasMessageEndingWith("but was 'last tuesday'");
    }
}
