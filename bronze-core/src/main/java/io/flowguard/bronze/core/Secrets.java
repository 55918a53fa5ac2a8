package io.flowguard.bronze.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Masks secret values (passwords, private keys, JAAS configs, tokens) in property maps before they reach a log line or
 * a {@code toString}.
 *
 * @since 0.1.0
 */
public final class Secrets {
    /** What a masked value reads as. */
    public static final String MASK = "******";

    private Secrets() {
    }

    /** {@code true} when a property of this name holds a secret. */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("private")
                || k.contains("token") || k.contains("passphrase") || k.endsWith(".key") || k.contains("credential");
    }

    /** A copy of {@code properties} with every secret value replaced by {@link #MASK}. */
    public static Map<String, Object> mask(Map<String, ?> properties) {
        Map<String, Object> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, isSecretKey(k) && v != null ? MASK : v));
        return out;
    }
}
