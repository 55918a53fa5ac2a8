package io.flowguard.bronze.cli;

import io.flowguard.bronze.api.SinkWriteException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bronze} command line for operators of FlowGuard Bronze: how far behind the engines are, what landed when,
 * whether anything is wrong, what was dead-lettered and why, replays, and test traffic.
 *
 * <p>Exit codes: 0 all good; 1 a check failed or a problem was found; 2 bad usage or missing settings; 3 Kafka or the
 * warehouse could not be reached or read.
 */
@Command(
        name = "bronze",
        mixinStandardHelpOptions = true,
        versionProvider = BronzeCli.Version.class,
        description =
                "Operate FlowGuard Bronze ingestion: lag, landed rows, health checks, dead letters, replays, test traffic.",
        footer = {
            "",
            "Connection settings come from flags, else environment (BRONZE_BOOTSTRAP_SERVERS, BRONZE_JDBC_URL, "
                    + "BRONZE_JDBC_USER, BRONZE_JDBC_PASSWORD or BRONZE_SNOWFLAKE_PRIVATE_KEY_FILE, BRONZE_GROUP, BRONZE_SCHEMA), "
                    + "else --config FILE.",
            "Exit codes: 0 OK, 1 problem found, 2 usage, 3 Kafka or warehouse unreachable.",
            "Runbook: docs/operations.md"
        },
        subcommands = {
            StatusCommand.class,
            LandedCommand.class,
            WatchCommand.class,
            CheckCommand.class,
            DlqCommand.class,
            ReplayCommand.class,
            GenerateTrafficCommand.class,
            IngestCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BronzeCli {
    private final Map<String, String> env;
    private final Clock clock;
    private final Warehouse.DataSourceFactory dataSourceFactory;

    BronzeCli(Map<String, String> env, Clock clock, Warehouse.DataSourceFactory dataSourceFactory) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dataSourceFactory = dataSourceFactory;
    }

    /** Runs the CLI and exits with its exit code. */
    public static void main(String[] args) {
        quietLogging(
                List.of(args).contains("--verbose") || List.of(args).contains("-v"),
                args.length > 0 && "ingest".equals(args[0]));
        int code = commandLine(new BronzeCli(System.getenv(), Clock.systemUTC(), null))
                .execute(args);
        System.exit(code);
    }

    private static void quietLogging(boolean verbose, boolean service) {
        // Kafka clients log connection retries at WARN; an operator tool shows them only when asked. The ingest service
        // logs its lifecycle at INFO with timestamps, as a service's log should.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", verbose || service ? "warn" : "off");
        System.setProperty("org.slf4j.simpleLogger.log.io.flowguard", verbose || service ? "info" : "warn");
        if (service) {
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        }
        // snowflake-jdbc logs through java.util.logging unless told otherwise, and reports each failed login at SEVERE
        // before the CLI says the same in one line: route it to SLF4J and show it only with --verbose.
        System.setProperty("net.snowflake.jdbc.loggerImpl", "net.snowflake.client.log.SLF4JLogger");
        System.setProperty("org.slf4j.simpleLogger.log.net.snowflake", verbose ? "warn" : "off");
    }

    /** A configured picocli {@link CommandLine}: error handling that prints what to fix, stack traces only with --verbose. */
    static CommandLine commandLine(BronzeCli cli) {
        CommandLine cl = new CommandLine(cli);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.expandedArgs().contains("--verbose")
                    || parseResult.expandedArgs().contains("-v");
            CliException problem = translate(ex);
            PrintWriter err = commandLine.getErr();
            err.println("bronze " + commandLine.getCommandName() + ": " + problem.getMessage());
            if (verbose) {
                ex.printStackTrace(err);
            } else if (!(ex instanceof CliException)) {
                err.println("(run with --verbose for details)");
            }
            err.flush();
            return problem.exitCode();
        });
        return cl;
    }

    static CliException translate(Exception ex) {
        if (ex instanceof CliException c) {
            return c;
        }
        if (ex instanceof SinkWriteException s) {
            return new CliException(
                    "the warehouse failed: " + Warehouse.firstLine(s.getMessage()), CliException.UNREACHABLE, s);
        }
        if (ex instanceof IllegalArgumentException) {
            return new CliException(ex.getMessage(), CliException.USAGE, ex);
        }
        if (ex instanceof org.apache.kafka.common.KafkaException k) {
            return new CliException("Kafka failed: " + k.getMessage(), CliException.UNREACHABLE, k);
        }
        return new CliException(
                "unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage(), CliException.PROBLEM, ex);
    }

    Map<String, String> env() {
        return env;
    }

    Clock clock() {
        return clock;
    }

    Warehouse.DataSourceFactory dataSourceFactory() {
        return dataSourceFactory;
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BronzeCli.class.getPackage().getImplementationVersion();
            return new String[] {"bronze " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (FlowGuard Bronze CLI)"};
        }
    }
}
