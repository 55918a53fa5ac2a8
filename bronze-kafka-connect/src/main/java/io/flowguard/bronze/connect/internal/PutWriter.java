package io.flowguard.bronze.connect.internal;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.BronzeRecordFactory;
import io.flowguard.bronze.core.LedgerRanges;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the records of one {@code SinkTask.put} call as one Bronze batch, by the engine's rules: each record is converted
 * by {@link BronzeRecordFactory}; the rows that land are written in one {@link BronzeSink#write(List, BatchInfo)} call
 * (with a {@link BatchInfo} covering every offset, so the ingestion ledger is written in the same transaction); a batch
 * whose rows the warehouse rejects ({@link SinkWriteException.ErrorKind#DATA}) is bisected until the rejected rows are
 * isolated and dead-lettered (stage {@code WRITE}). Dead letters known before the sink call (conversion) go to the
 * {@link DeadLetterRoute} before the rows, those of rejected rows after them.
 *
 * <p>When {@link #write} returns, every record is stored (as a row or a dead letter) and its offset may be committed.
 * When it throws, nothing may be committed: Connect re-delivers the same records, and the sink's idempotence on the
 * ingestion id keeps the table free of duplicates.
 *
 * <p>Used by one task thread; not thread-safe (the factory is not).
 */
public final class PutWriter {
    private static final Logger log = LoggerFactory.getLogger(PutWriter.class);

    /** Where dead letters go: Connect's own dead-letter queue, or a Bronze {@code DeadLetterSink}. */
    public interface DeadLetterRoute {
        /**
         * Stores the dead letters durably (or hands them to a mechanism that finishes before offsets are committed).
         *
         * @throws RuntimeException when they could not be stored; the whole put is then retried
         */
        void send(List<Rejected> rejected);

        /** A short name for logs. */
        String name();
    }

    /** A record that cannot land, with the Connect record it came from. */
    public record Rejected(SinkRecord source, DeadLetter deadLetter) {
        public Rejected {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(deadLetter, "deadLetter");
        }
    }

    /** What one put did. */
    public record Result(String batchId, int records, int landed, int inserted, int deadLettered, int skipped) {}

    private final String engine;
    private final String groupId;
    private final String runId;
    private final BronzeRecordFactory factory;
    private final BronzeSink sink;
    private final DeadLetterRoute deadLetters;
    private final Clock clock;
    private long sequence;

    /**
     * @param engine  the name written to the ledger's engine column and used in batch ids and logs
     * @param groupId the Connect consumer group ({@code connect-<connector name>} unless overridden)
     */
    public PutWriter(
            String engine,
            String groupId,
            BronzeRecordFactory factory,
            BronzeSink sink,
            DeadLetterRoute deadLetters,
            Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.groupId = groupId;
        this.factory = Objects.requireNonNull(factory, "factory");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.runId = Long.toString(clock.millis(), 36);
    }

    /**
     * Stores one put's records.
     *
     * @throws SinkWriteException or another runtime exception when the sink or the dead-letter route failed; nothing of
     *                            this call may be committed then
     */
    public Result write(Collection<SinkRecord> records) {
        Instant now = clock.instant();
        String batchId = engine + '-' + runId + '-' + (++sequence);
        List<ConsumerRecord<byte[], byte[]>> consumed = new ArrayList<>(records.size());
        List<ConsumerRecord<byte[], byte[]>> skipped = new ArrayList<>();
        List<Landing> landings = new ArrayList<>(records.size());
        List<Rejected> rejected = new ArrayList<>();
        for (SinkRecord sr : records) {
            ConsumerRecord<byte[], byte[]> cr = SinkRecords.toConsumerRecord(sr);
            consumed.add(cr);
            BronzeRecordFactory.Conversion c = factory.convert(cr, now);
            if (c instanceof BronzeRecordFactory.Landed l) {
                landings.add(new Landing(sr, cr, l.record()));
            } else if (c instanceof BronzeRecordFactory.DeadLettered d) {
                rejected.add(new Rejected(sr, d.deadLetter()));
            } else {
                skipped.add(cr);
            }
        }
        LedgerRanges ranges = LedgerRanges.of(consumed, sources(landings), skipped);
        BatchInfo info = BatchInfo.of(batchId, engine, groupId, "put", now, ranges.whole(deadLetters(rejected)));
        // As in the engine: dead letters known before the sink call are stored first. A task that seeks to the sink's
        // stored position on open (append mode) skips every offset the ledger covers, so a dead letter stored after the
        // rows could be lost by a crash between the two writes. Both writes are idempotent, so the order costs nothing.
        send(batchId, List.copyOf(rejected));
        int beforeSink = rejected.size();
        WriteResult written =
                landings.isEmpty() ? WriteResult.of(0, 0) : writeIsolating(info, landings, rejected, ranges, true);
        if (rejected.size() > beforeSink) {
            // Before the closing call: the ledger must not cover a rejected row whose dead letter is not stored.
            send(batchId, List.copyOf(rejected.subList(beforeSink, rejected.size())));
        }
        List<BatchInfo.PartitionRange> uncovered = ranges.uncovered(deadLetters(rejected));
        if (!uncovered.isEmpty()) {
            // As in the engine: offsets no call with rows covered (all of a put whose records were all dead-lettered or
            // skipped, or the last offsets of partitions whose last rows the sink rejected) go to the sink in an empty
            // call, after their dead letters, so the ledger accounts for them only once they are stored.
            sink.write(List.of(), BatchInfo.of(batchId, engine, groupId, "put", now, uncovered));
        }
        int rejectedAtWrite = (int) rejected.stream()
                .filter(r -> r.deadLetter().stage() == DeadLetter.Stage.WRITE)
                .count();
        return new Result(
                batchId,
                records.size(),
                landings.size() - rejectedAtWrite,
                written.inserted(),
                rejected.size(),
                skipped.size());
    }

    private void send(String batchId, List<Rejected> letters) {
        if (!letters.isEmpty()) {
            deadLetters.send(letters);
            log.debug(
                    "[{}] batch {}: {} record(s) dead-lettered to {}",
                    engine,
                    batchId,
                    letters.size(),
                    deadLetters.name());
        }
    }

    /**
     * Writes with the sink; on a DATA error splits the list in two and recurses, dead-lettering single rejected rows.
     * Each part after a split carries the ranges {@code ranges} gives it, so the written parts tile the batch.
     */
    private WriteResult writeIsolating(
            BatchInfo info, List<Landing> landings, List<Rejected> rejected, LedgerRanges ranges, boolean whole) {
        List<BronzeRecord> rows = new ArrayList<>(landings.size());
        for (Landing l : landings) {
            rows.add(l.row());
        }
        BatchInfo partInfo = whole
                ? info
                : BatchInfo.of(
                        info.batchId(),
                        info.engine(),
                        info.groupId(),
                        info.trigger(),
                        info.startedAt(),
                        ranges.part(sources(landings), deadLetters(rejected)));
        try {
            WriteResult r = sink.write(rows, partInfo);
            ranges.written(partInfo.ranges());
            return r;
        } catch (SinkWriteException e) {
            if (e.kind() != SinkWriteException.ErrorKind.DATA) {
                throw e;
            }
            if (landings.size() == 1) {
                Landing l = landings.get(0);
                log.warn(
                        "[{}] batch {}: sink rejected {}: {}",
                        engine,
                        info.batchId(),
                        SinkRecords.coordinates(l.source()),
                        e.getMessage());
                rejected.add(new Rejected(
                        l.source(), factory.deadLetter(l.consumed(), DeadLetter.Stage.WRITE, e, clock.instant(), 1)));
                return WriteResult.of(0, 0);
            }
            int mid = landings.size() / 2;
            log.debug("[{}] batch {}: data error on {} records, bisecting", engine, info.batchId(), landings.size());
            WriteResult left = writeIsolating(info, landings.subList(0, mid), rejected, ranges, false);
            WriteResult right = writeIsolating(info, landings.subList(mid, landings.size()), rejected, ranges, false);
            return left.plus(right);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> sources(List<Landing> landings) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(landings.size());
        landings.forEach(l -> out.add(l.consumed()));
        return out;
    }

    private static List<DeadLetter> deadLetters(List<Rejected> rejected) {
        List<DeadLetter> out = new ArrayList<>(rejected.size());
        rejected.forEach(r -> out.add(r.deadLetter()));
        return out;
    }

    private record Landing(SinkRecord source, ConsumerRecord<byte[], byte[]> consumed, BronzeRecord row) {}
}
