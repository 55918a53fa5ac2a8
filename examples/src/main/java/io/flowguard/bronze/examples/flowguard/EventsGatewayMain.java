package io.flowguard.bronze.examples.flowguard;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the {@link EventsGateway} as its own process, beside the Kafka cluster and the ingestion engines:
 * {@code --bootstrap-servers HOST:PORT --topics orders,clicks [--host 127.0.0.1] [--port 8000]}. Stops on SIGTERM or
 * Ctrl-C, closing the producer after the requests in progress.
 *
 * @since 0.2.0
 */
public final class EventsGatewayMain {

    private EventsGatewayMain() {}

    public static void main(String[] args) throws Exception {
        EventsGateway.Builder builder;
        try {
            builder = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(
                    "gateway: " + e.getMessage() + "\nusage: EventsGatewayMain --bootstrap-servers HOST:PORT "
                            + "--topics T1,T2 [--host 127.0.0.1] [--port 8000]");
            System.exit(2);
            return;
        }
        EventsGateway gateway = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            gateway.close();
                            stopped.countDown();
                        },
                        "events-gateway-shutdown"));
        System.out.println("events gateway listening on " + gateway.uri() + " (POST /events/{topic}); Ctrl-C stops it");
        stopped.await();
    }

    /** A builder set from the command line; port 8000 unless {@code --port} says otherwise. */
    static EventsGateway.Builder parse(String[] args) {
        EventsGateway.Builder b = EventsGateway.builder().port(8000);
        boolean servers = false;
        boolean topics = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        flag.startsWith("--") ? flag + " needs a value" : "unknown argument '" + flag + "'");
            }
            String value = args[++i];
            switch (flag) {
                case "--bootstrap-servers" -> {
                    b.bootstrapServers(value);
                    servers = true;
                }
                case "--topics" -> {
                    b.topics(Arrays.stream(value.split(",")).map(String::strip).toArray(String[]::new));
                    topics = true;
                }
                case "--host" -> b.host(value);
                case "--port" -> {
                    try {
                        b.port(Integer.parseInt(value));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                "--port must be a number within [0, 65535], but was '" + value + "'", e);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + flag + "'");
            }
        }
        if (!servers || !topics) {
            throw new IllegalArgumentException("--bootstrap-servers and --topics are required");
        }
        return b;
    }
}
