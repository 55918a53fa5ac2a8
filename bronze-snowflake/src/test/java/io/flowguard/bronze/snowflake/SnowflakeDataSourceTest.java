package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnowflakeDataSourceTest {
    /**
     * S17: the driver throws a raw NullPointerException for an encrypted key without passphrase. {@code build()} rejects
     * that, but a key file is read at every login, so it can turn encrypted after {@code build()}: the data source then
     * reports an SQLException (28000) a caller handling SQL errors sees, with no key material in it.
     */
    @Test
    void shouldTurnADriverRuntimeExceptionAtLoginIntoAnSqlException(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("plain.pem");
        Path encrypted = dir.resolve("encrypted.p8");
        assumeTrue(
                openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", plain.toString())
                        && openssl(
                                "pkcs8",
                                "-topk8",
                                "-in",
                                plain.toString(),
                                "-v2",
                                "aes-256-cbc",
                                "-passout",
                                "pass:Fake-Pass-1",
                                "-out",
                                encrypted.toString()),
                "openssl is needed to make an encrypted PKCS#8 key");
        Path key = dir.resolve("rsa_key.p8");
        Files.copy(plain, key);
        SnowflakeConnectionConfig config = SnowflakeConnectionConfig.builder()
                .account("fakesnow")
                .host("127.0.0.1")
                .port(1)
                .ssl(false)
                .user("BRONZE_LOADER")
                .privateKeyFile(key, null)
                .loginTimeout(Duration.ofSeconds(5))
                .property("disablePlatformDetection", "true")
                .property("maxHttpRetries", "1")
                .build();
        Files.copy(encrypted, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // rotated to an encrypted key

        SQLException e = catchThrowableOfType(
                SQLException.class, () -> SnowflakeDataSource.of(config).getConnection());

        assertThat(e.getSQLState()).isEqualTo("28000");
        assertThat((Throwable) e)
                .hasMessageContaining("failed inside the driver with java.lang.NullPointerException")
                .hasMessageContaining("check the credential settings")
                .hasNoCause();
        String body = Files.readString(encrypted, StandardCharsets.US_ASCII)
                .lines()
                .filter(l -> !l.startsWith("-----"))
                .findFirst()
                .orElseThrow();
        assertThat(e.getMessage()).doesNotContain(body);
    }

    private static boolean openssl(String... args) {
        try {
            String[] command = new String[args.length + 1];
            command[0] = "openssl";
            System.arraycopy(args, 0, command, 1, args.length);
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
