package io.flowguard.bronze.jdbc;

import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Classifies {@link SQLException}s as retriable ({@link ErrorKind#TRANSIENT}) or not ({@link ErrorKind#DATA}), by SQLState
 * (SQL standard and PostgreSQL codes) and by JDBC exception type.
 *
 * <table>
 *   <caption>Classification</caption>
 *   <tr><th>Condition</th><th>Kind</th></tr>
 *   <tr><td>{@code SQLTransientException} (incl. {@code SQLTimeoutException}), {@code SQLRecoverableException}</td><td>TRANSIENT</td></tr>
 *   <tr><td>SQLState class 08 (connection), 53 (insufficient resources), 58 (system/IO error)</td><td>TRANSIENT</td></tr>
 *   <tr><td>40001 (serialization failure), 40P01 (deadlock), other class 40 except 40002</td><td>TRANSIENT</td></tr>
 *   <tr><td>57014 (query canceled/statement timeout), 57P01..57P05 (shutdown, cannot connect now, idle timeout)</td><td>TRANSIENT</td></tr>
 *   <tr><td>55P03 (lock not available), 55006 (object in use)</td><td>TRANSIENT</td></tr>
 *   <tr><td>class 42 (syntax error, undefined table/column, 42P10 no unique index for {@code ON CONFLICT}, 42501
 *       insufficient privilege) and 0A (feature not supported)</td><td>TRANSIENT</td></tr>
 *   <tr><td>class 22 (data exception), 23 (integrity constraint), 40002, 54 (program limit exceeded, e.g. an index row
 *       too large)</td><td>DATA</td></tr>
 *   <tr><td>no SQLState: {@code SQLDataException}, {@code SQLIntegrityConstraintViolationException}</td><td>DATA</td></tr>
 *   <tr><td>anything else, e.g. class 28 (authorization: credentials may be rotated), {@code SQLSyntaxErrorException}
 *       without SQLState, or no SQLState</td><td>TRANSIENT</td></tr>
 * </table>
 *
 * <p>Every value reaches the database as a bind parameter, so a class 42 or 0A error (a missing table, column, index or
 * grant) is never caused by a row: classifying it DATA would make the engine dead-letter every record of the batch. It
 * is TRANSIENT instead, and the pipeline waits until the table, index or grant is fixed (the sinks re-check the table
 * before the next attempt, re-creating what is missing when they manage the schema). Class 54 is DATA because the
 * statement text is the same for every batch: only a value, such as an ingestion id too long for the unique index, can
 * exceed a limit.
 *
 * <p>Unknown failures are transient on purpose: a transient failure stalls the pipeline and retries, losing nothing,
 * while a DATA failure makes the engine dead-letter records. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class SqlErrors {

    private static final Set<String> TRANSIENT_STATES =
            Set.of("57014", "57P01", "57P02", "57P03", "57P04", "57P05", "55P03", "55006");
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "58", "40", "42", "0A");
    private static final Set<String> DATA_STATES = Set.of("40002");
    private static final Set<String> DATA_CLASSES = Set.of("22", "23", "54");

    private SqlErrors() {}

    /** Classifies {@code e} (looking through its chain of next exceptions and causes for a SQLState). */
    public static ErrorKind classify(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return ErrorKind.TRANSIENT;
        }
        String state = sqlState(e);
        if (state != null && state.length() == 5) {
            ErrorKind byState = classifyState(state);
            if (byState != null) {
                return byState;
            }
        }
        if (e instanceof SQLDataException || e instanceof SQLIntegrityConstraintViolationException) {
            return ErrorKind.DATA;
        }
        return ErrorKind.TRANSIENT;
    }

    /** The kind for a five-character SQLState, or {@code null} when the state alone does not decide. */
    static ErrorKind classifyState(String state) {
        if (TRANSIENT_STATES.contains(state)) {
            return ErrorKind.TRANSIENT;
        }
        if (DATA_STATES.contains(state)) {
            return ErrorKind.DATA;
        }
        String cls = state.substring(0, 2).toUpperCase(java.util.Locale.ROOT);
        if (TRANSIENT_CLASSES.contains(cls)) {
            return ErrorKind.TRANSIENT;
        }
        if (DATA_CLASSES.contains(cls)) {
            return ErrorKind.DATA;
        }
        return null;
    }

    /** The first SQLState found on {@code e}, its next exceptions or its causes; {@code null} when none has one. */
    public static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException() == n ? null : n.getNextException()) {
                    if (n.getSQLState() != null) {
                        return n.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    /**
     * Wraps {@code e} in a {@link SinkWriteException} of the kind {@code dialect} assigns, carrying the table, SQLState
     * and vendor code; the message is {@code "<what> failed for table <table> (SQLState <s>, vendor code <c>): <driver message>"}.
     */
    public static SinkWriteException toSinkWriteException(
            String what, String table, SQLException e, SqlNaming dialect) {
        ErrorKind kind = dialect.classify(e);
        String state = sqlState(e);
        String message = what + " failed for table " + table + " (" + kind + ", SQLState " + state + ", vendor code "
                + e.getErrorCode() + "): " + e.getMessage();
        return new SinkWriteException(message, e, kind, table, state, e.getErrorCode());
    }
}
