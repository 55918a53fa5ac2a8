package io.flowguard.bronze.spring.boot;

import io.flowguard.bronze.core.IngestionEngine;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code bronze} Actuator health component ({@link BronzeHealthIndicator}): registered when Actuator is on the class
 * path, an {@link IngestionEngine} bean exists and {@code management.health.bronze.enabled} is not {@code false}.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = BronzeAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(IngestionEngine.class)
@ConditionalOnEnabledHealthIndicator("bronze")
public class BronzeHealthAutoConfiguration {

    /** The health indicator of the application's engine. */
    @Bean
    @ConditionalOnMissingBean(name = "bronzeHealthIndicator")
    public BronzeHealthIndicator bronzeHealthIndicator(IngestionEngine engine) {
        return new BronzeHealthIndicator(engine);
    }
}
