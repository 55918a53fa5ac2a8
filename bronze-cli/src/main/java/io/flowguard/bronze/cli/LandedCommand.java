package io.flowguard.bronze.cli;

import io.flowguard.bronze.jdbc.BronzeTables;
import io.flowguard.bronze.jdbc.IngestionLedger;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bronze landed}: what landed in a time window, by minute, hour, event type or schema version. */
@Command(
        name = "landed",
        mixinStandardHelpOptions = true,
        description = {
            "What landed between two times? Rows per minute or hour from the ingestion ledger (COMMITTED_AT), "
                    + "or per event type or schema version from the Bronze tables (INGESTED_AT).",
            "Times: 2026-11-27T02:00 (UTC), 2026-11-27T02:00:00Z, 2026-11-27T03:00+01:00, 2026-11-27, now, -15m, '2h ago'."
        },
        footer = {"", "Example: bronze landed --from 2026-11-27T02:00 --to 2026-11-27T02:15 --topic orders --by minute"
        })
final class LandedCommand extends BaseCommand {
    enum By {
        minute,
        hour,
        event_type,
        schema_version
    }

    @Option(names = "--from", required = true, paramLabel = "TIME", description = "Start of the window, inclusive.")
    String from;

    @Option(
            names = "--to",
            paramLabel = "TIME",
            defaultValue = "now",
            description = "End of the window, exclusive; default now.")
    String to;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Only this topic.")
    String topic;

    @Option(
            names = "--by",
            paramLabel = "GROUPING",
            defaultValue = "minute",
            description =
                    "minute | hour (ledger) | event_type | schema_version (Bronze tables). Default ${DEFAULT-VALUE}.")
    By by;

    @Override
    int run() {
        Times.Parsed f = Times.parse(from, "--from", clock());
        Times.Parsed t = Times.parse(to, "--to", clock());
        if (!f.instant().isBefore(t.instant())) {
            throw CliException.usage("--from (" + f.instant() + ") must be before --to (" + t.instant() + ")");
        }
        Settings s = settings();
        PrintWriter out = out();
        out.println("Window " + f.instant() + " .. " + t.instant() + " (--from " + f.readAs() + "; --to " + t.readAs()
                + ")" + (topic == null ? "" : ", topic " + topic));
        try (Warehouse w = openWarehouse()) {
            if (by == By.minute || by == By.hour) {
                byTime(out, w, s, f.instant(), t.instant());
            } else {
                byColumn(out, w, s, f.instant(), t.instant());
            }
        }
        return 0;
    }

    private void byTime(PrintWriter out, Warehouse w, Settings s, Instant from, Instant to) {
        List<IngestionLedger.Entry> entries;
        try {
            entries = w.ledger().landedBetween(from, to, Optional.ofNullable(topic));
        } catch (RuntimeException e) {
            throw w.readFailure("the ingestion ledger " + w.display(s.ledgerTable()), e);
        }
        ChronoUnit unit = by == By.minute ? ChronoUnit.MINUTES : ChronoUnit.HOURS;
        record Key(Instant bucket, String topic) implements Comparable<Key> {
            @Override
            public int compareTo(Key o) {
                int c = bucket.compareTo(o.bucket);
                return c != 0 ? c : topic.compareTo(o.topic);
            }
        }
        Map<Key, long[]> buckets = new TreeMap<>();
        java.util.Map<Key, java.util.Set<String>> batchIds = new java.util.HashMap<>();
        boolean unknownNew = false;
        for (IngestionLedger.Entry e : entries) {
            Key k = new Key(e.committedAt().truncatedTo(unit), e.topic());
            long[] v = buckets.computeIfAbsent(k, x -> new long[4]);
            batchIds.computeIfAbsent(k, x -> new java.util.HashSet<>()).add(e.batchId());
            v[0] += e.rowsLanded();
            if (e.rowsInserted() == null) {
                unknownNew = true;
            } else {
                v[1] += e.rowsInserted();
            }
            v[2] += e.rowsDeadLettered();
            v[3] += e.rowsSkipped();
        }
        if (buckets.isEmpty()) {
            out.println("Nothing landed in this window (ledger " + w.display(s.ledgerTable()) + ").");
            return;
        }
        TextTable table = new TextTable(
                by == By.minute ? "MINUTE" : "HOUR", "TOPIC", "BATCHES", "LANDED", "NEW", "DEAD_LETTERED", "SKIPPED");
        long[] total = new long[4];
        for (Map.Entry<Key, long[]> e : buckets.entrySet()) {
            long[] v = e.getValue();
            table.row(
                    e.getKey().bucket(),
                    e.getKey().topic(),
                    batchIds.get(e.getKey()).size(),
                    TextTable.n(v[0]),
                    TextTable.n(v[1]),
                    TextTable.n(v[2]),
                    TextTable.n(v[3]));
            for (int i = 0; i < 4; i++) {
                total[i] += v[i];
            }
        }
        table.print(out);
        out.println("Total: " + TextTable.n(total[0]) + " landed (" + TextTable.n(total[1]) + " new"
                + (unknownNew ? ", plus some the database could not attribute" : "") + ", "
                + TextTable.n(total[0] - total[1]) + " already present), " + TextTable.n(total[2]) + " dead-lettered, "
                + TextTable.n(total[3]) + " skipped; from ledger " + w.display(s.ledgerTable()) + " by COMMITTED_AT.");
    }

    private void byColumn(PrintWriter out, Warehouse w, Settings s, Instant from, Instant to) {
        LedgerQueries ledger = new LedgerQueries(w, s);
        List<String> tables = topic == null
                ? ledger.bronzeTables(null)
                : List.of(
                        ledger.bronzeTables(topic).isEmpty()
                                ? io.flowguard.bronze.api.TableRouter.fromTopicName()
                                        .tableFor(topic)
                                : ledger.bronzeTables(topic).get(0));
        String column = by == By.event_type ? BronzeTables.EVENT_TYPE : BronzeTables.SCHEMA_VERSION;
        TextTable table = new TextTable("TABLE", "TOPIC", column, "ROWS");
        long total = 0;
        List<String> missing = new ArrayList<>();
        for (String name : tables) {
            if (!w.tableExists(name)) {
                missing.add(name);
                continue;
            }
            String sql = "SELECT \"" + BronzeTables.SOURCE_TOPIC + "\", \"" + column + "\", COUNT(*) FROM "
                    + w.qualified(name)
                    + " WHERE \"" + BronzeTables.INGESTED_AT + "\" >= " + w.timestampParameter() + " AND \""
                    + BronzeTables.INGESTED_AT + "\" < " + w.timestampParameter()
                    + (topic == null ? "" : " AND \"" + BronzeTables.SOURCE_TOPIC + "\" = ?")
                    + " GROUP BY 1, 2 ORDER BY 1, 2";
            Object[] params = topic == null ? new Object[] {from, to} : new Object[] {from, to, topic};
            for (Object[] r : w.query(
                    "Bronze table " + w.display(name),
                    sql,
                    rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)},
                    params)) {
                table.row(w.display(name), r[0], r[1] == null ? "(null)" : r[1], TextTable.n((Long) r[2]));
                total += (Long) r[2];
            }
        }
        if (table.isEmpty()) {
            out.println("Nothing landed in this window"
                    + (tables.isEmpty() ? " (no Bronze tables found)" : " in " + String.join(", ", tables)) + ".");
        } else {
            table.print(out);
            out.println("Total: " + TextTable.n(total) + " rows by INGESTED_AT in " + String.join(", ", tables) + ".");
        }
        if (!missing.isEmpty()) {
            out.println("Not found: " + String.join(", ", missing));
        }
    }
}
