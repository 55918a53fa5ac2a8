package io.flowguard.bronze.config;

import io.flowguard.bronze.jdbc.AbstractDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A DataSource that keeps one idle connection of {@code target} for the next caller instead of closing it: a command
 * runs a dozen short reads, and each Snowflake login costs hundreds of milliseconds. Closing a borrowed connection hands
 * it back when it is open and in autocommit (a sink that left a transaction open or failed gets its connection closed);
 * concurrent callers get connections of their own. {@link #close()} closes the idle one. Thread-safe.
 *
 * @since 0.2.0
 */
public final class ReusingDataSource extends AbstractDataSource implements AutoCloseable {
    private final DataSource target;
    private Connection idle;
    private boolean closed;

    public ReusingDataSource(DataSource target) {
        this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection physical;
        synchronized (this) {
            if (closed) {
                throw new SQLException("the warehouse connection was closed");
            }
            physical = idle;
            idle = null;
        }
        if (physical == null || physical.isClosed()) {
            physical = target.getConnection();
        }
        return borrowed(physical);
    }

    private Connection borrowed(Connection physical) {
        boolean[] returned = {false};
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            if (!returned[0]) {
                                returned[0] = true;
                                release(physical);
                            }
                            return null;
                        case "isClosed":
                            return returned[0] || physical.isClosed();
                        case "unwrap":
                            return ((Class<?>) args[0]).isInstance(proxy) ? proxy : physical.unwrap((Class<?>) args[0]);
                        case "isWrapperFor":
                            return ((Class<?>) args[0]).isInstance(proxy) || physical.isWrapperFor((Class<?>) args[0]);
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "toString":
                            return "reused " + physical;
                        default:
                            if (returned[0]) {
                                throw new SQLException("connection already closed");
                            }
                            try {
                                return method.invoke(physical, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }

    private void release(Connection physical) {
        boolean reusable;
        try {
            reusable = !physical.isClosed() && physical.getAutoCommit();
        } catch (SQLException e) {
            reusable = false;
        }
        synchronized (this) {
            if (reusable && idle == null && !closed) {
                idle = physical;
                return;
            }
        }
        closeQuietly(physical);
    }

    @Override
    public void close() {
        Connection c;
        synchronized (this) {
            closed = true;
            c = idle;
            idle = null;
        }
        if (c != null) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // a connection we are done with: nothing to do about a failure
        }
    }
}
