package io.flowguard.bronze.cli;

import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.config.BronzeConfigException;
import io.flowguard.bronze.core.EngineState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bronze ingest --config bronze.properties}: runs one engine as a service until SIGTERM, with {@code /health},
 * {@code /metrics} and a status page on {@code bronze.http.port}.
 */
@Command(
        name = "ingest",
        sortOptions = false,
        description = {
            "Run the ingestion engine as a service: Kafka to the warehouse, until SIGTERM (or Ctrl-C), then drain "
                    + "and exit 0.",
            "Serves /health (200 UP or DEGRADED, 503 DOWN), /metrics (Prometheus) and / (a status page) on bronze.http.port."
        },
        footer = {
            "",
            "The file holds bronze.* keys (docs/configuration.md); each can be overridden by its environment variable, "
                    + "e.g. BRONZE_WAREHOUSE_PASSWORD for bronze.warehouse.password.",
            "Example:",
            "  bronze ingest --config /etc/bronze/bronze.properties",
            "Exit codes: 0 stopped and everything read was committed; 1 the engine failed (retry budget spent) or could not "
                    + "drain in time; 2 invalid configuration (every problem listed)."
        })
final class IngestCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The bronze.properties file.")
    Path config;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print the settings used (secrets masked) and stack traces of errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BronzeCli cli = (BronzeCli) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BronzeConfig settings;
        IngestService service;
        try {
            settings = BronzeConfig.load(config, cli.env());
            if (verbose) {
                err.println("settings: " + settings.masked());
                err.flush();
            }
            service = IngestService.start(settings, null, cli.clock());
        } catch (BronzeConfigException e) {
            throw CliException.usage(e.getMessage()); // the message lists every problem and its fix already
        }
        Thread hook = new Thread(
                () -> {
                    boolean clean = service.shutdown();
                    out.println("bronze ingest: stopped "
                            + (clean
                                    ? "cleanly; everything read was committed"
                                    : "with the engine " + service.engine().state()
                                            + "; records not committed will be read again on the next start"));
                    out.flush();
                    err.flush();
                    // A JVM stopped by SIGTERM exits 143 unless a hook ends it: exit 0 only when the drain was clean.
                    Runtime.getRuntime().halt(clean ? 0 : CliException.PROBLEM);
                },
                "bronze-" + settings.engineName() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(
                "bronze ingest: engine " + service.engine().name() + " consuming " + String.join(",", settings.topics())
                        + "; status page " + service.url() + " (also /health, /metrics); stop with SIGTERM or Ctrl-C");
        out.flush();
        EngineState end = service.awaitTermination();
        if (end == EngineState.FAILED) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                return CliException.PROBLEM; // the hook is running and will halt
            }
            service.shutdown();
            err.println("bronze ingest: the engine failed: "
                    + service.engine()
                            .failure()
                            .map(f -> settings.warehouse().scrub(Warehouse.firstLine(f.getMessage())))
                            .orElse("(no detail)")
                    + " — nothing past the last written record was committed; fix the cause and start it again");
            err.flush();
            return CliException.PROBLEM;
        }
        // Closed by the shutdown hook, which ends the JVM with the right code; wait for it.
        Thread.currentThread().join();
        return 0;
    }
}
