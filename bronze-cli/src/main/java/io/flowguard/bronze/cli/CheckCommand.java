package io.flowguard.bronze.cli;

import io.flowguard.bronze.jdbc.IngestionLedger;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bronze check}: one-shot health with a non-zero exit code when something is wrong. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "One-shot health: broker reachable, warehouse reachable, lag under a threshold, dead letters in the "
                    + "last hour, and offset gaps (offsets neither in the ingestion ledger nor in the dead-letter table, and "
                    + "committed offsets beyond what the ledger accounts for), and ledger ranges two batches both landed (append-mode "
                    + "duplicates).",
            "Prints OK, FAIL or SKIP per check; exits 1 when any check fails (for cron, CI and alerting)."
        },
        footer = {"", "Example: bronze check --group bronze --max-lag 10000 --max-dead-letters 50"})
final class CheckCommand extends BaseCommand {
    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            description = "The engines' consumer group. Env BRONZE_GROUP.")
    String group;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            split = ",",
            description = "Only these topics (gaps and dead letters); default every topic in the ledger.")
    List<String> topics = new ArrayList<>();

    @Option(
            names = "--max-lag",
            paramLabel = "RECORDS",
            defaultValue = "10000",
            description = "Fail when any partition's lag exceeds this; default ${DEFAULT-VALUE}.")
    long maxLag;

    @Option(
            names = "--max-dead-letters",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Fail when more dead letters than this arrived within --dead-letter-window; default ${DEFAULT-VALUE}.")
    long maxDeadLetters;

    @Option(
            names = "--dead-letter-window",
            paramLabel = "DURATION",
            defaultValue = "1h",
            description = "How far back to count dead letters; default ${DEFAULT-VALUE}.")
    String deadLetterWindow;

    private enum Verdict {
        OK,
        FAIL,
        SKIP
    }

    private record Result(Verdict verdict, String name, String detail) {}

    @Override
    String groupFlag() {
        return group;
    }

    @Override
    int run() {
        Settings s = settings();
        Duration window = Durations.parse(deadLetterWindow, "--dead-letter-window");
        List<Result> results = new ArrayList<>();
        KafkaOps kafka = null;
        Warehouse w = null;
        try {
            // Broker
            boolean brokerUp = false;
            if (s.bootstrapServers() == null) {
                results.add(
                        new Result(Verdict.SKIP, "broker", "no --bootstrap-servers / BRONZE_BOOTSTRAP_SERVERS given"));
            } else {
                kafka = openKafka();
                try {
                    KafkaOps.ClusterInfo c = kafka.cluster();
                    brokerUp = true;
                    results.add(new Result(
                            Verdict.OK,
                            "broker",
                            c.brokers() + " broker(s) at " + kafka.bootstrap() + ", cluster " + c.clusterId()));
                } catch (CliException e) {
                    results.add(new Result(Verdict.FAIL, "broker", e.getMessage()));
                }
            }
            // Warehouse
            boolean warehouseUp = false;
            if (s.jdbcUrl() == null) {
                results.add(new Result(Verdict.SKIP, "warehouse", "no --jdbc-url / BRONZE_JDBC_URL given"));
            } else {
                try {
                    w = openWarehouse();
                    String product = w.describe();
                    warehouseUp = true;
                    results.add(new Result(Verdict.OK, "warehouse", product + " at " + w.displayUrl()));
                } catch (CliException e) {
                    if (e.exitCode() == CliException.USAGE) {
                        throw e;
                    }
                    results.add(new Result(Verdict.FAIL, "warehouse", e.getMessage()));
                }
            }
            // Lag
            List<KafkaOps.PartitionLag> lags = List.of();
            if (!brokerUp || s.group() == null) {
                results.add(new Result(
                        Verdict.SKIP,
                        "lag",
                        s.group() == null ? "no --group / BRONZE_GROUP given" : "broker unreachable"));
            } else {
                try {
                    lags = kafka.lag(s.group(), List.of());
                    if (!topics.isEmpty()) {
                        lags = lags.stream()
                                .filter(l -> topics.contains(l.topic()))
                                .toList();
                    }
                    if (lags.isEmpty()) {
                        results.add(new Result(
                                Verdict.FAIL,
                                "lag",
                                "group " + s.group() + " has committed no offsets: is it the right group, "
                                        + "and has an engine run?"));
                    } else {
                        KafkaOps.PartitionLag max = lags.stream()
                                .max(java.util.Comparator.comparingLong(KafkaOps.PartitionLag::lag))
                                .get();
                        long total = lags.stream()
                                .mapToLong(KafkaOps.PartitionLag::lag)
                                .sum();
                        List<String> over = lags.stream()
                                .filter(l -> l.lag() > maxLag)
                                .map(l -> l.name() + "=" + TextTable.n(l.lag()))
                                .toList();
                        results.add(
                                over.isEmpty()
                                        ? new Result(
                                                Verdict.OK,
                                                "lag",
                                                "max " + TextTable.n(max.lag()) + " (" + max.name() + "), total "
                                                        + TextTable.n(total) + ", threshold " + TextTable.n(maxLag))
                                        : new Result(
                                                Verdict.FAIL,
                                                "lag",
                                                over.size() + " partition(s) over " + TextTable.n(maxLag) + ": "
                                                        + String.join(", ", over) + " (total " + TextTable.n(total)
                                                        + ")"));
                    }
                } catch (CliException e) {
                    results.add(new Result(Verdict.FAIL, "lag", e.getMessage()));
                }
            }
            // Dead letters and gaps
            if (!warehouseUp) {
                results.add(new Result(
                        Verdict.SKIP,
                        "dead-letters",
                        "warehouse " + (s.jdbcUrl() == null ? "not given" : "unreachable")));
                results.add(new Result(
                        Verdict.SKIP,
                        "offset-gaps",
                        "warehouse " + (s.jdbcUrl() == null ? "not given" : "unreachable")));
                results.add(new Result(
                        Verdict.SKIP,
                        "ledger-overlaps",
                        "warehouse " + (s.jdbcUrl() == null ? "not given" : "unreachable")));
            } else {
                LedgerQueries ledger = new LedgerQueries(w, s);
                java.time.Instant since = clock().instant().minus(window);
                long dead = topics.isEmpty()
                        ? ledger.deadLettersSince(since, null)
                        : topics.stream()
                                .mapToLong(t -> ledger.deadLettersSince(since, t))
                                .sum();
                String deadDetail = TextTable.n(dead) + " in the last " + Durations.format(window) + " (threshold "
                        + TextTable.n(maxDeadLetters) + ", " + ledger.deadLetterDisplay()
                        + (topics.isEmpty() ? "" : ", topics " + String.join(", ", topics)) + ")";
                results.add(new Result(
                        dead > maxDeadLetters ? Verdict.FAIL : Verdict.OK,
                        "dead-letters",
                        dead > maxDeadLetters ? deadDetail + ": see 'bronze dlq list'" : deadDetail));
                results.add(gaps(w, ledger, lags));
                results.add(overlaps(w, ledger));
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            if (w != null) {
                w.close();
            }
        }
        PrintWriter out = out();
        int width = results.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        long failed = 0;
        for (Result r : results) {
            out.println(String.format("%-4s  %-" + width + "s  %s", r.verdict(), r.name(), r.detail()));
            if (r.verdict() == Verdict.FAIL) {
                failed++;
            }
        }
        out.println(failed == 0 ? "All checks passed." : failed + " of " + results.size() + " checks failed.");
        return failed == 0 ? 0 : CliException.PROBLEM;
    }

    private Result gaps(Warehouse w, LedgerQueries ledger, List<KafkaOps.PartitionLag> lags) {
        if (!ledger.ledgerExists()) {
            return new Result(
                    Verdict.SKIP,
                    "offset-gaps",
                    "no ingestion ledger " + ledger.ledgerDisplay() + " (nothing landed yet?)");
        }
        List<String> checked = topics.isEmpty() ? ledger.topics() : topics;
        IngestionLedger reader = w.ledger();
        List<String> found = new ArrayList<>();
        long missing = 0;
        for (String topic : checked) {
            for (IngestionLedger.OffsetRange g : reader.gaps(topic)) {
                found.add(g.topic() + "-" + g.partition() + " " + range(g.firstOffset(), g.lastOffset()));
                missing += g.size();
            }
            // Committed offsets past the last accounted one: committed, but in neither table.
            Map<Integer, Long> last = ledger.lastKnownOffsets(topic);
            for (KafkaOps.PartitionLag l : lags) {
                if (l.topic().equals(topic)
                        && l.committed() != null
                        && last.containsKey(l.partition())
                        && l.committed() - 1 > last.get(l.partition())) {
                    found.add(topic + "-" + l.partition() + " " + range(last.get(l.partition()) + 1, l.committed() - 1)
                            + " (committed, not in ledger)");
                    missing += l.committed() - 1 - last.get(l.partition());
                }
            }
        }
        if (found.isEmpty()) {
            return new Result(
                    Verdict.OK,
                    "offset-gaps",
                    "none in " + checked.size() + " topic(s): " + String.join(", ", checked));
        }
        return new Result(
                Verdict.FAIL,
                "offset-gaps",
                TextTable.n(missing) + " offset(s) in neither " + ledger.ledgerDisplay()
                        + " nor " + ledger.deadLetterDisplay() + ": "
                        + String.join("; ", found.subList(0, Math.min(10, found.size())))
                        + (found.size() > 10 ? "; ..." : "")
                        + ". Replay them with 'bronze replay --topic T --partition P --from-offset A --to-offset B'");
    }

    /** Offsets two ledger rows both added: append-mode duplicates of a zombie writer (see docs/append-mode.md). */
    private Result overlaps(Warehouse w, LedgerQueries ledger) {
        if (!ledger.ledgerExists()) {
            return new Result(
                    Verdict.SKIP,
                    "ledger-overlaps",
                    "no ingestion ledger " + ledger.ledgerDisplay() + " (nothing landed yet?)");
        }
        List<String> checked = topics.isEmpty() ? ledger.topics() : topics;
        IngestionLedger reader = w.ledger();
        List<String> found = new ArrayList<>();
        long twice = 0;
        for (String topic : checked) {
            for (IngestionLedger.Overlap o : reader.overlaps(topic)) {
                IngestionLedger.OffsetRange r = o.overlapping();
                found.add(o.table() + " " + topic + "-" + o.partition() + " " + range(r.firstOffset(), r.lastOffset())
                        + " (batches " + o.firstBatchId() + ", " + o.secondBatchId() + ")");
                twice += r.size();
            }
        }
        if (found.isEmpty()) {
            return new Result(
                    Verdict.OK,
                    "ledger-overlaps",
                    "none in " + checked.size() + " topic(s): " + String.join(", ", checked));
        }
        return new Result(
                Verdict.FAIL,
                "ledger-overlaps",
                TextTable.n(twice) + " offset(s) landed by two batches of "
                        + ledger.ledgerDisplay() + ": "
                        + String.join("; ", found.subList(0, Math.min(10, found.size())))
                        + (found.size() > 10 ? "; ..." : "")
                        + ". Append-mode duplicates (a zombie writer): read through the deduplicating "
                        + "view of docs/append-mode.md");
    }

    private static String range(long a, long b) {
        return a == b ? "offset " + a : "offsets " + a + ".." + b;
    }
}
