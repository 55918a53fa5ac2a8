package io.flowguard.bronze.snowflake.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.TableDefinition;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class TableManagerTest {
    private final List<String> executed = new CopyOnWriteArrayList<>();
    private final TableDefinition table = BronzeTables.bronzeTable("BRONZE", "ORDERS_RAW", List.of());

    /** A data source on which DESCRIBE says the table is missing and every other statement fails with {@code failure}. */
    private DataSource failing(SQLException failure) {
        Statement statement = (Statement) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Statement.class}, (p, m, a) -> switch (m.getName()) {
                    case "executeQuery", "execute" -> {
                        executed.add((String) a[0]);
                        if (((String) a[0]).startsWith("DESCRIBE")) {
                            throw new SQLException(
                                    "Table 'ORDERS_RAW' does not exist or not authorized.", "42S02", 2003);
                        }
                        throw failure;
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        Connection connection = (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> switch (m.getName()) {
                    case "createStatement" -> statement;
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (DataSource)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, a) -> {
                    if (m.getName().equals("getConnection")) {
                        return connection;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void shouldFailTransientWhenCreatingTableFailsWithWhatLooksLikeADataError() {
        // 090105 "no current database" carries SQLState 22000; without a vendor code 22000 alone would read as DATA.
        TableManager manager = new TableManager("test", true);

        assertThatThrownBy(() -> manager.ensure(
                        failing(new SQLException("This session does not have a current database.", "22000", 0)),
                        table,
                        List.of()))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.sqlState()).isEqualTo("22000");
                    assertThat(e)
                            .hasMessageContaining("creating or migrating the table failed for table BRONZE.ORDERS_RAW");
                });
    }

    @Test
    void shouldDescribeBeforeCreatingAndCreateSchemaOnlyWhenCreatingTableFails() {
        TableManager manager = new TableManager("test", true);

        assertThatThrownBy(() -> manager.ensure(
                        failing(new SQLException("Schema 'BRONZE' does not exist", "02000", 2003)), table, List.of()))
                .isInstanceOf(SinkWriteException.class);

        assertThat(executed).hasSize(3);
        assertThat(executed.get(0)).startsWith("DESCRIBE TABLE \"BRONZE\".\"ORDERS_RAW\"");
        assertThat(executed.get(1)).startsWith("CREATE TABLE IF NOT EXISTS \"BRONZE\".\"ORDERS_RAW\"");
        assertThat(executed.get(2)).isEqualTo("CREATE SCHEMA IF NOT EXISTS \"BRONZE\"");
    }

    @Test
    void shouldFailTransientWithoutCreatingWhenTableIsMissingAndCreateTablesIsOff() {
        TableManager manager = new TableManager("test", false);

        assertThatThrownBy(() -> manager.ensure(failing(new SQLException("unexpected")), table, List.of()))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e).hasMessageContaining("does not exist and createTables is false");
                });
        assertThat(executed).singleElement().asString().startsWith("DESCRIBE");
    }
}
