package io.flowguard.bronze.testkit;

// Size note: over 400 lines because a JUnit extension that owns a child process (find, start, wait, stop) plus the data
// source it serves; the lifecycle is one unit.

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * A JUnit 5 extension that runs <a href="https://github.com/tekumara/fakesnow">fakesnow</a>, a Snowflake emulator over
 * DuckDB, as a local server that the real Snowflake JDBC driver talks to.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Fakesnow SNOW = Fakesnow.create();
 *
 * DataSource ds = SNOW.dataSource("DB", "S1");   // the driver (net.snowflake:snowflake-jdbc) must be on the test classpath
 * }</pre>
 *
 * <p><b>Finding fakesnow.</b> In order: the executable named by env {@code FAKESNOW_BIN}; {@code fakesnow} on the
 * {@code PATH}; a virtualenv under {@code target/fakesnow-venv} (relative to the working directory, i.e. the module),
 * created on first use with {@code python3 -m venv} and {@code pip install} of {@link #FAKESNOW_REQUIREMENT} and
 * {@link #CONNECTOR_REQUIREMENT} (about 10 s; reused afterwards). When none works the tests of the class are
 * <em>skipped</em> with the reason — except when env {@code CI=true}, where they <em>fail</em>, so a CI run cannot pass
 * without exercising Snowflake SQL.
 *
 * <p><b>Lifecycle.</b> Register it as a {@code static} field: one server per test class, on a free port, started in
 * {@code beforeAll} (ready in about a second), stopped in {@code afterAll}. Its database is in memory, shared by every
 * connection and lost when it stops; fakesnow creates databases and schemas named in the URL on first use, so use a
 * fresh schema per test for isolation. Server output goes to {@code target/fakesnow-<port>.log}.
 *
 * <p>Driver properties ({@link #connectionProperties()}): any user and password (required by the driver, ignored by
 * fakesnow), {@code disablePlatformDetection=true} (otherwise every connect probes cloud metadata endpoints for about a
 * second) and {@code maxHttpRetries=1} (otherwise an HTTP 500 — how fakesnow reports some SQL errors — is retried for
 * about 44 s). The JVM needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED} for the driver's Arrow reader: fakesnow
 * answers every query in Arrow, whatever the session's {@code JDBC_QUERY_RESULT_FORMAT}, where Snowflake would answer in
 * JSON.
 *
 * <p><b>JSON results like Snowflake.</b> With {@link Builder#honourJdbcQueryResultFormat(boolean)} the server runs
 * through a small wrapper (a resource of this jar, started with the Python next to the fakesnow executable) that, for
 * sessions that logged in with {@code JDBC_QUERY_RESULT_FORMAT=JSON}, turns fakesnow's Arrow answers into Snowflake's
 * JSON rowset (text, numbers and booleans; dates and timestamps stay Arrow), so a JVM without {@code --add-opens} can
 * run the sink against it. Other sessions are served unchanged.
 *
 * <p>Thread-safe after {@code beforeAll}: the accessors only read.
 *
 * @since 0.1.0
 */
public final class Fakesnow implements BeforeAllCallback, AfterAllCallback {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(Fakesnow.class);

    /** The fakesnow version installed into the virtualenv, {@value}. */
    public static final String FAKESNOW_REQUIREMENT = "fakesnow[server]==0.12.1";
    /** The Python connector fakesnow needs; 5.x breaks fakesnow 0.12 at startup, {@value}. */
    public static final String CONNECTOR_REQUIREMENT = "snowflake-connector-python<5";
    /** Default of {@link Builder#startupTimeout(Duration)}: 60 s (the first start compiles Python bytecode). */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** Default of {@link Builder#installTimeout(Duration)}: 5 minutes for creating the virtualenv. */
    public static final Duration DEFAULT_INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private static final String READY = "Uvicorn running on";

    private final Map<String, String> env;
    private final Path workDir;
    private final Duration startupTimeout;
    private final Duration installTimeout;
    private final boolean honourResultFormat;
    private Process process;
    private int port = -1;
    private Path logFile;

    private Fakesnow(Builder b) {
        this.env = b.env;
        this.workDir = b.workDir;
        this.startupTimeout = b.startupTimeout;
        this.installTimeout = b.installTimeout;
        this.honourResultFormat = b.honourResultFormat;
    }

    /** An extension with the defaults: reads the real environment, venv under {@code ./target}. */
    public static Fakesnow create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /**
     * Starts fakesnow (a no-op when running). Skips the calling tests through a JUnit assumption when it cannot be
     * found, installed or started — or fails them when env {@code CI=true}.
     */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        String executable;
        try {
            executable = resolveExecutable();
            port = freePort();
            logFile = workDir.resolve("target").resolve("fakesnow-" + port + ".log");
            Files.createDirectories(logFile.getParent());
            List<String> command = honourResultFormat
                    ? List.of(python(executable), jsonResultsScript().toString(), "-p", String.valueOf(port))
                    : List.of(executable, "-s", "-p", String.valueOf(port));
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
            process = pb.start();
            awaitReady();
        } catch (IOException | RuntimeException e) {
            stop();
            unavailable("fakesnow could not be started: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            unavailable("interrupted while starting fakesnow");
            return;
        }
        LOG.info("[fakesnow] {} listening on 127.0.0.1:{} (log {})", executable, port, logFile);
    }

    /** The Python of fakesnow's virtualenv (next to its executable), else {@code python3}. */
    private static String python(String fakesnowExecutable) {
        Path dir = Paths.get(fakesnowExecutable).toAbsolutePath().getParent();
        for (String name : List.of("python", "python3")) {
            if (dir != null && Files.isExecutable(dir.resolve(name))) {
                return dir.resolve(name).toString();
            }
        }
        return "python3";
    }

    private Path jsonResultsScript() throws IOException {
        Path script = workDir.resolve("target").resolve("fakesnow_json_results.py");
        try (var in = Fakesnow.class.getResourceAsStream("fakesnow_json_results.py")) {
            if (in == null) {
                throw new IllegalStateException("resource fakesnow_json_results.py is missing from bronze-testkit");
            }
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    /** Stops the server if running; its in-memory data is lost. */
    public synchronized void stop() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            LOG.info("[fakesnow] stopped (port {})", port);
            process = null;
        }
    }

    /** The port fakesnow listens on; only valid after start. */
    public int port() {
        requireRunning();
        return port;
    }

    /** {@code jdbc:snowflake://127.0.0.1:<port>/?ssl=off&account=fakesnow&db=<db>&schema=<schema>}. */
    public String jdbcUrl(String database, String schema) {
        requireRunning();
        return "jdbc:snowflake://127.0.0.1:" + port + "/?ssl=off&account=fakesnow&db="
                + requireName(database, "database") + "&schema=" + requireName(schema, "schema");
    }

    /** A fresh copy of the driver properties fakesnow needs (see the class comment). */
    public Properties connectionProperties() {
        Properties p = new Properties();
        p.setProperty("user", "fake");
        p.setProperty("password", "fake");
        p.setProperty("disablePlatformDetection", "true");
        p.setProperty("maxHttpRetries", "1");
        return p;
    }

    /** A {@link DataSource} opening a new driver connection per call (no pool) to {@code database.schema}. */
    public DataSource dataSource(String database, String schema) {
        String url = jdbcUrl(database, schema);
        Properties props = connectionProperties();
        return new SimpleDataSource(url, props);
    }

    /** The server log file, e.g. to count the requests a test sent; only valid after start. */
    public Path logFile() {
        requireRunning();
        return logFile;
    }

    private void requireRunning() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(
                    "fakesnow is not running: register the extension with @RegisterExtension on a "
                            + "static field, or call start()");
        }
    }

    private static String requireName(String name, String what) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(what + " must match [A-Za-z_][A-Za-z0-9_]*, but was '" + name + "'");
        }
        return name;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            String log = Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
            if (log.contains(READY)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("it exited with code " + process.exitValue() + ": " + tail(log));
            }
            Thread.sleep(50); // polling a log file with a deadline; there is no event to wait on
        }
        throw new IllegalStateException("it did not print '" + READY + "' within " + startupTimeout + "; log: "
                + tail(Files.readString(logFile, StandardCharsets.UTF_8)));
    }

    private String resolveExecutable() throws IOException, InterruptedException {
        String configured = env.get("FAKESNOW_BIN");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Paths.get(configured))) {
                throw new IllegalStateException("FAKESNOW_BIN=" + configured + " is not an executable file");
            }
            return configured;
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, "fakesnow"))) {
                return Paths.get(dir, "fakesnow").toString();
            }
        }
        Path venv = workDir.resolve("target").resolve("fakesnow-venv");
        Path bin = venv.resolve("bin").resolve("fakesnow");
        if (Files.isExecutable(bin)) {
            return bin.toString();
        }
        LOG.info(
                "[fakesnow] not on PATH and FAKESNOW_BIN unset: creating {} and installing {} (takes ~10 s, once)",
                venv,
                FAKESNOW_REQUIREMENT);
        run(List.of("python3", "-m", "venv", venv.toString()));
        run(List.of(
                venv.resolve("bin").resolve("pip").toString(),
                "install",
                "--quiet",
                FAKESNOW_REQUIREMENT,
                CONNECTOR_REQUIREMENT));
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("pip install finished but " + bin + " is missing");
        }
        return bin.toString();
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("fakesnow-install", ".log");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(installTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out after " + installTimeout);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + tail(Files.readString(out, StandardCharsets.UTF_8)));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Skips (JUnit assumption) or, under {@code CI=true}, fails with {@code reason}. */
    void unavailable(String reason) {
        String message = reason + ". Install it with: pip install '" + FAKESNOW_REQUIREMENT + "' '"
                + CONNECTOR_REQUIREMENT + "', or set FAKESNOW_BIN to its executable.";
        if ("true".equalsIgnoreCase(env.get("CI"))) {
            Assertions.fail("CI=true, so Snowflake tests must run: " + message);
        }
        Assumptions.abort("Skipping Snowflake tests: " + message);
    }

    private static String tail(String log) {
        String trimmed = log.strip();
        return trimmed.length() <= 2000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 2000);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "Fakesnow{port=" + port + ", running=" + (process != null && process.isAlive())
                + (honourResultFormat ? ", honourJdbcQueryResultFormat" : "") + '}';
    }

    /** Builds a {@link Fakesnow}; not thread-safe. */
    public static final class Builder {
        private Map<String, String> env = System.getenv();
        private Path workDir = Paths.get("").toAbsolutePath();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private Duration installTimeout = DEFAULT_INSTALL_TIMEOUT;
        private boolean honourResultFormat;

        private Builder() {}

        /**
         * Whether sessions that log in with {@code JDBC_QUERY_RESULT_FORMAT=JSON} get JSON results, as from Snowflake
         * (see the class comment); default {@code false}, fakesnow's own Arrow answers.
         *
         * @since 0.2.0
         */
        public Builder honourJdbcQueryResultFormat(boolean v) {
            this.honourResultFormat = v;
            return this;
        }

        /** The environment read for {@code FAKESNOW_BIN}, {@code PATH} and {@code CI}; default {@link System#getenv()}. */
        public Builder environment(Map<String, String> v) {
            this.env = Map.copyOf(Objects.requireNonNull(v, "environment must not be null"));
            return this;
        }

        /** The directory whose {@code target/} holds the venv and logs; default the working directory. */
        public Builder workDir(Path v) {
            this.workDir = Objects.requireNonNull(v, "workDir must not be null").toAbsolutePath();
            return this;
        }

        /** How long to wait for the server to be ready; default {@link #DEFAULT_STARTUP_TIMEOUT}. */
        public Builder startupTimeout(Duration v) {
            this.startupTimeout = positive(v, "startupTimeout");
            return this;
        }

        /** How long venv creation and pip install may take; default {@link #DEFAULT_INSTALL_TIMEOUT}. */
        public Builder installTimeout(Duration v) {
            this.installTimeout = positive(v, "installTimeout");
            return this;
        }

        private static Duration positive(Duration v, String name) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0, but was " + v);
            }
            return v;
        }

        public Fakesnow build() {
            return new Fakesnow(this);
        }
    }

    /** A minimal DriverManager-backed DataSource. */
    private static final class SimpleDataSource implements DataSource {
        private final String url;
        private final Properties props;

        SimpleDataSource(String url, Properties props) {
            this.url = url;
            this.props = props;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url, props);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            Properties p = new Properties();
            p.putAll(props);
            p.setProperty("user", username);
            p.setProperty("password", password);
            return DriverManager.getConnection(url, p);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }

        @Override
        public String toString() {
            return "FakesnowDataSource{" + url + '}';
        }
    }
}
