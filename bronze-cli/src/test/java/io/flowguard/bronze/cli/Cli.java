package io.flowguard.bronze.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in-process with captured output, as a user would from a shell with the given environment. */
final class Cli {
    private final Map<String, String> env;
    private final Warehouse.DataSourceFactory dataSources;

    Cli(Map<String, String> env, Warehouse.DataSourceFactory dataSources) {
        this.env = env;
        this.dataSources = dataSources;
    }

    record Result(List<String> args, int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = BronzeCli.commandLine(new BronzeCli(env, Clock.systemUTC(), dataSources));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        Result r = new Result(List.of(args), code, out.toString(), err.toString());
        System.out.println("$ bronze " + String.join(" ", args) + "\n" + r);
        return r;
    }
}
