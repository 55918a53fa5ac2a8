package io.flowguard.bronze.snowflake;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A test {@link DataSource} recording every statement sent: each {@code execute*} call (SQL text), each transaction
 * control call ({@code setAutoCommit}, {@code commit}, {@code rollback}), and connections opened. Fails the test on
 * {@code addBatch}/{@code executeBatch}, which snowflake-jdbc runs row by row.
 */
final class CountingDataSource implements DataSource {
    private final DataSource delegate;
    private final List<String> executed = new CopyOnWriteArrayList<>();
    private final List<String> transactionCalls = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong executeNanos = new java.util.concurrent.atomic.AtomicLong();

    CountingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** The SQL sent, without the one-time session check a sink runs on a foreign pool ({@link #sessionChecks()}). */
    List<String> executed() {
        return executed.stream().filter(sql -> !isSessionCheck(sql)).toList();
    }
    /** The session-check queries sent ({@link SessionCheck#QUERY}, {@link SessionCheck#COLLATION_QUERY}). */
    List<String> sessionChecks() {
        return executed.stream().filter(CountingDataSource::isSessionCheck).toList();
    }

    private static boolean isSessionCheck(String sql) {
        return sql.equals(SessionCheck.QUERY) || sql.equals(SessionCheck.COLLATION_QUERY);
    }

    List<String> transactionCalls() {
        return List.copyOf(transactionCalls);
    }

    int connections() {
        return connections.get();
    }
    /** Time spent inside {@code execute*} calls since the last reset, in milliseconds. */
    long executeMillis() {
        return executeNanos.get() / 1_000_000;
    }

    void reset() {
        executed.clear();
        transactionCalls.clear();
        connections.set(0);
        executeNanos.set(0);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = delegate.getConnection();
        connections.incrementAndGet();
        return (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("commit")
                            || name.equals("rollback")
                            || name.equals("setAutoCommit") && !((Boolean) args[0]).equals(c.getAutoCommit())) {
                        transactionCalls.add(name + (args == null ? "" : "(" + args[0] + ")"));
                    }
                    Object result = call(c, method, args);
                    if (name.equals("prepareStatement")) {
                        return statement((Statement) result, java.sql.PreparedStatement.class, (String) args[0]);
                    }
                    if (name.equals("createStatement")) {
                        return statement((Statement) result, Statement.class, null);
                    }
                    return result;
                });
    }

    private Object statement(Statement s, Class<?> type, String preparedSql) {
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("addBatch") || name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                throw new AssertionError("the sink must not use " + name + ": snowflake-jdbc runs batches row by row");
            }
            if (name.startsWith("execute")) {
                executed.add(preparedSql != null ? preparedSql : (String) args[0]);
                long t0 = System.nanoTime();
                try {
                    return call(s, method, args);
                } finally {
                    executeNanos.addAndGet(System.nanoTime() - t0);
                }
            }
            return call(s, method, args);
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
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
