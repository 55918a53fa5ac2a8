package io.flowguard.bronze.config;

import static io.flowguard.bronze.config.BronzeKeys.*;

import io.flowguard.bronze.config.internal.Values;
import io.flowguard.bronze.core.EngineConfig;
import io.flowguard.bronze.core.KafkaDeadLetterSink;
import io.flowguard.bronze.core.Secrets;
import io.flowguard.bronze.jdbc.BronzeTables;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code bronze.dead-letter.*} settings. Immutable; {@link #toString()} masks secret producer properties.
 *
 * @since 0.2.0
 */
public final class DeadLetterSettings {
    private final DeadLetterTarget target;
    private final String table;
    private final String topic;
    private final String bootstrapServers;
    private final Duration sendTimeout;
    private final int maxPayloadBytes;
    private final Map<String, String> producerProperties;

    DeadLetterSettings(Values v, int maxRecordBytes) {
        target = v.choice(DEAD_LETTER_TYPE, DeadLetterTarget.class, DeadLetterTarget.TABLE, DeadLetterTarget::key);
        table = v.text(DEAD_LETTER_TABLE, BronzeTables.DEFAULT_DEAD_LETTER_TABLE);
        Values.checkTable(v, DEAD_LETTER_TABLE, table);
        topic = v.text(DEAD_LETTER_TOPIC);
        if (topic != null && !topic.matches("[A-Za-z0-9._-]{1,249}")) {
            v.problem(
                    DEAD_LETTER_TOPIC,
                    "must be a legal Kafka topic name ([A-Za-z0-9._-], 1..249 characters), but was '" + topic + "'");
        }
        bootstrapServers = v.text(DEAD_LETTER_BOOTSTRAP_SERVERS);
        sendTimeout = v.duration(DEAD_LETTER_SEND_TIMEOUT, KafkaDeadLetterSink.DEFAULT_SEND_TIMEOUT);
        long payload = v.bytes(DEAD_LETTER_MAX_PAYLOAD_BYTES, EngineConfig.DEFAULT_MAX_DEAD_LETTER_PAYLOAD_BYTES, 0);
        if (payload > maxRecordBytes) {
            v.problem(
                    DEAD_LETTER_MAX_PAYLOAD_BYTES,
                    "(" + payload + " bytes) must not exceed " + MAX_RECORD_BYTES + " (" + maxRecordBytes
                            + " bytes); lower it or raise " + MAX_RECORD_BYTES);
            payload = Math.min(EngineConfig.DEFAULT_MAX_DEAD_LETTER_PAYLOAD_BYTES, maxRecordBytes);
        }
        maxPayloadBytes = (int) payload;
        producerProperties = Values.below(v.rawView(), DEAD_LETTER_KAFKA);
        if (target != DeadLetterTarget.KAFKA) {
            for (String kafkaOnly :
                    List.of(DEAD_LETTER_TOPIC, DEAD_LETTER_BOOTSTRAP_SERVERS, DEAD_LETTER_SEND_TIMEOUT)) {
                if (v.text(kafkaOnly) != null) {
                    v.problem(
                            kafkaOnly,
                            "is only used with " + DEAD_LETTER_TYPE + "=kafka, but the type is " + target.key()
                                    + "; remove it or set the type");
                }
            }
            if (!producerProperties.isEmpty()) {
                v.problem(
                        "bronze.dead-letter.kafka."
                                + producerProperties.keySet().iterator().next(),
                        "is only used with " + DEAD_LETTER_TYPE + "=kafka, but the type is " + target.key()
                                + "; remove it or set the type");
            }
        }
        if (target != DeadLetterTarget.TABLE && v.text(DEAD_LETTER_TABLE) != null) {
            v.problem(
                    DEAD_LETTER_TABLE,
                    "is only used with " + DEAD_LETTER_TYPE + "=table, but the type is " + target.key()
                            + "; remove it or set the type");
        }
    }

    public DeadLetterTarget target() {
        return target;
    }

    public String table() {
        return table;
    }
    /** One topic for every source topic, or null for {@code <topic>.dlq}. */
    public String topic() {
        return topic;
    }
    /** Brokers of the dead-letter producer, or null for the engine's. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Duration sendTimeout() {
        return sendTimeout;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }
    /** Producer properties from {@code bronze.dead-letter.kafka.*} (secret values included: do not print). */
    public Map<String, String> producerProperties() {
        return producerProperties;
    }

    @Override
    public String toString() {
        return "dead-letter{type=" + target.key() + ", table=" + table + ", topic=" + topic + ", producer="
                + Secrets.mask(producerProperties) + '}';
    }
}
