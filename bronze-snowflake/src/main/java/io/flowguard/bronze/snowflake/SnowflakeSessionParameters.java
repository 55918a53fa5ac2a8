package io.flowguard.bronze.snowflake;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The Snowflake session settings every Bronze connection is pinned to at login, so the sink behaves the same on every
 * account whatever an administrator set at account or user level.
 *
 * <p>snowflake-jdbc sends every connection property it does not know itself as a session parameter in the login
 * request ({@code SFSession.addSFSessionProperty}), so pinning costs no extra round trip. {@link SnowflakeConnectionConfig}
 * adds {@link #asMap()} to its driver properties; if you bring your own pool, add the same map to it (HikariCP:
 * {@code asMap().forEach(hikariConfig::addDataSourceProperty)}) and call {@link #verify(DataSource, String)} once at
 * startup: it warns, with the fix, when a session lacks one of them.
 *
 * <table>
 * <caption>What is pinned, and why</caption>
 * <tr><th>Key</th><th>Value</th><th>Why</th></tr>
 * <tr><td>{@code TIMESTAMP_INPUT_FORMAT}</td><td>{@code AUTO}</td><td>the sink casts ISO-8601 text
 * ({@code 2024-05-01T10:00:00Z}) with {@code ::TIMESTAMP_TZ}; an account-wide format such as
 * {@code YYYY-MM-DD HH24:MI:SS} would fail every row with 100035</td></tr>
 * <tr><td>{@code TIMEZONE}</td><td>{@code UTC}</td><td>offset-less payload timestamps are read as UTC, as by the other
 * sinks (Snowflake's default is America/Los_Angeles)</td></tr>
 * <tr><td>{@code QUOTED_IDENTIFIERS_IGNORE_CASE}</td><td>{@code FALSE}</td><td>the sink's quoted identifiers mean what
 * they say</td></tr>
 * <tr><td>{@code AUTOCOMMIT}</td><td>{@code true}</td><td>a user default of FALSE would leave single-statement writes
 * uncommitted</td></tr>
 * <tr><td>{@code LOCK_TIMEOUT}</td><td>{@link #DEFAULT_LOCK_TIMEOUT} (s)</td><td>a MERGE blocked by another writer or a
 * detached transaction fails (TRANSIENT, retried) instead of waiting 12 h</td></tr>
 * <tr><td>{@code STATEMENT_TIMEOUT_IN_SECONDS}</td><td>{@link #DEFAULT_STATEMENT_TIMEOUT}</td><td>default 2 days</td></tr>
 * <tr><td>{@code STATEMENT_QUEUED_TIMEOUT_IN_SECONDS}</td><td>{@link #DEFAULT_STATEMENT_QUEUED_TIMEOUT}</td><td>default
 * 0 = queue forever on a saturated warehouse</td></tr>
 * <tr><td>{@code ABORT_DETACHED_QUERY}</td><td>{@code TRUE}</td><td>a statement of a client that died stops (no
 * credits burnt, no zombie commit)</td></tr>
 * <tr><td>{@code QUERY_TAG}</td><td>{@link #DEFAULT_QUERY_TAG}</td><td>cost attribution in QUERY_HISTORY</td></tr>
 * <tr><td>{@code JDBC_QUERY_RESULT_FORMAT}</td><td>{@code JSON}</td><td>the sink's results are tiny; JSON results need
 * no {@code --add-opens} on Java 17+ (Arrow results do)</td></tr>
 * <tr><td>{@code CLIENT_SESSION_KEEP_ALIVE}</td><td>{@code true}</td><td>pooled sessions idle for hours do not expire
 * (390114)</td></tr>
 * <tr><td>{@code queryTimeout}</td><td>statement timeout + {@link #QUERY_TIMEOUT_MARGIN}</td><td>driver property, not
 * a session parameter: the client-side guard every statement of the session gets (see {@link #queryTimeout()})</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class SnowflakeSessionParameters {
    /** Default of {@link Builder#lockTimeout(Duration)}: 120 s (Snowflake's default is 43,200 s). */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(120);
    /** Default of {@link Builder#statementTimeout(Duration)}: 600 s (Snowflake's default is 172,800 s). */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(600);
    /** Default of {@link Builder#statementQueuedTimeout(Duration)}: 300 s (Snowflake's default is 0, no limit). */
    public static final Duration DEFAULT_STATEMENT_QUEUED_TIMEOUT = Duration.ofSeconds(300);
    /** Default of {@link Builder#queryTag(String)}: {@value}. */
    public static final String DEFAULT_QUERY_TAG = "flowguard-bronze";
    /** How much later than the server-side statement timeout the client-side {@link #queryTimeout()} fires: 60 s. */
    public static final Duration QUERY_TIMEOUT_MARGIN = Duration.ofSeconds(60);

    /** The driver property that gives every statement of a session a client-side timeout (whole seconds). */
    public static final String DRIVER_QUERY_TIMEOUT = "queryTimeout";

    private static final Pattern QUERY_TAG_TEXT = Pattern.compile("[\\p{Print}&&[^']]{1,2000}");
    private static final SnowflakeSessionParameters DEFAULTS = builder().build();

    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final Duration statementQueuedTimeout;
    private final String queryTag;
    private final Map<String, String> map;

    private SnowflakeSessionParameters(Builder b) {
        this.lockTimeout = b.lockTimeout;
        this.statementTimeout = b.statementTimeout;
        this.statementQueuedTimeout = b.statementQueuedTimeout;
        this.queryTag = b.queryTag;
        Map<String, String> m = new LinkedHashMap<>();
        m.put("TIMESTAMP_INPUT_FORMAT", "AUTO");
        m.put("TIMEZONE", "UTC");
        m.put("QUOTED_IDENTIFIERS_IGNORE_CASE", "FALSE");
        m.put("AUTOCOMMIT", "true");
        m.put("LOCK_TIMEOUT", Long.toString(lockTimeout.toSeconds()));
        m.put("STATEMENT_TIMEOUT_IN_SECONDS", Long.toString(statementTimeout.toSeconds()));
        m.put("STATEMENT_QUEUED_TIMEOUT_IN_SECONDS", Long.toString(statementQueuedTimeout.toSeconds()));
        m.put("ABORT_DETACHED_QUERY", "TRUE");
        m.put("QUERY_TAG", queryTag);
        m.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
        m.put("CLIENT_SESSION_KEEP_ALIVE", "true");
        m.put(DRIVER_QUERY_TIMEOUT, Long.toString(queryTimeout().toSeconds()));
        this.map = Collections.unmodifiableMap(m);
    }

    /** The pinned settings with every default (see the class comment). */
    public static SnowflakeSessionParameters defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this object's values. */
    public Builder toBuilder() {
        return new Builder()
                .lockTimeout(lockTimeout)
                .statementTimeout(statementTimeout)
                .statementQueuedTimeout(statementQueuedTimeout)
                .queryTag(queryTag);
    }

    /**
     * Every pinned key and value, in a fixed order: Snowflake session parameters plus the driver property
     * {@value #DRIVER_QUERY_TIMEOUT}. Add them to a pool's driver properties as they are.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> asMap() {
        return map;
    }

    /** {@link #asMap()} as a new, mutable {@link Properties}, e.g. for HikariCP's {@code setDataSourceProperties}. */
    public Properties asProperties() {
        Properties p = new Properties();
        p.putAll(map);
        return p;
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    public Duration statementQueuedTimeout() {
        return statementQueuedTimeout;
    }

    public String queryTag() {
        return queryTag;
    }

    /**
     * The client-side timeout for {@code Statement.setQueryTimeout}: the statement timeout plus
     * {@link #QUERY_TIMEOUT_MARGIN}, so that Snowflake's own timeout (a clean error 630) normally fires first and this
     * one only when the server does not answer at all. Sessions built from {@link #asMap()} already apply it to every
     * statement through the driver property {@value #DRIVER_QUERY_TIMEOUT}.
     */
    public Duration queryTimeout() {
        return statementTimeout.plus(QUERY_TIMEOUT_MARGIN);
    }

    /** {@link #queryTimeout()} in whole seconds, as {@code Statement.setQueryTimeout} takes it. */
    public int queryTimeoutSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, queryTimeout().toSeconds());
    }

    /**
     * Checks once that the sessions of {@code dataSource} carry these settings, with one {@code SHOW PARAMETERS IN
     * SESSION} on one borrowed connection, and logs a WARN naming each parameter that differs and how to fix it. Never
     * throws: a failed check is logged and reported in the result. For a sink's startup, e.g. with a pool you built
     * yourself.
     *
     * @param name the engine or sink name for the log lines
     */
    public SessionCheck verify(DataSource dataSource, String name) {
        return SessionCheck.run(
                Objects.requireNonNull(dataSource, "dataSource must not be null"),
                this,
                Objects.requireNonNull(name, "name must not be null"));
    }

    /** {@link #verify(DataSource, String)} against {@link #defaults()}. */
    public static SessionCheck verifyDefaults(DataSource dataSource, String name) {
        return defaults().verify(dataSource, name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnowflakeSessionParameters other && map.equals(other.map);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return "SnowflakeSessionParameters" + map;
    }

    /** Builds {@link SnowflakeSessionParameters}; not thread-safe. */
    public static final class Builder {
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration statementQueuedTimeout = DEFAULT_STATEMENT_QUEUED_TIMEOUT;
        private String queryTag = DEFAULT_QUERY_TAG;

        private Builder() {}

        /** {@code LOCK_TIMEOUT}: how long a statement waits for a table lock; whole seconds, 0 = fail at once. */
        public Builder lockTimeout(Duration v) {
            this.lockTimeout = seconds(v, "lockTimeout", 0);
            return this;
        }

        /** {@code STATEMENT_TIMEOUT_IN_SECONDS}: longest run of one statement; whole seconds, at least 1. */
        public Builder statementTimeout(Duration v) {
            this.statementTimeout = seconds(v, "statementTimeout", 1);
            return this;
        }

        /** {@code STATEMENT_QUEUED_TIMEOUT_IN_SECONDS}: longest wait in a warehouse queue; whole seconds, at least 1. */
        public Builder statementQueuedTimeout(Duration v) {
            this.statementQueuedTimeout = seconds(v, "statementQueuedTimeout", 1);
            return this;
        }

        /**
         * {@code QUERY_TAG}, e.g. {@code flowguard-bronze:orders-engine}; printable text without single quotes, at most
         * 2,000 characters (Snowflake's limit).
         */
        public Builder queryTag(String v) {
            if (v == null || !QUERY_TAG_TEXT.matcher(v).matches()) {
                throw new IllegalArgumentException("queryTag must be 1 to 2000 printable characters without single "
                        + "quotes, but was " + (v == null ? "null" : "'" + v + "'"));
            }
            this.queryTag = v;
            return this;
        }

        private static Duration seconds(Duration v, String name, long min) {
            if (v == null || v.isNegative() || v.toSeconds() < min || v.getNano() != 0) {
                throw new IllegalArgumentException(
                        name + " must be whole seconds and at least " + min + " s, but was " + v);
            }
            return v;
        }

        public SnowflakeSessionParameters build() {
            return new SnowflakeSessionParameters(this);
        }
    }
}
