package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BatchLimits;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.WriteResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

    /** A sink that recommends its own batch limits, as the Snowflake sink does. */
    private static final class RecommendingSink implements BronzeSink {
        static final BatchLimits LIMITS = new BatchLimits(10_000, 16L * 1024 * 1024, Duration.ofSeconds(60));

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            return WriteResult.of(records.size(), records.size());
        }

        @Override
        public Optional<BatchLimits> recommendedBatchLimits() {
            return Optional.of(LIMITS);
        }
    }

    private static IngestionEngine.Builder minimal() {
        return IngestionEngine.builder()
                .bootstrapServers("kafka:9092")
                .groupId("bronze")
                .topics("orders");
    }

    @Test
    void shouldUseTheSinksRecommendedBatchLimitsWhenNoneAreSet() {
        EngineConfig c = minimal().sink(new RecommendingSink()).config();

        assertThat(c.maxBatchRecords()).isEqualTo(10_000);
        assertThat(c.maxBatchBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(c.maxBatchWait()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.flushWhenIdle())
                .as("a three-argument BatchLimits recommends full batches")
                .isFalse();
        assertThat(c.batchLimitsFromSink())
                .containsExactly("maxBatchRecords", "maxBatchBytes", "maxBatchWait", "flushWhenIdle");
    }

    @Test
    void shouldLetExplicitBatchLimitsWinOverTheSinksRecommendation() {
        EngineConfig c = minimal()
                .maxBatchRecords(250)
                .maxBatchWait(Duration.ofMillis(300))
                .sink(new RecommendingSink())
                .config();

        assertThat(c.maxBatchRecords()).isEqualTo(250);
        assertThat(c.maxBatchWait()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.maxBatchBytes()).as("not set: the sink's").isEqualTo(16L * 1024 * 1024);
        assertThat(c.batchLimitsFromSink()).containsExactly("maxBatchBytes", "flushWhenIdle");
    }

    @Test
    void shouldLetAnExplicitValueEqualToTheGenericDefaultWinOverTheSinksRecommendation() {
        EngineConfig c = minimal()
                .maxBatchRecords(EngineConfig.DEFAULT_MAX_BATCH_RECORDS)
                .maxBatchBytes(EngineConfig.DEFAULT_MAX_BATCH_BYTES)
                .maxBatchWait(EngineConfig.DEFAULT_MAX_BATCH_WAIT)
                .flushWhenIdle(EngineConfig.DEFAULT_FLUSH_WHEN_IDLE)
                .sink(new RecommendingSink())
                .config();

        assertThat(c.maxBatchRecords()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_RECORDS);
        assertThat(c.maxBatchBytes()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_BYTES);
        assertThat(c.maxBatchWait()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_WAIT);
        assertThat(c.flushWhenIdle()).isEqualTo(EngineConfig.DEFAULT_FLUSH_WHEN_IDLE);
        assertThat(c.batchLimitsFromSink()).isEmpty();
    }

    @Test
    void shouldUseTheGenericDefaultsWhenTheSinkRecommendsNothing() {
        EngineConfig c = minimal().sink((records, batch) -> WriteResult.empty()).config();

        assertThat(c.maxBatchRecords()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_RECORDS);
        assertThat(c.maxBatchBytes()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_BYTES);
        assertThat(c.maxBatchWait()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_WAIT);
        assertThat(c.flushWhenIdle()).isEqualTo(EngineConfig.DEFAULT_FLUSH_WHEN_IDLE);
        assertThat(c.batchLimitsFromSink()).isEmpty();
    }
}
