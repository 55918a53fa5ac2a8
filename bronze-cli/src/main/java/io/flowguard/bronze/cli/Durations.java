package io.flowguard.bronze.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations the way people type them: {@code 500ms}, {@code 5s}, {@code 15m}, {@code 2h}, {@code 1d}, {@code PT5S}, {@code 5} (seconds). */
final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|sec|m|min|h|d)?");

    private Durations() {}

    static Duration parse(String text, String option) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> n;
                case "s", "sec" -> n * 1_000;
                case "m", "min" -> n * 60_000;
                case "h" -> n * 3_600_000;
                default -> n * 86_400_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw CliException.usage(
                    option + " must be a duration like 500ms, 5s, 15m, 2h, 1d or PT5S, but was '" + text + "'");
        }
    }

    /** A short human form: 850ms, 5s, 15m, 2h 30m. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return ms % 1_000 == 0 ? s + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (s < 3_600) {
            return s % 60 == 0 ? s / 60 + "m" : s / 60 + "m " + s % 60 + "s";
        }
        return s / 3_600 + "h" + (s % 3_600 / 60 == 0 ? "" : " " + s % 3_600 / 60 + "m");
    }
}
