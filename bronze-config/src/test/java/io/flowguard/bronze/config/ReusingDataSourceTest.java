package io.flowguard.bronze.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.jdbc.AbstractDataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReusingDataSourceTest {
    /** Physical connections that remember whether they are closed and in autocommit. */
    static final class FakeConnections extends AbstractDataSource {
        final List<boolean[]> opened = new ArrayList<>(); // {closed, autoCommit}

        @Override
        public Connection getConnection() {
            boolean[] state = {false, true};
            opened.add(state);
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "close" -> {
                            state[0] = true;
                            yield null;
                        }
                        case "isClosed" -> state[0];
                        case "getAutoCommit" -> state[1];
                        case "setAutoCommit" -> {
                            state[1] = (Boolean) args[0];
                            yield null;
                        }
                        case "getSchema" -> "S" + opened.indexOf(state);
                        default -> null;
                    });
        }
    }

    private final FakeConnections physical = new FakeConnections();
    private final ReusingDataSource reusing = new ReusingDataSource(physical);

    @Test
    void shouldHandTheSameConnectionToTheNextCaller() throws SQLException {
        try (Connection c = reusing.getConnection()) {
            assertThat(c.getSchema()).isEqualTo("S0");
        }
        try (Connection c = reusing.getConnection()) {
            assertThat(c.getSchema()).isEqualTo("S0");
        }

        assertThat(physical.opened).hasSize(1);
        assertThat(physical.opened.get(0)[0])
                .as("physical connection still open")
                .isFalse();
    }

    @Test
    void shouldCloseAConnectionReturnedOutsideAutocommit() throws SQLException {
        try (Connection c = reusing.getConnection()) {
            c.setAutoCommit(false);
        }
        reusing.getConnection().close();

        assertThat(physical.opened).hasSize(2);
        assertThat(physical.opened.get(0)[0])
                .as("left in a transaction: closed")
                .isTrue();
    }

    @Test
    void shouldGiveConcurrentCallersConnectionsOfTheirOwnAndKeepOnlyOne() throws SQLException {
        Connection a = reusing.getConnection();
        Connection b = reusing.getConnection();
        a.close();
        b.close();

        assertThat(physical.opened).hasSize(2);
        assertThat(physical.opened.get(0)[0]).as("kept").isFalse();
        assertThat(physical.opened.get(1)[0])
                .as("one idle connection is enough")
                .isTrue();
        assertThat(a.isClosed()).isTrue();
        assertThatThrownBy(a::getSchema).isInstanceOf(SQLException.class).hasMessage("connection already closed");
    }

    @Test
    void shouldCloseTheIdleConnectionAndRefuseNewOnesWhenClosed() throws SQLException {
        reusing.getConnection().close();

        reusing.close();

        assertThat(physical.opened.get(0)[0]).isTrue();
        assertThatThrownBy(reusing::getConnection).isInstanceOf(SQLException.class);
    }
}
