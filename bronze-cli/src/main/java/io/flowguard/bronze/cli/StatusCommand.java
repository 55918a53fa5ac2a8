package io.flowguard.bronze.cli;

import io.flowguard.bronze.jdbc.IngestionLedger;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bronze status}: lag per partition of a consumer group, and the last batches the ingestion ledger recorded. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "How far behind is the group? Committed offset, log-end offset and lag per partition (from Kafka), "
                    + "then the newest batches from the ingestion ledger (when a warehouse is given)."
        },
        footer = {
            "",
            "Example: bronze status --group bronze --bootstrap-servers kafka:9092 --jdbc-url jdbc:postgresql://db/bronze"
        })
final class StatusCommand extends BaseCommand {
    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            description = "The engines' consumer group. Env BRONZE_GROUP.")
    String group;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            split = ",",
            description = "Also show these topics' partitions even where the group has committed nothing yet.")
    List<String> topics = new ArrayList<>();

    @Option(
            names = {"-n", "--batches"},
            paramLabel = "N",
            defaultValue = "10",
            description = "How many of the newest ledger rows to show; 0 for none. Default ${DEFAULT-VALUE}.")
    int batches;

    @Override
    String groupFlag() {
        return group;
    }

    @Override
    int run() {
        Settings s = settings();
        String g = s.requireGroup();
        PrintWriter out = out();
        try (KafkaOps kafka = openKafka()) {
            List<KafkaOps.PartitionLag> lags = kafka.lag(g, topics);
            KafkaOps.GroupInfo info = kafka.group(g);
            out.println("Consumer group " + g
                    + (info == null
                            ? ""
                            : " (" + info.state() + ", " + info.members() + " member" + (info.members() == 1 ? "" : "s")
                                    + ")")
                    + " on " + kafka.bootstrap() + " at " + clock().instant());
            if (lags.isEmpty()) {
                out.println("The group has committed no offsets"
                        + (topics.isEmpty()
                                ? "; pass --topic to see a topic's log-end offsets."
                                : " and the topics given do not exist."));
            } else {
                TextTable t = new TextTable("TOPIC", "PARTITION", "COMMITTED", "END", "LAG");
                long total = 0;
                KafkaOps.PartitionLag max = null;
                for (KafkaOps.PartitionLag l : lags) {
                    t.row(
                            l.topic(),
                            l.partition(),
                            l.committed() == null ? "-" : TextTable.n(l.committed()),
                            TextTable.n(l.end()),
                            TextTable.n(l.lag()));
                    total += l.lag();
                    if (max == null || l.lag() > max.lag()) {
                        max = l;
                    }
                }
                t.print(out);
                out.println("Total lag " + TextTable.n(total) + " over " + lags.size() + " partition(s); largest "
                        + max.name() + " ("
                        + TextTable.n(max.lag()) + ")."
                        + (lags.stream().anyMatch(l -> l.committed() == null)
                                ? " '-': nothing committed yet; lag counted from the log start."
                                : ""));
            }
        }
        if (batches > 0) {
            out.println();
            if (s.jdbcUrl() == null) {
                out.println("(no warehouse given: pass --jdbc-url or set BRONZE_JDBC_URL to see the ingestion ledger)");
            } else {
                try (Warehouse w = openWarehouse()) {
                    printBatches(out, new LedgerQueries(w, s), g, batches, clock().instant(), w.displayUrl());
                }
            }
        }
        return 0;
    }

    static void printBatches(
            PrintWriter out, LedgerQueries ledger, String group, int limit, Instant now, String where) {
        if (!ledger.ledgerExists()) {
            out.println("No ingestion ledger " + ledger.ledgerDisplay() + " in " + where
                    + " (nothing landed yet, or the sink " + "runs with the ledger off).");
            return;
        }
        List<IngestionLedger.Entry> latest = ledger.latest(group, limit);
        if (latest.isEmpty()) {
            out.println("No batches of group " + group + " in " + ledger.ledgerDisplay() + ".");
            return;
        }
        out.println("Newest " + latest.size() + " ledger row(s) of group " + group + " in " + ledger.ledgerDisplay()
                + " (last commit "
                + Durations.format(
                        Duration.between(latest.get(0).committedAt(), now).abs()) + " ago):");
        TextTable t = new TextTable(
                "COMMITTED_AT",
                "BATCH",
                "TOPIC",
                "PARTITION",
                "OFFSETS",
                "RECORDS",
                "LANDED",
                "NEW",
                "DEAD",
                "TRIGGER",
                "WRITE_MS");
        for (IngestionLedger.Entry b : latest) {
            t.row(
                    b.committedAt(),
                    b.batchId(),
                    b.topic(),
                    b.partition(),
                    b.firstOffset() + ".." + b.lastOffset(),
                    b.records(),
                    b.rowsLanded(),
                    b.rowsInserted() == null ? "?" : b.rowsInserted(),
                    b.rowsDeadLettered(),
                    b.trigger(),
                    b.writeLatencyMs());
        }
        t.print(out);
    }
}
