package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.testkit.Fakesnow;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves that the library needs no {@code --add-opens} on Java 17+: a child JVM started without the flag (this test's
 * own JVM has it, for fakesnow's Arrow answers elsewhere) runs {@link NoAddOpensProbe} — login with the pinned session
 * parameters, the session check, table creation, DESCRIBE, the MERGE with its ledger, and a SELECT read back — against
 * fakesnow serving JSON to sessions that ask for it, as Snowflake does. The control run pins {@code ARROW} instead and
 * must fail on the driver's Arrow reader, which shows the flag really is absent and the JSON pin is what makes it work.
 */
class SnowflakeWithoutAddOpensIT {
    @RegisterExtension
    static final Fakesnow SNOW =
            Fakesnow.builder().honourJdbcQueryResultFormat(true).build();

    private record Run(int exitCode, String output) {}

    private static Run probe(String schema, String resultFormat) throws Exception {
        Path out = Files.createTempFile("no-add-opens", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    NoAddOpensProbe.class.getName(),
                    String.valueOf(SNOW.port()),
                    schema,
                    resultFormat));
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(
                        "probe did not finish in 180 s: " + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void shouldLandAndReadBackWithoutAddOpensWhenResultsAreJson() throws Exception {
        assertThat(System.getProperty("java.class.path")).contains(File.separator);

        Run run = probe("JSON_RESULTS", "JSON");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
                .contains(
                        "PROBE check verified=[TIMEZONE, QUOTED_IDENTIFIERS_IGNORE_CASE] mismatches=[]",
                        "PROBE write inserted=25",
                        "PROBE rows=25 first=orders-0-0")
                .doesNotContain("add-opens");
    }

    @Test
    void shouldFailWithoutAddOpensWhenTheSessionAsksForArrow() throws Exception {
        Run run = probe("ARROW_RESULTS", "ARROW");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("add-opens");
    }
}
