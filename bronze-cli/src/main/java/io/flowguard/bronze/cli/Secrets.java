package io.flowguard.bronze.cli;

import java.util.Locale;
import java.util.regex.Pattern;

/** Masks passwords and keys in anything the CLI prints. */
final class Secrets {
    static final String MASK = "****";
    private static final Pattern URL_SECRET = Pattern.compile("(?i)((?:password|passwd|pwd|private_key\\w*|token)=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    private Secrets() {
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("sasl.jaas.config") || k.contains("key")
                && !k.contains("keystore.type") && !k.contains("key.serializer") && !k.contains("key.deserializer");
    }

    /** A JDBC URL with password parameters and user-info passwords replaced by {@value #MASK}. */
    static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = URL_SECRET.matcher(url).replaceAll("$1" + MASK);
        return USERINFO.matcher(masked).replaceAll("$1" + MASK + "@");
    }

    /** {@code text} with every occurrence of {@code secret} replaced, for error messages from drivers. */
    static String scrub(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, MASK);
    }
}
