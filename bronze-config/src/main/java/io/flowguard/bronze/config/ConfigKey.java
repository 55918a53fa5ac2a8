package io.flowguard.bronze.config;

import io.flowguard.bronze.core.Secrets;
import java.util.Objects;

/**
 * One {@code bronze.*} key of the configuration vocabulary: its name, default, unit and meaning, as listed in
 * {@code docs/configuration.md}. A key whose name ends in {@code .*} is a prefix ({@code bronze.kafka.*},
 * {@code bronze.tables.*}): any key below it is accepted.
 *
 * @param name         the full key, e.g. {@code bronze.batch.max-records}, or a prefix ending in {@code .*}
 * @param defaultValue the default as written in a properties file, or {@code null} when there is none
 * @param unit         the unit or the allowed values, for the reference table
 * @param meaning      one sentence for the reference table
 * @since 0.2.0
 */
public record ConfigKey(String name, String defaultValue, String unit, String meaning) {
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(meaning, "meaning");
    }

    /** Whether this is a prefix key ({@code bronze.kafka.*}). */
    public boolean isPrefix() {
        return name.endsWith(".*");
    }

    /** The prefix without the {@code *}, e.g. {@code bronze.kafka.}; the name itself for a plain key. */
    public String prefix() {
        return isPrefix() ? name.substring(0, name.length() - 1) : name;
    }

    /** Whether {@code key} is this key, or lies below this prefix. */
    public boolean matches(String key) {
        return isPrefix() ? key.startsWith(prefix()) && key.length() > prefix().length() : key.equals(name);
    }

    /** Whether values of this key are secrets (by {@link Secrets#isSecretKey}). */
    public boolean secret() {
        return !isPrefix() && Secrets.isSecretKey(name);
    }

    /**
     * The environment variable that sets this key: upper case, {@code .} and {@code -} as {@code _}
     * ({@code bronze.batch.max-records} → {@code BRONZE_BATCH_MAX_RECORDS}); for a prefix, the variable prefix.
     */
    public String environmentVariable() {
        return prefix().toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
