package io.flowguard.bronze.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one rule of FlowGuard Bronze for what is a secret (passwords, private keys, JAAS configs, tokens) and how it is
 * masked before it reaches a log line, a {@code toString} or a CLI's output. The engine config, the {@code bronze.*}
 * configuration model and the CLI all use it.
 *
 * @since 0.1.0
 */
public final class Secrets {
    /** What a masked value reads as. */
    public static final String MASK = "******";

    private static final Pattern URL_SECRET =
            Pattern.compile("(?i)((?:password|passwd|pwd|private_key\\w*|privatekey\\w*|token|secret)=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    private Secrets() {}

    /** {@code true} when a property of this name holds a secret. */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("secret")
                || k.contains("jaas")
                || k.contains("private")
                || k.contains("token")
                || k.contains("passphrase")
                || k.endsWith(".key")
                || k.endsWith("-key")
                || k.contains("credential")
                || k.contains("apikey")
                || k.contains("api-key");
    }

    /** A copy of {@code properties} with every secret value replaced by {@link #MASK}. */
    public static Map<String, Object> mask(Map<String, ?> properties) {
        Map<String, Object> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, isSecretKey(k) && v != null ? MASK : v));
        return out;
    }

    /**
     * A JDBC URL with password, token and private-key parameters and user-info passwords replaced by {@link #MASK};
     * {@code null} stays {@code null}.
     *
     * @since 0.2.0
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = URL_SECRET.matcher(url).replaceAll("$1" + MASK);
        return USERINFO.matcher(masked).replaceAll("$1" + MASK + "@");
    }

    /**
     * {@code text} with every occurrence of each non-empty {@code secret} replaced by {@link #MASK}: for messages of
     * drivers that echo what they were given. Null secrets are ignored; {@code null} text stays {@code null}.
     *
     * @since 0.2.0
     */
    public static String scrub(String text, String... secrets) {
        String out = text;
        for (String secret : secrets) {
            if (out != null && secret != null && !secret.isEmpty()) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }
}
