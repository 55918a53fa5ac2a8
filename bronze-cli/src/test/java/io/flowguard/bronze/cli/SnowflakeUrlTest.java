package io.flowguard.bronze.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.core.Secrets;
import io.flowguard.bronze.snowflake.SnowflakeConnectionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnowflakeUrlTest {
    static final String PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";

    @TempDir
    Path dir;

    static Settings settings(Map<String, String> env) {
        return new ConnectionOptions().resolve(env);
    }

    @Test
    void shouldTakeAccountDatabaseSchemaAndDriverPropertiesFromTheUrl() {
        SnowflakeUrl url =
                SnowflakeUrl.parse("jdbc:snowflake://xy12345.eu-central-1.snowflakecomputing.com/?db=RAW&schema=bronze"
                        + "&warehouse=LOAD_WH&role=BRONZE_READER&application=ops%20cli");

        SnowflakeConnectionConfig config =
                url.config(settings(Map.of("BRONZE_JDBC_USER", "OPS", "BRONZE_JDBC_PASSWORD", "pw")));

        assertThat(url.schema()).as("unquoted names resolve upper-case").isEqualTo("BRONZE");
        assertThat(config.account()).isEqualTo("xy12345");
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:snowflake://xy12345.eu-central-1.snowflakecomputing.com/");
        assertThat(config.database()).isEqualTo("RAW");
        assertThat(config.warehouse()).isEqualTo("LOAD_WH");
        assertThat(config.role()).isEqualTo("BRONZE_READER");
        assertThat(config.authentication()).isEqualTo("password");
        assertThat(config.toProperties())
                .containsEntry("application", "ops cli")
                .containsEntry("disablePlatformDetection", "true")
                .containsEntry("loginTimeout", "10")
                .containsEntry("user", "OPS");
    }

    @Test
    void shouldConnectToFakesnowWithoutTls() {
        SnowflakeUrl url =
                SnowflakeUrl.parse("jdbc:snowflake://127.0.0.1:8123/?ssl=off&account=fakesnow&db=DB&schema=\"Mixed\"");

        SnowflakeConnectionConfig config =
                url.config(settings(Map.of("BRONZE_JDBC_USER", "u", "BRONZE_JDBC_PASSWORD", "p")));

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:snowflake://127.0.0.1:8123/?ssl=off");
        assertThat(config.account()).isEqualTo("fakesnow");
        assertThat(url.schema()).as("a quoted name keeps its case").isEqualTo("Mixed");
    }

    @Test
    void shouldAuthenticateWithAPrivateKeyFileAndNeverPrintItsPassphrase() throws Exception {
        Path key = Files.writeString(
                dir.resolve("rsa_key.p8"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + PEM_BODY + "\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Settings s = settings(Map.of(
                "BRONZE_JDBC_USER",
                "LOADER",
                "BRONZE_SNOWFLAKE_PRIVATE_KEY_FILE",
                key.toString(),
                "BRONZE_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE",
                "Pass-Phr4se"));

        SnowflakeConnectionConfig config = SnowflakeUrl.parse("jdbc:snowflake://acme.snowflakecomputing.com/?db=RAW")
                .config(s);

        Properties p = config.toProperties();
        assertThat(p)
                .containsEntry("authenticator", "SNOWFLAKE_JWT")
                .containsEntry("private_key_file", key.toString())
                .containsEntry("private_key_pwd", "Pass-Phr4se")
                .doesNotContainKey("password");
        assertThat(s.toString() + config)
                .doesNotContain("Pass-Phr4se")
                .contains("snowflake.private.key.passphrase=******")
                .contains("snowflake.private.key.file=" + key);
        assertThat(s.scrub("login failed for key with passphrase Pass-Phr4se"))
                .isEqualTo("login failed for key with passphrase ******");
    }

    @Test
    void shouldTakeThePemTextFromTheEnvironmentWithEscapedNewlines() {
        Settings s = settings(Map.of(
                "BRONZE_JDBC_USER",
                "LOADER",
                "BRONZE_SNOWFLAKE_PRIVATE_KEY",
                "-----BEGIN PRIVATE KEY-----\\n" + PEM_BODY + "\\n-----END PRIVATE KEY-----"));

        SnowflakeConnectionConfig config = SnowflakeUrl.parse("jdbc:snowflake://acme.snowflakecomputing.com")
                .config(s);

        assertThat(s.snowflakeKey().pem()).contains("-----\n" + PEM_BODY + "\n-----");
        assertThat(config.toProperties())
                .containsKey("private_key_base64")
                .containsEntry("authenticator", "SNOWFLAKE_JWT");
        assertThat(s.toString() + config).doesNotContain(PEM_BODY).contains("snowflake.private.key=******");
    }

    @Test
    void shouldSayEverythingThatIsMissingAtOnce() {
        assertThatThrownBy(() -> SnowflakeUrl.parse("jdbc:snowflake://10.0.0.1:443/?db=RAW")
                        .config(settings(Map.of())))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.USAGE))
                .hasMessageContaining(
                        "no account: use a host like ACCOUNT.snowflakecomputing.com or add account=ACCOUNT")
                .hasMessageContaining("no user: pass --jdbc-user")
                .hasMessageContaining("no credential: set BRONZE_JDBC_PASSWORD");
    }

    @Test
    void shouldRejectTwoCredentialsAndKeysInTheUrlWithoutEchoingThem() throws Exception {
        Path key = Files.writeString(dir.resolve("k.p8"), "x");
        Settings both = settings(Map.of(
                "BRONZE_JDBC_USER",
                "u",
                "BRONZE_JDBC_PASSWORD",
                "Hunter-2",
                "BRONZE_SNOWFLAKE_PRIVATE_KEY_FILE",
                key.toString()));
        String keyInUrl = "jdbc:snowflake://acme.snowflakecomputing.com/?private_key_file_pwd=S3cret-Pwd";

        assertThatThrownBy(() -> SnowflakeUrl.parse("jdbc:snowflake://acme.snowflakecomputing.com")
                        .config(both))
                .hasMessageContaining("give one credential, but 2 were set")
                .hasMessageNotContaining("Hunter-2");
        assertThatThrownBy(() -> SnowflakeUrl.parse(keyInUrl)
                        .config(settings(Map.of("BRONZE_JDBC_USER", "u", "BRONZE_JDBC_PASSWORD", "p"))))
                .hasMessageContaining("keep private keys out of the URL")
                .hasMessageNotContaining("S3cret-Pwd");
        assertThat(Secrets.maskUrl(keyInUrl)).doesNotContain("S3cret-Pwd");
    }

    @Test
    void shouldRejectAMalformedUrlNamingTheExpectedForm() {
        assertThatThrownBy(() -> SnowflakeUrl.parse("jdbc:snowflake://acme.snowflakecomputing.com:https/?password=pw"))
                .hasMessageContaining("the port is not a number")
                .hasMessageContaining("jdbc:snowflake://ACCOUNT.snowflakecomputing.com/")
                .hasMessageNotContaining("=pw");
    }
}
