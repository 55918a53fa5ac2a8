package io.flowguard.bronze.snowflake.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the dead-letter sink's merges on one connection, atomically: a single merge runs as it is (one statement is
 * atomic in Snowflake); several run in one transaction. When the rollback, or switching auto-commit back on, fails, the
 * connection is aborted — never switched to auto-commit over an open transaction, which would commit it (S8).
 * Each merge is one {@code executeUpdate}, never {@code executeBatch}, which snowflake-jdbc would run row by row.
 */
public final class MergeExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(MergeExecutor.class);

    /** Thrown with the index of the statement that failed. */
    public static final class StatementFailedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int index;

        StatementFailedException(int index, SQLException cause) {
            super(cause);
            this.index = index;
        }

        public int index() {
            return index;
        }

        public SQLException sqlException() {
            return (SQLException) getCause();
        }
    }

    private MergeExecutor() {}

    /** @return the rows inserted (sum of update counts, each capped at its statement's row count) */
    public static int execute(String sinkName, DataSource dataSource, List<MergeStatement> statements)
            throws StatementFailedException {
        int current = 0;
        try (Connection connection = dataSource.getConnection()) {
            boolean explicit = statements.size() > 1 && connection.getAutoCommit();
            if (explicit) {
                connection.setAutoCommit(false);
            }
            try {
                int total = 0;
                for (current = 0; current < statements.size(); current++) {
                    total += run(sinkName, connection, statements.get(current));
                }
                if (explicit) {
                    connection.commit();
                    restoreAutoCommit(connection, null);
                }
                return total;
            } catch (SQLException | RuntimeException e) {
                if (explicit) {
                    try {
                        connection.rollback();
                        restoreAutoCommit(connection, e);
                    } catch (SQLException | RuntimeException r) {
                        e.addSuppressed(r);
                        connection.abort(Runnable::run);
                    }
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StatementFailedException(Math.max(0, Math.min(current, statements.size() - 1)), e);
        }
    }

    /** Auto-commit back on; when that fails, abort the connection rather than leave its flag and session disagreeing. */
    private static void restoreAutoCommit(Connection connection, Throwable failure) throws SQLException {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
            connection.abort(Runnable::run);
        }
    }

    private static int run(String sinkName, Connection connection, MergeStatement m) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(m.sql())) {
            ps.setString(1, m.json());
            m.pruning().bind(ps, 2);
            int count = ps.executeUpdate();
            LOG.debug(
                    "[{}] merged {} rows into {} ({}): {} new",
                    sinkName,
                    m.rows(),
                    m.table().displayName(),
                    m.pruning(),
                    count);
            return count < 0 ? m.rows() : Math.min(count, m.rows());
        }
    }
}
