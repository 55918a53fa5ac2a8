package io.flowguard.bronze.snowflake.internal;

import io.flowguard.bronze.snowflake.SessionCheck;
import io.flowguard.bronze.snowflake.SnowflakeDataSource;
import io.flowguard.bronze.snowflake.SnowflakeSessionParameters;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@link DataSource} a Snowflake sink writes through when the caller brought their own pool: before the first
 * connection it hands out (the sink's first write, table creation or ledger read), it runs
 * {@link SnowflakeSessionParameters#verifyDefaults(DataSource, String)} once on the caller's pool, which logs a WARN naming
 * each session parameter that differs and how to fix it. The check never fails a write. The library's own
 * {@link SnowflakeDataSource} pins the parameters at login and is never wrapped ({@link #wrap}). Thread-safe: concurrent
 * first calls run the check once.
 */
public final class SessionVerifyingDataSource implements DataSource {
    private final DataSource delegate;
    private final String name;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<SessionCheck> result = new AtomicReference<>();

    private SessionVerifyingDataSource(DataSource delegate, String name) {
        this.delegate = delegate;
        this.name = name;
    }

    /**
     * {@code dataSource} itself when its sessions are pinned already (a {@link SnowflakeDataSource}) or it is verified
     * already (wrapped by another sink, e.g. a companion dead-letter sink); else a wrapper that verifies it once.
     */
    public static DataSource wrap(DataSource dataSource, String name) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        if (dataSource instanceof SnowflakeDataSource || dataSource instanceof SessionVerifyingDataSource) {
            return dataSource;
        }
        return new SessionVerifyingDataSource(dataSource, Objects.requireNonNull(name, "name must not be null"));
    }

    /** What the check found, once it ran; empty before the first connection and when {@code dataSource} was not wrapped. */
    public static Optional<SessionCheck> result(DataSource dataSource) {
        return dataSource instanceof SessionVerifyingDataSource v
                ? Optional.ofNullable(v.result.get())
                : Optional.empty();
    }

    private void verifyOnce() {
        if (started.compareAndSet(false, true)) {
            result.set(SnowflakeSessionParameters.verifyDefaults(delegate, name));
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        verifyOnce();
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        verifyOnce();
        return delegate.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        // Never the delegate: some implementations print credentials.
        return "SessionVerifyingDataSource{" + name + '}';
    }
}
