package io.flowguard.bronze.connect.internal;

import io.flowguard.bronze.config.BronzeConfig;
import io.flowguard.bronze.config.BronzeConfigException;
import io.flowguard.bronze.config.BronzeKeys;
import io.flowguard.bronze.config.ConfigKey;
import io.flowguard.bronze.config.DeadLetterTarget;
import io.flowguard.bronze.connect.BronzeConnectorConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code bronze.*} vocabulary ({@link BronzeKeys}) as the connector sees it: the keys that configure the sink, the
 * dead letters and the conversion are read as everywhere else; the keys whose job Connect itself does (brokers, group,
 * topics, batching, the consumer) are rejected with the Connect setting to use instead. Stateless.
 */
public final class ConnectorKeys {
    /** {@code bronze.*} keys (or prefixes) that Connect owns, each with the setting to use instead. */
    static final Map<String, String> OWNED_BY_CONNECT = ownedByConnect();

    private static final Pattern KEY_IN_MESSAGE = Pattern.compile("bronze\\.[A-Za-z0-9._\\-*]+[A-Za-z0-9_*]");

    private ConnectorKeys() {}

    private static Map<String, String> ownedByConnect() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(BronzeKeys.BOOTSTRAP_SERVERS, "the worker's bootstrap.servers (or consumer.override.bootstrap.servers)");
        m.put(BronzeKeys.GROUP, "consumer.override.group.id (default connect-<connector name>)");
        m.put(BronzeKeys.TOPICS, "the connector's topics or topics.regex");
        m.put(BronzeKeys.NAME, "the connector's name (each task writes as <name>-<task>)");
        m.put(BronzeKeys.BATCH_MAX_RECORDS, "consumer.override.max.poll.records (each put is one batch)");
        m.put(BronzeKeys.BATCH_MAX_BYTES, "consumer.override.fetch.max.bytes (each put is one batch)");
        m.put(BronzeKeys.BATCH_MAX_WAIT, "consumer.override.fetch.max.wait.ms (Connect calls put after every poll)");
        m.put(
                BronzeKeys.BATCH_FLUSH_WHEN_IDLE,
                "nothing: Connect calls put with whatever each poll returned, so a task never waits for a batch to fill");
        m.put(BronzeKeys.POLL_TIMEOUT, "nothing: the worker polls");
        m.put(BronzeKeys.CLOSE_TIMEOUT, "the worker's task.shutdown.graceful.timeout.ms");
        m.put(
                BronzeKeys.REVOCATION_TIMEOUT,
                "nothing: each put is written before it returns, so a rebalance has nothing to wait for");
        m.put(BronzeKeys.HEALTH_LAG_THRESHOLD, "the worker's status API and consumer lag metrics");
        m.put(BronzeKeys.HEALTH_DEAD_LETTER_RATE, "the worker's status API and task metrics");
        m.put(BronzeKeys.HEALTH_LAG_REFRESH, "the worker's status API and consumer lag metrics");
        m.put(
                BronzeKeys.KAFKA,
                "consumer.override.<consumer property> (with the worker's connector.client.config.override.policy)");
        m.put(BronzeKeys.HTTP_PORT, "nothing: bronze ingest only; the worker has its own REST port");
        m.put(BronzeKeys.HTTP_HOST, "nothing: bronze ingest only");
        return Map.copyOf(m);
    }

    /** Whether {@code key} is one Connect owns. */
    static boolean ownedByConnect(String key) {
        for (String owned : OWNED_BY_CONNECT.keySet()) {
            if (owned.endsWith(".*") ? key.startsWith(owned.substring(0, owned.length() - 1)) : key.equals(owned)) {
                return true;
            }
        }
        return false;
    }

    /** The keys a connector reads, in the order of the reference table. */
    public static List<ConfigKey> connectorKeys() {
        return BronzeKeys.all().stream()
                .filter(k -> !OWNED_BY_CONNECT.containsKey(k.name()))
                .toList();
    }

    /**
     * The connector's {@link ConfigDef}: every {@code bronze.*} key it reads (secrets as {@code PASSWORD}, so Connect
     * masks them in its REST API and logs). Prefix keys ({@code bronze.tables.<topic>} ...) cannot be declared and are
     * passed through. Defaults are left to {@link BronzeConfig} and shown in the documentation.
     */
    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        for (ConfigKey k : connectorKeys()) {
            if (k.isPrefix()) {
                continue;
            }
            String doc = k.meaning() + " Default: " + (k.defaultValue() == null ? "none" : k.defaultValue()) + " ("
                    + k.unit() + ").";
            def.define(
                    k.name(),
                    k.secret() ? ConfigDef.Type.PASSWORD : ConfigDef.Type.STRING,
                    null,
                    k.name().startsWith("bronze.warehouse.") ? ConfigDef.Importance.HIGH : ConfigDef.Importance.MEDIUM,
                    doc);
        }
        return def;
    }

    /**
     * The map {@link BronzeConfig} reads for a connector: the connector's {@code bronze.*} keys plus the ones Connect
     * decides (brokers are not used: the connector opens no consumer; group, topics and name are Connect's).
     */
    public static Map<String, String> bronzeMap(BronzeConnectorConfig config) {
        Map<String, String> m = new TreeMap<>(config.bronzeProperties());
        m.put(BronzeKeys.BOOTSTRAP_SERVERS, "connect-worker:9092");
        m.put(BronzeKeys.GROUP, config.groupId());
        m.put(BronzeKeys.TOPICS, config.topicsForBronze());
        m.put(BronzeKeys.NAME, config.taskName());
        return m;
    }

    /** Every problem of a connector's {@code bronze.*} keys, by key (one message per key, several joined). */
    public static Map<String, String> problems(BronzeConnectorConfig config) {
        Map<String, String> problems = new LinkedHashMap<>();
        config.bronzeProperties().keySet().stream()
                .filter(ConnectorKeys::ownedByConnect)
                .forEach(k -> problems.put(
                        k,
                        k
                                + " is set by Kafka Connect for this connector; remove it and use "
                                + OWNED_BY_CONNECT.entrySet().stream()
                                        .filter(e -> e.getKey().endsWith(".*")
                                                ? k.startsWith(e.getKey()
                                                        .substring(0, e.getKey().length() - 1))
                                                : k.equals(e.getKey()))
                                        .findFirst()
                                        .map(Map.Entry::getValue)
                                        .orElse("the Connect setting")));
        if (!problems.isEmpty()) {
            return problems;
        }
        try {
            BronzeConfig bc = BronzeConfig.from(bronzeMap(config));
            if (bc.deadLetter().target() == DeadLetterTarget.KAFKA
                    && bc.deadLetter().bootstrapServers() == null) {
                problems.put(
                        BronzeKeys.DEAD_LETTER_BOOTSTRAP_SERVERS,
                        BronzeKeys.DEAD_LETTER_BOOTSTRAP_SERVERS
                                + " is required with bronze.dead-letter.type=kafka in a connector (or use Connect's own "
                                + "errors.deadletterqueue.topic.name with errors.tolerance=all)");
            }
        } catch (BronzeConfigException e) {
            for (String p : e.problems()) {
                Matcher m = KEY_IN_MESSAGE.matcher(p);
                String key = m.find() ? m.group() : "bronze";
                problems.merge(key, p, (a, b) -> a + "; " + b);
            }
        }
        return problems;
    }

    /**
     * @throws ConfigException listing every problem, when there is one
     */
    public static void check(BronzeConnectorConfig config) {
        Map<String, String> p = problems(config);
        if (!p.isEmpty()) {
            throw new ConfigException("invalid Bronze connector configuration: " + String.join("; ", p.values()));
        }
    }
}
