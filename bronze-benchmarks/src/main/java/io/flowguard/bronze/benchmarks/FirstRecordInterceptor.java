package io.flowguard.bronze.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka consumer interceptor that notes when a process consumed its first record: the wall-clock time (epoch
 * milliseconds) at which the first non-empty {@code poll} returned is written once to the file named by the system
 * property {@value #FILE_PROPERTY}. {@link PeerBenchmark} puts it on both sides' consumers (the Bronze engine through
 * {@code consumerProperty("interceptor.classes", ...)}, Kafka Connect through the worker's
 * {@code consumer.interceptor.classes}) so that both are timed from the same event. It depends on kafka-clients only,
 * so it can sit on Connect's classpath.
 *
 * <p>Several consumers in one process (several engines, several Connect tasks) race to create the file; the first one
 * wins ({@code CREATE_NEW}), the others see it exists. Costs one boolean check per poll afterwards.
 */
public final class FirstRecordInterceptor implements ConsumerInterceptor<Object, Object> {
    /** The system property naming the file to write. */
    public static final String FILE_PROPERTY = "peer.firstRecordFile";

    private volatile boolean done;

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        if (!done && !records.isEmpty()) {
            done = true;
            String file = System.getProperty(FILE_PROPERTY);
            if (file != null) {
                try {
                    Files.write(
                            Path.of(file),
                            Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII),
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    // another consumer of this process was first
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file, e);
                }
            }
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}
