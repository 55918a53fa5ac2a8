package io.flowguard.bronze.config;

import static io.flowguard.bronze.config.BronzeKeys.*;

import io.flowguard.bronze.config.internal.Values;
import io.flowguard.bronze.core.Secrets;
import io.flowguard.bronze.jdbc.BronzeTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code bronze.warehouse.*} settings. {@link #toString()} masks the password, key and passphrase. Immutable.
 *
 * @since 0.2.0
 */
public final class WarehouseSettings {
    private final WarehouseType type;
    private final String url;
    private final String user;
    private final String password;
    private final String schema;
    private final boolean createTables;
    private final boolean ledger;
    private final String ledgerTable;
    private final String account;
    private final String host;
    private final Integer port;
    private final boolean ssl;
    private final String database;
    private final String role;
    private final String computeWarehouse;
    private final String privateKey;
    private final Path privateKeyFile;
    private final String privateKeyPassphrase;
    private final Map<String, String> driverProperties;
    private final String jsonType;

    WarehouseSettings(Values v) {
        url = v.text(WAREHOUSE_URL);
        WarehouseType t = v.choice(WAREHOUSE_TYPE, WarehouseType.class, null, WarehouseType::key);
        if (t == null && v.text(WAREHOUSE_TYPE) == null) {
            t = fromUrl(url);
            if (t == null) {
                v.problem(
                        WAREHOUSE_TYPE,
                        "is required: one of postgres, duckdb, snowflake (or give " + WAREHOUSE_URL
                                + "=jdbc:postgresql://... or jdbc:duckdb:...)");
            }
        }
        type = t;
        user = v.text(WAREHOUSE_USER);
        password = v.text(WAREHOUSE_PASSWORD);
        schema = v.text(WAREHOUSE_SCHEMA);
        createTables = v.bool(WAREHOUSE_CREATE_TABLES, true);
        ledger = v.bool(WAREHOUSE_LEDGER, true);
        ledgerTable = v.text(WAREHOUSE_LEDGER_TABLE, BronzeTables.DEFAULT_INGESTION_LEDGER_TABLE);
        account = v.text(WAREHOUSE_ACCOUNT);
        host = v.text(WAREHOUSE_HOST);
        int p = v.intAtLeast(WAREHOUSE_PORT, 0, 1);
        port = v.text(WAREHOUSE_PORT) == null || p == 0 ? null : p;
        ssl = v.bool(WAREHOUSE_SSL, true);
        database = v.text(WAREHOUSE_DATABASE);
        role = v.text(WAREHOUSE_ROLE);
        computeWarehouse = v.text(WAREHOUSE_COMPUTE);
        String pem = v.text(WAREHOUSE_PRIVATE_KEY);
        privateKey = pem != null && pem.indexOf('\n') < 0 ? pem.replace("\\n", "\n") : pem;
        String file = v.text(WAREHOUSE_PRIVATE_KEY_FILE);
        privateKeyFile = file == null ? null : Path.of(file);
        privateKeyPassphrase = v.text(WAREHOUSE_PRIVATE_KEY_PASSPHRASE);
        driverProperties = Values.below(v.rawView(), WAREHOUSE_DRIVER);
        String json = v.text(WAREHOUSE_JSON_TYPE);
        jsonType = json == null ? "jsonb" : json.trim().toLowerCase(Locale.ROOT);
        if (!jsonType.equals("jsonb") && !jsonType.equals("json")) {
            v.problem(WAREHOUSE_JSON_TYPE, "must be jsonb or json, but was '" + json + "'");
        } else if (json != null && type != null && type != WarehouseType.POSTGRES) {
            v.problem(
                    WAREHOUSE_JSON_TYPE,
                    "is only for " + WAREHOUSE_TYPE + "=postgres, but the type is " + type.key() + "; remove it");
        }
        if (type == WarehouseType.DUCKDB && !driverProperties.isEmpty()) {
            v.problem(
                    "bronze.warehouse.driver."
                            + driverProperties.keySet().iterator().next(),
                    "is not used for duckdb: " + "put DuckDB options in " + WAREHOUSE_URL
                            + " (jdbc:duckdb:/path/bronze.db?threads=4)");
        }
        if (schema != null && !schema.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
            v.problem(
                    WAREHOUSE_SCHEMA, "must be a plain identifier ([A-Za-z_][A-Za-z0-9_$]*), but was '" + schema + "'");
        }
        Values.checkTable(v, WAREHOUSE_LEDGER_TABLE, ledgerTable);
        if (type != null) {
            checkForType(v);
        }
    }

    private static WarehouseType fromUrl(String url) {
        if (url == null) {
            return null;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:postgresql:")
                ? WarehouseType.POSTGRES
                : lower.startsWith("jdbc:duckdb:") ? WarehouseType.DUCKDB : null;
    }

    private void checkForType(Values v) {
        String prefix = type == WarehouseType.POSTGRES
                ? "jdbc:postgresql:"
                : type == WarehouseType.DUCKDB ? "jdbc:duckdb:" : null;
        if (type == WarehouseType.SNOWFLAKE) {
            if (url != null) {
                v.problem(
                        WAREHOUSE_URL,
                        "is not used for snowflake: set " + WAREHOUSE_ACCOUNT + ", " + WAREHOUSE_USER + ", "
                                + WAREHOUSE_DATABASE + " and a password or private key instead");
            }
            int credentials =
                    (password != null ? 1 : 0) + (privateKey != null ? 1 : 0) + (privateKeyFile != null ? 1 : 0);
            if (credentials > 1) {
                v.problem(
                        WAREHOUSE_PASSWORD,
                        "give only one of " + WAREHOUSE_PASSWORD + ", " + WAREHOUSE_PRIVATE_KEY + " and "
                                + WAREHOUSE_PRIVATE_KEY_FILE + ", but " + credentials + " were given");
            }
            if (privateKey != null && !(privateKey.contains("-----BEGIN") && privateKey.contains("PRIVATE KEY-----"))) {
                v.problem(
                        WAREHOUSE_PRIVATE_KEY,
                        "must be PKCS#8 PEM text starting with '-----BEGIN PRIVATE KEY-----' "
                                + "(the value is not shown)");
            }
            if (privateKeyFile != null && !Files.isReadable(privateKeyFile)) {
                v.problem(
                        WAREHOUSE_PRIVATE_KEY_FILE,
                        "cannot read " + privateKeyFile + ": check the path and permissions");
            }
            if (account != null || user != null || credentials > 0) {
                if (account == null) {
                    v.problem(
                            WAREHOUSE_ACCOUNT,
                            "is required for snowflake, e.g. " + WAREHOUSE_ACCOUNT + "=myorg-myaccount");
                }
                if (user == null) {
                    v.problem(WAREHOUSE_USER, "is required for snowflake, e.g. " + WAREHOUSE_USER + "=BRONZE_LOADER");
                }
                if (credentials == 0) {
                    v.problem(
                            WAREHOUSE_PRIVATE_KEY_FILE,
                            "snowflake needs a credential: " + WAREHOUSE_PRIVATE_KEY_FILE + ", " + WAREHOUSE_PRIVATE_KEY
                                    + " or " + WAREHOUSE_PASSWORD);
                }
            }
        } else {
            if (url != null && !url.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                v.problem(
                        WAREHOUSE_URL,
                        "must start with " + prefix + " for " + WAREHOUSE_TYPE + "=" + type.key() + ", but was '"
                                + Secrets.maskUrl(url) + "'");
            }
            for (String snowflakeOnly : List.of(
                    WAREHOUSE_ACCOUNT,
                    WAREHOUSE_HOST,
                    WAREHOUSE_PORT,
                    WAREHOUSE_DATABASE,
                    WAREHOUSE_ROLE,
                    WAREHOUSE_COMPUTE,
                    WAREHOUSE_PRIVATE_KEY,
                    WAREHOUSE_PRIVATE_KEY_FILE,
                    WAREHOUSE_PRIVATE_KEY_PASSPHRASE)) {
                if (v.text(snowflakeOnly) != null) {
                    v.problem(
                            snowflakeOnly,
                            "is only for " + WAREHOUSE_TYPE + "=snowflake, but the type is " + type.key()
                                    + "; remove it");
                }
            }
        }
    }

    /**
     * The problems that keep a DataSource from being made from these settings alone (no URL, no account, no
     * credential), each naming the key; empty when complete.
     */
    List<String> connectionProblems() {
        List<String> out = new ArrayList<>();
        if (type == WarehouseType.SNOWFLAKE) {
            if (account == null) {
                out.add(WAREHOUSE_ACCOUNT + ": is required for snowflake, e.g. " + WAREHOUSE_ACCOUNT
                        + "=myorg-myaccount");
            }
            if (user == null) {
                out.add(WAREHOUSE_USER + ": is required for snowflake, e.g. " + WAREHOUSE_USER + "=BRONZE_LOADER");
            }
            if (password == null && privateKey == null && privateKeyFile == null) {
                out.add(WAREHOUSE_PRIVATE_KEY_FILE + ": snowflake needs a credential: " + WAREHOUSE_PRIVATE_KEY_FILE
                        + ", " + WAREHOUSE_PRIVATE_KEY + " or " + WAREHOUSE_PASSWORD);
            }
        } else if (url == null) {
            out.add(WAREHOUSE_URL + ": is required to connect, e.g. " + WAREHOUSE_URL + "="
                    + (type == WarehouseType.DUCKDB
                            ? "jdbc:duckdb:/var/lib/bronze/bronze.db"
                            : "jdbc:postgresql://db:5432/bronze"));
        }
        return out;
    }

    public WarehouseType type() {
        return type;
    }
    /** The JDBC URL (PostgreSQL, DuckDB); may hold a password: print {@link Secrets#maskUrl} of it. */
    public String url() {
        return url;
    }

    public String user() {
        return user;
    }
    /** The password; never print it. */
    public String password() {
        return password;
    }
    /** The schema, or null for the connection's current schema. */
    public String schema() {
        return schema;
    }

    public boolean createTables() {
        return createTables;
    }

    public boolean ledger() {
        return ledger;
    }

    public String ledgerTable() {
        return ledgerTable;
    }

    public String account() {
        return account;
    }

    public String host() {
        return host;
    }

    public Integer port() {
        return port;
    }

    public boolean ssl() {
        return ssl;
    }

    public String database() {
        return database;
    }

    public String role() {
        return role;
    }

    public String computeWarehouse() {
        return computeWarehouse;
    }
    /** The PEM text; never print it. */
    public String privateKey() {
        return privateKey;
    }

    public Path privateKeyFile() {
        return privateKeyFile;
    }
    /** The passphrase; never print it. */
    public String privateKeyPassphrase() {
        return privateKeyPassphrase;
    }
    /**
     * The PostgreSQL type of the JSON columns the sink creates ({@code RAW_EVENT}, {@code KAFKA_HEADERS}): {@code jsonb}
     * (the default) or {@code json}.
     *
     * @since 0.2.0
     */
    public String jsonType() {
        return jsonType;
    }

    /** Extra JDBC driver properties from {@code bronze.warehouse.driver.*} (secret values included: do not print). */
    public Map<String, String> driverProperties() {
        return driverProperties;
    }

    /** {@code text} with the password, key and passphrase replaced by {@link Secrets#MASK}, for drivers' messages. */
    public String scrub(String text) {
        return Secrets.scrub(text, password, privateKey, privateKeyPassphrase);
    }

    @Override
    public String toString() {
        return "warehouse{type=" + (type == null ? null : type.key())
                + (url == null ? "" : ", url=" + Secrets.maskUrl(url))
                + (account == null ? "" : ", account=" + account) + (user == null ? "" : ", user=" + user)
                + (password == null ? "" : ", password=" + Secrets.MASK)
                + (privateKey == null ? "" : ", private-key=" + Secrets.MASK)
                + (privateKeyFile == null ? "" : ", private-key-file=" + privateKeyFile)
                + (privateKeyPassphrase == null ? "" : ", private-key-passphrase=" + Secrets.MASK)
                + ", schema=" + schema + ", ledger-table=" + ledgerTable + '}';
    }
}
