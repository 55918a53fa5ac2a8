package io.flowguard.bronze.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses points in time liberally and says how each was read: ISO instants ({@code 2026-11-27T02:00:00Z}), offset times
 * ({@code 2026-11-27T03:00+01:00}), local times taken as UTC ({@code 2026-11-27T02:00}, {@code 2026-11-27 02:00}), dates
 * (midnight UTC), epoch milliseconds, {@code now}, and relative times ({@code -15m}, {@code now-2h}, {@code 15m ago}).
 */
final class Times {
    private Times() {}

    /** A parsed time and how it was read. */
    record Parsed(Instant instant, String readAs) {}

    static Parsed parse(String text, String option, Clock clock) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("now")) {
            Instant now = clock.instant();
            return new Parsed(now, "now (" + now + ")");
        }
        String relative = null;
        if (lower.startsWith("now-")) {
            relative = lower.substring(4);
        } else if (lower.startsWith("-")) {
            relative = lower.substring(1);
        } else if (lower.endsWith(" ago")) {
            relative = lower.substring(0, lower.length() - 4);
        }
        if (relative != null) {
            Duration back = Durations.parse(relative, option);
            Instant at = clock.instant().minus(back);
            return new Parsed(at, Durations.format(back) + " ago (" + at + ")");
        }
        try {
            return new Parsed(Instant.parse(t), "instant " + Instant.parse(t));
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            Instant i = OffsetDateTime.parse(t).toInstant();
            return new Parsed(i, "'" + t + "' = " + i);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            Instant i = ZonedDateTime.parse(t).toInstant();
            return new Parsed(i, "'" + t + "' = " + i);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            Instant i = LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            return new Parsed(i, "'" + t + "' read as UTC = " + i);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            Instant i = LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            return new Parsed(i, "'" + t + "' read as midnight UTC = " + i);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        if (t.matches("\\d{10,13}")) {
            long n = Long.parseLong(t);
            Instant i = t.length() <= 10 ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n);
            return new Parsed(i, "epoch " + (t.length() <= 10 ? "seconds" : "milliseconds") + " = " + i);
        }
        throw CliException.usage(option + " must be a time like 2026-11-27T02:00 (UTC), 2026-11-27T02:00:00Z, "
                + "2026-11-27T03:00+01:00, 2026-11-27, now, -15m or '2h ago', but was '" + text + "'");
    }
}
