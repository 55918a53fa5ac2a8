package io.flowguard.bronze.cli;

import io.flowguard.bronze.core.Secrets;
import io.flowguard.bronze.snowflake.SnowflakeConnectionConfig;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code jdbc:snowflake://HOST[:PORT]/?k=v&...} URL taken apart into a {@link SnowflakeConnectionConfig}: the account
 * ({@code account=}, else the host's first label, as the driver does), TLS ({@code ssl=off} only for emulators), role,
 * warehouse, database and schema from their parameters, the user and one credential from the settings, and every other
 * parameter passed to the driver as a property.
 */
final class SnowflakeUrl {
    static final String PREFIX = "jdbc:snowflake://";
    /** Driver properties the CLI sets unless the URL does: skip the cloud-metadata probes (a second per login). */
    static final Map<String, String> DEFAULT_PROPERTIES = Map.of("disablePlatformDetection", "true");

    private final String host;
    private final int port;
    private final Map<String, String> params;

    private SnowflakeUrl(String host, int port, Map<String, String> params) {
        this.host = host;
        this.port = port;
        this.params = params;
    }

    static boolean matches(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("jdbc:snowflake:");
    }

    /** Parses {@code url}; a malformed one is a usage error naming the expected form. */
    static SnowflakeUrl parse(String url) {
        if (!url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw malformed(url, "it must start with " + PREFIX);
        }
        String rest = url.substring(PREFIX.length());
        int q = rest.indexOf('?');
        String authority = q < 0 ? rest : rest.substring(0, q);
        if (authority.endsWith("/")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        if (authority.isEmpty() || authority.contains("/") || authority.contains("@")) {
            throw malformed(url, "the host is missing or has a path");
        }
        String host = authority;
        int port = -1;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw malformed(url, "the port is not a number");
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(key, value);
            }
        }
        return new SnowflakeUrl(host, port, params);
    }

    private static CliException malformed(String url, String why) {
        return CliException.usage("malformed Snowflake URL '" + Secrets.maskUrl(url) + "': " + why + "; use "
                + "jdbc:snowflake://ACCOUNT.snowflakecomputing.com/?db=DB&schema=SCHEMA&warehouse=WH");
    }

    /** A URL parameter, matched ignoring case; null when absent. */
    String param(String name) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().isBlank() ? null : e.getValue();
            }
        }
        return null;
    }

    /**
     * The schema the URL's {@code schema=} names as Snowflake resolves it: upper-cased unless double-quoted; null when
     * absent.
     */
    String schema() {
        return identifier(param("schema"));
    }

    private static String identifier(String name) {
        if (name == null) {
            return null;
        }
        return name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")
                ? name.substring(1, name.length() - 1)
                : name.toUpperCase(Locale.ROOT);
    }

    /**
     * The connection config of {@code settings}: user from {@code --jdbc-user} (or the URL's {@code user=}), exactly one of
     * password, private key file and private key text.
     */
    SnowflakeConnectionConfig config(Settings settings) {
        List<String> problems = new ArrayList<>();
        String account = param("account");
        if (account == null) {
            int dot = host.indexOf('.');
            if (dot > 0 && !Character.isDigit(host.charAt(0))) {
                account = host.substring(0, dot);
            } else {
                problems.add(
                        "no account: use a host like ACCOUNT.snowflakecomputing.com or add account=ACCOUNT to the URL");
            }
        }
        String user = settings.jdbcUser() != null ? settings.jdbcUser() : param("user");
        if (user == null) {
            problems.add("no user: pass --jdbc-user, set BRONZE_JDBC_USER, or put jdbc.user in the --config file");
        }
        String password = settings.jdbcPassword() != null ? settings.jdbcPassword() : param("password");
        Settings.SnowflakeKey key = settings.snowflakeKey();
        int credentials = (password != null ? 1 : 0) + (key.file() != null ? 1 : 0) + (key.pem() != null ? 1 : 0);
        if (credentials == 0) {
            problems.add(
                    "no credential: set BRONZE_JDBC_PASSWORD (or --jdbc-password), or use key-pair authentication with "
                            + "--private-key-file / BRONZE_SNOWFLAKE_PRIVATE_KEY_FILE (or the PEM in BRONZE_SNOWFLAKE_PRIVATE_KEY)");
        } else if (credentials > 1) {
            problems.add(
                    "give one credential, but " + credentials + " were set (password, private key file, private key "
                            + "text): unset BRONZE_JDBC_PASSWORD when using a private key");
        }
        if (key.file() != null && !Files.isReadable(key.file())) {
            problems.add("cannot read the private key file " + key.file() + " (--private-key-file or "
                    + "BRONZE_SNOWFLAKE_PRIVATE_KEY_FILE)");
        }
        if (param("authenticator") != null) {
            problems.add(
                    "authenticator= in the URL is not supported by the CLI: authenticate with a password or a private key");
        }
        if (params.keySet().stream()
                .anyMatch(k ->
                        k.toLowerCase(Locale.ROOT).startsWith("private_key") || k.equalsIgnoreCase("privateKey"))) {
            problems.add(
                    "keep private keys out of the URL: use --private-key-file / BRONZE_SNOWFLAKE_PRIVATE_KEY_FILE and "
                            + "BRONZE_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE");
        }
        if (!problems.isEmpty()) {
            throw CliException.usage("cannot connect to Snowflake: " + String.join("; ", problems));
        }
        SnowflakeConnectionConfig.Builder b =
                SnowflakeConnectionConfig.builder().account(account).host(host).user(user);
        if (port > 0) {
            b.port(port);
        }
        String ssl = param("ssl");
        if (ssl != null && (ssl.equalsIgnoreCase("off") || ssl.equalsIgnoreCase("false"))) {
            b.ssl(false);
        }
        try {
            if (password != null) {
                b.password(password);
            } else if (key.pem() != null) {
                b.privateKey(key.pem(), key.passphrase());
            } else {
                b.privateKeyFile(key.file(), key.passphrase());
            }
        } catch (IllegalArgumentException e) {
            // The builder's message names the problem, never the key.
            throw CliException.usage("cannot use the private key in BRONZE_SNOWFLAKE_PRIVATE_KEY: " + e.getMessage());
        }
        b.role(param("role"))
                .warehouse(param("warehouse"))
                .database(param("db"))
                .schema(param("schema"));
        String loginTimeout = param("loginTimeout");
        b.loginTimeout(
                loginTimeout != null
                        ? Duration.ofSeconds(parseSeconds(loginTimeout))
                        : atLeastOneSecond(settings.timeout()));
        Map<String, String> properties = new LinkedHashMap<>(DEFAULT_PROPERTIES);
        for (Map.Entry<String, String> e : params.entrySet()) {
            String k = e.getKey().toLowerCase(Locale.ROOT);
            boolean handled = List.of(
                            "account", "ssl", "user", "password", "role", "warehouse", "db", "schema", "logintimeout")
                    .contains(k);
            if (!handled) {
                properties.keySet().removeIf(existing -> existing.equalsIgnoreCase(e.getKey()));
                properties.put(e.getKey(), e.getValue());
            }
        }
        properties.forEach(b::property);
        return b.build();
    }

    private static long parseSeconds(String text) {
        try {
            return Math.max(1, Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw CliException.usage("loginTimeout in the Snowflake URL must be whole seconds, but was '" + text + "'");
        }
    }

    private static Duration atLeastOneSecond(Duration d) {
        return d.toSeconds() < 1 ? Duration.ofSeconds(1) : d;
    }
}
