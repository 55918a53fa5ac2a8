package io.flowguard.bronze.jdbc.spi;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.SourcePartition;
import io.flowguard.bronze.jdbc.IngestionLedger;
import io.flowguard.bronze.jdbc.TableDefinition;
import io.flowguard.bronze.jdbc.internal.LedgerRows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What one sink call writes, worked out before any statement runs: the rows of each table (repeats of an ingestion id
 * collapsed, the lowest offset of a partition kept) in a fixed table order — by upper-cased qualified name, so two
 * engines writing the same tables lock them in the same order and never deadlock — and the counts the ingestion-ledger
 * entries are made of. Confined to the writing thread.
 *
 * @since 0.2.0
 */
public final class BatchPlan {
    private final List<TableRows> tables;
    private final LedgerRows ledger = new LedgerRows();
    private final Function<String, String> router;
    private final Function<String, TableDefinition> definitions;

    private BatchPlan(
            List<BronzeRecord> records,
            Function<String, String> router,
            Function<String, TableDefinition> definitions) {
        // Routed (and validated) once per topic per batch, not once per record: the router's name check was 30% of the
        // engine's CPU in the peer benchmark's profile (docs/benchmarks.md).
        Map<String, String> routed = new HashMap<>();
        this.router = topic -> routed.computeIfAbsent(topic, router);
        this.definitions = definitions;
        Map<String, Map<String, BronzeRecord>> byTable = new LinkedHashMap<>();
        for (BronzeRecord r : records) {
            String table = this.router.apply(r.sourceTopic());
            byTable.computeIfAbsent(table, t -> new LinkedHashMap<>()).merge(r.ingestionId(), r, BatchPlan::keepFirst);
            ledger.landed(table, partitionOf(r), r.offset());
        }
        List<TableRows> planned = new ArrayList<>();
        for (Map.Entry<String, Map<String, BronzeRecord>> e : byTable.entrySet()) {
            List<BronzeRecord> unique = List.copyOf(e.getValue().values());
            unique.forEach(r -> ledger.unique(e.getKey(), partitionOf(r)));
            planned.add(new TableRows(e.getKey(), definitions.apply(e.getKey()), unique));
        }
        planned.sort(Comparator.comparing(t -> t.logical().displayName().toUpperCase(Locale.ROOT)));
        this.tables = List.copyOf(planned);
    }

    /**
     * Plans {@code records}.
     *
     * @param router      topic → routed table name (validated)
     * @param definitions routed table name → its logical definition
     */
    public static BatchPlan of(
            List<BronzeRecord> records,
            Function<String, String> router,
            Function<String, TableDefinition> definitions) {
        return new BatchPlan(records, router, definitions);
    }

    /** The tables to write, each with its unique rows, in the fixed lock order. */
    public List<TableRows> tables() {
        return tables;
    }

    /**
     * The ledger entries of this plan for {@code batch}: one per range of {@code batch} (also for ranges whose records
     * were all dead-lettered or skipped), plus one per (table, partition) written without a range (ad-hoc calls).
     *
     * @param insertedByTable routed table → new rows the database reported
     */
    public List<IngestionLedger.Entry> ledgerEntries(
            BatchInfo batch, Map<String, Integer> insertedByTable, Instant committedAt, long latencyMs) {
        return ledger.entries(
                batch, router, t -> definitions.apply(t).displayName(), insertedByTable, committedAt, latencyMs);
    }

    private static SourcePartition partitionOf(BronzeRecord r) {
        return new SourcePartition(r.sourceTopic(), r.partition());
    }

    private static BronzeRecord keepFirst(BronzeRecord kept, BronzeRecord candidate) {
        boolean samePartition =
                kept.sourceTopic().equals(candidate.sourceTopic()) && kept.partition() == candidate.partition();
        return samePartition && candidate.offset() < kept.offset() ? candidate : kept;
    }

    /**
     * The rows of one table.
     *
     * @param routed  the name the router returned
     * @param logical the table's definition (Bronze columns and typed columns)
     * @param rows    the rows, one per ingestion id, in arrival order
     */
    public record TableRows(String routed, TableDefinition logical, List<BronzeRecord> rows) {}

    /**
     * The named ids that stand for one record of the call only. The engine dead-letters every record whose id is named,
     * so an id that several records share (a resend under a payload-derived id, or the same id in two tables) is left
     * out: one of them may be good, and bisection tells them apart.
     */
    static List<String> onlyUnique(List<String> named, List<BronzeRecord> records) {
        if (named.isEmpty()) {
            return named;
        }
        Set<String> wanted = new HashSet<>(named);
        Map<String, Integer> seen = new HashMap<>();
        for (BronzeRecord r : records) {
            if (wanted.contains(r.ingestionId())) {
                seen.merge(r.ingestionId(), 1, Integer::sum);
            }
        }
        List<String> out = new ArrayList<>(named.size());
        for (String id : named) {
            if (seen.getOrDefault(id, 0) == 1) {
                out.add(id);
            }
        }
        return out;
    }
}
