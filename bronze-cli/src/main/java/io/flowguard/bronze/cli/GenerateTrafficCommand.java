package io.flowguard.bronze.cli;

import io.flowguard.bronze.testkit.FlowGuardTraffic;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bronze generate-traffic}: realistic FlowGuard orders and clicks, v1 and v2, with a share of malformed events. */
@Command(
        name = "generate-traffic",
        mixinStandardHelpOptions = true,
        description = {
            "Produce realistic FlowGuard traffic: orders (order_id, user_id, restaurant, items, total_price) and "
                    + "clicks (page, element, session_id), with event_id, event_type, schema_version and producer_service in the "
                    + "payload and as headers. Schema v2 renames user_id to customer_id. Malformed events (broken JSON, a JSON "
                    + "array, invalid UTF-8, an event_type that is an object) are dead-lettered by the engine.",
            "Stops after --count events or --duration, whichever comes first."
        },
        footer = {
            "",
            "Example: bronze generate-traffic --rate 200 --duration 5m --malformed 0.01 --v2 0.2 --topics orders,clicks"
        })
final class GenerateTrafficCommand extends BaseCommand {
    @Option(
            names = "--rate",
            paramLabel = "EVENTS_PER_SECOND",
            defaultValue = "100",
            description = "Events per second; 0 for as fast as possible. Default ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long, e.g. 30s, 5m.")
    String duration;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
    Long count;

    @Option(
            names = "--malformed",
            paramLabel = "SHARE",
            defaultValue = "0.01",
            description = "Share of malformed events, 0..1; default ${DEFAULT-VALUE}.")
    double malformed;

    @Option(
            names = "--v2",
            paramLabel = "SHARE",
            defaultValue = "0.2",
            description = "Share of v2 events, 0..1; default ${DEFAULT-VALUE}.")
    double v2;

    @Option(
            names = "--topics",
            paramLabel = "TOPIC",
            split = ",",
            defaultValue = "orders,clicks",
            description =
                    "Topics; one whose name contains 'order' gets orders, others clicks. Default ${DEFAULT-VALUE}.")
    List<String> topics = new ArrayList<>();

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "" + FlowGuardTraffic.DEFAULT_SEED,
            description = "Random seed; the same seed sends the same events. Default ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "3",
            description = "Partitions of topics created because they did not exist; default ${DEFAULT-VALUE}.")
    int partitions;

    @Override
    int run() {
        if (count == null && duration == null) {
            throw CliException.usage("say when to stop: --count N, --duration 30s, or both");
        }
        if (count != null && count <= 0) {
            throw CliException.usage("--count must be > 0, but was " + count);
        }
        if (rate < 0) {
            throw CliException.usage("--rate must be >= 0 (0: as fast as possible), but was " + rate);
        }
        Duration max = duration == null ? null : Durations.parse(duration, "--duration");
        FlowGuardTraffic traffic;
        try {
            traffic = FlowGuardTraffic.builder()
                    .topics(topics)
                    .malformedShare(malformed)
                    .v2Share(v2)
                    .seed(seed)
                    .build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(
                    e.getMessage().replace("malformedShare", "--malformed").replace("v2Share", "--v2"));
        }
        PrintWriter out = out();
        FlowGuardTraffic.Summary s;
        try (KafkaOps kafka = openKafka()) {
            Set<String> existing = kafka.topicNames();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    kafka.createTopic(t, partitions);
                    out.println("Created topic " + t + " with " + partitions + " partition(s).");
                }
            }
            out.println("Sending to " + String.join(", ", topics) + " on " + kafka.bootstrap() + ": "
                    + (count == null ? "" : TextTable.n(count) + " events")
                    + (count != null && max != null ? ", at most " : "")
                    + (max == null ? "" : "for " + Durations.format(max)) + " at "
                    + (rate == 0 ? "full speed" : String.format(Locale.ROOT, "%,.0f events/s", rate)) + ", "
                    + pct(malformed) + " malformed, " + pct(v2) + " v2, seed " + seed);
            out.flush();
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                s = traffic.send(producer, count == null ? -1 : count, rate, max);
            } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
                throw new CliException("sending failed: " + e.getMessage(), CliException.UNREACHABLE, e);
            }
        }
        double secs = Math.max(0.001, s.elapsed().toMillis() / 1000.0);
        out.printf(Locale.ROOT, "Sent %s events in %.1f s (%,.0f/s):%n", TextTable.n(s.sent()), secs, s.sent() / secs);
        for (Map.Entry<String, Long> e : s.byTopic().entrySet()) {
            out.println("  " + e.getKey() + "  " + TextTable.n(e.getValue()));
        }
        out.println("  valid      " + TextTable.n(s.valid()) + " (v2: " + TextTable.n(s.v2()) + " = "
                + pct(s.valid() == 0 ? 0 : (double) s.v2() / s.valid()) + " of valid)");
        out.println("  malformed  " + TextTable.n(s.malformed()) + " = "
                + pct(s.sent() == 0 ? 0 : (double) s.malformed() / s.sent())
                + (s.malformed() == 0 ? "" : " " + s.malformedByKind()));
        return 0;
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
