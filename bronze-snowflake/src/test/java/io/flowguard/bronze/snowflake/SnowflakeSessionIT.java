package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.testkit.Fakesnow;
import io.flowguard.bronze.testkit.TestRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions pinned at login, on fakesnow: the login takes every pinned parameter, and the startup check runs. */
class SnowflakeSessionIT {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static SnowflakeDataSource pinned(String schema) {
        return SnowflakeDataSource.of(SnowflakeConnectionConfig.builder()
                .account("fakesnow")
                .host("127.0.0.1")
                .port(SNOW.port())
                .ssl(false)
                .user("fake")
                .password("fake")
                .database("SESSION_IT")
                .schema(schema)
                .property("disablePlatformDetection", "true")
                .property("maxHttpRetries", "1")
                .build());
    }

    @Test
    void shouldLogInWithEveryPinnedParameterAndStayInAutocommit() throws Exception {
        SnowflakeDataSource ds = pinned("PINNED");

        try (Connection c = ds.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
        }
        assertThat(new SnowflakeMergeSink(ds)
                        .write(TestRecords.orders("orders", 0, 0, 3))
                        .inserted())
                .isEqualTo(3);
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
        SessionCheck check =
                SnowflakeSessionParameters.verifyDefaults(SNOW.dataSource("SESSION_IT", "FOREIGN"), "session-it");

        assertThat(check.failure()).isEmpty();
        assertThat(check.verified()).contains("TIMEZONE");
    }

    @Test
    void shouldWarnOnceWhenAForeignPoolsSessionsLackThePins() {
        AtomicInteger checks = new AtomicInteger();
        // fakesnow always reports TIMEZONE=Etc/UTC; this pool answers the check as an account with Snowflake's default
        // would.
        DataSource foreign = answeringSessionCheck(
                SNOW.dataSource("SESSION_IT", "FOREIGN_WARN"),
                checks,
                "SELECT 'TIMEZONE' AS \"key\", 'America/Los_Angeles' AS \"value\"");
        SnowflakeMergeSink sink =
                SnowflakeMergeSink.builder(foreign).name("foreign-engine").build();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(
                new PrintStream(logs, true, StandardCharsets.UTF_8)); // slf4j-simple writes to the current System.err
        try {
            assertThat(sink.sessionCheck())
                    .as("lazy: nothing checked before the first write")
                    .isEmpty();
            sink.write(TestRecords.orders("orders", 0, 0, 3));
            sink.write(TestRecords.orders("orders", 0, 3, 3));
        } finally {
            System.setErr(originalErr);
        }
        String log = logs.toString(StandardCharsets.UTF_8);

        assertThat(checks).as("one check for the sink's lifetime").hasValue(1);
        assertThat(sink.sessionCheck())
                .hasValueSatisfying(c -> assertThat(c.mismatches())
                        .containsExactly(new SessionCheck.Mismatch("TIMEZONE", "UTC", "America/Los_Angeles")));
        Matcher warn = Pattern.compile("WARN .*\\[foreign-engine\\] the Snowflake sessions of this DataSource differ")
                .matcher(log);
        assertThat(warn.find()).as(log).isTrue();
        assertThat(warn.find()).as("warned once: " + log).isFalse();
        assertThat(log)
                .contains("TIMEZONE is 'America/Los_Angeles', expected 'UTC'")
                .contains("addDataSourceProperty(\"TIMEZONE\"");
    }

    @Test
    void shouldNotCheckTheLibrarysOwnPinnedDataSource() {
        SnowflakeMergeSink sink = new SnowflakeMergeSink(pinned("OWN"));

        sink.write(TestRecords.orders("orders", 0, 0, 3));

        assertThat(sink.sessionCheck()).isEmpty();
    }

    /** {@code delegate}, except that the session check's query is answered by {@code answer}; counts the checks. */
    private static DataSource answeringSessionCheck(DataSource delegate, AtomicInteger checks, String answer) {
        return (DataSource) Proxy.newProxyInstance(
                SnowflakeSessionIT.class.getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, a) -> {
                    Object r = invoke(delegate, m, a);
                    if (!m.getName().equals("getConnection")) {
                        return r;
                    }
                    Connection c = (Connection) r;
                    return Proxy.newProxyInstance(
                            SnowflakeSessionIT.class.getClassLoader(),
                            new Class<?>[] {Connection.class},
                            (cp, cm, ca) -> {
                                Object cr = invoke(c, cm, ca);
                                if (!cm.getName().equals("createStatement")) {
                                    return cr;
                                }
                                Statement st = (Statement) cr;
                                return Proxy.newProxyInstance(
                                        SnowflakeSessionIT.class.getClassLoader(),
                                        new Class<?>[] {Statement.class},
                                        (sp, sm, sa) -> {
                                            if (sm.getName().equals("executeQuery")
                                                    && SessionCheck.QUERY.equals(sa[0])) {
                                                checks.incrementAndGet();
                                                return st.executeQuery(answer);
                                            }
                                            return invoke(st, sm, sa);
                                        });
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] a) throws Throwable {
        try {
            return m.invoke(target, a);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
