package io.flowguard.bronze.cli;

import io.flowguard.bronze.api.TableRouter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;

/** Shared pieces of the {@code bronze ingest} tests: config maps, HTTP GETs, row counts and headless Chromium. */
final class ServiceFixtures {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceFixtures() {}

    /** A PostgreSQL service config consuming {@code topic} as {@code group}, HTTP on a free loopback port. */
    static Map<String, String> postgresConfig(String bootstrap, EmbeddedPostgres pg, String topic, String group) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bronze.bootstrap-servers", bootstrap);
        m.put("bronze.group", group);
        m.put("bronze.topics", topic);
        m.put("bronze.warehouse.type", "postgres");
        m.put("bronze.warehouse.url", pg.getJdbcUrl("postgres", "postgres"));
        m.put("bronze.warehouse.user", "postgres");
        m.put("bronze.warehouse.password", "not-checked-by-embedded-pg");
        m.put("bronze.batch.max-wait", "200ms");
        m.put("bronze.health.lag-refresh-interval", "1s");
        m.put("bronze.http.host", "127.0.0.1");
        m.put("bronze.http.port", "0");
        return m;
    }

    record Response(int status, String contentType, String body) {}

    static Response get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(
                r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows in the Bronze table of {@code topic}; 0 while it does not exist yet. */
    static long rows(DataSource ds, String topic) {
        try {
            return count(
                    ds, "SELECT COUNT(*) FROM \"" + TableRouter.fromTopicName().tableFor(topic) + "\"");
        } catch (SQLException e) {
            return 0;
        }
    }

    static long distinctIds(DataSource ds, String topic) throws SQLException {
        return count(
                ds,
                "SELECT COUNT(DISTINCT \"INGESTION_ID\") FROM \""
                        + TableRouter.fromTopicName().tableFor(topic) + "\"");
    }

    /** Debian's headless Chromium, when installed. */
    static Optional<Path> chromium() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .flatMap(dir -> Stream.of(Path.of(dir, "chromium"), Path.of(dir, "chromium-browser")))
                .filter(java.nio.file.Files::isExecutable)
                .findFirst();
    }

    /** Runs headless Chromium on {@code url} with {@code mode} ({@code --dump-dom} or {@code --screenshot=FILE}). */
    static String chromium(Path binary, Path profile, String url, String mode)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--window-size=1280,900",
                mode,
                url));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish within 90 s: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("chromium exited " + p.exitValue() + ": " + cmd);
        }
        return out;
    }
}
