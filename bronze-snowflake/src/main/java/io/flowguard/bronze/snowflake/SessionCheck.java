package io.flowguard.bronze.snowflake;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link SnowflakeSessionParameters#verify(DataSource, String)} found: which pinned session parameters a session
 * of the pool has ({@link #verified()}), which differ ({@link #mismatches()}), which the server did not report
 * ({@link #unverified()}; fakesnow reports only {@code TIMEZONE} and {@code QUOTED_IDENTIFIERS_IGNORE_CASE}), and
 * whether the check itself failed ({@link #failure()}), plus the {@code DEFAULT_DDL_COLLATION} of the session's schema
 * ({@link #defaultDdlCollation()}).
 *
 * <p>{@code DEFAULT_DDL_COLLATION} is an object parameter (account, database, schema), not a session parameter, so no
 * login property can pin it; a non-empty value (e.g. {@code 'en-ci'}) is inherited by the VARCHAR columns the sink
 * creates in that schema, and a case-insensitive {@code INGESTION_ID} would change what counts as a duplicate. The check
 * reads it with {@code SHOW PARAMETERS LIKE 'DEFAULT_DDL_COLLATION' IN SCHEMA} (the session's current schema) and WARNs
 * when it is set; servers that cannot answer (fakesnow) leave it empty.
 *
 * <p>{@code QUERY_TAG} (cost attribution only) and the driver property {@code queryTimeout} (not a session parameter)
 * are not checked. Values are compared ignoring case and surrounding blanks; time zones by the zone they name
 * ({@code UTC} = {@code Etc/UTC}).
 *
 * @param verified   pinned keys the session has with the pinned value
 * @param mismatches pinned keys the session has with another value
 * @param unverified pinned keys the server did not list
 * @param failure    why the check could not run, if it could not
 * @param defaultDdlCollation the current schema's {@code DEFAULT_DDL_COLLATION} when it is set (non-empty)
 * @since 0.2.0
 */
public record SessionCheck(
        List<String> verified,
        List<Mismatch> mismatches,
        List<String> unverified,
        Optional<String> failure,
        Optional<String> defaultDdlCollation) {
    private static final Logger LOG = LoggerFactory.getLogger(SessionCheck.class);
    /** The query that lists a session's parameters (Snowflake and fakesnow both answer it). */
    public static final String QUERY = "SHOW PARAMETERS IN SESSION";
    /** The query that reads the current schema's default collation for new columns. */
    public static final String COLLATION_QUERY = "SHOW PARAMETERS LIKE 'DEFAULT_DDL_COLLATION' IN SCHEMA";

    private static final Set<String> NOT_CHECKED =
            Set.of("QUERY_TAG", SnowflakeSessionParameters.DRIVER_QUERY_TIMEOUT.toUpperCase(Locale.ROOT));

    public SessionCheck {
        verified = List.copyOf(verified);
        mismatches = List.copyOf(mismatches);
        unverified = List.copyOf(unverified);
        Objects.requireNonNull(failure, "failure must not be null (use Optional.empty())");
        Objects.requireNonNull(defaultDdlCollation, "defaultDdlCollation must not be null (use Optional.empty())");
    }

    /** A pinned session parameter whose value in the session differs. */
    public record Mismatch(String key, String expected, String actual) {
        /** How to fix it, for a log line. */
        public String fix() {
            return "set " + key + "=" + expected + " as a connection property of the pool (HikariCP: "
                    + "addDataSourceProperty(\"" + key + "\", \"" + expected + "\")), or ALTER USER <user> SET " + key
                    + " = " + expected;
        }
    }

    /** Whether the check ran and found no mismatch and no default collation. */
    public boolean ok() {
        return failure.isEmpty() && mismatches.isEmpty() && defaultDdlCollation.isEmpty();
    }

    static SessionCheck run(DataSource dataSource, SnowflakeSessionParameters expected, String name) {
        Map<String, String> observed = new LinkedHashMap<>();
        Optional<String> collation;
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(QUERY)) {
                while (rs.next()) {
                    observed.put(rs.getString("key").toUpperCase(Locale.ROOT), rs.getString("value"));
                }
            }
            collation = collation(s, name);
        } catch (SQLException | RuntimeException e) {
            String why = "'" + QUERY + "' failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn(
                    "[{}] could not verify the Snowflake session parameters ({}); make sure the pool sets {}",
                    name,
                    why,
                    expected.asMap());
            return new SessionCheck(List.of(), List.of(), List.of(), Optional.of(why), Optional.empty());
        }
        SessionCheck compared = compare(expected.asMap(), observed);
        SessionCheck check = new SessionCheck(
                compared.verified(), compared.mismatches(), compared.unverified(), Optional.empty(), collation);
        collation.ifPresent(value -> LOG.warn(
                "[{}] the session's schema has DEFAULT_DDL_COLLATION = '{}': VARCHAR columns "
                        + "the sink creates there inherit it, and a case-insensitive INGESTION_ID changes what counts as a "
                        + "duplicate. Fix: ALTER SCHEMA <schema> UNSET DEFAULT_DDL_COLLATION before the tables are created, or "
                        + "create them yourself with INGESTION_ID VARCHAR COLLATE 'utf8'",
                name,
                value));
        if (!check.mismatches().isEmpty()) {
            LOG.warn(
                    "[{}] the Snowflake sessions of this DataSource differ from the pinned parameters the sink relies "
                            + "on: {}. Fix: {}",
                    name,
                    check.mismatches().stream()
                            .map(m -> m.key() + " is '" + m.actual() + "', expected '" + m.expected() + "'")
                            .collect(Collectors.joining(", ")),
                    check.mismatches().stream().map(Mismatch::fix).collect(Collectors.joining("; ")));
        } else {
            LOG.info(
                    "[{}] Snowflake session parameters verified: {}{}",
                    name,
                    check.verified(),
                    check.unverified().isEmpty() ? "" : " (not reported by the server: " + check.unverified() + ")");
        }
        return check;
    }

    /** The current schema's DEFAULT_DDL_COLLATION when set; empty when unset or when the server cannot say. */
    private static Optional<String> collation(Statement s, String name) {
        try (ResultSet rs = s.executeQuery(COLLATION_QUERY)) {
            while (rs.next()) {
                String value = rs.getString("value");
                if ("DEFAULT_DDL_COLLATION".equalsIgnoreCase(rs.getString("key"))
                        && value != null
                        && !value.isBlank()) {
                    return Optional.of(value.strip());
                }
            }
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            LOG.debug(
                    "[{}] could not read DEFAULT_DDL_COLLATION ({}: {}); not checked",
                    name,
                    e.getClass().getSimpleName(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Compares pinned values with what a session reports ({@code observed}: upper-case key → value). */
    static SessionCheck compare(Map<String, String> expected, Map<String, String> observed) {
        List<String> verified = new ArrayList<>();
        List<Mismatch> mismatches = new ArrayList<>();
        List<String> unverified = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String key = e.getKey().toUpperCase(Locale.ROOT);
            if (NOT_CHECKED.contains(key)) {
                continue;
            }
            if (!observed.containsKey(key)) {
                unverified.add(key);
            } else if (same(key, e.getValue(), observed.get(key))) {
                verified.add(key);
            } else {
                mismatches.add(new Mismatch(key, e.getValue(), observed.get(key)));
            }
        }
        return new SessionCheck(verified, mismatches, unverified, Optional.empty(), Optional.empty());
    }

    private static boolean same(String key, String expected, String actual) {
        if (actual == null) {
            return false;
        }
        if (key.equals("TIMEZONE")) {
            try {
                return ZoneId.of(expected.strip())
                        .normalized()
                        .equals(ZoneId.of(actual.strip()).normalized());
            } catch (DateTimeException e) {
                return expected.strip().equalsIgnoreCase(actual.strip());
            }
        }
        return expected.strip().equalsIgnoreCase(actual.strip());
    }
}
