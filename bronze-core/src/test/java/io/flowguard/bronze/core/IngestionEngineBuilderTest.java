package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.WriteResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestionEngineBuilderTest {

    @Test
    void shouldReportEveryMissingRequiredOptionAtOnce() {
        assertThatThrownBy(() -> IngestionEngine.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrapServers is required")
                .hasMessageContaining("groupId is required")
                .hasMessageContaining("at least one topic is required")
                .hasMessageContaining("sink is required");
    }

    @Test
    void shouldRejectBadValuesNamingThem() {
        IngestionEngine.Builder b = IngestionEngine.builder();
        assertThatThrownBy(() -> b.maxBatchRecords(-1)).hasMessage("maxBatchRecords must be > 0, but was -1");
        assertThatThrownBy(() -> b.maxBatchBytes(0)).hasMessage("maxBatchBytes must be > 0, but was 0");
        assertThatThrownBy(() -> b.maxBatchWait(Duration.ZERO)).hasMessage("maxBatchWait must be > 0, but was PT0S");
        assertThatThrownBy(() -> b.topics("bad topic")).hasMessageContaining("but was 'bad topic'");
        assertThatThrownBy(() -> b.groupId(" ")).hasMessageContaining("groupId must be a non-blank string");
    }

    @Test
    void shouldRejectConsumerPropertiesTheEngineOwns() {
        assertThatThrownBy(() -> IngestionEngine.builder().consumerProperty("enable.auto.commit", "true"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'enable.auto.commit' is managed by the engine");
    }

    @Test
    void shouldBuildANotYetStartedEngineWithDefaults() {
        IngestionEngine engine = IngestionEngine.builder()
                .bootstrapServers("kafka:9092")
                .groupId("bronze")
                .topics("orders", "clicks")
                .sink((records, batch) -> WriteResult.of(records.size(), records.size()))
                .build();

        assertThat(engine.state()).isEqualTo(EngineState.CREATED);
        assertThat(engine.name()).isEqualTo("bronze");
        EngineConfig c = engine.config();
        assertThat(c.maxBatchRecords()).isEqualTo(1_000);
        assertThat(c.maxBatchWait()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.topics()).containsExactly("orders", "clicks");
        assertThat(c.tombstonePolicy()).isEqualTo(TombstonePolicy.SKIP);
        engine.close();
        assertThat(engine.state()).isEqualTo(EngineState.CLOSED);
    }

    @Test
    void shouldMaskSecretsInTheConfigurationString() {
        String jaas =
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2-secret\";";
        EngineConfig c = IngestionEngine.builder()
                .bootstrapServers("kafka:9092")
                .groupId("bronze")
                .topics("orders")
                .sink((records, batch) -> WriteResult.of(records.size(), 0))
                .consumerProperty("sasl.jaas.config", jaas)
                .consumerProperty("ssl.keystore.password", "p@ss-KEYSTORE")
                .consumerProperty("ssl.key.password", "p@ss-KEY")
                .config();

        assertThat(c.toString())
                .doesNotContain("hunter2-secret")
                .doesNotContain("p@ss-KEYSTORE")
                .doesNotContain("p@ss-KEY")
                .contains("sasl.jaas.config=" + Secrets.MASK);
    }
}
