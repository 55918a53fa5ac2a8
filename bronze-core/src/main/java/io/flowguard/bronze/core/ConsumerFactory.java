package io.flowguard.bronze.core;

import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Creates the engine's Kafka consumer from the final consumer properties. The default creates a
 * {@link org.apache.kafka.clients.consumer.KafkaConsumer} with byte-array deserializers; tests pass a
 * {@link org.apache.kafka.clients.consumer.MockConsumer}. The engine owns and closes what this returns.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ConsumerFactory {

    Consumer<byte[], byte[]> create(Map<String, Object> consumerProperties);
}
