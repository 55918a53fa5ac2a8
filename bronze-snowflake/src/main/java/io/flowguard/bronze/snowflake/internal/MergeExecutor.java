package io.flowguard.bronze.snowflake.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runs the dead-letter sink's merges on one connection, atomically: a single merge runs as it is (one statement is
 * atomic in Snowflake); several run between {@code BEGIN TRANSACTION} and {@code COMMIT} statements — never an
 * auto-commit toggle, which commits an open transaction (S8); when the {@code ROLLBACK} fails, the connection is aborted.
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

        public int index() { return index; }
        public SQLException sqlException() { return (SQLException) getCause(); }
    }

    private MergeExecutor() {
    }

    /** @return the rows inserted (sum of update counts, each capped at its statement's row count) */
    public static int execute(String sinkName, DataSource dataSource, List<MergeStatement> statements)
            throws StatementFailedException {
        int current = 0;
        try (Connection connection = dataSource.getConnection()) {
            boolean explicit = statements.size() > 1;
            if (explicit) {
                execute(connection, "BEGIN TRANSACTION");
            }
            try {
                int total = 0;
                for (current = 0; current < statements.size(); current++) {
                    total += run(sinkName, connection, statements.get(current));
                }
                if (explicit) {
                    execute(connection, "COMMIT");
                }
                return total;
            } catch (SQLException | RuntimeException e) {
                if (explicit) {
                    try {
                        execute(connection, "ROLLBACK");
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

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static int run(String sinkName, Connection connection, MergeStatement m) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(m.sql())) {
            ps.setString(1, m.json());
            m.pruning().bind(ps, 2);
            int count = ps.executeUpdate();
            LOG.debug("[{}] merged {} rows into {} ({}): {} new", sinkName, m.rows(), m.table().displayName(), m.pruning(),
                    count);
            return count < 0 ? m.rows() : Math.min(count, m.rows());
        }
    }
}
