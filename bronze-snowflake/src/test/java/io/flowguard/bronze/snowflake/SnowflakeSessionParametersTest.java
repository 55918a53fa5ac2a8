package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Golden test of the login properties: each pinned parameter, with its value, reaches the driver. */
class SnowflakeSessionParametersTest {
    /** What every Bronze session must carry; removing or changing one of these must fail this test. */
    private static final Map<String, String> REQUIRED = requiredAtLogin();

    private static Map<String, String> requiredAtLogin() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("TIMESTAMP_INPUT_FORMAT", "AUTO"); // S1
        m.put("TIMEZONE", "UTC"); // S2
        m.put("QUOTED_IDENTIFIERS_IGNORE_CASE", "FALSE"); // S3
        m.put("AUTOCOMMIT", "true");
        m.put("LOCK_TIMEOUT", "120"); // S9
        m.put("STATEMENT_TIMEOUT_IN_SECONDS", "600"); // S9
        m.put("STATEMENT_QUEUED_TIMEOUT_IN_SECONDS", "300"); // S9
        m.put("ABORT_DETACHED_QUERY", "TRUE");
        m.put("QUERY_TAG", "flowguard-bronze");
        m.put("JDBC_QUERY_RESULT_FORMAT", "JSON"); // S18
        m.put("CLIENT_SESSION_KEEP_ALIVE", "true"); // S19
        m.put("queryTimeout", "660"); // S9, client-side guard
        return m;
    }

    private static SnowflakeConnectionConfig.Builder config() {
        return SnowflakeConnectionConfig.builder()
                .account("acme")
                .user("LOADER")
                .password("p");
    }

    @Test
    void shouldPinEveryRequiredSessionParameterAtLogin() {
        Properties login = config().build().toProperties();

        REQUIRED.forEach((key, value) -> assertThat(login).as(key).containsEntry(key, value));
        assertThat(SnowflakeSessionParameters.defaults().asMap()).containsExactlyEntriesOf(REQUIRED);
    }

    @Test
    void shouldPinTheSameParametersForPeopleWhoBringTheirOwnPool() {
        Properties forHikari = SnowflakeSessionParameters.defaults().asProperties();

        assertThat(forHikari).containsExactlyInAnyOrderEntriesOf(REQUIRED);
        assertThat(SnowflakeSessionParameters.defaults().asMap()).isUnmodifiable();
    }

    @Test
    void shouldCarryTunedTimeoutsAndTagIntoTheLoginAndTheClientSideGuard() {
        SnowflakeSessionParameters tuned = SnowflakeSessionParameters.builder()
                .lockTimeout(Duration.ofSeconds(30))
                .statementTimeout(Duration.ofMinutes(2))
                .statementQueuedTimeout(Duration.ofSeconds(45))
                .queryTag("flowguard-bronze:orders")
                .build();

        SnowflakeConnectionConfig config = config().sessionParameters(tuned).build();

        assertThat(config.toProperties())
                .containsEntry("LOCK_TIMEOUT", "30")
                .containsEntry("STATEMENT_TIMEOUT_IN_SECONDS", "120")
                .containsEntry("STATEMENT_QUEUED_TIMEOUT_IN_SECONDS", "45")
                .containsEntry("QUERY_TAG", "flowguard-bronze:orders")
                .containsEntry("queryTimeout", "180");
        assertThat(config.queryTimeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(tuned.queryTimeoutSeconds()).isEqualTo(180);
        assertThat(tuned.toBuilder().build()).isEqualTo(tuned);
    }

    @Test
    void shouldLetAnExtraPropertyOverrideAPinnedOneWhateverItsCase() {
        Properties login =
                config().property("timezone", "Europe/Berlin").build().toProperties();

        assertThat(login).containsEntry("timezone", "Europe/Berlin").doesNotContainKey("TIMEZONE");
    }

    @Test
    void shouldRejectTimeoutsThatAreNotWholeSecondsOrTooSmall() {
        SnowflakeSessionParameters.Builder b = SnowflakeSessionParameters.builder();

        assertThatThrownBy(() -> b.lockTimeout(Duration.ofMillis(1500)))
                .hasMessage("lockTimeout must be whole seconds and at least 0 s, but was PT1.5S");
        assertThatThrownBy(() -> b.statementTimeout(Duration.ZERO))
                .hasMessage("statementTimeout must be whole seconds and at least 1 s, but was PT0S");
        assertThatThrownBy(() -> b.statementQueuedTimeout(null))
                .hasMessage("statementQueuedTimeout must be whole seconds and at least 1 s, but was null");
        assertThatThrownBy(() -> b.queryTag("it's"))
                .hasMessage("queryTag must be 1 to 2000 printable characters without single quotes, but was 'it's'");
    }
}
