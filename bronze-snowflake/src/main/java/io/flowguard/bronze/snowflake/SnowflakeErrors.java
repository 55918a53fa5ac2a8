package io.flowguard.bronze.snowflake;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import io.flowguard.bronze.jdbc.SqlErrors;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Classifies Snowflake failures as {@link ErrorKind#TRANSIENT} (the engine retries the batch) or {@link ErrorKind#DATA}
 * (a record is rejected; the engine isolates and dead-letters it), by Snowflake error code first, then SQLState.
 *
 * <table>
 *   <caption>Classification, first match wins</caption>
 *   <tr><th>Condition</th><th>Kind</th><th>Why</th></tr>
 *   <tr><td>{@code SQLTransientException}, {@code SQLRecoverableException}</td><td>TRANSIENT</td><td>JDBC says so</td></tr>
 *   <tr><td>codes 200000–299999 (raised by the driver: network 200015 / IO 200016 / connection 200002, timeouts,
 *       HTTP, bad private key 200045, missing user 200011...)</td><td>TRANSIENT</td>
 *       <td>never caused by a row; includes connection refused and throttling that outlived the driver's retries</td></tr>
 *   <tr><td>codes 390000–390999 (login and session: expired session token 390112/390114, bad credentials)</td>
 *       <td>TRANSIENT</td><td>sessions expire; credentials get rotated</td></tr>
 *   <tr><td>604 (canceled), 630 (statement timeout), 625 (lock wait limit), 603 (internal error),
 *       606 (no active / suspended warehouse)</td><td>TRANSIENT</td><td>timeouts, lock contention, warehouse state</td></tr>
 *   <tr><td>2003 (object does not exist <em>or not authorized</em>), 904 (invalid identifier), 1003 (syntax error),
 *       3001 (insufficient privileges), and any other SQLState of class 42 or 0A</td><td>TRANSIENT</td>
 *       <td>rows are bind parameters, so a compile error is never a row's fault: dead-lettering every record would be
 *       wrong; the pipeline waits until the table, column or grant is fixed (the sink re-creates a dropped table)</td></tr>
 *   <tr><td>codes 100000–100999 (data errors: 100038 numeric value not recognized, 100035/100040 timestamp/date not
 *       recognized, 100069 {@code PARSE_JSON} error, 100072 NULL in a NOT NULL column...)</td><td>DATA</td><td>a value is bad</td></tr>
 *   <tr><td>any other non-zero code, whatever its SQLState (e.g. 090105 "no current database", SQLState 22000)</td>
 *       <td>TRANSIENT</td><td>Snowflake names data errors with 100xxx codes; anything else is setup, grants or
 *       service state, which no row causes: classifying it DATA would dead-letter good rows</td></tr>
 *   <tr><td>no vendor code (not from Snowflake's server): {@link SqlErrors#classify} (class 22/23/54 → DATA; 08, 42,
 *       0A, 53, 57, 58 and unknown → TRANSIENT)</td><td>as there</td><td></td></tr>
 * </table>
 *
 * <p>fakesnow reports a few data errors (NOT NULL violations, invalid JSON in {@code PARSE_JSON}) as HTTP 500, which the
 * driver raises as 200015 — TRANSIENT. Real Snowflake reports them as 100072 / 100069 — DATA.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class SnowflakeErrors {
    private static final Set<Integer> TRANSIENT_CODES = Set.of(603, 604, 606, 625, 630);
    private static final Set<Integer> NOT_A_ROW_CODES = Set.of(904, 1003, 2003, 3001);
    /** Codes meaning a table, column or schema is missing (or not visible to the role). */
    private static final Set<Integer> MISSING_OBJECT_CODES = Set.of(904, 2003);

    private SnowflakeErrors() {}

    /** Classifies {@code e} (looking through its causes and next exceptions for a vendor code and SQLState). */
    public static ErrorKind classify(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return ErrorKind.TRANSIENT;
        }
        int code = vendorCode(e);
        if (code >= 200_000 && code <= 299_999
                || code >= 390_000 && code <= 390_999
                || TRANSIENT_CODES.contains(code)
                || NOT_A_ROW_CODES.contains(code)) {
            return ErrorKind.TRANSIENT;
        }
        if (code >= 100_000 && code <= 100_999) {
            return ErrorKind.DATA;
        }
        if (code != 0) {
            // Snowflake said which error it was, and it is not a data error: whatever the SQLState (setup errors such
            // as 090105 "no current database" carry 22000), no row causes it.
            return ErrorKind.TRANSIENT;
        }
        return SqlErrors.classify(e);
    }

    /** {@code true} when Snowflake said a table, schema or column does not exist (or the role cannot see it). */
    public static boolean isMissingObject(SQLException e) {
        return MISSING_OBJECT_CODES.contains(vendorCode(e)) || "42S02".equals(SqlErrors.sqlState(e));
    }

    /** The first non-zero vendor code on {@code e}, its next exceptions or its causes; 0 when none has one. */
    public static int vendorCode(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException() == n ? null : n.getNextException()) {
                    if (n.getErrorCode() != 0) {
                        return n.getErrorCode();
                    }
                }
            }
        }
        return 0;
    }

    /**
     * Wraps {@code e} in a {@link SinkWriteException} of the kind {@link #classify} assigns; the message is
     * {@code "<what> failed for table <table> (<KIND>, SQLState <s>, vendor code <c>): <driver message>"}.
     */
    public static SinkWriteException toSinkWriteException(String what, String table, SQLException e) {
        ErrorKind kind = classify(e);
        String state = SqlErrors.sqlState(e);
        int code = vendorCode(e);
        String message = what + " failed for table " + table + " (" + kind + ", SQLState " + state + ", vendor code "
                + code + "): " + e.getMessage();
        return new SinkWriteException(message, e, kind, table, state, code);
    }
}
