package io.flowguard.bronze.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.config.BronzeConfigException;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each condition of the auto-configuration, on an {@link ApplicationContextRunner}. */
class BronzeAutoConfigurationTest {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(BronzeAutoConfiguration.class, BronzeHealthAutoConfiguration.class));

    private ApplicationContextRunner configured(String topic) {
        return runner.withPropertyValues(
                "bronze.bootstrap-servers=" + KAFKA.bootstrapServers(),
                "bronze.group=g-" + topic,
                "bronze.topics=" + topic,
                "bronze.close-timeout=10s");
    }

    private static String outcomeMessage(ConfigurableApplicationContext context) {
        StringBuilder messages = new StringBuilder();
        ConditionEvaluationReport.get(context.getBeanFactory())
                .getConditionAndOutcomesBySource()
                .get(BronzeAutoConfiguration.class.getName())
                .forEach(c -> messages.append(c.getOutcome().getMessage()).append('\n'));
        return messages.toString();
    }

    @Test
    void shouldBackOffAndNameEveryMissingPropertyWhenBronzeIsNotConfigured() {
        runner.run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(IngestionEngine.class)
                    .doesNotHaveBean(BronzeSink.class);
            assertThat(outcomeMessage(context))
                    .contains("did not find required properties")
                    .contains("bronze.bootstrap-servers", "bronze.group", "bronze.topics");
        });
    }

    @Test
    void shouldBackOffNamingOnlyTheMissingPropertyWhenPartlyConfigured() {
        runner.withPropertyValues("bronze.bootstrap-servers=kafka:9092", "bronze.group=g")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(IngestionEngine.class);
                    assertThat(outcomeMessage(context))
                            .contains("bronze.topics")
                            .doesNotContain("bronze.group,", "bronze.bootstrap-servers,");
                });
    }

    @Test
    void shouldUseTheApplicationsOwnSinkDeadLetterSinkAndIdempotencyKey() {
        String topic = KAFKA.createUniqueTopic("overrides", 1);
        configured(topic).withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            IngestionEngine engine = context.getBean(IngestionEngine.class);
            assertThat(engine.config().sink()).isSameAs(context.getBean(OwnBeans.class).sink);
            assertThat(engine.config().deadLetterSink()).isSameAs(context.getBean(OwnBeans.class).deadLetters);
            assertThat(engine.config().idempotencyKey()).isSameAs(OwnBeans.KEY);
            assertThat(context.getBeanFactory().containsSingleton("bronzeWarehouse"))
                    .as("no warehouse is opened when the sinks are the application's (the bean is lazy)")
                    .isFalse();
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.state() == EngineState.RUNNING);
        });
    }

    @Test
    void shouldStartWithTheContextAndDrainWhenItCloses() {
        String topic = KAFKA.createUniqueTopic("lifecycle", 1);
        IngestionEngine[] seen = new IngestionEngine[1];
        configured(topic)
                .withUserConfiguration(OwnBeans.class)
                .withPropertyValues(
                        "bronze.batch.max-wait=10m",
                        "bronze.batch.max-records=1000",
                        "bronze.batch.flush-when-idle=false")
                .run(context -> {
                    IngestionEngine engine = context.getBean(IngestionEngine.class);
                    seen[0] = engine;
                    await().atMost(Duration.ofSeconds(20)).until(() -> engine.state() == EngineState.RUNNING);
                    KAFKA.produceJson(topic, 7, i -> "{\"n\":" + i + "}");
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> engine.health().maxLag() == 7
                                    || context.getBean(OwnBeans.class).sink.count() > 0);
                    assertThat(context.getBean(OwnBeans.class).sink.count())
                            .as("buffered: the batch is not full and waits 10m")
                            .isZero();
                });
        // The runner closed the context: the engine drained (wrote the buffered batch, committed) and stopped.
        assertThat(seen[0].state()).isEqualTo(EngineState.CLOSED);
        assertThat(KAFKA.committedOffsets("g-" + topic).values()).containsExactly(7L);
    }

    @Test
    void shouldPutMetersInTheApplicationsRegistry() {
        String topic = KAFKA.createUniqueTopic("meters", 1);
        configured(topic)
                .withUserConfiguration(OwnBeans.class, OwnRegistry.class)
                .run(context -> {
                    IngestionEngine engine = context.getBean(IngestionEngine.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(engine.config().meterRegistry()).isSameAs(registry);
                    await().atMost(Duration.ofSeconds(20)).until(() -> engine.state() == EngineState.RUNNING);
                    assertThat(registry.getMeters())
                            .anySatisfy(m -> assertThat(m.getId().getName()).startsWith("bronze."));
                });
    }

    @Test
    void shouldReportTheEngineHealthAsAnActuatorHealthIndicator() {
        String topic = KAFKA.createUniqueTopic("health", 1);
        configured(topic).withUserConfiguration(OwnBeans.class).run(context -> {
            BronzeHealthIndicator indicator = context.getBean(BronzeHealthIndicator.class);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> indicator.health().getStatus().equals(Status.UP));
            Health health = indicator.health();
            assertThat(health.getDetails())
                    .containsEntry("state", "RUNNING")
                    .containsEntry("degraded", false)
                    .containsKey("maxLag");
            context.getBean(IngestionEngine.class).close();
            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void shouldNotRegisterTheHealthIndicatorWhenItIsDisabled() {
        String topic = KAFKA.createUniqueTopic("nohealth", 1);
        configured(topic)
                .withUserConfiguration(OwnBeans.class)
                .withPropertyValues("management.health.bronze.enabled=false")
                .run(context -> assertThat(context)
                        .hasSingleBean(IngestionEngine.class)
                        .doesNotHaveBean(BronzeHealthIndicator.class));
    }

    @Test
    void shouldFailStartupNamingTheKeyWhenAValueIsInvalid() {
        runner.withPropertyValues(
                        "bronze.bootstrap-servers=kafka:9092",
                        "bronze.group=g",
                        "bronze.topics=orders",
                        "bronze.batch.max-records=-1")
                .withUserConfiguration(OwnBeans.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(BronzeConfigException.class)
                            .hasMessageContaining("bronze.batch.max-records");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final IdempotencyKey KEY = event -> event.topic() + "/" + event.offset();
        final InMemoryBronzeSink sink = InMemoryBronzeSink.create();
        final InMemoryDeadLetterSink deadLetters = InMemoryDeadLetterSink.create();

        @Bean
        BronzeSink mySink() {
            return sink;
        }

        @Bean
        DeadLetterSink myDeadLetters() {
            return deadLetters;
        }

        @Bean
        IdempotencyKey myKey() {
            return KEY;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistry {
        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }
}
