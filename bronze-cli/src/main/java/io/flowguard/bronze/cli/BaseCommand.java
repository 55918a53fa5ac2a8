package io.flowguard.bronze.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: connection options, output streams, the clock, and lazily opened Kafka and warehouse. */
abstract class BaseCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    private Settings settings;

    BronzeCli cli() {
        return (BronzeCli) spec.root().userObject();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Clock clock() {
        return cli().clock();
    }

    /** The command's own {@code --group} flag, if it has one. */
    String groupFlag() {
        return null;
    }

    Settings settings() {
        if (settings == null) {
            settings = connection.resolve(cli().env()).withGroup(groupFlag());
            if (settings.verbose()) {
                err().println("settings: " + settings);
                err().flush();
            }
        }
        return settings;
    }

    Warehouse openWarehouse() {
        return Warehouse.open(settings(), cli().dataSourceFactory());
    }

    KafkaOps openKafka() {
        return new KafkaOps(settings());
    }

    @Override
    public final Integer call() throws Exception {
        int code = run();
        out().flush();
        err().flush();
        return code;
    }

    abstract int run() throws Exception;
}
