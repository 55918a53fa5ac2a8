package io.flowguard.bronze.jdbc.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.jdbc.AbstractDataSource;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.SqlNaming;
import io.flowguard.bronze.jdbc.SqlType;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.jdbc.TypedColumn;
import io.flowguard.bronze.jdbc.WriteMode;
import io.flowguard.bronze.testkit.TestRecords;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The transaction template and plan rules every SQL sink shares, against a recording dialect. */
class TableSinkCoreTest {
    private final List<String> calls = new CopyOnWriteArrayList<>();

    /** Records what the core asks for; fails the ledger or the rows with {@code failure} when set. */
    private final class RecordingDialect implements TableSinkDialect {
        SQLException ledgerFailure;
        SQLException rowFailure;
        boolean rollbackFails;
        /** What {@link #rejectedRows} answers; null makes it throw. */
        List<String> rejected = List.of();

        @Override
        public SqlNaming naming() {
            return new SqlNaming() {
                @Override
                public String name() {
                    return "recording";
                }

                @Override
                public String typeName(SqlType type) {
                    return type.name();
                }

                @Override
                public ErrorKind classify(SQLException e) {
                    return ErrorKind.DATA;
                }
            };
        }

        @Override
        public TableDefinition ensure(DataSource ds, TableDefinition logical, boolean ledger) {
            return logical;
        }

        @Override
        public void forget(TableDefinition logical) {
            calls.add("forget " + logical.table());
        }

        @Override
        public boolean invalidatesEnsuredTable(SQLException e) {
            return false;
        }

        @Override
        public boolean begin(Connection c) {
            calls.add("begin");
            return true;
        }

        @Override
        public void commit(Connection c) {
            calls.add("commit");
        }

        @Override
        public boolean rollback(Connection c, Throwable cause) {
            calls.add("rollback");
            return !rollbackFails;
        }

        @Override
        public void end(Connection c, boolean restore, Throwable failure) {
            calls.add("end");
        }

        @Override
        public int insertRows(
                Connection c,
                TableDefinition physical,
                List<BronzeRecord> rows,
                List<TypedColumn> typed,
                WriteMode mode)
                throws SQLException {
            calls.add("rows " + physical.table());
            if (rowFailure != null) {
                throw rowFailure;
            }
            return rows.size();
        }

        @Override
        public List<String> rejectedRows(
                DataSource ds,
                TableDefinition physical,
                List<BronzeRecord> rows,
                List<TypedColumn> typed,
                SQLException failure) {
            calls.add("diagnose " + physical.table() + " " + rows.size());
            if (rejected == null) {
                throw new IllegalStateException("diagnosis failed");
            }
            return rejected;
        }

        @Override
        public void insertLedger(Connection c, TableDefinition ledger, List<IngestionLedger.Entry> entries)
                throws SQLException {
            calls.add("ledger " + entries.size());
            if (ledgerFailure != null) {
                throw ledgerFailure;
            }
        }
    }

    private static final DataSource NO_OP = new AbstractDataSource() {
        @Override
        public Connection getConnection() {
            return (Connection) Proxy.newProxyInstance(
                    TableSinkCoreTest.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> null);
        }
    };

    private static final class TestBuilder extends AbstractTableSinkBuilder<TestBuilder> {
        TestBuilder() {
            super("test");
        }
    }

    private static TableSinkOptions options() {
        return new TestBuilder().options();
    }

    private static BatchInfo batch() {
        return BatchInfo.of("b-1", "eng", "g", "records", Instant.parse("2025-01-01T00:00:00Z"), List.of());
    }

    @Test
    void shouldWriteTablesInOneFixedOrderWhateverOrderTheRecordsArriveIn() {
        RecordingDialect dialect = new RecordingDialect();
        TableSinkCore core = new TableSinkCore(NO_OP, dialect, options());
        List<BronzeRecord> clicksFirst = new ArrayList<>(TestRecords.clicks("web.clicks", 0, 0, 2));
        clicksFirst.addAll(TestRecords.orders("orders", 0, 0, 2));
        List<BronzeRecord> ordersFirst = new ArrayList<>(TestRecords.orders("orders", 0, 0, 2));
        ordersFirst.addAll(TestRecords.clicks("web.clicks", 0, 0, 2));

        core.write(clicksFirst, batch());
        List<String> first = List.copyOf(calls);
        calls.clear();
        core.write(ordersFirst, batch());

        assertThat(first)
                .as("S10: tables are locked in name order, then the ledger")
                .containsExactly("begin", "rows ORDERS_RAW", "rows WEB_CLICKS_RAW", "ledger 2", "commit", "end");
        assertThat(calls).isEqualTo(first);
    }

    @Test
    void shouldRouteEachTopicOncePerStepOfAWriteNotOncePerRecord() {
        java.util.concurrent.atomic.AtomicInteger routed = new java.util.concurrent.atomic.AtomicInteger();
        io.flowguard.bronze.api.TableRouter byName = io.flowguard.bronze.api.TableRouter.fromTopicName();
        TableSinkOptions counting = new TestBuilder()
                .tableRouter(topic -> {
                    routed.incrementAndGet();
                    return byName.tableFor(topic);
                })
                .options();
        TableSinkCore core = new TableSinkCore(NO_OP, new RecordingDialect(), counting);
        List<BronzeRecord> records = new ArrayList<>(TestRecords.orders("orders", 0, 0, 500));
        records.addAll(TestRecords.clicks("web.clicks", 0, 0, 500));

        core.write(records, batch());

        assertThat(calls).contains("rows ORDERS_RAW", "rows WEB_CLICKS_RAW", "commit");
        assertThat(routed.get())
                .as("the router (a regular expression by default) runs per topic: to ensure the tables, then to plan")
                .isLessThanOrEqualTo(4);
    }

    @Test
    void shouldReportALedgerFailureAsTransientEvenWhenTheDialectWouldCallItData() {
        RecordingDialect dialect = new RecordingDialect();
        dialect.ledgerFailure = new SQLException("Timestamp 'x' is not recognized", "22007", 100035);
        TableSinkCore core = new TableSinkCore(NO_OP, dialect, options());

        assertThatThrownBy(() -> core.write(TestRecords.orders("orders", 0, 0, 3), batch()))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind())
                            .as("S6: the ledger's values are the sink's own, never a record's fault")
                            .isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.getMessage()).contains("(ingestion ledger)");
                });
        assertThat(calls).contains("rollback").doesNotContain("commit");
    }

    @Test
    void shouldReportARowFailureAsTheDialectClassifiesIt() {
        RecordingDialect dialect = new RecordingDialect();
        dialect.rowFailure = new SQLException("Numeric value 'abc' is not recognized", "22018", 100038);
        TableSinkCore core = new TableSinkCore(NO_OP, dialect, options());

        assertThatThrownBy(() -> core.write(TestRecords.orders("orders", 0, 0, 3), batch()))
                .isInstanceOfSatisfying(
                        SinkWriteException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATA));
    }

    @Test
    void shouldNotTouchAConnectionWhoseRollbackFailedAndWasAborted() {
        RecordingDialect dialect = new RecordingDialect();
        dialect.rowFailure = new SQLException("boom", "08006", 0);
        dialect.rollbackFails = true;
        TableSinkCore core = new TableSinkCore(NO_OP, dialect, options());

        assertThatThrownBy(() -> core.write(TestRecords.orders("orders", 0, 0, 3), batch()))
                .isInstanceOf(SinkWriteException.class);

        assertThat(calls)
                .as("S8: no auto-commit reset over an open transaction")
                .endsWith("rollback")
                .doesNotContain("end");
    }

    @Test
    void shouldNameTheRowsTheDialectFindsAfterTheRollbackSoTheEngineNeedNotBisect() {
        RecordingDialect dialect = new RecordingDialect();
        dialect.rowFailure = new SQLException("Numeric value 'abc' is not recognized", "22018", 100038);
        List<BronzeRecord> records = TestRecords.orders("orders", 0, 0, 5);
        dialect.rejected = List.of(records.get(1).ingestionId(), records.get(3).ingestionId());
        TableSinkCore core = new TableSinkCore(NO_OP, dialect, options());

        assertThatThrownBy(() -> core.write(records, batch())).isInstanceOfSatisfying(SinkWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
            assertThat(e.rejectedIngestionIds())
                    .containsExactly(
                            records.get(1).ingestionId(), records.get(3).ingestionId());
            assertThat(e.vendorCode()).isEqualTo(100038);
            assertThat(e.getMessage()).contains("(DATA, SQLState 22018");
        });
        assertThat(calls)
                .as("the diagnosis runs once the failed transaction is rolled back and its connection released")
                .containsExactly("begin", "rows ORDERS_RAW", "rollback", "end", "diagnose ORDERS_RAW 5");
    }

    @Test
    void shouldNotNameAnIdThatSeveralRecordsOfTheCallShare() {
        // Under a payload-derived id a producer's corrected resend shares the bad record's id: naming the id would
        // dead-letter the good record too. Such ids are left to bisection.
        RecordingDialect dialect = new RecordingDialect();
        dialect.rowFailure = new SQLException("Numeric value 'N/A' is not recognized", "22018", 100038);
        List<BronzeRecord> records = new ArrayList<>(TestRecords.orders("orders", 0, 0, 5));
        records.add(records.get(1).toBuilder().offset(5).build()); // same ingestion id as offset 1
        dialect.rejected = List.of(records.get(1).ingestionId(), records.get(3).ingestionId());
        TableSinkCore core = new TableSinkCore(NO_OP, dialect, options());

        assertThatThrownBy(() -> core.write(records, batch()))
                .isInstanceOfSatisfying(
                        SinkWriteException.class,
                        e -> assertThat(e.rejectedIngestionIds())
                                .containsExactly(records.get(3).ingestionId()));
        dialect.rejected = List.of(records.get(1).ingestionId());
        assertThatThrownBy(() -> core.write(records, batch())).isInstanceOfSatisfying(SinkWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
            assertThat(e.rejectedIngestionIds())
                    .as("only a shared id named: the engine bisects")
                    .isEmpty();
        });
    }

    @Test
    void shouldFallBackToAPlainDataErrorWhenTheDiagnosisNamesNothingOrFails() {
        RecordingDialect dialect = new RecordingDialect();
        dialect.rowFailure = new SQLException("NULL result in a non-nullable column", "22000", 100072);
        TableSinkCore core = new TableSinkCore(NO_OP, dialect, options());

        assertThatThrownBy(() -> core.write(TestRecords.orders("orders", 0, 0, 3), batch()))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
                    assertThat(e.rejectedIngestionIds())
                            .as("nothing named: the engine bisects")
                            .isEmpty();
                });
        dialect.rejected = null;
        assertThatThrownBy(() -> core.write(TestRecords.orders("orders", 0, 0, 3), batch()))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
                    assertThat(e.rejectedIngestionIds())
                            .as("diagnosis failed: the engine bisects")
                            .isEmpty();
                    assertThat(e.getCause().getSuppressed())
                            .anySatisfy(t -> assertThat(t).hasMessage("diagnosis failed"));
                });
    }

    @Test
    void shouldNotDiagnoseTransientOrLedgerFailures() {
        RecordingDialect dialect = new RecordingDialect();
        dialect.ledgerFailure = new SQLException("Timestamp 'x' is not recognized", "22007", 100035);
        dialect.rejected = List.of("anything");
        TableSinkCore core = new TableSinkCore(NO_OP, dialect, options());

        assertThatThrownBy(() -> core.write(TestRecords.orders("orders", 0, 0, 3), batch()))
                .isInstanceOfSatisfying(
                        SinkWriteException.class,
                        e -> assertThat(e.rejectedIngestionIds()).isEmpty());
        assertThat(calls).noneMatch(c -> c.startsWith("diagnose"));
    }
}
