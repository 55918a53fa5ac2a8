package io.flowguard.bronze.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs what {@code bin/demo} runs, smaller, and checks its promises: every event once, malformed ones quarantined. */
class FlowGuardDemoIT {

    @Test
    void shouldLandEveryEventOnceAcrossTheCrashAndQuarantineTheMalformedOnes(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        long[] r = FlowGuardDemo.run(2_000, dir.resolve("demo.duckdb"), new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String output = buffer.toString(StandardCharsets.UTF_8);

        long produced = r[0];
        long landed = r[1];
        long deadLettered = r[2];
        assertThat(produced).isEqualTo(2_000);
        assertThat(landed + deadLettered).as("landed + dead-lettered = produced").isEqualTo(produced);
        assertThat(deadLettered).as("about 1% malformed").isBetween(5L, 60L);
        assertThat(r[3]).as("rows = distinct ingestion ids").isEqualTo(r[4]);
        assertThat(r[5]).as("offset gaps").isZero();
        assertThat(output).contains("engine 1 crashed on purpose").contains("-- 3 AM debugging")
                .contains("demo: produced=2000 landed=" + landed + " dead_lettered=" + deadLettered);
    }
}
