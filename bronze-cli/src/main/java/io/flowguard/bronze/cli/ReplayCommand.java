package io.flowguard.bronze.cli;

import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.core.BackfillJob;
import io.flowguard.bronze.core.BackfillResult;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.IngestionEngine;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bronze replay}: re-ingests an offset or time range with a BackfillJob; commits nothing. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Re-ingest a range of a topic into the Bronze tables with a separate consumer (assign + seek) that "
                    + "commits nothing: the live group is untouched. Rows already present are skipped (INGESTION_ID), so "
                    + "replaying a range that landed inserts 0. Records that fail again go to the dead-letter table.",
            "Offsets are inclusive; times select by Kafka timestamp."
        },
        footer = {
            "",
            "Give the engine's own bronze.* file with --config: the replay then lands with its table routing, typed "
                    + "columns and idempotency key. Without it the defaults are used (TOPIC_RAW tables, topic-partition-offset "
                    + "ids): an engine with other rules would get every replayed event a second time.",
            "Example: bronze replay --config /etc/bronze/bronze.properties --topic orders --partition 3 --from-offset 1000 "
                    + "--to-offset 1050"
        })
final class ReplayCommand extends BaseCommand {
    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to re-read.")
    String topic;

    @Option(
            names = {"-p", "--partition"},
            paramLabel = "P",
            description = "One partition; default all.")
    Integer partition;

    @Option(
            names = "--from-offset",
            paramLabel = "OFFSET",
            description = "First offset, inclusive; default the log start.")
    Long fromOffset;

    @Option(names = "--to-offset", paramLabel = "OFFSET", description = "Last offset, inclusive; default the log end.")
    Long toOffset;

    @Option(
            names = "--from-time",
            paramLabel = "TIME",
            description = "Instead of offsets: records with a Kafka timestamp at or after.")
    String fromTime;

    @Option(names = "--to-time", paramLabel = "TIME", description = "... and at or before this time.")
    String toTime;

    @Option(
            names = "--max-record-bytes",
            paramLabel = "BYTES",
            description =
                    "Largest value that may land; raise it to replay records dead-lettered as SIZE_LIMIT. Default 4 MiB.")
    Integer maxRecordBytes;

    @Override
    int run() {
        Settings s = settings();
        BackfillJob.Builder job;
        try (Warehouse w = openWarehouse();
                KafkaOps kafka = openKafka()) {
            EngineConfig config = Replays.config(s, w, kafka, topic, maxRecordBytes, w.deadLetterSink());
            job = BackfillJob.builder(config).topic(topic);
            if (partition != null) {
                job.partition(partition);
            }
            String what;
            if (fromTime != null || toTime != null) {
                if (fromOffset != null || toOffset != null) {
                    throw CliException.usage(
                            "give offsets (--from-offset/--to-offset) or times (--from-time/--to-time), not both");
                }
                if (fromTime == null) {
                    throw CliException.usage("--to-time needs --from-time");
                }
                Times.Parsed f = Times.parse(fromTime, "--from-time", clock());
                job.fromTime(f.instant());
                what = "Kafka timestamps from " + f.readAs();
                if (toTime != null) {
                    Times.Parsed t = Times.parse(toTime, "--to-time", clock());
                    job.toTime(t.instant());
                    what += " to " + t.readAs();
                }
            } else {
                if (fromOffset != null) {
                    job.fromOffset(fromOffset);
                }
                if (toOffset != null) {
                    job.toOffset(toOffset);
                }
                what = "offsets " + (fromOffset == null ? "log start" : fromOffset) + ".."
                        + (toOffset == null ? "log end" : toOffset);
            }
            if (partition == null && kafka.partitionCounts(List.of(topic)).isEmpty()) {
                throw CliException.usage("topic '" + topic + "' does not exist on " + kafka.bootstrap());
            }
            BackfillResult r = job.build().run();
            PrintWriter out = out();
            out.println("Replayed " + topic + (partition == null ? " (all partitions)" : "-" + partition) + ", " + what
                    + " into " + w.displayUrl());
            print(out, r);
            out.println("Committed nothing: consumer group offsets are unchanged.");
        }
        return 0;
    }

    static void print(PrintWriter out, BackfillResult r) {
        out.println("  read          " + TextTable.n(r.read()));
        out.println("  landed        " + TextTable.n(r.landed()));
        out.println("  inserted      " + TextTable.n(r.inserted()) + "   (" + TextTable.n(r.landed() - r.inserted())
                + " were already present)");
        out.println("  dead-lettered " + TextTable.n(r.deadLettered()));
        out.println("  skipped       " + TextTable.n(r.skipped()));
    }

    /** Engine configurations for replays run by the CLI. */
    static final class Replays {
        private Replays() {}

        static EngineConfig config(
                Settings s, Warehouse w, KafkaOps kafka, String topic, Integer maxRecordBytes, DeadLetterSink dead) {
            IngestionEngine.Builder b = IngestionEngine.builder()
                    .name("bronze-cli")
                    .bootstrapServers(kafka.bootstrap())
                    .groupId(s.group() != null ? s.group() : "bronze-cli")
                    .topics(topic.replaceAll("[^A-Za-z0-9._-]", "_"))
                    .sink(w.sink())
                    .deadLetterSink(dead)
                    .consumerProperties(kafka.clientProperties())
                    .maxBatchRecords(500);
            if (s.ingest() != null) {
                // the engine's own rules, so a replay finds the rows it already landed (same table, same ids)
                b.idempotencyKey(s.ingest().idempotencyKey())
                        .tombstonePolicy(s.ingest().tombstonePolicy());
            }
            if (maxRecordBytes != null) {
                b.maxRecordBytes(maxRecordBytes);
                b.maxDeadLetterPayloadBytes(Math.min(
                        maxRecordBytes, io.flowguard.bronze.core.EngineConfig.DEFAULT_MAX_DEAD_LETTER_PAYLOAD_BYTES));
            }
            return b.config();
        }
    }
}
