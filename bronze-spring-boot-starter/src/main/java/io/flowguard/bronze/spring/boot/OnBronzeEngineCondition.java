package io.flowguard.bronze.spring.boot;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the properties an engine cannot run without are set: {@code bronze.bootstrap-servers},
 * {@code bronze.group} and {@code bronze.topics}. Otherwise the auto-configuration backs off and the condition report
 * ({@code --debug}, or the {@code conditions} actuator endpoint) names the missing properties.
 *
 * @since 0.2.0
 */
final class OnBronzeEngineCondition extends SpringBootCondition {
    /** The properties that must be set for an engine to be created. */
    static final List<String> REQUIRED = List.of("bronze.bootstrap-servers", "bronze.group", "bronze.topics");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment env = context.getEnvironment();
        List<String> missing = new ArrayList<>();
        for (String key : REQUIRED) {
            String v = env.getProperty(key);
            if (v == null || v.isBlank()) {
                missing.add(key);
            }
        }
        ConditionMessage.Builder message = ConditionMessage.forCondition("Bronze ingestion engine");
        if (missing.isEmpty()) {
            return ConditionOutcome.match(message.found("required properties").items(REQUIRED));
        }
        return ConditionOutcome.noMatch(
                message.didNotFind("required properties").items(missing));
    }
}
