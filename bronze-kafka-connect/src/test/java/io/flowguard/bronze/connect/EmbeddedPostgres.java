package io.flowguard.bronze.connect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** A real PostgreSQL (io.zonky.test's embedded binary) for the connector's tests, with small query helpers. */
final class EmbeddedPostgres implements AutoCloseable {
    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final DataSource dataSource;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
        this.dataSource = server.getPostgresDatabase();
    }

    static EmbeddedPostgres start() throws Exception {
        return new EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.start());
    }

    String jdbcUrl() {
        return server.getJdbcUrl("postgres", "postgres");
    }

    DataSource dataSource() {
        return dataSource;
    }

    void execute(String sql) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long count(String sql) {
        List<Object> rows = column(sql);
        return rows.isEmpty() || rows.get(0) == null ? 0 : ((Number) rows.get(0)).longValue();
    }

    List<Object> column(String sql) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<Object> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getObject(1));
            }
            return out;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return List.of(); // the table is not created yet
            }
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
