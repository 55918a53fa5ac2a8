package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlErrorsTest {

    @ParameterizedTest(name = "SQLState {0} -> {1}")
    @CsvSource({
        // connection
        "08001, TRANSIENT",
        "08006, TRANSIENT",
        "08003, TRANSIENT",
        // transaction rollback: serialization failure, deadlock
        "40001, TRANSIENT",
        "40P01, TRANSIENT",
        "40002, DATA",
        // operator intervention: statement timeout / cancel, shutdown, cannot connect now
        "57014, TRANSIENT",
        "57P01, TRANSIENT",
        "57P03, TRANSIENT",
        // insufficient resources, system error
        "53300, TRANSIENT",
        "53100, TRANSIENT",
        "58030, TRANSIENT",
        // lock not available, object in use
        "55P03, TRANSIENT",
        "55006, TRANSIENT",
        // data exceptions: invalid text representation, numeric out of range, untranslatable character
        "22P02, DATA",
        "22003, DATA",
        "22P05, DATA",
        "22021, DATA",
        // integrity: not null, unique, check, foreign key
        "23502, DATA",
        "23505, DATA",
        "23514, DATA",
        "23503, DATA",
        // program limit exceeded: index row too large for the unique index (only a value can do that)
        "54000, DATA",
        "54001, DATA",
        // syntax / undefined table / undefined column / no unique index for ON CONFLICT / insufficient privilege:
        // every value is bound, so no row causes them
        "42601, TRANSIENT",
        "42P01, TRANSIENT",
        "42703, TRANSIENT",
        "42P10, TRANSIENT",
        "42501, TRANSIENT",
        // feature not supported
        "0A000, TRANSIENT",
        // unknown classes: authorization, invalid transaction state, internal error
        "28P01, TRANSIENT",
        "25P02, TRANSIENT",
        "XX000, TRANSIENT"
    })
    void shouldClassifyBySqlState(String state, ErrorKind expected) {
        assertThat(SqlErrors.classify(new SQLException("boom", state))).isEqualTo(expected);
    }

    @Test
    void shouldClassifyTransientAndRecoverableJdbcExceptionsAsTransient() {
        assertThat(SqlErrors.classify(new SQLTimeoutException("timeout"))).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(SqlErrors.classify(new SQLTransientConnectionException("gone")))
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(SqlErrors.classify(new SQLRecoverableException("recover"))).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(SqlErrors.classify(new SQLNonTransientConnectionException("refused", "08001")))
                .isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void shouldClassifyDataJdbcExceptionsWithoutStateAsData() {
        assertThat(SqlErrors.classify(new SQLDataException("bad"))).isEqualTo(ErrorKind.DATA);
        assertThat(SqlErrors.classify(new SQLIntegrityConstraintViolationException("dup")))
                .isEqualTo(ErrorKind.DATA);
    }

    @Test
    void shouldClassifySyntaxErrorWithoutStateAsTransient() {
        assertThat(SqlErrors.classify(new SQLSyntaxErrorException("syntax"))).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void shouldClassifyUnknownFailureAsTransient() {
        assertThat(SqlErrors.classify(new SQLException("who knows"))).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void shouldFindSqlStateInNextExceptionOrCause() {
        SQLException outer = new SQLException("batch failed");
        outer.setNextException(new SQLException("row 3", "23505"));
        assertThat(SqlErrors.sqlState(outer)).isEqualTo("23505");
        assertThat(SqlErrors.classify(outer)).isEqualTo(ErrorKind.DATA);

        SQLException wrapped = new SQLException("wrapped", new SQLException("inner", "40P01"));
        assertThat(SqlErrors.classify(wrapped)).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void shouldCarryTableStateAndVendorCodeWhenWrapping() {
        SQLException cause = new SQLException("duplicate key", "23505", 7);

        SinkWriteException e =
                SqlErrors.toSinkWriteException("writing 2 records", "ORDERS_RAW", cause, SqlDialect.postgres());

        assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
        assertThat(e.isRetriable()).isFalse();
        assertThat(e.table()).isEqualTo("ORDERS_RAW");
        assertThat(e.sqlState()).isEqualTo("23505");
        assertThat(e.vendorCode()).isEqualTo(7);
        assertThat(e)
                .hasCause(cause)
                .hasMessage("writing 2 records failed for table ORDERS_RAW (DATA, SQLState 23505, "
                        + "vendor code 7): duplicate key");
    }
}
