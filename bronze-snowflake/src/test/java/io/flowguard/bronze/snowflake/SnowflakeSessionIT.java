package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.TestRecords;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions pinned at login, on fakesnow: the login takes every pinned parameter, and the startup check runs. */
class SnowflakeSessionIT {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static SnowflakeDataSource pinned(String schema) {
        return SnowflakeDataSource.of(SnowflakeConnectionConfig.builder().account("fakesnow").host("127.0.0.1")
                .port(SNOW.port()).ssl(false).user("fake").password("fake").database("SESSION_IT").schema(schema)
                .property("disablePlatformDetection", "true").property("maxHttpRetries", "1").build());
    }

    @Test
    void shouldLogInWithEveryPinnedParameterAndStayInAutocommit() throws Exception {
        SnowflakeDataSource ds = pinned("PINNED");

        try (Connection c = ds.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
        }
        assertThat(new SnowflakeMergeSink(ds).write(TestRecords.orders("orders", 0, 0, 3)).inserted()).isEqualTo(3);
    }

    @Test
    void shouldVerifyWhatFakesnowReportsAndListTheRestAsUnverified() {
        SessionCheck check = SnowflakeSessionParameters.verifyDefaults(pinned("CHECKED"), "session-it");

        assertThat(check.ok()).isTrue();
        assertThat(check.verified()).containsExactly("TIMEZONE", "QUOTED_IDENTIFIERS_IGNORE_CASE");
        assertThat(check.unverified()).contains("TIMESTAMP_INPUT_FORMAT", "LOCK_TIMEOUT", "JDBC_QUERY_RESULT_FORMAT");
    }

    @Test
    void shouldVerifyAForeignPoolToo() {
        SessionCheck check = SnowflakeSessionParameters.verifyDefaults(SNOW.dataSource("SESSION_IT", "FOREIGN"), "session-it");

        assertThat(check.failure()).isEmpty();
        assertThat(check.verified()).contains("TIMEZONE");
    }
}
