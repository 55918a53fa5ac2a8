package io.flowguard.bronze.connect.internal;

import java.util.LinkedHashMap;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;

/**
 * The task's Bronze counters as Connect plugin metrics (KIP-877): the worker tags them with the connector and task and
 * exposes them wherever it reports metrics (JMX by default), next to its own consumer-lag and task metrics. Names:
 * {@value #LANDED}, {@value #INSERTED}, {@value #DEAD_LETTERED}, {@value #SKIPPED} (cumulative counts since the task
 * started). Used by the task thread only.
 */
public final class TaskMetrics {
    public static final String LANDED = "bronze-records-landed-total";
    public static final String INSERTED = "bronze-records-inserted-total";
    public static final String DEAD_LETTERED = "bronze-records-dead-lettered-total";
    public static final String SKIPPED = "bronze-records-skipped-total";

    private final Sensor landed;
    private final Sensor inserted;
    private final Sensor deadLettered;
    private final Sensor skipped;

    private TaskMetrics(PluginMetrics metrics) {
        this.landed = counter(metrics, LANDED, "Records that landed as Bronze rows (re-deliveries included).");
        this.inserted = counter(metrics, INSERTED, "Rows that were new in the table.");
        this.deadLettered = counter(metrics, DEAD_LETTERED, "Records that were dead-lettered.");
        this.skipped = counter(metrics, SKIPPED, "Tombstones skipped by bronze.tombstones=skip.");
    }

    /** Counters in {@code metrics}; when the worker offers none (older workers, tests), counting does nothing. */
    public static TaskMetrics register(PluginMetrics metrics) {
        return new TaskMetrics(metrics);
    }

    private static Sensor counter(PluginMetrics metrics, String name, String description) {
        if (metrics == null) {
            return null;
        }
        Sensor s = metrics.addSensor(name);
        s.add(metrics.metricName(name, description, new LinkedHashMap<>()), new CumulativeSum());
        return s;
    }

    /** Counts one put. */
    public void record(PutWriter.Result r) {
        if (landed == null) {
            return;
        }
        landed.record(r.landed());
        inserted.record(r.inserted());
        deadLettered.record(r.deadLettered());
        skipped.record(r.skipped());
    }
}
