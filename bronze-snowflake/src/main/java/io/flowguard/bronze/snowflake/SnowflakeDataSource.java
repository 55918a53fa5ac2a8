package io.flowguard.bronze.snowflake;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link javax.sql.DataSource} that opens a new Snowflake connection per {@link #getConnection()} through
 * {@link DriverManager}, from a {@link SnowflakeConnectionConfig}, pinned at login to the config's
 * {@link SnowflakeSessionParameters}. Each call is a login (hundreds of milliseconds on real Snowflake): for production
 * put a pool in front (HikariCP: {@code jdbcUrl} = {@link SnowflakeConnectionConfig#jdbcUrl()},
 * {@code dataSourceProperties} = {@link SnowflakeConnectionConfig#toProperties()}, {@code maxLifetime} under 4 h; see
 * docs/snowflake.md).
 *
 * <p>Failures are rethrown as {@link SQLException}s with the same SQLState and vendor code, a message naming the
 * (masked) config, and every secret of the config masked out of the driver's message. A {@link RuntimeException} the
 * driver throws at login (e.g. a NullPointerException for a key it cannot decrypt) becomes an {@link SQLException} with
 * SQLState {@code 28000} (invalid authorization), so callers that only handle SQL errors see it too. Thread-safe.
 *
 * @since 0.1.0
 */
public final class SnowflakeDataSource implements javax.sql.DataSource {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeDataSource.class);

    private final SnowflakeConnectionConfig config;

    private SnowflakeDataSource(SnowflakeConnectionConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    public static SnowflakeDataSource of(SnowflakeConnectionConfig config) {
        return new SnowflakeDataSource(config);
    }

    public SnowflakeConnectionConfig config() {
        return config;
    }

    @Override
    public Connection getConnection() throws SQLException {
        LOG.debug("[snowflake] connecting with {}", config);
        try {
            return DriverManager.getConnection(config.jdbcUrl(), config.toProperties());
        } catch (SQLException e) {
            LOG.debug(
                    "[snowflake] connecting to {} as {} failed: SQLState {}, vendor code {}",
                    config.jdbcUrl(),
                    config.user(),
                    e.getSQLState(),
                    e.getErrorCode());
            throw new SQLException(
                    "connecting to Snowflake (" + config + ") failed: " + config.mask(e.getMessage()),
                    e.getSQLState(),
                    e.getErrorCode(),
                    e);
        } catch (RuntimeException e) {
            LOG.debug(
                    "[snowflake] connecting to {} as {} failed inside the driver: {}",
                    config.jdbcUrl(),
                    config.user(),
                    e.getClass().getName());
            // The cause is not attached: its message or stack could carry key material the driver was parsing.
            throw new SQLException(
                    "connecting to Snowflake (" + config + ") failed inside the driver with "
                            + e.getClass().getName() + ": " + config.mask(String.valueOf(e.getMessage()))
                            + " (check the credential settings)",
                    "28000");
        }
    }

    /** Not supported: the credential comes from the config. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("SnowflakeDataSource takes its credentials from its config");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // logging goes through SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("set loginTimeout on SnowflakeConnectionConfig");
    }

    @Override
    public int getLoginTimeout() {
        return (int)
                Math.min(Integer.MAX_VALUE, Long.parseLong(config.toProperties().getProperty("loginTimeout")));
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("logging goes through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("SnowflakeDataSource does not wrap " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "SnowflakeDataSource{" + config + '}';
    }
}
