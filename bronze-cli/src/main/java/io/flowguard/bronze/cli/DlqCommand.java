package io.flowguard.bronze.cli;

// Size note: over 400 lines because picocli subcommands (list, show, replay) with their help texts, which are most of
// its lines.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowguard.bronze.core.BackfillJob;
import io.flowguard.bronze.core.BackfillResult;
import io.flowguard.bronze.core.DeadLetterReplay;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.KafkaDeadLetterSink;
import io.flowguard.bronze.jdbc.BronzeTables;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bronze dlq list|show|replay}: dead letters from the dead-letter table or a dead-letter topic. */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = {
            "Which offsets failed and why? Dead letters from the dead-letter table (default "
                    + "BRONZE_DEAD_LETTER), or from a Kafka dead-letter topic when --topic names one ending in .dlq."
        },
        subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.Show.class, DlqCommand.Replay.class})
final class DlqCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: list, show or replay");
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern COORDINATES = Pattern.compile("(.+)-(\\d+)-(\\d+)");

    /** One dead letter, from the table or a DLQ topic record. */
    record Row(
            Instant failedAt,
            String stage,
            String errorClass,
            String errorMessage,
            String stackTrace,
            int attempts,
            String topic,
            int partition,
            long offset,
            String ingestionId,
            String payload,
            int payloadSize,
            boolean truncated,
            String metadata,
            String dlqPosition) {
        String coordinates() {
            return topic + "-" + partition + "-" + offset;
        }
    }

    /** Options shared by the subcommands: where the dead letters are and which to take. */
    abstract static class DlqBase extends BaseCommand {
        @Option(
                names = "--topic",
                paramLabel = "TOPIC",
                description =
                        "Only dead letters of this source topic; a name ending in .dlq reads that Kafka dead-letter topic instead of the table.")
        String topic;

        @Option(
                names = {"-p", "--partition"},
                paramLabel = "P",
                description = "Only this partition (of the source topic).")
        Integer partition;

        boolean fromKafka() {
            return topic != null && topic.endsWith(".dlq");
        }

        String sourceTopic() {
            return fromKafka() ? null : topic;
        }

        List<Row> fromTable(Warehouse w, Settings s, String where, List<Object> params, int limit) {
            if (!w.tableExists(s.deadLetterTable())) {
                throw new CliException(
                        "no dead-letter table " + w.display(s.deadLetterTable()) + " in " + w.displayUrl()
                                + " (no dead letters yet, or the engines use another dead-letter sink: try --topic <topic>.dlq)",
                        CliException.PROBLEM);
            }
            String sql = "SELECT \""
                    + String.join(
                            "\", \"",
                            BronzeTables.FAILED_AT,
                            BronzeTables.STAGE,
                            BronzeTables.ERROR_CLASS,
                            BronzeTables.ERROR_MESSAGE,
                            BronzeTables.STACK_TRACE,
                            BronzeTables.ATTEMPTS,
                            BronzeTables.SOURCE_TOPIC,
                            BronzeTables.KAFKA_PARTITION,
                            BronzeTables.KAFKA_OFFSET,
                            BronzeTables.INGESTION_ID,
                            BronzeTables.RAW_PAYLOAD,
                            BronzeTables.PAYLOAD_SIZE_BYTES,
                            BronzeTables.PAYLOAD_TRUNCATED)
                    + "\", "
                    + w.jsonText("\"" + BronzeTables.KAFKA_METADATA + "\"") + " FROM "
                    + w.qualified(s.deadLetterTable()) + where
                    + " ORDER BY \"" + BronzeTables.FAILED_AT
                    + "\" DESC, \"" + BronzeTables.SOURCE_TOPIC + "\", \"" + BronzeTables.KAFKA_PARTITION + "\", \""
                    + BronzeTables.KAFKA_OFFSET + "\"" + (limit > 0 ? " LIMIT " + limit : "");
            return w.query(
                    "the dead-letter table " + w.display(s.deadLetterTable()),
                    sql,
                    rs -> new Row(
                            Warehouse.instant(rs, 1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getInt(6),
                            rs.getString(7),
                            rs.getInt(8),
                            rs.getLong(9),
                            rs.getString(10),
                            rs.getString(11),
                            rs.getInt(12),
                            rs.getBoolean(13),
                            rs.getString(14),
                            null),
                    params.toArray());
        }

        String tableFilter(Warehouse w, List<Object> params, Long fromOffset, Long toOffset, Instant since) {
            List<String> conditions = new ArrayList<>();
            if (sourceTopic() != null) {
                conditions.add("\"" + BronzeTables.SOURCE_TOPIC + "\" = ?");
                params.add(sourceTopic());
            }
            if (partition != null) {
                conditions.add("\"" + BronzeTables.KAFKA_PARTITION + "\" = ?");
                params.add(partition);
            }
            if (fromOffset != null) {
                conditions.add("\"" + BronzeTables.KAFKA_OFFSET + "\" >= ?");
                params.add(fromOffset);
            }
            if (toOffset != null) {
                conditions.add("\"" + BronzeTables.KAFKA_OFFSET + "\" <= ?");
                params.add(toOffset);
            }
            if (since != null) {
                conditions.add("\"" + BronzeTables.FAILED_AT + "\" >= " + w.timestampParameter());
                params.add(since.toString());
            }
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }

        /** Every record of a DLQ topic as it is now, as rows. */
        List<Row> fromKafka(KafkaOps kafka) {
            List<Row> rows = new ArrayList<>();
            Map<String, Integer> counts = kafka.partitionCounts(List.of(topic));
            if (counts.isEmpty()) {
                throw new CliException(
                        "dead-letter topic '" + topic + "' does not exist on " + kafka.bootstrap(),
                        CliException.PROBLEM);
            }
            try (KafkaConsumer<byte[], byte[]> consumer = kafka.assignOnlyConsumer()) {
                List<TopicPartition> tps = new ArrayList<>();
                for (int p = 0; p < counts.get(topic); p++) {
                    tps.add(new TopicPartition(topic, p));
                }
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                Map<TopicPartition, Long> end = consumer.endOffsets(tps);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    if (System.nanoTime() > deadline) {
                        throw new CliException(
                                "could not read " + topic + " to its end within 60 s", CliException.UNREACHABLE);
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        Row row = toRow(r);
                        if (row != null && (partition == null || row.partition() == partition)) {
                            rows.add(row);
                        }
                    }
                }
            }
            rows.sort((a, b) -> b.failedAt().compareTo(a.failedAt()));
            return rows;
        }

        private static Row toRow(ConsumerRecord<byte[], byte[]> r) {
            Map<String, String> h = new LinkedHashMap<>();
            Map<String, String> original = new LinkedHashMap<>();
            for (Header header : r.headers()) {
                String v = header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
                if (header.key().startsWith(KafkaDeadLetterSink.PREFIX)) {
                    h.put(header.key(), v);
                } else {
                    original.put(header.key(), v);
                }
            }
            if (h.get(KafkaDeadLetterSink.H_TOPIC) == null || h.get(KafkaDeadLetterSink.H_OFFSET) == null) {
                return null;
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("topic", h.get(KafkaDeadLetterSink.H_TOPIC));
            meta.put("partition", h.get(KafkaDeadLetterSink.H_PARTITION));
            meta.put("offset", h.get(KafkaDeadLetterSink.H_OFFSET));
            meta.put("timestamp", h.get(KafkaDeadLetterSink.H_TIMESTAMP));
            meta.put("timestampType", h.get(KafkaDeadLetterSink.H_TIMESTAMP_TYPE));
            meta.put("consumerGroup", h.get(KafkaDeadLetterSink.H_GROUP));
            meta.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
            meta.put("headers", original);
            String metadata;
            try {
                metadata = JSON.writeValueAsString(meta);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                metadata = meta.toString();
            }
            String failedAt = h.get(KafkaDeadLetterSink.H_FAILED_AT);
            String size = h.get(KafkaDeadLetterSink.H_PAYLOAD_SIZE);
            int payloadSize = size == null ? (r.value() == null ? 0 : r.value().length) : Integer.parseInt(size);
            return new Row(
                    failedAt == null ? Instant.ofEpochMilli(r.timestamp()) : Instant.parse(failedAt),
                    h.get(KafkaDeadLetterSink.H_STAGE),
                    h.get(KafkaDeadLetterSink.H_EXCEPTION_CLASS),
                    h.get(KafkaDeadLetterSink.H_EXCEPTION_MESSAGE),
                    h.get(KafkaDeadLetterSink.H_STACKTRACE),
                    h.get(KafkaDeadLetterSink.H_ATTEMPTS) == null
                            ? 1
                            : Integer.parseInt(h.get(KafkaDeadLetterSink.H_ATTEMPTS)),
                    h.get(KafkaDeadLetterSink.H_TOPIC),
                    Integer.parseInt(h.get(KafkaDeadLetterSink.H_PARTITION)),
                    Long.parseLong(h.get(KafkaDeadLetterSink.H_OFFSET)),
                    h.get(KafkaDeadLetterSink.H_INGESTION_ID),
                    r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8),
                    payloadSize,
                    r.value() != null && r.value().length < payloadSize,
                    metadata,
                    r.topic() + "-" + r.partition() + "@" + r.offset());
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List dead letters, newest first: when, where (topic-partition-offset), stage and error.",
            footer = {"", "Example: bronze dlq list --topic orders --since -1h"})
    static final class ListDeadLetters extends DlqBase {
        @Option(
                names = "--since",
                paramLabel = "TIME",
                description = "Only dead letters that failed at or after this time.")
        String since;

        @Option(
                names = {"-n", "--limit"},
                paramLabel = "N",
                defaultValue = "50",
                description = "Show at most N; default ${DEFAULT-VALUE}.")
        int limit;

        @Override
        int run() {
            Settings s = settings();
            Instant from = since == null
                    ? null
                    : Times.parse(since, "--since", clock()).instant();
            List<Row> rows;
            String where;
            if (fromKafka()) {
                try (KafkaOps kafka = openKafka()) {
                    rows = fromKafka(kafka).stream()
                            .filter(r -> from == null || !r.failedAt().isBefore(from))
                            .toList();
                    where = "topic " + topic;
                }
            } else {
                try (Warehouse w = openWarehouse()) {
                    List<Object> params = new ArrayList<>();
                    rows = fromTable(w, s, tableFilter(w, params, null, null, from), params, 0);
                    where = w.display(s.deadLetterTable()) + " in " + w.displayUrl();
                }
            }
            PrintWriter out = out();
            if (rows.isEmpty()) {
                out.println("No dead letters in " + where + (from == null ? "" : " since " + from) + ".");
                return 0;
            }
            TextTable t = new TextTable("FAILED_AT", "TOPIC", "PARTITION", "OFFSET", "STAGE", "ERROR", "BYTES");
            Map<String, Integer> stages = new TreeMap<>();
            for (Row r : rows) {
                stages.merge(r.stage(), 1, Integer::sum);
            }
            for (Row r : rows.subList(0, Math.min(limit, rows.size()))) {
                t.row(
                        r.failedAt(),
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        r.stage(),
                        abbreviate(simpleName(r.errorClass()) + ": " + oneLine(r.errorMessage()), 90),
                        r.payloadSize());
            }
            t.print(out);
            out.println(rows.size() + " dead letter(s) in " + where
                    + (rows.size() > limit ? ", showing the newest " + limit : "") + "; by stage: " + stages
                    + ". Details: bronze dlq show <TOPIC-PARTITION-OFFSET>");
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one dead letter in full: error, stack trace, Kafka metadata and payload.",
            footer = {"", "Example: bronze dlq show orders-1-42"})
    static final class Show extends DlqBase {
        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "TOPIC-PARTITION-OFFSET",
                description = "The original record, e.g. orders-1-42 (or use --topic/--partition/--offset).")
        String coordinates;

        @Option(names = "--offset", paramLabel = "OFFSET", description = "The original offset.")
        Long offset;

        @Override
        int run() {
            String t = sourceTopic();
            Integer p = partition;
            Long o = offset;
            if (coordinates != null) {
                Matcher m = COORDINATES.matcher(coordinates);
                if (!m.matches()) {
                    throw CliException.usage(
                            "name the dead letter as TOPIC-PARTITION-OFFSET, e.g. orders-1-42, but was '" + coordinates
                                    + "'");
                }
                t = m.group(1);
                p = Integer.parseInt(m.group(2));
                o = Long.parseLong(m.group(3));
            }
            if (t == null || p == null || o == null) {
                throw CliException.usage(
                        "say which dead letter: bronze dlq show orders-1-42, or --topic orders --partition 1 --offset 42");
            }
            Row row;
            if (fromKafka()) {
                final String ft = t;
                final int fp = p;
                final long fo = o;
                try (KafkaOps kafka = openKafka()) {
                    row = fromKafka(kafka).stream()
                            .filter(r -> r.topic().equals(ft) && r.partition() == fp && r.offset() == fo)
                            .findFirst()
                            .orElse(null);
                }
            } else {
                try (Warehouse w = openWarehouse()) {
                    Settings s = settings();
                    List<Object> params = new ArrayList<>(List.of(t, p, o));
                    List<Row> rows = fromTable(
                            w,
                            s,
                            " WHERE \"" + BronzeTables.SOURCE_TOPIC + "\" = ? AND \"" + BronzeTables.KAFKA_PARTITION
                                    + "\" = ? AND \"" + BronzeTables.KAFKA_OFFSET + "\" = ?",
                            params,
                            1);
                    row = rows.isEmpty() ? null : rows.get(0);
                }
            }
            if (row == null) {
                throw new CliException(
                        "no dead letter for " + t + "-" + p + "-" + o + (fromKafka() ? " in " + topic : "")
                                + ": list them with 'bronze dlq list'",
                        CliException.PROBLEM);
            }
            PrintWriter out = out();
            out.println("Dead letter " + row.coordinates()
                    + (row.dlqPosition() == null ? "" : "  (at " + row.dlqPosition() + ")"));
            out.println("  failed at     " + row.failedAt());
            out.println("  stage         " + row.stage() + "   attempts " + row.attempts());
            out.println("  error         " + row.errorClass());
            out.println("  message       " + row.errorMessage());
            out.println("  ingestion id  " + (row.ingestionId() == null ? "-" : row.ingestionId()));
            out.println("  payload       " + row.payloadSize() + " bytes"
                    + (row.truncated() ? " (truncated copy; the full value is in Kafka)" : ""));
            out.println("Kafka metadata:");
            out.println(indent(pretty(row.metadata())));
            out.println("Payload:");
            out.println(indent(pretty(row.payload())));
            if (row.stackTrace() != null) {
                out.println("Stack trace:");
                out.println(indent(row.stackTrace().strip()));
            }
            out.println("Replay after fixing the cause: bronze dlq replay --topic "
                    + (fromKafka() ? topic : row.topic()) + " --partition " + row.partition() + " --from-offset "
                    + row.offset() + " --to-offset " + row.offset());
            return 0;
        }
    }

    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            description = {
                "Re-ingest dead letters after fixing the cause. From the table: re-reads the original offsets from "
                        + "Kafka with a BackfillJob (nothing committed; rows already present are skipped). From a .dlq topic: "
                        + "replays its records with DeadLetterReplay (same ingestion ids). Records that fail again are "
                        + "dead-lettered again; the dead-letter rows stay as the audit trail."
            },
            footer = {"", "Example: bronze dlq replay --topic orders --partition 1 --from-offset 40 --to-offset 45"})
    static final class Replay extends DlqBase {
        @Option(
                names = "--from-offset",
                paramLabel = "OFFSET",
                description = "Only dead letters at or after this offset.")
        Long fromOffset;

        @Option(
                names = "--to-offset",
                paramLabel = "OFFSET",
                description = "Only dead letters at or before this offset.")
        Long toOffset;

        @Option(
                names = "--max-record-bytes",
                paramLabel = "BYTES",
                description = "Largest value that may land; raise it to replay SIZE_LIMIT dead letters. Default 4 MiB.")
        Integer maxRecordBytes;

        @Option(
                names = "--merge-gap",
                paramLabel = "OFFSETS",
                defaultValue = "1000",
                description =
                        "Read dead letters of a partition closer than this in one pass (offsets between them are re-read "
                                + "and skipped as already present); default ${DEFAULT-VALUE}.")
        long mergeGap;

        @Option(names = "--dry-run", description = "Only print which offsets would be re-read.")
        boolean dryRun;

        @Override
        int run() {
            Settings s = settings();
            PrintWriter out = out();
            if (fromKafka()) {
                return replayTopic(s, out);
            }
            try (Warehouse w = openWarehouse();
                    KafkaOps kafka = openKafka()) {
                List<Object> params = new ArrayList<>();
                List<Row> rows = fromTable(w, s, tableFilter(w, params, fromOffset, toOffset, null), params, 0);
                if (rows.isEmpty()) {
                    out.println("No dead letters match; nothing to replay.");
                    return 0;
                }
                Map<String, TreeMap<Long, Long>> ranges = new TreeMap<>();
                Map<String, List<Long>> byPartition = new TreeMap<>();
                for (Row r : rows) {
                    byPartition
                            .computeIfAbsent(r.topic() + "\u0000" + r.partition(), k -> new ArrayList<>())
                            .add(r.offset());
                }
                List<String> plan = new ArrayList<>();
                for (Map.Entry<String, List<Long>> e : byPartition.entrySet()) {
                    List<Long> offsets = e.getValue().stream().sorted().toList();
                    TreeMap<Long, Long> merged = new TreeMap<>();
                    long start = offsets.get(0);
                    long end = start;
                    for (long o : offsets.subList(1, offsets.size())) {
                        if (o - end > mergeGap) {
                            merged.put(start, end);
                            start = o;
                        }
                        end = o;
                    }
                    merged.put(start, end);
                    ranges.put(e.getKey(), merged);
                    String[] tp = e.getKey().split("\u0000");
                    merged.forEach((a, b) ->
                            plan.add(tp[0] + "-" + tp[1] + " " + (a.equals(b) ? "offset " + a : a + ".." + b)));
                }
                out.println("Replaying " + rows.size() + " dead letter(s) from " + w.display(s.deadLetterTable())
                        + " by re-reading " + plan.size() + " range(s): " + String.join(", ", plan));
                if (dryRun) {
                    out.println("Dry run: nothing replayed.");
                    return 0;
                }
                long read = 0, landed = 0, inserted = 0, dead = 0, skipped = 0;
                for (Map.Entry<String, TreeMap<Long, Long>> e : ranges.entrySet()) {
                    String[] tp = e.getKey().split("\u0000");
                    EngineConfig config =
                            ReplayCommand.Replays.config(s, w, kafka, tp[0], maxRecordBytes, w.deadLetterSink());
                    for (Map.Entry<Long, Long> r : e.getValue().entrySet()) {
                        BackfillResult b = BackfillJob.builder(config)
                                .topic(tp[0])
                                .partition(Integer.parseInt(tp[1]))
                                .fromOffset(r.getKey())
                                .toOffset(r.getValue())
                                .build()
                                .run();
                        read += b.read();
                        landed += b.landed();
                        inserted += b.inserted();
                        dead += b.deadLettered();
                        skipped += b.skipped();
                    }
                }
                ReplayCommand.print(out, new BackfillResult(read, landed, inserted, dead, skipped));
                out.println(
                        dead == 0
                                ? "Every re-read record landed."
                                : TextTable.n(dead) + " failed again and are still dead letters: "
                                        + "'bronze dlq show' says why.");
                out.println(
                        "Committed nothing: consumer group offsets are unchanged. The dead-letter rows stay as the audit trail.");
            }
            return 0;
        }

        private int replayTopic(Settings s, PrintWriter out) {
            String original = topic.substring(0, topic.length() - ".dlq".length());
            try (Warehouse w = openWarehouse();
                    KafkaOps kafka = openKafka();
                    KafkaDeadLetterSink again = KafkaDeadLetterSink.builder()
                            .bootstrapServers(kafka.bootstrap())
                            .consumerGroup(s.group())
                            .build()) {
                if (dryRun) {
                    long n = fromKafka(kafka).stream()
                            .filter(r -> (fromOffset == null || r.offset() >= fromOffset)
                                    && (toOffset == null || r.offset() <= toOffset))
                            .count();
                    out.println("Would replay " + n + " record(s) of " + topic + ". Dry run: nothing replayed.");
                    return 0;
                }
                EngineConfig config = ReplayCommand.Replays.config(s, w, kafka, original, maxRecordBytes, again);
                BackfillResult r = DeadLetterReplay.of(
                                config,
                                topic,
                                rec -> (partition == null || rec.partition() == partition)
                                        && (fromOffset == null || rec.offset() >= fromOffset)
                                        && (toOffset == null || rec.offset() <= toOffset))
                        .run();
                out.println("Replayed dead-letter topic " + topic + " into " + w.displayUrl());
                ReplayCommand.print(out, r);
                out.println("Committed nothing. Records that failed again were appended to " + topic + ".");
            }
            return 0;
        }
    }

    static String simpleName(String className) {
        if (className == null) {
            return "?";
        }
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static String pretty(String text) {
        if (text == null) {
            return "(none)";
        }
        try {
            JsonNode n = JSON.readTree(text);
            return n == null ? text : JSON.writeValueAsString(n);
        } catch (java.io.IOException e) {
            return text;
        }
    }

    static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
