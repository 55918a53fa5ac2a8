package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class SessionCheckTest {
    /** What SHOW PARAMETERS IN SESSION says on an account whose admin set a format and a time zone account-wide. */
    private static Map<String, String> overriddenAccount() {
        Map<String, String> m = new LinkedHashMap<>();
        SnowflakeSessionParameters.defaults().asMap().forEach((k, v) -> m.put(k.toUpperCase(), v));
        m.put("TIMESTAMP_INPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS");
        m.put("TIMEZONE", "America/Los_Angeles");
        m.put("LOCK_TIMEOUT", "43200");
        m.put("QUERY_TAG", "someone-else");
        m.remove("CLIENT_SESSION_KEEP_ALIVE");
        return m;
    }

    @Test
    void shouldReportEachPinnedParameterThatDiffersWithItsFix() {
        SessionCheck check =
                SessionCheck.compare(SnowflakeSessionParameters.defaults().asMap(), overriddenAccount());

        assertThat(check.mismatches())
                .extracting(SessionCheck.Mismatch::key)
                .containsExactly("TIMESTAMP_INPUT_FORMAT", "TIMEZONE", "LOCK_TIMEOUT");
        assertThat(check.mismatches().get(1))
                .isEqualTo(new SessionCheck.Mismatch("TIMEZONE", "UTC", "America/Los_Angeles"));
        assertThat(check.mismatches().get(1).fix())
                .isEqualTo(
                        "set TIMEZONE=UTC as a connection property of the pool "
                                + "(HikariCP: addDataSourceProperty(\"TIMEZONE\", \"UTC\")), or ALTER USER <user> SET TIMEZONE = UTC");
        assertThat(check.unverified()).containsExactly("CLIENT_SESSION_KEEP_ALIVE");
        assertThat(check.verified())
                .contains("QUOTED_IDENTIFIERS_IGNORE_CASE", "JDBC_QUERY_RESULT_FORMAT")
                .doesNotContain("QUERY_TAG", "QUERYTIMEOUT");
        assertThat(check.ok()).isFalse();
    }

    @Test
    void shouldTreatSpellingsOfTheSameValueAsEqual() {
        Map<String, String> observed = new LinkedHashMap<>();
        observed.put("TIMEZONE", "Etc/UTC");
        observed.put("QUOTED_IDENTIFIERS_IGNORE_CASE", "false");
        observed.put("ABORT_DETACHED_QUERY", "true");
        observed.put("JDBC_QUERY_RESULT_FORMAT", "json");

        SessionCheck check =
                SessionCheck.compare(SnowflakeSessionParameters.defaults().asMap(), observed);

        assertThat(check.mismatches()).isEmpty();
        assertThat(check.verified())
                .containsExactly(
                        "TIMEZONE",
                        "QUOTED_IDENTIFIERS_IGNORE_CASE",
                        "ABORT_DETACHED_QUERY",
                        "JDBC_QUERY_RESULT_FORMAT");
        assertThat(check.ok()).isTrue();
    }

    @Test
    void shouldWarnWithTheFixWhenAForeignPoolLacksThePins() {
        String logs = capturingStderr(() -> {
            SessionCheck check =
                    SnowflakeSessionParameters.verifyDefaults(showParameters(overriddenAccount(), ""), "orders-engine");
            assertThat(check.mismatches()).hasSize(3);
            assertThat(check.defaultDdlCollation()).isEmpty();
        });

        assertThat(logs)
                .contains(
                        "WARN",
                        "[orders-engine] the Snowflake sessions of this DataSource differ",
                        "TIMEZONE is 'America/Los_Angeles', expected 'UTC'",
                        "addDataSourceProperty(\"TIMESTAMP_INPUT_FORMAT\", \"AUTO\")");
    }

    @Test
    void shouldWarnAndNotThrowWhenTheCheckCannotRun() {
        DataSource broken = (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new SQLException("no warehouse", "57P03", 606);
                });

        String logs = capturingStderr(() -> {
            SessionCheck check = SnowflakeSessionParameters.verifyDefaults(broken, "orders-engine");
            assertThat(check.failure()).hasValue("'SHOW PARAMETERS IN SESSION' failed: SQLException: no warehouse");
            assertThat(check.ok()).isFalse();
        });

        assertThat(logs).contains("WARN", "[orders-engine] could not verify the Snowflake session parameters");
    }

    @Test
    void shouldWarnWhenTheSchemaGivesNewColumnsADefaultCollation() {
        Map<String, String> pinned = new LinkedHashMap<>();
        SnowflakeSessionParameters.defaults().asMap().forEach((k, v) -> pinned.put(k.toUpperCase(), v));

        String logs = capturingStderr(() -> {
            SessionCheck check =
                    SnowflakeSessionParameters.verifyDefaults(showParameters(pinned, "en-ci"), "orders-engine");
            assertThat(check.mismatches()).isEmpty();
            assertThat(check.defaultDdlCollation()).hasValue("en-ci");
            assertThat(check.ok()).isFalse();
        });

        assertThat(logs)
                .contains(
                        "WARN",
                        "[orders-engine] the session's schema has DEFAULT_DDL_COLLATION = 'en-ci'",
                        "ALTER SCHEMA <schema> UNSET DEFAULT_DDL_COLLATION");
    }

    /**
     * A DataSource whose connections answer SHOW PARAMETERS IN SESSION with {@code params}, and the schema's
     * DEFAULT_DDL_COLLATION query with {@code collation} ("" = unset, as Snowflake lists it).
     */
    private static DataSource showParameters(Map<String, String> params, String collation) {
        ClassLoader cl = SessionCheckTest.class.getClassLoader();
        return (DataSource) Proxy.newProxyInstance(cl, new Class<?>[] {DataSource.class}, (ds, dm, da) -> {
            if (!dm.getName().equals("getConnection")) {
                throw new UnsupportedOperationException(dm.getName());
            }
            return Proxy.newProxyInstance(cl, new Class<?>[] {Connection.class}, (c, cm, ca) -> switch (cm.getName()) {
                case "close" -> null;
                case "createStatement" ->
                    Proxy.newProxyInstance(cl, new Class<?>[] {Statement.class}, (s, sm, sa) -> {
                        if (sm.getName().equals("close")) {
                            return null;
                        }
                        Iterator<Map.Entry<String, String>> rows = switch ((String) sa[0]) {
                            case SessionCheck.QUERY ->
                                List.copyOf(params.entrySet()).iterator();
                            case SessionCheck.COLLATION_QUERY ->
                                List.of(Map.entry("DEFAULT_DDL_COLLATION", collation))
                                        .iterator();
                            default -> throw new SQLException("unexpected query " + sa[0]);
                        };
                        Map.Entry<String, String>[] current = new Map.Entry[1];
                        return Proxy.newProxyInstance(
                                cl, new Class<?>[] {ResultSet.class}, (r, rm, ra) -> switch (rm.getName()) {
                                    case "next" -> {
                                        current[0] = rows.hasNext() ? rows.next() : null;
                                        yield current[0] != null;
                                    }
                                    case "getString" ->
                                        "key".equals(ra[0]) ? current[0].getKey() : current[0].getValue();
                                    case "close" -> null;
                                    default -> throw new UnsupportedOperationException(rm.getName());
                                });
                    });
                default -> throw new UnsupportedOperationException(cm.getName());
            });
        });
    }

    private static String capturingStderr(Runnable r) {
        PrintStream original = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(original);
        }
        return logs.toString(StandardCharsets.UTF_8);
    }
}
