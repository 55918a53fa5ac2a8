package io.flowguard.bronze.spring.boot;

import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.DeadLetterSink;
import io.flowguard.bronze.api.IdempotencyKey;
import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.config.BronzeKeys;
import io.flowguard.bronze.config.BronzeWarehouse;
import io.flowguard.bronze.core.IngestionEngine;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of a Bronze {@link IngestionEngine} from {@code bronze.*} properties (see
 * {@code docs/spring-boot.md} and {@code docs/configuration.md}).
 *
 * <p>Backs off, with the missing keys in the condition report, unless {@code bronze.bootstrap-servers},
 * {@code bronze.group} and {@code bronze.topics} are set. Beans, each replaceable by one of the application's own
 * ({@code @ConditionalOnMissingBean}):
 * <ul>
 *   <li>{@link BronzeConfig}: the validated properties (a bad value fails startup with every problem, by key);</li>
 *   <li>{@link BronzeWarehouse} (lazy): over the application's {@code DataSource} when there is one, else from
 *       {@code bronze.warehouse.*};</li>
 *   <li>{@link BronzeSink}, {@link DeadLetterSink}, {@link IdempotencyKey};</li>
 *   <li>{@link IngestionEngine}, on the application's {@link MeterRegistry} when there is one, and
 *       {@link BronzeEngineLifecycle}, which starts it with the context and drains it when the context closes;</li>
 *   <li>the Actuator health indicator comes from {@link BronzeHealthAutoConfiguration}.</li>
 * </ul>
 *
 * @since 0.2.0
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass(IngestionEngine.class)
@Conditional(OnBronzeEngineCondition.class)
public class BronzeAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(BronzeAutoConfiguration.class);

    /**
     * The {@code bronze.*} properties, validated. When no {@code bronze.warehouse.type} or {@code bronze.warehouse.url}
     * is set and the application has one {@code DataSource}, the type is read from its product name.
     */
    @Bean
    @ConditionalOnMissingBean
    public BronzeConfig bronzeConfig(
            Environment environment, ObjectProvider<DataSource> dataSource, ListableBeanFactory beans) {
        Map<String, String> properties = new TreeMap<>(BronzeProperties.flatten(environment));
        if (!properties.containsKey(BronzeKeys.WAREHOUSE_TYPE) && !properties.containsKey(BronzeKeys.WAREHOUSE_URL)) {
            DataSource ds = dataSource.getIfUnique();
            String type = ds == null ? null : warehouseType(ds);
            if (type == null && hasOwn(beans, BronzeSink.class) && hasOwn(beans, DeadLetterSink.class)) {
                // The application's own sinks replace the warehouse, which is then never opened: any type validates.
                type = "postgres";
            }
            if (type != null) {
                properties.put(BronzeKeys.WAREHOUSE_TYPE, type);
            }
        }
        BronzeConfig config = BronzeConfig.from(properties);
        log.info("[{}] Bronze configuration: {}", config.engineName(), config);
        return config;
    }

    /** Whether the application defines a bean of {@code type} (ours are only defined when it does not). */
    private static boolean hasOwn(ListableBeanFactory beans, Class<?> type) {
        return beans.getBeanNamesForType(type, true, false).length > 0;
    }

    /** The warehouse: the application's {@code DataSource} when it has exactly one, else one made from the properties. */
    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean
    public BronzeWarehouse bronzeWarehouse(BronzeConfig config, ObjectProvider<DataSource> dataSource) {
        DataSource ds = dataSource.getIfUnique();
        boolean ownConnection =
                config.warehouse().url() != null || config.warehouse().account() != null;
        return ds != null && !ownConnection ? config.openWarehouse(ds) : config.openWarehouse();
    }

    /** The Bronze sink of the configured warehouse (closed by the warehouse). */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public BronzeSink bronzeSink(ObjectProvider<BronzeWarehouse> warehouse) {
        return warehouse.getObject().sink();
    }

    /** The dead-letter sink of {@code bronze.dead-letter.type} (closed by the warehouse). */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public DeadLetterSink bronzeDeadLetterSink(ObjectProvider<BronzeWarehouse> warehouse) {
        return warehouse.getObject().deadLetterSink();
    }

    /** {@code bronze.idempotency.payload-field} when set, else {@code topic-partition-offset}. */
    @Bean
    @ConditionalOnMissingBean
    public IdempotencyKey bronzeIdempotencyKey(Environment environment) {
        String field = BronzeProperties.flatten(environment).get(BronzeKeys.IDEMPOTENCY_PAYLOAD_FIELD);
        return field == null || field.isBlank()
                ? IdempotencyKey.topicPartitionOffset()
                : IdempotencyKey.payloadField(field.trim());
    }

    /** The engine, built but not started: {@link BronzeEngineLifecycle} starts it with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public IngestionEngine bronzeIngestionEngine(
            BronzeConfig config,
            BronzeSink sink,
            DeadLetterSink deadLetterSink,
            IdempotencyKey idempotencyKey,
            ObjectProvider<MeterRegistry> meterRegistry) {
        IngestionEngine.Builder b =
                config.engineBuilder().sink(sink).deadLetterSink(deadLetterSink).idempotencyKey(idempotencyKey);
        MeterRegistry registry = meterRegistry.getIfUnique();
        if (registry != null) {
            b.meterRegistry(registry);
        }
        return b.build();
    }

    /** Starts the engine after the context has started; drains it before the beans it writes through are destroyed. */
    @Bean
    @ConditionalOnMissingBean
    public BronzeEngineLifecycle bronzeEngineLifecycle(IngestionEngine engine) {
        return new BronzeEngineLifecycle(engine, true);
    }

    /** Reads the warehouse type from the DataSource's product name; null when it is none Bronze knows. */
    static String warehouseType(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return "postgres";
            }
            if (product.contains("duckdb")) {
                return "duckdb";
            }
            if (product.contains("snowflake")) {
                return "snowflake";
            }
            return null;
        } catch (SQLException e) {
            log.warn(
                    "cannot read the DataSource's product name to choose the Bronze warehouse type; set bronze.warehouse.type: {}",
                    e.toString());
            return null;
        }
    }
}
