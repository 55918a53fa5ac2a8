package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SnowflakeConnectionConfigTest {
    private static final String PASSWORD = "hunter2-Fake-Password-9f8e7d";
    private static final String PASSPHRASE = "fake-passphrase-1a2b3c";
    private static final String PEM = generatePem();

    private static String generatePem() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(g.generateKeyPair().getPrivate().getEncoded());
            return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SnowflakeConnectionConfig.Builder refused() {
        // Port 1 refuses connections: the driver fails fast with a network error.
        return SnowflakeConnectionConfig.builder()
                .account("fakesnow")
                .host("127.0.0.1")
                .port(1)
                .ssl(false)
                .user("BRONZE_LOADER")
                .role("LOADER")
                .warehouse("LOAD_WH")
                .database("RAW")
                .schema("BRONZE")
                .loginTimeout(Duration.ofSeconds(5))
                .property("disablePlatformDetection", "true")
                .property("maxHttpRetries", "1");
    }

    /** Secrets and the forms a driver might print them in. */
    private static List<String> secrets() {
        String pemBody = PEM.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return List.of(
                PASSWORD,
                PASSPHRASE,
                pemBody.substring(0, 40),
                pemBody.substring(pemBody.length() - 40),
                Base64.getEncoder()
                        .encodeToString(PEM.getBytes(StandardCharsets.UTF_8))
                        .substring(0, 40));
    }

    @Test
    void shouldNeverShowPasswordOrPrivateKeyInToStringExceptionsOrLogs() throws Exception {
        SnowflakeConnectionConfig withPassword = refused().password(PASSWORD).build();
        SnowflakeConnectionConfig withKey =
                refused().privateKey(PEM, PASSPHRASE).build();
        StringBuilder seen = new StringBuilder();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(
                new PrintStream(logs, true, StandardCharsets.UTF_8)); // slf4j-simple writes to the current System.err
        try {
            for (SnowflakeConnectionConfig config : List.of(withPassword, withKey)) {
                SnowflakeDataSource ds = SnowflakeDataSource.of(config);
                seen.append(config).append('\n').append(ds).append('\n');
                try {
                    new SnowflakeMergeSink(ds).write(io.flowguard.bronze.testkit.TestRecords.orders("orders", 0, 0, 1));
                } catch (RuntimeException e) {
                    seen.append(stackTraceWithMessages(e));
                }
                try {
                    ds.getConnection().close();
                } catch (SQLException e) {
                    seen.append(stackTraceWithMessages(e));
                }
            }
        } finally {
            System.setErr(originalErr);
        }
        seen.append(logs.toString(StandardCharsets.UTF_8));

        assertThat(seen).contains("password=****", "privateKey=****", "privateKeyPassphrase=****", "connecting with");
        assertThat(seen).contains("BRONZE_LOADER", "127.0.0.1");
        for (String secret : secrets()) {
            assertThat(seen.toString()).doesNotContain(secret);
        }
    }

    @Test
    void shouldMaskExtraPropertiesWhoseKeyLooksSecretInToStringExceptionsAndLogs() throws Exception {
        List<String> secrets = List.of("PROXY-SECRET-4d5e", "OAUTH-SECRET-6f7a", "CLIENT-SECRET-8b9c", "PASSCODE-1d2e");
        SnowflakeConnectionConfig config = refused()
                .password(PASSWORD)
                .property("proxyPassword", secrets.get(0))
                .property("oauthRefreshToken", secrets.get(1))
                .property("oauthClientSecret", secrets.get(2))
                .property("passcode", secrets.get(3))
                .build();
        StringBuilder seen = new StringBuilder();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            SnowflakeDataSource ds = SnowflakeDataSource.of(config);
            seen.append(config).append('\n').append(ds).append('\n');
            try {
                ds.getConnection().close();
            } catch (SQLException e) {
                seen.append(e.getMessage()).append('\n');
            }
            seen.append(config.mask("driver said: token " + secrets.get(1) + " rejected"))
                    .append('\n');
        } finally {
            System.setErr(originalErr);
        }
        seen.append(logs.toString(StandardCharsets.UTF_8));

        assertThat(seen)
                .contains(
                        "proxyPassword=****",
                        "oauthRefreshToken=****",
                        "oauthClientSecret=****",
                        "passcode=****",
                        "disablePlatformDetection=true",
                        "driver said: token ****** rejected");
        for (String secret : secrets) {
            assertThat(seen.toString()).doesNotContain(secret);
        }
        assertThat(config.toProperties())
                .containsEntry("proxyPassword", secrets.get(0))
                .containsEntry("oauthRefreshToken", secrets.get(1));
    }

    @Test
    void shouldHandCredentialsToDriverOnlyThroughProperties() {
        Properties withPassword = refused().password(PASSWORD).build().toProperties();
        Properties withKey = refused().privateKey(PEM, PASSPHRASE).build().toProperties();

        assertThat(withPassword)
                .containsEntry("password", PASSWORD)
                .containsEntry("user", "BRONZE_LOADER")
                .containsEntry("account", "fakesnow")
                .containsEntry("role", "LOADER")
                .containsEntry("warehouse", "LOAD_WH")
                .containsEntry("db", "RAW")
                .containsEntry("schema", "BRONZE")
                .containsEntry("loginTimeout", "5");
        assertThat(withKey)
                .containsEntry("authenticator", "SNOWFLAKE_JWT")
                .containsEntry("private_key_pwd", PASSPHRASE)
                .containsEntry(
                        "private_key_base64", Base64.getEncoder().encodeToString(PEM.getBytes(StandardCharsets.UTF_8)))
                .doesNotContainKey("password");
    }

    @Test
    void shouldBuildUrlFromAccountOrHost() {
        assertThat(SnowflakeConnectionConfig.builder()
                        .account("xy12345.eu-central-1")
                        .user("u")
                        .password("p")
                        .build()
                        .jdbcUrl())
                .isEqualTo("jdbc:snowflake://xy12345.eu-central-1.snowflakecomputing.com/");
        assertThat(refused().password("p").build().jdbcUrl()).isEqualTo("jdbc:snowflake://127.0.0.1:1/?ssl=off");
    }

    @Test
    void shouldReportEveryMissingSettingAtOnce() {
        assertThatThrownBy(() -> SnowflakeConnectionConfig.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "invalid Snowflake connection config: account is required; user is required; exactly one of "
                                + "privateKey, privateKeyFile, programmaticAccessToken, oauthToken, workloadIdentity and password is "
                                + "required, but 0 were set");
    }

    @Test
    void shouldRejectTwoCredentials() {
        assertThatThrownBy(() -> refused().password("p").privateKey(PEM, null).build())
                .hasMessageContaining("but 2 were set");
    }

    @Test
    void shouldRejectTextThatIsNotPemWithoutEchoingIt() {
        assertThatThrownBy(() -> refused().privateKey("MIIEvQ-secret-base64-without-armour", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text of 35 characters (not shown)")
                .hasMessageNotContaining("secret-base64");
    }

    @Test
    void shouldRejectCredentialsPassedAsExtraProperties() {
        assertThatThrownBy(() -> refused().property("PASSWORD", PASSWORD))
                .hasMessage("property 'PASSWORD' is set through its own builder method");
    }

    private static final String PAT = "pat-Fake-Token-0a1b2c3d4e5f";
    private static final String OAUTH = "oauth-Fake-Access-Token-6a7b8c";

    @Test
    void shouldPassTheAuthenticatorAndTokenThroughForProgrammaticAccessTokensAndOAuth() {
        Properties pat = refused().programmaticAccessToken(PAT).build().toProperties();
        Properties oauth = refused().oauthToken(OAUTH).build().toProperties();
        Properties wif = refused().workloadIdentity("aws").build().toProperties();

        assertThat(pat)
                .containsEntry("authenticator", "PROGRAMMATIC_ACCESS_TOKEN")
                .containsEntry("token", PAT)
                .doesNotContainKeys("password", "private_key_base64");
        assertThat(oauth)
                .containsEntry("authenticator", "OAUTH")
                .containsEntry("token", OAUTH)
                .doesNotContainKey("password");
        assertThat(wif)
                .containsEntry("authenticator", "WORKLOAD_IDENTITY")
                .containsEntry("workloadIdentityProvider", "AWS")
                .doesNotContainKeys("password", "token");
        assertThat(refused().programmaticAccessToken(PAT).build().authentication())
                .isEqualTo("programmatic-access-token");
        assertThat(refused().oauthToken(OAUTH).build().authentication()).isEqualTo("oauth");
        assertThat(refused().workloadIdentity("GCP").build().authentication()).isEqualTo("workload-identity");
    }

    @Test
    void shouldNeverShowTokensInToStringOrConnectionErrors() {
        StringBuilder seen = new StringBuilder();
        for (SnowflakeConnectionConfig config : List.of(
                refused().programmaticAccessToken(PAT).build(),
                refused().oauthToken(OAUTH).build())) {
            seen.append(config).append('\n');
            try {
                SnowflakeDataSource.of(config).getConnection().close();
            } catch (SQLException e) {
                seen.append(stackTraceWithMessages(e));
            }
            seen.append(config.mask(
                            "driver said: token " + (config.authentication().equals("oauth") ? OAUTH : PAT)))
                    .append('\n');
        }

        assertThat(seen)
                .contains(
                        "token=****",
                        "authentication=programmatic-access-token",
                        "authentication=oauth",
                        "driver said: token ******");
        assertThat(seen.toString()).doesNotContain(PAT).doesNotContain(OAUTH);
    }

    @Test
    void shouldRejectTokensAndAuthenticatorAsExtraProperties() {
        assertThatThrownBy(() -> refused().property("authenticator", "OAUTH"))
                .hasMessage("property 'authenticator' is set through its own builder method");
        assertThatThrownBy(() -> refused().property("TOKEN", OAUTH))
                .hasMessage("property 'TOKEN' is set through its own builder method");
        assertThatThrownBy(() -> refused().workloadIdentity("OIDC"))
                .hasMessage("workloadIdentity provider must be AWS, AZURE or GCP, but was 'OIDC'");
    }

    @Test
    void shouldRejectAnEncryptedPemKeyWithoutPassphraseInsteadOfLettingTheDriverThrowANullPointerException() {
        String encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n";
        String pkcs1Encrypted =
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00FF\n\n"
                        + "MIIEow\n-----END RSA PRIVATE KEY-----\n";

        assertThatThrownBy(() -> refused().privateKey(encrypted, null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "invalid Snowflake connection config: privateKey is an encrypted PEM key but no passphrase was "
                                + "given: pass it as privateKey(pem, passphrase), or give an unencrypted PKCS#8 key")
                .hasMessageNotContaining("MIIF");
        assertThatThrownBy(() -> refused().privateKey(pkcs1Encrypted, null).build())
                .hasMessageContaining("privateKey is an encrypted PEM key but no passphrase was given");
        assertThat(refused().privateKey(encrypted, PASSPHRASE).build().toProperties())
                .containsEntry("private_key_pwd", PASSPHRASE);
    }

    @Test
    void shouldCheckAKeyFileAtBuildAndSendItsPassphraseUnderTheCurrentPropertyName(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path encrypted = java.nio.file.Files.writeString(
                dir.resolve("rsa_key.p8"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkq\n-----END ENCRYPTED PRIVATE KEY-----\n");
        java.nio.file.Path plain = java.nio.file.Files.writeString(dir.resolve("plain.p8"), PEM);
        java.nio.file.Path notPem = java.nio.file.Files.writeString(dir.resolve("key.der"), "MIIEvQ");

        assertThatThrownBy(() -> refused().privateKeyFile(encrypted, null).build())
                .hasMessageContaining(
                        "privateKeyFile " + encrypted + " holds an encrypted key but no passphrase was given: "
                                + "pass it as privateKeyFile(path, passphrase)");
        assertThatThrownBy(() -> refused()
                        .privateKeyFile(dir.resolve("missing.p8"), null)
                        .build())
                .hasMessageContaining("privateKeyFile " + dir.resolve("missing.p8") + " cannot be read");
        assertThatThrownBy(() -> refused().privateKeyFile(notPem, null).build())
                .hasMessageContaining("is not a PEM private key");
        assertThat(refused().privateKeyFile(encrypted, PASSPHRASE).build().toProperties())
                .containsEntry("authenticator", "SNOWFLAKE_JWT")
                .containsEntry("private_key_file", encrypted.toString())
                .containsEntry("private_key_pwd", PASSPHRASE)
                .doesNotContainKey("private_key_file_pwd");
        assertThat(refused().privateKeyFile(plain, null).build().toProperties()).doesNotContainKey("private_key_pwd");
    }

    private static String stackTraceWithMessages(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
