package io.flowguard.bronze.snowflake.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runs a batch's merges on one connection, atomically: a single merge runs as it is (one statement is atomic in
 * Snowflake and needs no extra round trips for transaction control); several — including a trailing ingestion-ledger
 * merge — run in one explicit transaction. Each
 * merge is one {@code executeUpdate} — never {@code executeBatch}, which snowflake-jdbc would run row by row.
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

    /**
     * Builds the statement that closes a batch (the ingestion-ledger merge) from what the merges before it inserted; it
     * runs last, in the same transaction.
     */
    @FunctionalInterface
    public interface Trailer {
        /**
         * @param inserted rows each statement inserted, by index
         * @return the statement, or null for none
         */
        MergeStatement after(int[] inserted);
    }

    /** @return the rows inserted (sum of update counts, each capped at its statement's row count) */
    public static int execute(String sinkName, DataSource dataSource, List<MergeStatement> statements)
            throws StatementFailedException {
        int total = 0;
        for (int n : execute(sinkName, dataSource, statements, null)) {
            total += n;
        }
        return total;
    }

    /**
     * Runs {@code statements}, then the one {@code trailer} builds (when not null and it builds one), all or nothing.
     *
     * @return the rows each of {@code statements} inserted (update count capped at its row count), by index; a failure
     *         of the trailer's statement reports index {@code statements.size()}
     */
    public static int[] execute(String sinkName, DataSource dataSource, List<MergeStatement> statements, Trailer trailer)
            throws StatementFailedException {
        int current = -1;
        int total = statements.size() + (trailer == null ? 0 : 1);
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            // A trailer may build no statement, but whether it does is known only after the merges: with merges before
            // it, use a transaction; alone, it is a single atomic statement.
            boolean explicit = total > 1 || !autoCommit;
            if (explicit && autoCommit) {
                connection.setAutoCommit(false);
            }
            try {
                int[] inserted = new int[statements.size()];
                for (current = 0; current < statements.size(); current++) {
                    inserted[current] = run(sinkName, connection, statements.get(current));
                }
                MergeStatement last = trailer == null ? null : trailer.after(inserted.clone());
                if (last != null) {
                    run(sinkName, connection, last);
                }
                if (explicit) {
                    connection.commit();
                }
                return inserted;
            } catch (SQLException | RuntimeException e) {
                if (explicit) {
                    try {
                        connection.rollback();
                    } catch (SQLException | RuntimeException r) {
                        e.addSuppressed(r);
                    }
                }
                throw e;
            } finally {
                if (explicit && autoCommit) {
                    try {
                        connection.setAutoCommit(true);
                    } catch (SQLException ignored) {
                        // the connection is being closed or returned to its pool, which resets it
                    }
                }
            }
        } catch (SQLException e) {
            throw new StatementFailedException(Math.max(0, Math.min(current, total - 1)), e);
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
