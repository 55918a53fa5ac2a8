package io.flowguard.bronze.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Maps a Kafka topic to the Bronze table its records land in.
 *
 * <p>The default, {@link #fromTopicName()}, upper-cases the topic, replaces every character that is not a letter, digit
 * or underscore with {@code _}, and appends {@code _RAW}: {@code orders} → {@code ORDERS_RAW}, {@code web.clicks-v2} →
 * {@code WEB_CLICKS_V2_RAW}. Table names are plain identifiers ({@code [A-Za-z_][A-Za-z0-9_$]*}), optionally qualified
 * by one schema ({@code BRONZE.ORDERS_RAW}); sinks quote them.
 *
 * <p>Implementations must be thread-safe and return the same table for the same topic.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TableRouter {

    /** The (unquoted) table name for a topic; never null. */
    String tableFor(String topic);

    /** The default naming: {@code orders} → {@code ORDERS_RAW}. */
    static TableRouter fromTopicName() {
        return topic -> {
            String base = topic.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
            if (!base.isEmpty() && Character.isDigit(base.charAt(0))) {
                base = "T_" + base;
            }
            return base + "_RAW";
        };
    }

    /**
     * An explicit topic → table map; topics not in the map use {@link #fromTopicName()}.
     *
     * @throws IllegalArgumentException naming the first invalid table name
     */
    static TableRouter explicit(Map<String, String> topicToTable) {
        Objects.requireNonNull(topicToTable, "topicToTable");
        Map<String, String> copy = new LinkedHashMap<>();
        topicToTable.forEach((topic, table) -> copy.put(topic, requireValidTableName(table)));
        TableRouter fallback = fromTopicName();
        return topic -> {
            String t = copy.get(topic);
            return t != null ? t : fallback.tableFor(topic);
        };
    }

    /**
     * Checks that {@code name} is a plain identifier or {@code SCHEMA.TABLE}.
     *
     * @return the name, unchanged
     * @throws IllegalArgumentException when it is not
     */
    static String requireValidTableName(String name) {
        if (name == null || !Names.TABLE.matcher(name).matches() || name.length() > 255) {
            throw new IllegalArgumentException(
                    "table name must match [A-Za-z_][A-Za-z0-9_$]* (optionally SCHEMA.TABLE, "
                            + "at most 255 characters), but was '" + name + "'");
        }
        return name;
    }

    /** Patterns shared by the routing helpers. */
    final class Names {
        static final Pattern TABLE = Pattern.compile("([A-Za-z_][A-Za-z0-9_$]*\\.)?[A-Za-z_][A-Za-z0-9_$]*");

        private Names() {}
    }
}
