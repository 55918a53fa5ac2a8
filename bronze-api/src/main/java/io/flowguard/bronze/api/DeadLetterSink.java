package io.flowguard.bronze.api;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Where records that cannot land go instead of stopping the pipeline: a dead-letter table, a Kafka topic, a log.
 *
 * <p>The engine commits an offset only after the dead-letter sink returned for every dead letter before it, so a
 * dead-letter sink must store durably before returning, and throw (preferably {@link SinkWriteException}) otherwise.
 * Writes should be idempotent on topic, partition and offset, since a restart may deliver a dead letter again.
 *
 * <p>Threading as for {@link BronzeSink}: implementations must be thread-safe.
 *
 * @since 0.1.0
 */
public interface DeadLetterSink extends AutoCloseable {

    /**
     * Stores dead letters.
     *
     * @param deadLetters never null, may be empty
     * @throws SinkWriteException when they could not be stored
     */
    void write(List<DeadLetter> deadLetters);

    /** A short name for logs and metrics. */
    default String name() {
        return getClass().getSimpleName();
    }

    @Override
    default void close() {}

    /**
     * A dead-letter sink that only logs each dead letter at WARNING through {@link System.Logger} (which SLF4J can bind).
     * The payload is not kept anywhere but in Kafka itself: use it for development, and a table or topic sink in
     * production. This is the engine's default when none is configured.
     */
    static DeadLetterSink logging() {
        return new DeadLetterSink() {
            private final System.Logger log = System.getLogger("io.flowguard.bronze.deadletter");

            @Override
            public void write(List<DeadLetter> deadLetters) {
                for (DeadLetter d : deadLetters) {
                    log.log(
                            Level.WARNING,
                            "dead letter {0}-{1}-{2} stage={3} error={4}: {5}",
                            d.topic(),
                            String.valueOf(d.partition()),
                            String.valueOf(d.offset()),
                            d.stage(),
                            d.errorClass(),
                            d.errorMessage());
                }
            }

            @Override
            public String name() {
                return "logging";
            }
        };
    }
}
