package io.flowguard.bronze.spring.boot;

import io.flowguard.bronze.config.BronzeKeys;
import io.flowguard.bronze.config.ConfigKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Flattens the application's {@code bronze.*} properties ({@code application.properties}, YAML, command line, system
 * properties, environment variables) into the flat key map that {@code BronzeConfig} reads: the same vocabulary as the
 * CLI, {@code bronze ingest} and the Kafka Connect connector, so nothing is renamed for Spring.
 *
 * <p>Keys are taken as written (table and column names keep their case); a YAML list ({@code bronze.topics: [a, b]})
 * becomes a comma-separated value; every documented key is also looked up through Spring's relaxed binding, so
 * {@code BRONZE_WAREHOUSE_PASSWORD} in the environment sets {@code bronze.warehouse.password}. Values follow Spring's
 * precedence and placeholders are resolved.
 *
 * @since 0.2.0
 */
public final class BronzeProperties {
    private static final Pattern INDEXED = Pattern.compile("^(.*)\\[(\\d+)]$");

    private BronzeProperties() {}

    /** The {@code bronze.*} entries of {@code environment}, in key order. */
    public static Map<String, String> flatten(Environment environment) {
        Set<String> names = new LinkedHashSet<>();
        if (environment instanceof ConfigurableEnvironment ce) {
            for (PropertySource<?> source : ce.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> e) {
                    for (String name : e.getPropertyNames()) {
                        if (name.startsWith("bronze.")) {
                            names.add(name);
                        }
                    }
                }
            }
        }
        for (ConfigKey key : BronzeKeys.all()) {
            if (!key.isPrefix()) {
                names.add(key.name());
            }
        }
        Map<String, String> out = new TreeMap<>();
        Map<String, TreeMap<Integer, String>> lists = new TreeMap<>();
        for (String name : names) {
            String value = environment.getProperty(name);
            if (value == null) {
                continue;
            }
            Matcher m = INDEXED.matcher(name);
            if (m.matches()) {
                lists.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), value);
            } else {
                out.put(name, value);
            }
        }
        lists.forEach((key, items) -> out.putIfAbsent(key, String.join(",", new ArrayList<>(items.values()))));
        return out;
    }

    /** Keys of {@code properties} (for messages; never the values, which may be secrets). */
    static List<String> keys(Map<String, String> properties) {
        return List.copyOf(properties.keySet());
    }
}
