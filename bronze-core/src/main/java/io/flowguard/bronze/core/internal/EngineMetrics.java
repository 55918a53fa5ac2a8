package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.core.BronzeMeters;
import io.flowguard.bronze.core.FlushTrigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The engine's meters, with per-topic counters cached (topics are a bounded, configured set). Thread-safe. */
final class EngineMetrics {
    private final MeterRegistry registry;
    private final Tags engineTags;
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, Counter> landed = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    /** A dead-letter counter's coordinates. */
    private record TopicStage(String topic, DeadLetter.Stage stage) {}

    private final Map<TopicStage, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<FlushTrigger, Counter> flushes = new EnumMap<>(FlushTrigger.class);
    private final DistributionSummary batchRecords;
    private final Timer writeSuccess;
    private final Timer writeFailure;
    private final Timer deadLetterSuccess;
    private final Timer deadLetterFailure;
    private final Counter retries;
    private final Counter inserted;
    private final Counter commitSuccess;
    private final Counter commitFailure;

    EngineMetrics(MeterRegistry registry, String engine) {
        this.registry = registry;
        this.engineTags = Tags.of(BronzeMeters.TAG_ENGINE, engine);
        for (FlushTrigger t : FlushTrigger.values()) {
            flushes.put(
                    t,
                    Counter.builder(BronzeMeters.BATCH_FLUSHES)
                            .tags(engineTags)
                            .tag(BronzeMeters.TAG_TRIGGER, t.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        this.batchRecords = DistributionSummary.builder(BronzeMeters.BATCH_RECORDS)
                .tags(engineTags)
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
        this.writeSuccess = timer(BronzeMeters.SINK_WRITE, "success");
        this.writeFailure = timer(BronzeMeters.SINK_WRITE, "failure");
        this.deadLetterSuccess = timer(BronzeMeters.DEAD_LETTER_WRITE, "success");
        this.deadLetterFailure = timer(BronzeMeters.DEAD_LETTER_WRITE, "failure");
        this.inserted =
                Counter.builder(BronzeMeters.RECORDS_INSERTED).tags(engineTags).register(registry);
        this.retries =
                Counter.builder(BronzeMeters.SINK_RETRIES).tags(engineTags).register(registry);
        this.commitSuccess = Counter.builder(BronzeMeters.COMMITS)
                .tags(engineTags)
                .tag(BronzeMeters.TAG_OUTCOME, "success")
                .register(registry);
        this.commitFailure = Counter.builder(BronzeMeters.COMMITS)
                .tags(engineTags)
                .tag(BronzeMeters.TAG_OUTCOME, "failure")
                .register(registry);
    }

    private Timer timer(String name, String outcome) {
        return Timer.builder(name)
                .tags(engineTags)
                .tag(BronzeMeters.TAG_OUTCOME, outcome)
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    Tags engineTags() {
        return engineTags;
    }

    private Counter topicCounter(Map<String, Counter> cache, String name, String topic) {
        return cache.computeIfAbsent(
                topic,
                t -> Counter.builder(name)
                        .tags(engineTags)
                        .tag(BronzeMeters.TAG_TOPIC, t)
                        .register(registry));
    }

    void consumed(String topic, int n) {
        topicCounter(consumed, BronzeMeters.RECORDS_CONSUMED, topic).increment(n);
    }

    void landed(String topic, int n) {
        topicCounter(landed, BronzeMeters.RECORDS_LANDED, topic).increment(n);
    }

    void inserted(int n) {
        inserted.increment(n);
    }

    void skipped(String topic, int n) {
        topicCounter(skipped, BronzeMeters.RECORDS_SKIPPED, topic).increment(n);
    }

    void deadLettered(String topic, DeadLetter.Stage stage) {
        deadLettered
                .computeIfAbsent(
                        new TopicStage(topic, stage),
                        k -> Counter.builder(BronzeMeters.RECORDS_DEAD_LETTERED)
                                .tags(engineTags)
                                .tag(BronzeMeters.TAG_TOPIC, topic)
                                .tag(BronzeMeters.TAG_STAGE, stage.name().toLowerCase(Locale.ROOT))
                                .register(registry))
                .increment();
    }

    void flushed(FlushTrigger trigger, int records) {
        flushes.get(trigger).increment();
        batchRecords.record(records);
    }

    void write(long nanos, boolean success) {
        (success ? writeSuccess : writeFailure).record(nanos, TimeUnit.NANOSECONDS);
    }

    void deadLetterWrite(long nanos, boolean success) {
        (success ? deadLetterSuccess : deadLetterFailure).record(nanos, TimeUnit.NANOSECONDS);
    }

    void retry() {
        retries.increment();
    }

    void commit(boolean success) {
        (success ? commitSuccess : commitFailure).increment();
    }
}
