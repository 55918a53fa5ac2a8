package io.flowguard.bronze.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A test {@link DataSource} that counts the statements sent to the database: every {@code execute*} call on a
 * {@link Statement} or {@link PreparedStatement} obtained from its connections, recording the SQL of each.
 */
final class CountingDataSource implements DataSource {
    private final DataSource delegate;
    private final List<String> executed = new CopyOnWriteArrayList<>();

    CountingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** The SQL of every statement executed since the last {@link #reset()}, in order. */
    List<String> executed() {
        return List.copyOf(executed);
    }

    /** How many executed statements start with {@code prefix} (e.g. {@code "INSERT"}). */
    long count(String prefix) {
        return executed.stream().filter(s -> s.startsWith(prefix)).count();
    }

    void reset() {
        executed.clear();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, new ConnectionHandler(connection));
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection connection;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = call(connection, method, args);
            if (result instanceof PreparedStatement ps && method.getName().equals("prepareStatement")) {
                return statementProxy(ps, PreparedStatement.class, (String) args[0]);
            }
            if (result instanceof Statement s && method.getName().equals("createStatement")) {
                return statementProxy(s, Statement.class, null);
            }
            return result;
        }
    }

    private Object statementProxy(Statement statement, Class<?> type, String preparedSql) {
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
                executed.add(sql);
            }
            return call(statement, method, args);
        });
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
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
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
