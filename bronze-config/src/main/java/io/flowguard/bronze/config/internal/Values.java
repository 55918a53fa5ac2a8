package io.flowguard.bronze.config.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values from a flat key map and collects every problem (key, what was wrong, how to fix it) instead of
 * failing at the first. Not thread-safe; one per parse.
 */
public final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?");

    private final Map<String, String> map;
    private final List<String> problems = new ArrayList<>();

    public Values(Map<String, String> map) {
        this.map = map;
    }

    /** The map being read. */
    public Map<String, String> rawView() {
        return map;
    }

    public List<String> problems() {
        return problems;
    }

    public void problem(String key, String text) {
        problems.add(key + ": " + text);
    }

    /** The trimmed value, or null when absent or blank. */
    public String text(String key) {
        String v = map.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String text(String key, String def) {
        String v = text(key);
        return v == null ? def : v;
    }

    public String required(String key, String example) {
        String v = text(key);
        if (v == null) {
            problem(key, "is required; set it, e.g. " + key + "=" + example);
        }
        return v;
    }

    public List<String> list(String key) {
        String v = text(key);
        if (v == null) {
            return List.of();
        }
        return Arrays.stream(v.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    public long longAtLeast(String key, long def, long min) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < min) {
                problem(key, "must be >= " + min + ", but was " + n);
                return def;
            }
            return n;
        } catch (NumberFormatException e) {
            problem(key, "must be a whole number >= " + min + ", but was '" + v + "'");
            return def;
        }
    }

    public int intAtLeast(String key, int def, int min) {
        long n = longAtLeast(key, def, min);
        if (n > Integer.MAX_VALUE) {
            problem(key, "must be <= " + Integer.MAX_VALUE + ", but was " + n);
            return def;
        }
        return (int) n;
    }

    public double decimal(String key, double def, double min, double max) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                problem(key, "must be within [" + min + ", " + max + "], but was " + v);
                return def;
            }
            return d;
        } catch (NumberFormatException e) {
            problem(key, "must be a number within [" + min + ", " + max + "], but was '" + v + "'");
            return def;
        }
    }

    public boolean bool(String key, boolean def) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(key, "must be true or false, but was '" + v + "'");
                yield def;
            }
        };
    }

    /** A positive duration: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}, ISO {@code PT5S}. */
    public Duration duration(String key, Duration def) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        Duration d = parseDuration(v);
        if (d == null || d.isZero() || d.isNegative()) {
            problem(key, "must be a positive duration like 500ms, 5s, 2m, 1h or PT5S, but was '" + v + "'");
            return def;
        }
        return d;
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            if (m.group(2) == null) {
                return null; // a bare number: seconds or milliseconds? Make the writer say.
            }
            double n = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                case "h" -> n * 3_600_000;
                default -> n * 86_400_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A size in bytes: {@code 1048576}, {@code 512KiB}, {@code 5MiB}, {@code 1MB} (decimal), at least {@code min}. */
    public long bytes(String key, long def, long min) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        Matcher m = SIZE.matcher(v.toLowerCase(Locale.ROOT).replace("_", ""));
        if (!m.matches()) {
            problem(key, "must be a size in bytes like 1048576, 512KiB or 5MiB, but was '" + v + "'");
            return def;
        }
        long factor = m.group(2) == null
                ? 1
                : switch (m.group(2)) {
                    case "kb" -> 1_000L;
                    case "kib" -> 1_024L;
                    case "mb" -> 1_000_000L;
                    case "mib" -> 1_048_576L;
                    case "gb" -> 1_000_000_000L;
                    case "gib" -> 1_073_741_824L;
                    default -> 1L;
                };
        try {
            long n = Math.multiplyExact(Long.parseLong(m.group(1)), factor);
            if (n < min) {
                problem(key, "must be at least " + min + " bytes, but was " + v);
                return def;
            }
            return n;
        } catch (ArithmeticException | NumberFormatException e) {
            problem(key, "is too large: " + v);
            return def;
        }
    }

    /** One of {@code values} by its lower-case key ({@code dead-letter} matches {@code DEAD_LETTER}). */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E def, Function<E, String> keyOf) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        for (E e : type.getEnumConstants()) {
            if (keyOf.apply(e).equalsIgnoreCase(v) || e.name().equalsIgnoreCase(v.replace('-', '_'))) {
                return e;
            }
        }
        problem(
                key,
                "must be one of "
                        + Arrays.stream(type.getEnumConstants()).map(keyOf).toList() + ", but was '" + v + "'");
        return def;
    }

    /** Adds a problem when {@code table} is not a valid {@code TABLE} or {@code SCHEMA.TABLE} name. */
    public static void checkTable(Values v, String key, String table) {
        try {
            io.flowguard.bronze.api.TableRouter.requireValidTableName(table);
        } catch (IllegalArgumentException e) {
            v.problem(key, e.getMessage());
        }
    }

    /** The entries below a prefix key ({@code bronze.kafka.*}), with the prefix cut off and values trimmed. */
    public static Map<String, String> below(Map<String, String> raw, String prefixKey) {
        String prefix = prefixKey.substring(0, prefixKey.length() - 1);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        raw.forEach((k, val) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                out.put(k.substring(prefix.length()), val.trim());
            }
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The key in {@code candidates} closest to {@code key} (edit distance at most a third of its length), or null. */
    public static String closest(String key, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(key, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
