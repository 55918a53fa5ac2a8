package io.flowguard.bronze.snowflake;

// Size note: over 400 lines because an immutable config with its builder; most lines are the documented setters for
// each authentication form and their validation, which belong together.

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * How to connect to Snowflake: account, user, one credential (key pair, programmatic access token, OAuth token, workload
 * identity or password), the {@link SnowflakeSessionParameters session parameters} pinned at login, and optionally
 * role, warehouse, database, schema and extra driver properties.
 *
 * <pre>{@code
 * SnowflakeConnectionConfig config = SnowflakeConnectionConfig.builder()
 *         .account("xy12345.eu-central-1").user("BRONZE_LOADER")
 *         .privateKey(pemText, passphrase)                    // or .password(...) or .privateKeyFile(path, passphrase)
 *         .role("BRONZE_WRITER").warehouse("LOAD_WH").database("RAW").schema("BRONZE")
 *         .build();
 * DataSource dataSource = SnowflakeDataSource.of(config);
 * }</pre>
 *
 * <p><b>Authentication</b> (snowflake-jdbc 4.x property names):
 * <ul>
 * <li>{@link Builder#privateKey(String, String) privateKey} / {@link Builder#privateKeyFile(Path, String) privateKeyFile}:
 * {@code authenticator=SNOWFLAKE_JWT} with {@code private_key_base64} (Base64 of the PEM text) or
 * {@code private_key_file}, and {@code private_key_pwd} for an encrypted key (for files too: the driver deprecated
 * {@code private_key_file_pwd}). An encrypted key without a passphrase is rejected by {@link Builder#build()} (the
 * driver would throw a NullPointerException at login). The recommended choice for a service user
 * ({@code TYPE=SERVICE}).</li>
 * <li>{@link Builder#programmaticAccessToken(String) programmaticAccessToken}:
 * {@code authenticator=PROGRAMMATIC_ACCESS_TOKEN}, {@code token}.</li>
 * <li>{@link Builder#oauthToken(String) oauthToken}: {@code authenticator=OAUTH}, {@code token} (an access token you
 * obtained and refresh yourself).</li>
 * <li>{@link Builder#workloadIdentity(String) workloadIdentity}: {@code authenticator=WORKLOAD_IDENTITY},
 * {@code workloadIdentityProvider} ({@code AWS}, {@code AZURE} or {@code GCP}).</li>
 * <li>{@link Builder#password(String) password}: {@code password}. Snowflake is removing single-factor passwords (service
 * users cannot use them); for development and emulators such as fakesnow.</li>
 * </ul>
 *
 * <p><b>Session.</b> {@link #toProperties()} starts from {@link SnowflakeSessionParameters#asMap()} (default
 * {@link SnowflakeSessionParameters#defaults()}), so every session is pinned at login with no extra round trip; an extra
 * {@link Builder#property property} with the same key (ignoring case) overrides a pinned value.
 *
 * <p><b>Secrets.</b> The password, token, private key and passphrase, and the value of every extra {@link Builder#property
 * property} whose key looks secret (contains {@code pass}, {@code pwd}, {@code token}, {@code secret}, {@code passcode},
 * {@code key} or {@code credential}, ignoring case: {@code proxyPassword}, {@code token}...), appear in no
 * {@link #toString()}, exception message or log line of this library; only {@link #toProperties()} returns them, for
 * the driver.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class SnowflakeConnectionConfig {
    /** Default of {@link Builder#loginTimeout(Duration)}: 60 s. */
    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(60);
    /** What secrets are replaced with in text: {@value}. */
    public static final String MASK = "******"; // the same mask as io.flowguard.bronze.core.Secrets

    /** Parts of a property key that mark its value as secret, matched in lower case anywhere in the key. */
    private static final List<String> SECRET_KEY_PARTS =
            List.of("pass", "pwd", "token", "secret", "passcode", "key", "credential");

    private static final Set<String> MANAGED = Set.of(
            "account",
            "user",
            "password",
            "authenticator",
            "privatekey",
            "private_key_base64",
            "private_key_pwd",
            "private_key_file",
            "private_key_file_pwd",
            "token",
            "workloadidentityprovider",
            "role",
            "warehouse",
            "db",
            "schema",
            "logintimeout");

    /** How {@link #authentication()} names each credential. */
    private static final String PASSWORD = "password",
            PRIVATE_KEY = "private-key",
            PRIVATE_KEY_FILE = "private-key-file",
            PAT = "programmatic-access-token",
            OAUTH = "oauth",
            WORKLOAD_IDENTITY = "workload-identity";

    private final String account;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String user;
    private final String password;
    private final String privateKeyPem;
    private final Path privateKeyFile;
    private final String privateKeyPassphrase;
    private final String token;
    private final String tokenAuthenticator;
    private final String workloadIdentityProvider;
    private final SnowflakeSessionParameters sessionParameters;
    private final String role;
    private final String warehouse;
    private final String database;
    private final String schema;
    private final Duration loginTimeout;
    private final Map<String, String> properties;

    private SnowflakeConnectionConfig(Builder b) {
        this.account = b.account;
        this.host = b.host != null ? b.host : b.account + ".snowflakecomputing.com";
        this.port = b.port;
        this.ssl = b.ssl;
        this.user = b.user;
        this.password = b.password;
        this.privateKeyPem = b.privateKeyPem;
        this.privateKeyFile = b.privateKeyFile;
        this.privateKeyPassphrase = b.privateKeyPassphrase;
        this.token = b.token;
        this.tokenAuthenticator = b.tokenAuthenticator;
        this.workloadIdentityProvider = b.workloadIdentityProvider;
        this.sessionParameters = b.sessionParameters;
        this.role = b.role;
        this.warehouse = b.warehouse;
        this.database = b.database;
        this.schema = b.schema;
        this.loginTimeout = b.loginTimeout;
        this.properties = Map.copyOf(b.properties);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String account() {
        return account;
    }

    public String user() {
        return user;
    }
    /**
     * {@code password}, {@code private-key}, {@code private-key-file}, {@code programmatic-access-token}, {@code oauth}
     * or {@code workload-identity}.
     */
    public String authentication() {
        if (password != null) {
            return PASSWORD;
        } else if (privateKeyPem != null) {
            return PRIVATE_KEY;
        } else if (privateKeyFile != null) {
            return PRIVATE_KEY_FILE;
        } else if (token != null) {
            return "OAUTH".equals(tokenAuthenticator) ? OAUTH : PAT;
        }
        return WORKLOAD_IDENTITY;
    }

    /** The session parameters pinned at login; default {@link SnowflakeSessionParameters#defaults()}. */
    public SnowflakeSessionParameters sessionParameters() {
        return sessionParameters;
    }

    /**
     * The client-side timeout the sink passes to {@code Statement.setQueryTimeout} as a second guard behind
     * {@code STATEMENT_TIMEOUT_IN_SECONDS}: {@link SnowflakeSessionParameters#queryTimeout()}. Every statement of a
     * session from {@link #toProperties()} gets it anyway through the driver property {@code queryTimeout}.
     */
    public Duration queryTimeout() {
        return sessionParameters.queryTimeout();
    }

    public String role() {
        return role;
    }

    public String warehouse() {
        return warehouse;
    }

    public String database() {
        return database;
    }

    public String schema() {
        return schema;
    }

    /** {@code jdbc:snowflake://<host>[:<port>]/}, plus {@code ?ssl=off} when TLS is off (emulators only). */
    public String jdbcUrl() {
        return "jdbc:snowflake://" + host + (port > 0 ? ":" + port : "") + '/' + (ssl ? "" : "?ssl=off");
    }

    /**
     * The driver properties, <b>including the credential</b>: pass them to the driver or a pool, never log them.
     *
     * @return a new, mutable copy
     */
    public Properties toProperties() {
        Properties p = new Properties();
        p.putAll(sessionParameters.asMap());
        for (Map.Entry<String, String> extra : properties.entrySet()) {
            // An extra property overrides a pinned one spelled in another case; the driver would send both.
            p.keySet().removeIf(k -> ((String) k).equalsIgnoreCase(extra.getKey()));
            p.setProperty(extra.getKey(), extra.getValue());
        }
        p.setProperty("account", account);
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        } else if (token != null) {
            p.setProperty("authenticator", tokenAuthenticator);
            p.setProperty("token", token);
        } else if (workloadIdentityProvider != null) {
            p.setProperty("authenticator", "WORKLOAD_IDENTITY");
            p.setProperty("workloadIdentityProvider", workloadIdentityProvider);
        } else {
            p.setProperty("authenticator", "SNOWFLAKE_JWT");
            if (privateKeyPem != null) {
                p.setProperty(
                        "private_key_base64",
                        Base64.getEncoder().encodeToString(privateKeyPem.getBytes(StandardCharsets.UTF_8)));
            } else {
                p.setProperty("private_key_file", privateKeyFile.toString());
            }
            if (privateKeyPassphrase != null) {
                p.setProperty(
                        "private_key_pwd", privateKeyPassphrase); // for files too: private_key_file_pwd is deprecated
            }
        }
        setIfPresent(p, "role", role);
        setIfPresent(p, "warehouse", warehouse);
        setIfPresent(p, "db", database);
        setIfPresent(p, "schema", schema);
        p.setProperty("loginTimeout", Long.toString(Math.max(1, loginTimeout.toSeconds())));
        return p;
    }

    private static void setIfPresent(Properties p, String key, String value) {
        if (value != null) {
            p.setProperty(key, value);
        }
    }

    /**
     * {@code text} with every secret of this config (and the private key's Base64 form) replaced by {@value #MASK}; null
     * stays null. Secret extra properties count unless their value is shorter than four characters or a boolean.
     */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets()) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    private List<String> secrets() {
        List<String> out = new ArrayList<>();
        for (String s : new String[] {password, privateKeyPassphrase, privateKeyPem, token}) {
            if (s != null && !s.isEmpty()) {
                out.add(s);
            }
        }
        if (privateKeyPem != null) {
            out.add(Base64.getEncoder().encodeToString(privateKeyPem.getBytes(StandardCharsets.UTF_8)));
            // The key body without armour or line breaks, as a driver might print it.
            out.add(privateKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        }
        for (Map.Entry<String, String> p : properties.entrySet()) {
            String value = p.getValue();
            // Values too short or too common to be a secret would garble unrelated text; toString() masks them anyway.
            if (isSecretProperty(p.getKey())
                    && value.length() >= 4
                    && !value.equalsIgnoreCase("true")
                    && !value.equalsIgnoreCase("false")) {
                out.add(value);
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    /**
     * Whether an extra property's value is treated as a secret: its key contains (ignoring case) {@code pass},
     * {@code pwd}, {@code token}, {@code secret}, {@code passcode}, {@code key} or {@code credential}, e.g.
     * {@code proxyPassword}, {@code token}, {@code oauthClientSecret}.
     */
    static boolean isSecretProperty(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String part : SECRET_KEY_PARTS) {
            if (lower.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** The extra properties with the values of {@link #isSecretProperty secret keys} shown as {@value #MASK}. */
    private Map<String, String> maskedProperties() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<String, String> p : properties.entrySet()) {
            out.put(p.getKey(), isSecretProperty(p.getKey()) ? MASK : p.getValue());
        }
        return out;
    }

    /** Every setting with secrets shown as {@value #MASK}. */
    @Override
    public String toString() {
        return "SnowflakeConnectionConfig{url=" + jdbcUrl() + ", account=" + account + ", user=" + user
                + ", authentication=" + authentication() + ", password=" + (password == null ? "null" : MASK)
                + ", privateKey=" + (privateKeyPem == null ? "null" : MASK)
                + ", privateKeyFile=" + privateKeyFile
                + ", privateKeyPassphrase=" + (privateKeyPassphrase == null ? "null" : MASK)
                + ", token=" + (token == null ? "null" : MASK)
                + (workloadIdentityProvider == null ? "" : ", workloadIdentityProvider=" + workloadIdentityProvider)
                + ", role=" + role + ", warehouse=" + warehouse + ", database=" + database + ", schema=" + schema
                + ", loginTimeout=" + loginTimeout + ", sessionParameters=" + sessionParameters.asMap()
                + ", properties=" + maskedProperties() + '}';
    }

    /** Builds a {@link SnowflakeConnectionConfig}; not thread-safe. {@link #build()} reports every problem at once. */
    public static final class Builder {
        private String account;
        private String host;
        private int port = -1;
        private boolean ssl = true;
        private String user;
        private String password;
        private String privateKeyPem;
        private Path privateKeyFile;
        private String privateKeyPassphrase;
        private String token;
        private String tokenAuthenticator;
        private String workloadIdentityProvider;
        private SnowflakeSessionParameters sessionParameters = SnowflakeSessionParameters.defaults();
        private String role;
        private String warehouse;
        private String database;
        private String schema;
        private Duration loginTimeout = DEFAULT_LOGIN_TIMEOUT;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {}

        /** The account identifier, e.g. {@code myorg-myaccount} or {@code xy12345.eu-central-1}; required. */
        public Builder account(String v) {
            this.account = nonBlank(v, "account");
            return this;
        }

        /** The host; default {@code <account>.snowflakecomputing.com}. */
        public Builder host(String v) {
            this.host = nonBlank(v, "host");
            return this;
        }

        /** The port; default none (443 with TLS). */
        public Builder port(int v) {
            if (v < 1 || v > 65_535) {
                throw new IllegalArgumentException("port must be between 1 and 65535, but was " + v);
            }
            this.port = v;
            return this;
        }

        /** Whether to use TLS; default {@code true}. Only emulators such as fakesnow run without it. */
        public Builder ssl(boolean v) {
            this.ssl = v;
            return this;
        }

        /** The login name; required. */
        public Builder user(String v) {
            this.user = nonBlank(v, "user");
            return this;
        }

        /**
         * Password authentication: for development and emulators. Snowflake is removing single-factor passwords
         * (service users cannot use them at all); use a key pair or a token in production.
         */
        public Builder password(String v) {
            this.password = Objects.requireNonNull(v, "password must not be null");
            return this;
        }

        /**
         * Key-pair authentication with a PEM key ({@code -----BEGIN PRIVATE KEY-----},
         * {@code -----BEGIN ENCRYPTED PRIVATE KEY-----} or PKCS#1 {@code -----BEGIN RSA PRIVATE KEY-----}).
         *
         * @param passphrase the key's passphrase, or {@code null} for an unencrypted key ({@link #build()} rejects an
         *                   encrypted key without one)
         */
        public Builder privateKey(String pem, String passphrase) {
            if (pem == null || !pem.contains("-----BEGIN") || !pem.contains("PRIVATE KEY-----")) {
                throw new IllegalArgumentException(
                        "privateKey must be PEM text starting with '-----BEGIN PRIVATE KEY-----' "
                                + "or '-----BEGIN ENCRYPTED PRIVATE KEY-----', but was "
                                + (pem == null ? "null" : "text of " + pem.length() + " characters (not shown)"));
            }
            this.privateKeyPem = pem;
            this.privateKeyPassphrase = passphrase;
            return this;
        }

        /**
         * Key-pair authentication with a PEM key file, read by the driver at each login; {@code passphrase} may be null
         * for an unencrypted key. {@link #build()} reads the file's first lines to reject a missing file and an
         * encrypted key without a passphrase.
         */
        public Builder privateKeyFile(Path file, String passphrase) {
            this.privateKeyFile = Objects.requireNonNull(file, "privateKeyFile must not be null");
            this.privateKeyPassphrase = passphrase;
            return this;
        }

        /**
         * Programmatic access token authentication ({@code authenticator=PROGRAMMATIC_ACCESS_TOKEN}, {@code token}).
         * The token expires (at most a year); rotation means a new config.
         *
         * @since 0.2.0
         */
        public Builder programmaticAccessToken(String v) {
            this.token = nonBlank(v, "programmaticAccessToken");
            this.tokenAuthenticator = "PROGRAMMATIC_ACCESS_TOKEN";
            return this;
        }

        /**
         * OAuth authentication with an access token you obtained ({@code authenticator=OAUTH}, {@code token}). Access
         * tokens are short-lived: build a new config (and data source) when you refresh it.
         *
         * @since 0.2.0
         */
        public Builder oauthToken(String v) {
            this.token = nonBlank(v, "oauthToken");
            this.tokenAuthenticator = "OAUTH";
            return this;
        }

        /**
         * Workload identity federation ({@code authenticator=WORKLOAD_IDENTITY}): the driver obtains the attestation
         * from the cloud the JVM runs on.
         *
         * @param provider {@code AWS}, {@code AZURE} or {@code GCP} (OIDC needs a token, which this config does not
         *                 take yet)
         * @since 0.2.0
         */
        public Builder workloadIdentity(String provider) {
            String p = nonBlank(provider, "workloadIdentity provider").toUpperCase(Locale.ROOT);
            if (!Set.of("AWS", "AZURE", "GCP").contains(p)) {
                throw new IllegalArgumentException(
                        "workloadIdentity provider must be AWS, AZURE or GCP, but was '" + provider + "'");
            }
            this.workloadIdentityProvider = p;
            return this;
        }

        /**
         * The session parameters pinned at login; default {@link SnowflakeSessionParameters#defaults()}. Change
         * timeouts or the query tag with {@code SnowflakeSessionParameters.builder()}.
         *
         * @since 0.2.0
         */
        public Builder sessionParameters(SnowflakeSessionParameters v) {
            this.sessionParameters = Objects.requireNonNull(v, "sessionParameters must not be null");
            return this;
        }

        public Builder role(String v) {
            this.role = v;
            return this;
        }

        public Builder warehouse(String v) {
            this.warehouse = v;
            return this;
        }

        public Builder database(String v) {
            this.database = v;
            return this;
        }

        public Builder schema(String v) {
            this.schema = v;
            return this;
        }

        /** How long a login may take; default {@link #DEFAULT_LOGIN_TIMEOUT}, whole seconds. */
        public Builder loginTimeout(Duration v) {
            if (v == null || v.toSeconds() < 1) {
                throw new IllegalArgumentException("loginTimeout must be at least 1 s, but was " + v);
            }
            this.loginTimeout = v;
            return this;
        }

        /**
         * An extra driver property, e.g. {@code ("disablePlatformDetection", "true")}. Credentials and the settings
         * above have their own methods and are rejected here. The value of a key that looks secret (see the class
         * comment, e.g. {@code proxyPassword} or {@code token}) is masked in {@code toString()} and messages.
         */
        public Builder property(String key, String value) {
            nonBlank(key, "property key");
            if (MANAGED.contains(key.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("property '" + key + "' is set through its own builder method");
            }
            properties.put(key, Objects.requireNonNull(value, "value of property " + key + " must not be null"));
            return this;
        }

        private void checkKeyFile(List<String> problems) {
            String head;
            try (java.io.BufferedReader r =
                    java.nio.file.Files.newBufferedReader(privateKeyFile, StandardCharsets.US_ASCII)) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 3; i++) { // the armour line, and the Proc-Type header of an encrypted PKCS#1 key
                    String line = r.readLine();
                    if (line != null) {
                        sb.append(line).append('\n');
                    }
                }
                head = sb.toString();
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                problems.add("privateKeyFile " + privateKeyFile + " cannot be read ("
                        + e.getClass().getSimpleName() + "): check the path and the file's permissions");
                return;
            }
            if (!head.contains("-----BEGIN") || !head.contains("PRIVATE KEY-----")) {
                problems.add("privateKeyFile " + privateKeyFile + " is not a PEM private key (it must start with "
                        + "'-----BEGIN PRIVATE KEY-----' or '-----BEGIN ENCRYPTED PRIVATE KEY-----')");
            } else if (privateKeyPassphrase == null && isEncrypted(head)) {
                problems.add(
                        "privateKeyFile " + privateKeyFile + " holds an encrypted key but no passphrase was given: "
                                + "pass it as privateKeyFile(path, passphrase)");
            }
        }

        /** PKCS#8 {@code ENCRYPTED PRIVATE KEY}, or a PKCS#1 key with an OpenSSL {@code Proc-Type: 4,ENCRYPTED} header. */
        private static boolean isEncrypted(String pem) {
            return pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED");
        }

        private static String nonBlank(String v, String name) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(name + " must be non-blank, but was '" + v + "'");
            }
            return v;
        }

        /** @throws IllegalArgumentException listing every missing or conflicting setting */
        public SnowflakeConnectionConfig build() {
            List<String> problems = new ArrayList<>();
            if (account == null) {
                problems.add("account is required");
            }
            if (user == null) {
                problems.add("user is required");
            }
            int credentials = (password != null ? 1 : 0)
                    + (privateKeyPem != null ? 1 : 0)
                    + (privateKeyFile != null ? 1 : 0)
                    + (token != null ? 1 : 0)
                    + (workloadIdentityProvider != null ? 1 : 0);
            if (credentials != 1) {
                problems.add("exactly one of privateKey, privateKeyFile, programmaticAccessToken, oauthToken, "
                        + "workloadIdentity and password is required, but " + credentials + " were set");
            }
            if (privateKeyPem != null && privateKeyPassphrase == null && isEncrypted(privateKeyPem)) {
                problems.add("privateKey is an encrypted PEM key but no passphrase was given: pass it as "
                        + "privateKey(pem, passphrase), or give an unencrypted PKCS#8 key");
            }
            if (privateKeyFile != null) {
                checkKeyFile(problems);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(
                        "invalid Snowflake connection config: " + String.join("; ", problems));
            }
            return new SnowflakeConnectionConfig(this);
        }
    }
}
