package io.flowguard.bronze.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Static membership ({@code instanceId}) and the KIP-848 consumer protocol ({@code groupProtocol(CONSUMER)}) on the real
 * broker: an engine is killed — its consumer leaves without a LeaveGroup, as after {@code kill -9} — and restarted, and
 * every event lands exactly once. Prints the time from the restart until the first event produced after the crash
 * lands (time-to-resume); docs/reliability.md reports the figures. Session timeouts are 10 s here (classic
 * {@code session.timeout.ms}; broker {@code group.consumer.session.timeout.ms} for KIP-848) to keep the run short; the
 * defaults are 45 s.
 */
class GroupMembershipIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create(Map.of(
            "group.consumer.min.session.timeout.ms", "10000",
            "group.consumer.session.timeout.ms", "10000",
            "group.consumer.heartbeat.interval.ms", "1000",
            "group.consumer.min.heartbeat.interval.ms", "1000"));

    private final List<IngestionEngine> engines = new ArrayList<>();

    @AfterEach
    void stop() {
        engines.forEach(IngestionEngine::abort);
    }

    /** A consumer whose close() stays in the group: to the group coordinator the member just went silent, as a crash. */
    static final class CrashingConsumer extends KafkaConsumer<byte[], byte[]> {
        CrashingConsumer(Map<String, Object> props) {
            super(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public void close(CloseOptions option) {
            super.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                    .withTimeout(Duration.ZERO));
        }
    }

    private static String order(int i) {
        return "{\"event_id\":\"evt-" + i + "\",\"event_type\":\"order_created\"}";
    }

    private IngestionEngine start(
            String group, String topic, InMemoryBronzeSink sink, GroupProtocol protocol, String instanceId) {
        IngestionEngine.Builder b = IngestionEngine.builder()
                .name(group + "-" + engines.size())
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(InMemoryDeadLetterSink.create())
                .maxBatchWait(Duration.ofMillis(100))
                .groupProtocol(protocol)
                .consumerFactory(CrashingConsumer::new);
        if (protocol == GroupProtocol.CLASSIC) {
            b.consumerProperty("session.timeout.ms", 10_000).consumerProperty("heartbeat.interval.ms", 1_000);
        }
        if (instanceId != null) {
            b.instanceId(instanceId);
        }
        IngestionEngine e = b.start();
        engines.add(e);
        return e;
    }

    @ParameterizedTest(name = "{0}, static={1}")
    @CsvSource({"CLASSIC, false", "CLASSIC, true", "CONSUMER, false", "CONSUMER, true"})
    void shouldResumeAfterAKilledEngineIsRestartedAndLandEveryEventOnce(GroupProtocol protocol, boolean staticMember) {
        String topic = KAFKA.createUniqueTopic("members", 3);
        String group = "g-" + topic;
        String instanceId = staticMember ? "host-a" : null;
        InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        KAFKA.produceJson(topic, 300, GroupMembershipIT::order);
        IngestionEngine first = start(group, topic, sink, protocol, instanceId);
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.count() == 300);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> KAFKA.committedOffsets(group).values().stream()
                                .mapToLong(Long::longValue)
                                .sum()
                        == 300);

        first.abort(); // killed: no drain, no LeaveGroup
        KAFKA.produceJson(topic, 300, i -> order(300 + i));
        long restartNanos = System.nanoTime();
        IngestionEngine second = start(group, topic, sink, protocol, instanceId);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> sink.count() > 300);
        long firstLandedMs = (System.nanoTime() - restartNanos) / 1_000_000;
        await().atMost(Duration.ofSeconds(90)).until(() -> sink.count() == 600);
        long allLandedMs = (System.nanoTime() - restartNanos) / 1_000_000;

        System.out.printf(
                "time-to-resume protocol=%s static=%s: first event after restart landed in %d ms, all 300 in %d ms%n",
                protocol, staticMember, firstLandedMs, allLandedMs);
        assertThat(sink.ingestionIds()).hasSize(600);
        assertThat(second.state()).isEqualTo(EngineState.RUNNING);
    }
}
