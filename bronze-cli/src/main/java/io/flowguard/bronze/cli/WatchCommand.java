package io.flowguard.bronze.cli;

import io.flowguard.bronze.jdbc.IngestionLedger;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bronze watch}: a refreshing view of throughput, lag and dead letters. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "A refreshing view: rows landed per second (ingestion ledger), lag of the group (Kafka) and dead letters "
                    + "(dead-letter table). Ctrl-C to stop."
        },
        footer = {"", "Example: bronze watch --group bronze --interval 5s"})
final class WatchCommand extends BaseCommand {
    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            description = "The engines' consumer group. Env BRONZE_GROUP.")
    String group;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "5s",
            description = "Refresh every; default ${DEFAULT-VALUE}.")
    String interval;

    @Option(
            names = "--iterations",
            paramLabel = "N",
            defaultValue = "0",
            description = "Stop after N refreshes; default 0: until stopped.")
    int iterations;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Only this topic's throughput and dead letters.")
    String topic;

    @Option(names = "--no-clear", description = "Print frames one after another instead of redrawing the screen.")
    boolean noClear;

    @Override
    String groupFlag() {
        return group;
    }

    @Override
    int run() throws InterruptedException {
        Duration every = Durations.parse(interval, "--interval");
        if (every.isZero() || every.isNegative()) {
            throw CliException.usage("--interval must be > 0, but was " + interval);
        }
        if (iterations < 0) {
            throw CliException.usage("--iterations must be >= 0, but was " + iterations);
        }
        Settings s = settings();
        if (s.bootstrapServers() == null && s.jdbcUrl() == null) {
            throw CliException.usage(
                    "watch needs Kafka (--bootstrap-servers) or a warehouse (--jdbc-url), preferably both");
        }
        boolean clear = !noClear && System.console() != null;
        PrintWriter out = out();
        try (KafkaOps kafka = s.bootstrapServers() == null ? null : openKafka();
                Warehouse w = s.jdbcUrl() == null ? null : openWarehouse()) {
            LedgerQueries ledger = w == null ? null : new LedgerQueries(w, s);
            for (int i = 1; iterations == 0 || i <= iterations; i++) {
                if (clear) {
                    out.print("\033[H\033[2J");
                }
                frame(out, s, kafka, w, ledger, every);
                out.flush();
                if (iterations != 0 && i == iterations) {
                    break;
                }
                Thread.sleep(every.toMillis());
            }
        }
        return 0;
    }

    private void frame(PrintWriter out, Settings s, KafkaOps kafka, Warehouse w, LedgerQueries ledger, Duration every) {
        Instant now = clock().instant();
        out.println("bronze watch  " + now + "  every " + Durations.format(every)
                + (s.group() == null ? "" : "  group " + s.group()) + (topic == null ? "" : "  topic " + topic));
        if (w != null) {
            List<IngestionLedger.Entry> minute = w.ledger()
                    .landedBetween(now.minus(Duration.ofMinutes(1)), now.plusMillis(1), Optional.ofNullable(topic));
            Instant since = now.minus(every);
            long recent = minute.stream()
                    .filter(e -> !e.committedAt().isBefore(since))
                    .mapToLong(IngestionLedger.Entry::rowsLanded)
                    .sum();
            long lastMinute =
                    minute.stream().mapToLong(IngestionLedger.Entry::rowsLanded).sum();
            out.printf(
                    Locale.ROOT,
                    "  throughput  %,.1f rows/s over the last %s, %,.1f rows/s over the last minute (%s rows)%n",
                    recent / (every.toMillis() / 1000.0),
                    Durations.format(every),
                    lastMinute / 60.0,
                    TextTable.n(lastMinute));
        } else {
            out.println("  throughput  (no warehouse: pass --jdbc-url)");
        }
        if (kafka != null && s.group() != null) {
            try {
                List<KafkaOps.PartitionLag> lags = kafka.lag(s.group(), topic == null ? List.of() : List.of(topic));
                if (topic != null) {
                    lags = lags.stream().filter(l -> l.topic().equals(topic)).toList();
                }
                long total = lags.stream().mapToLong(KafkaOps.PartitionLag::lag).sum();
                KafkaOps.PartitionLag max = lags.stream()
                        .max(java.util.Comparator.comparingLong(KafkaOps.PartitionLag::lag))
                        .orElse(null);
                out.println("  lag         " + TextTable.n(total) + " total over " + lags.size() + " partition(s)"
                        + (max == null ? "" : ", largest " + max.name() + " = " + TextTable.n(max.lag())));
            } catch (CliException e) {
                out.println("  lag         unknown: " + e.getMessage());
            }
        } else {
            out.println("  lag         ("
                    + (kafka == null ? "no Kafka: pass --bootstrap-servers" : "no group: pass --group") + ")");
        }
        if (ledger != null) {
            long recentDead = ledger.deadLettersSince(now.minus(every), topic);
            long hourDead = ledger.deadLettersSince(now.minus(Duration.ofHours(1)), topic);
            out.println("  dead letters " + TextTable.n(recentDead) + " in the last " + Durations.format(every) + ", "
                    + TextTable.n(hourDead) + " in the last hour (" + ledger.deadLetterDisplay() + ")");
            List<IngestionLedger.Entry> last = ledger.latest(s.group(), 1);
            if (!last.isEmpty()) {
                IngestionLedger.Entry b = last.get(0);
                out.println("  last batch  " + b.committedAt() + " " + b.topic() + "-" + b.partition() + " offsets "
                        + b.firstOffset() + ".." + b.lastOffset() + ", " + b.rowsLanded() + " landed (" + b.trigger()
                        + ", "
                        + b.writeLatencyMs() + " ms), "
                        + Durations.format(
                                Duration.between(b.committedAt(), now).abs()) + " ago");
            }
        }
    }
}
