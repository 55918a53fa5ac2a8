package io.flowguard.bronze.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A test {@link DataSource} whose connections, once {@link #arm() armed}, fail {@code setAutoCommit(true)} with
 * SQLState 08006, as a connection that broke during a failed batch does.
 */
final class BrokenAutoCommitDataSource {
    static final String MESSAGE = "cannot restore auto-commit: connection broken";

    private final AtomicBoolean armed = new AtomicBoolean();
    private final DataSource dataSource;

    BrokenAutoCommitDataSource(DataSource delegate) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = call(delegate, method, args);
                    return result instanceof Connection c ? wrap(c) : result;
                });
    }

    DataSource dataSource() {
        return dataSource;
    }

    void arm() {
        armed.set(true);
    }

    private Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (armed.get() && method.getName().equals("setAutoCommit") && Boolean.TRUE.equals(args[0])) {
                        throw new SQLException(MESSAGE, "08006");
                    }
                    return call(connection, method, args);
                });
    }

    private static Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
