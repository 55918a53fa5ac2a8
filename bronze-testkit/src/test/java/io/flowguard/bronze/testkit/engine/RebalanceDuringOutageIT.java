package io.flowguard.bronze.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.RetryPolicy;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A member joins while the warehouse is down and {@code max.poll.interval.ms} is short (10 s, shorter than the 15 s
 * outage): the revocation waits at most {@code revocationTimeout} (which the builder makes fit), so the first engine is
 * never evicted for a poll timeout, stays in the group throughout, and every event lands once when the warehouse is back.
 */
class RebalanceDuringOutageIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private final List<IngestionEngine> engines = new ArrayList<>();

    @AfterEach
    void stop() {
        engines.forEach(IngestionEngine::abort);
    }

    /** A warehouse that is down (every write fails transiently) while {@code down} is set. */
    static final class OutageSink implements BronzeSink {
        final InMemoryBronzeSink table;
        volatile boolean down;

        OutageSink(InMemoryBronzeSink table) {
            this.table = table;
        }

        @Override
        public WriteResult write(List<BronzeRecord> records) {
            return write(records, BatchInfo.adHoc(Instant.now()));
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            if (down) {
                throw new SinkWriteException("warehouse down", null, SinkWriteException.ErrorKind.TRANSIENT);
            }
            return table.write(records, batch);
        }
    }

    private IngestionEngine start(String name, String group, String topic, BronzeSink sink) {
        IngestionEngine e = IngestionEngine.builder()
                .name(name)
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(InMemoryDeadLetterSink.create())
                .maxBatchWait(Duration.ofMillis(100))
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(1_000)
                        .initialBackoff(Duration.ofMillis(100))
                        .maxBackoff(Duration.ofMillis(500))
                        .maxRetryDuration(Duration.ofMinutes(2))
                        .build())
                .consumerProperty("max.poll.interval.ms", 10_000)
                .consumerProperty("session.timeout.ms", 10_000)
                .consumerProperty("heartbeat.interval.ms", 1_000)
                .revocationTimeout(Duration.ofSeconds(2))
                .start();
        engines.add(e);
        return e;
    }

    private static List<String> members(String group) throws Exception {
        ConsumerGroupDescription d =
                KAFKA.admin().describeConsumerGroups(List.of(group)).all().get().get(group);
        return d.members().stream().map(MemberDescription::clientId).toList();
    }

    private static String order(int i) {
        return "{\"event_id\":\"evt-" + i + "\",\"event_type\":\"order_created\"}";
    }

    @Test
    void shouldKeepTheFirstMemberInTheGroupWhenASecondJoinsDuringASinkOutage() {
        String topic = KAFKA.createUniqueTopic("outage", 4);
        String group = "g-" + topic;
        InMemoryBronzeSink table = InMemoryBronzeSink.create();
        OutageSink viaA = new OutageSink(table);
        OutageSink viaB = new OutageSink(table);
        IngestionEngine a = start("engine-a", group, topic, viaA);
        KAFKA.produceJson(topic, 400, RebalanceDuringOutageIT::order);
        await().atMost(Duration.ofSeconds(60)).until(() -> table.count() == 400);

        viaA.down = true;
        viaB.down = true;
        KAFKA.produceJson(topic, 400, i -> order(400 + i));
        start("engine-b", group, topic, viaB); // joins during the outage: some of A's partitions are revoked
        await().atMost(Duration.ofSeconds(60)).until(() -> members(group).contains("bronze-engine-b"));
        // Longer than max.poll.interval.ms, while every write fails: engine-a must stay a member all along.
        await().during(Duration.ofSeconds(15))
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> members(group).contains("bronze-engine-a"));
        viaA.down = false;
        viaB.down = false;

        await().atMost(Duration.ofSeconds(90)).until(() -> table.count() == 800);
        assertThat(table.ingestionIds()).hasSize(800);
        assertThat(a.state()).isEqualTo(EngineState.RUNNING);
    }
}
