package io.flowguard.bronze.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.jdbc.ColumnDefinition;
import io.flowguard.bronze.jdbc.SqlDialect;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TableDefinition;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The array binding: each column's values become one text array of their {@code toString()}, nulls kept. */
class ArrayInsertDialectTest {
    private static final TableDefinition TABLE = TableDefinition.builder("T")
            .schema("S")
            .column(ColumnDefinition.notNull("ID", SqlType.VARCHAR))
            .column(ColumnDefinition.of("AT", SqlType.TIMESTAMP))
            .column(ColumnDefinition.of("N", SqlType.BIGINT))
            .column(ColumnDefinition.of("SEEN", SqlType.TIMESTAMP))
            .uniqueKey("ID")
            .build();

    /** Captures what a dialect binds: per parameter index, the element type and the elements of the array. */
    private static final class Capture {
        final Map<Integer, Object[]> arrays = new HashMap<>();
        final List<String> elementTypes = new ArrayList<>();

        PreparedStatement statement() {
            Connection connection = (Connection) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("createArrayOf")) {
                            elementTypes.add((String) args[0]);
                            Object[] elements = ((Object[]) args[1]).clone();
                            return Proxy.newProxyInstance(
                                    getClass().getClassLoader(),
                                    new Class<?>[] {Array.class},
                                    (p, m, a) -> m.getName().equals("getArray") ? elements : null);
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
            return (PreparedStatement) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getConnection")) {
                            return connection;
                        }
                        if (method.getName().equals("setArray")) {
                            arrays.put((Integer) args[0], (Object[]) ((Array) args[1]).getArray());
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private static Map<Integer, Object[]> bind(SqlDialect dialect, List<Object[]> rows) throws SQLException {
        Capture capture = new Capture();
        dialect.bindInsert(capture.statement(), TABLE, rows);
        assertThat(capture.elementTypes).hasSize(TABLE.columns().size());
        return capture.arrays;
    }

    /** What binding means, value by value: the value's text, null for null. */
    private static void assertBoundAsText(Map<Integer, Object[]> bound, List<Object[]> rows) {
        assertThat(bound).hasSize(TABLE.columns().size());
        for (int col = 0; col < TABLE.columns().size(); col++) {
            Object[] expected = new Object[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                Object v = rows.get(r)[col];
                expected[r] = v == null ? null : v.toString();
            }
            assertThat(bound.get(col + 1)).as("column %d", col).containsExactly(expected);
        }
    }

    @Test
    void shouldBindRepeatedAndChangingInstantsAsTheirOwnText() throws SQLException {
        Instant batch = Instant.parse("2026-11-30T01:00:00.123456Z");
        List<Object[]> rows = List.of(
                new Object[] {"a", Instant.ofEpochMilli(1_700_000_000_123L), 1L, batch},
                new Object[] {"b", Instant.ofEpochMilli(1_700_000_000_123L), 2L, batch},
                new Object[] {"c", null, null, Instant.parse("2026-11-30T01:00:00.123456Z")},
                new Object[] {"d", Instant.ofEpochMilli(1_700_000_000_123L), 4L, batch},
                new Object[] {"e", Instant.ofEpochSecond(1_700_000_000L), 5L, batch},
                new Object[] {"f", Instant.ofEpochSecond(1_700_000_000L, 1), 6L, Instant.EPOCH},
                new Object[] {"g", Instant.ofEpochMilli(1_700_000_000_123L), 7L, batch});

        Map<Integer, Object[]> bound = bind(SqlDialect.postgres(), rows);

        assertBoundAsText(bound, rows);
        assertThat(bound.get(2))
                .containsExactly(
                        "2023-11-14T22:13:20.123Z",
                        "2023-11-14T22:13:20.123Z",
                        null,
                        "2023-11-14T22:13:20.123Z",
                        "2023-11-14T22:13:20Z",
                        "2023-11-14T22:13:20.000000001Z",
                        "2023-11-14T22:13:20.123Z");
    }

    @Property(tries = 300)
    void shouldBindEveryValueAsItsTextWhateverTheRepeats(@ForAll("rows") List<Object[]> rows) throws SQLException {
        assertBoundAsText(bind(SqlDialect.postgres(), rows), rows);
        assertBoundAsText(bind(SqlDialect.duckdb(), rows), rows);
    }

    @Test
    void shouldRejectARowWithTheWrongNumberOfValues() {
        List<Object[]> rows = List.of(new Object[] {"a", null, 1L, null}, new Object[] {"b", null});

        assertThatThrownBy(() -> bind(SqlDialect.postgres(), rows))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 has 2 values but table")
                .hasMessageContaining("has 4 columns");
    }

    @Provide
    Arbitrary<List<Object[]>> rows() {
        // Few distinct instants, so that equal values (as distinct objects) often follow each other; nulls in between.
        Arbitrary<Instant> instant = Arbitraries.of(
                        0L, 1L, 999L, 1_000L, 1_700_000_000_123L, 1_700_000_000_000L, -1L, 253_402_300_799_999L)
                .flatMap(ms -> Arbitraries.of(0, 1, 1_000, 123_000, 999_999)
                        .map(nanos -> Instant.ofEpochMilli(ms).plusNanos(nanos)))
                .injectNull(0.2);
        Arbitrary<Object[]> row = net.jqwik.api.Combinators.combine(
                        Arbitraries.strings().alpha().ofMaxLength(4),
                        instant,
                        Arbitraries.longs().injectNull(0.2),
                        instant)
                .as((id, at, n, seen) -> new Object[] {id, at, n, seen});
        return row.list().ofMaxSize(40);
    }
}
