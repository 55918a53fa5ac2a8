package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnowflakeErrorsTest {

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
        // driver-side: network, IO, connection, bad key, missing user
        "58030, 200015, TRANSIENT",
        "58030, 200016, TRANSIENT",
        "08001, 200002, TRANSIENT",
        "42601, 200045, TRANSIENT",
        "28000, 200011, TRANSIENT",
        // login and session
        "08001, 390100, TRANSIENT",
        "08001, 390114, TRANSIENT",
        // canceled, statement timeout, lock waiters, internal error, no active warehouse
        "57014, 604, TRANSIENT",
        "57014, 630, TRANSIENT",
        "57014, 625, TRANSIENT",
        "XX000, 603, TRANSIENT",
        "57P03, 606, TRANSIENT",
        // compile errors: never a row's fault
        "42S02, 2003, TRANSIENT",
        "42000, 904, TRANSIENT",
        "42000, 1003, TRANSIENT",
        "42501, 3001, TRANSIENT",
        // data errors
        "22018, 100038, DATA",
        "22007, 100035, DATA",
        "22P02, 100069, DATA",
        "22000, 100072, DATA",
        "22003, 0, DATA",
        "23000, 0, DATA",
        // a Snowflake code outside 100xxx is not a data error, whatever its SQLState: 090105 "no current database"
        "22000, 90105, TRANSIENT",
        "22023, 2043, TRANSIENT",
        "23000, 2001, TRANSIENT",
        // by SQLState only
        "08006, 0, TRANSIENT",
        "40001, 0, TRANSIENT",
        "42000, 0, TRANSIENT",
        "0A000, 0, TRANSIENT"
    })
    void shouldClassifyByVendorCodeThenSqlState(String state, int code, ErrorKind expected) {
        assertThat(SnowflakeErrors.classify(new SQLException("boom", state, code)))
                .isEqualTo(expected);
    }

    @Test
    void shouldTreatUnknownFailureAsTransient() {
        assertThat(SnowflakeErrors.classify(new SQLException("who knows"))).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void shouldTreatJdbcTimeoutAsTransient() {
        assertThat(SnowflakeErrors.classify(new SQLTimeoutException("slow", "22000", 100038)))
                .isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void shouldFindVendorCodeInCauseChain() {
        SQLException wrapped = new SQLException(
                "connecting failed",
                null,
                0,
                new SQLException("refused", "58030", 200015, new ConnectException("Connection refused")));

        assertThat(SnowflakeErrors.vendorCode(wrapped)).isEqualTo(200015);
        assertThat(SnowflakeErrors.classify(wrapped)).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void shouldRecognizeMissingTableAndColumn() {
        assertThat(SnowflakeErrors.isMissingObject(new SQLException("x", "42S02", 2003)))
                .isTrue();
        assertThat(SnowflakeErrors.isMissingObject(new SQLException("x", "42000", 904)))
                .isTrue();
        assertThat(SnowflakeErrors.isMissingObject(new SQLException("x", "42000", 1003)))
                .isFalse();
    }

    @Test
    void shouldCarryTableStateAndCodeInSinkWriteException() {
        SinkWriteException e = SnowflakeErrors.toSinkWriteException(
                "merging 3 records",
                "BRONZE.ORDERS_RAW",
                new SQLException("Numeric value 'abc' is not recognized", "22018", 100038));

        assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
        assertThat(e.table()).isEqualTo("BRONZE.ORDERS_RAW");
        assertThat(e.sqlState()).isEqualTo("22018");
        assertThat(e.vendorCode()).isEqualTo(100038);
        assertThat(e)
                .hasMessage("merging 3 records failed for table BRONZE.ORDERS_RAW (DATA, SQLState 22018, vendor code "
                        + "100038): Numeric value 'abc' is not recognized");
    }

    @Test
    void shouldTreatNoCurrentDatabaseAsTransientThoughItsSqlStateIsADataException() {
        SQLException e = new SQLException(
                "Cannot perform CREATE TABLE. This session does not have a current database.", "22000", 90105);

        assertThat(SnowflakeErrors.classify(e)).isEqualTo(ErrorKind.TRANSIENT);
    }
}
