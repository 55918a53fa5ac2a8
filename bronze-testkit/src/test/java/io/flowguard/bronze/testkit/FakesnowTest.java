package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class FakesnowTest {
    @TempDir
    Path dir;

    @Test
    void shouldSkipWithInstallHintWhenFakesnowIsUnavailableOutsideCi() {
        Fakesnow snow = Fakesnow.builder()
                .environment(Map.of("FAKESNOW_BIN", dir.resolve("missing").toString()))
                .workDir(dir)
                .build();

        assertThatThrownBy(snow::start)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("Skipping Snowflake tests")
                .hasMessageContaining("is not an executable file")
                .hasMessageContaining("pip install 'fakesnow[server]==0.12.1' 'snowflake-connector-python<5'");
    }

    @Test
    void shouldFailInsteadOfSkippingWhenCiIsTrue() {
        Fakesnow snow = Fakesnow.builder()
                .environment(Map.of("FAKESNOW_BIN", dir.resolve("missing").toString(), "CI", "true"))
                .workDir(dir)
                .build();

        assertThatThrownBy(snow::start)
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI=true, so Snowflake tests must run");
    }

    @Test
    void shouldRefuseAccessorsBeforeStart() {
        assertThatThrownBy(() -> Fakesnow.create().jdbcUrl("DB", "S"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fakesnow is not running");
    }

    @Test
    void shouldRejectNonPositiveTimeoutNamingIt() {
        assertThatThrownBy(() -> Fakesnow.builder().startupTimeout(Duration.ZERO))
                .hasMessage("startupTimeout must be > 0, but was PT0S");
    }

    @Test
    void shouldProvideDriverPropertiesFakesnowNeeds() {
        assertThat(Fakesnow.create().connectionProperties())
                .containsEntry("disablePlatformDetection", "true")
                .containsEntry("maxHttpRetries", "1")
                .containsKeys("user", "password");
    }
}
