package io.flowguard.bronze.spring.boot;

import io.flowguard.bronze.core.EngineHealth;
import io.flowguard.bronze.core.IngestionEngine;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * The Actuator health of the {@link IngestionEngine}, from {@link IngestionEngine#health()} (cheap: no broker or
 * warehouse round trip). {@code DOWN} maps to {@link Status#DOWN} (HTTP 503); {@code DEGRADED} (lag over threshold, sink
 * retrying, dead-letter rate high) maps to {@link Status#UP} with {@code degraded=true} and the reasons in the details,
 * so that a lagging consumer is reported but not restarted by a liveness probe; {@code UP} maps to {@link Status#UP}.
 * Details: {@code engine}, {@code state}, {@code maxLag}, {@code deadLetterRate}, {@code reasons}. Shown as
 * {@code components.bronze} of {@code /actuator/health}.
 *
 * @since 0.2.0
 */
public final class BronzeHealthIndicator extends AbstractHealthIndicator {
    private final IngestionEngine engine;

    public BronzeHealthIndicator(IngestionEngine engine) {
        super("Bronze engine health check failed");
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        EngineHealth h = engine.health();
        if (h.status() == EngineHealth.Status.DOWN) {
            builder.down();
        } else {
            builder.up();
        }
        builder.withDetail("engine", engine.name())
                .withDetail("state", h.state().name())
                .withDetail("degraded", h.status() == EngineHealth.Status.DEGRADED)
                .withDetail("maxLag", h.maxLag())
                .withDetail("deadLetterRate", h.deadLetterRate())
                .withDetail("reasons", h.reasons());
        engine.failure().ifPresent(f -> builder.withDetail("failure", f.toString()));
    }
}
