package io.flowguard.bronze.core;

/**
 * Names and tags of every meter the engine registers. Every meter carries the tag {@value #TAG_ENGINE}.
 *
 * @since 0.1.0
 */
public final class BronzeMeters {
    /** Counter: records polled from Kafka. Tags: engine, topic. */
    public static final String RECORDS_CONSUMED = "bronze.records.consumed";
    /** Counter: records the sink stored (new or already present). Tags: engine, topic. */
    public static final String RECORDS_LANDED = "bronze.records.landed";
    /** Counter: records the sink stored as new rows (the rest of the landed ones were already present). Tags: engine. */
    public static final String RECORDS_INSERTED = "bronze.records.inserted";
    /** Counter: records sent to the dead-letter sink. Tags: engine, topic, stage. */
    public static final String RECORDS_DEAD_LETTERED = "bronze.records.dead_lettered";
    /** Counter: tombstones and empty values skipped. Tags: engine, topic. */
    public static final String RECORDS_SKIPPED = "bronze.records.skipped";
    /** Distribution summary: records per flushed batch. Tags: engine. */
    public static final String BATCH_RECORDS = "bronze.batch.records";
    /** Counter: flushed batches. Tags: engine, trigger ({@link FlushTrigger} lower-cased). */
    public static final String BATCH_FLUSHES = "bronze.batch.flushes";
    /** Timer: sink write latency per batch, with p50/p95/p99. Tags: engine, outcome (success|failure). */
    public static final String SINK_WRITE = "bronze.sink.write";
    /** Timer: dead-letter sink write latency per batch that had dead letters, with p50/p95/p99. Tags: engine, outcome. */
    public static final String DEAD_LETTER_WRITE = "bronze.deadletter.write";
    /** Counter: write retries after transient failures (sink and dead-letter sink). Tags: engine. */
    public static final String SINK_RETRIES = "bronze.sink.retries";
    /** Counter: offset commits. Tags: engine, outcome (success|failure). */
    public static final String COMMITS = "bronze.commits";
    /** Gauge: seconds since the last successful commit (0 before the first). Tags: engine. */
    public static final String SECONDS_SINCE_LAST_COMMIT = "bronze.commit.age.seconds";
    /**
     * Gauge: consumer lag (log-end offset minus committed offset; before the group's first commit, minus the first offset
     * this member fetched) per assigned partition. Tags: engine, topic, partition.
     */
    public static final String CONSUMER_LAG = "bronze.consumer.lag";
    /** Gauge: the largest lag over all assigned partitions. Tags: engine. */
    public static final String CONSUMER_LAG_MAX = "bronze.consumer.lag.max";

    public static final String TAG_ENGINE = "engine";
    public static final String TAG_TOPIC = "topic";
    public static final String TAG_PARTITION = "partition";
    public static final String TAG_STAGE = "stage";
    public static final String TAG_TRIGGER = "trigger";
    public static final String TAG_OUTCOME = "outcome";

    private BronzeMeters() {}
}
