package io.flowguard.bronze.connect;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * What the connector reads from its Connect configuration: the connector's own Connect settings (name, group, error
 * handling) and the {@code bronze.*} keys, which are the same vocabulary as the library, the CLI and the Spring Boot
 * starter (see {@code docs/configuration.md}). Immutable and thread-safe; {@link #toString()} masks nothing because it
 * prints no values.
 *
 * @since 0.2.0
 */
public final class BronzeConnectorConfig {
    /** Set by the connector in each task's configuration: the task's index, used in its name and batch ids. */
    public static final String TASK_ID = "bronze.connect.task-id";

    private final String connectorName;
    private final int taskId;
    private final String groupId;
    private final boolean connectDeadLetterQueue;
    private final String topics;
    private final Map<String, String> bronze;

    private BronzeConnectorConfig(
            String connectorName,
            int taskId,
            String groupId,
            boolean connectDeadLetterQueue,
            String topics,
            Map<String, String> bronze) {
        this.connectorName = connectorName;
        this.topics = topics;
        this.taskId = taskId;
        this.groupId = groupId;
        this.connectDeadLetterQueue = connectDeadLetterQueue;
        this.bronze = Collections.unmodifiableMap(bronze);
    }

    /**
     * Reads a connector's or task's configuration.
     *
     * @throws ConfigException when {@code name} is missing or the task id is not a number
     */
    public static BronzeConnectorConfig parse(Map<String, String> props) {
        Objects.requireNonNull(props, "props must not be null");
        String name = props.get("name");
        if (name == null || name.isBlank()) {
            throw new ConfigException(
                    "name", name, "the connector name is required (Connect sets it from the connector's 'name')");
        }
        int taskId = -1;
        String t = props.get(TASK_ID);
        if (t != null) {
            try {
                taskId = Integer.parseInt(t.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        TASK_ID, t, "must be an integer; it is set by the connector, remove it from the configuration");
            }
        }
        String group = props.getOrDefault("consumer.override.group.id", "connect-" + name);
        boolean dlq = "all".equalsIgnoreCase(trim(props.get("errors.tolerance")))
                && !trim(props.get("errors.deadletterqueue.topic.name")).isEmpty();
        Map<String, String> bronze = new TreeMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith("bronze.") && !k.equals(TASK_ID) && v != null) {
                bronze.put(k, v);
            }
        });
        String topics = trim(props.get("topics"));
        return new BronzeConnectorConfig(name, taskId, group, dlq, topics.isEmpty() ? null : topics, bronze);
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    /** The connector's name. */
    public String connectorName() {
        return connectorName;
    }

    /** The task's name, {@code <connector>-<task id>} with characters outside {@code [A-Za-z0-9._-]} replaced by '_'. */
    public String taskName() {
        String base = connectorName.replaceAll("[^A-Za-z0-9._-]", "_");
        return taskId < 0 ? base : base + '-' + taskId;
    }

    /** The Connect consumer group: {@code consumer.override.group.id}, else {@code connect-<name>}. */
    public String groupId() {
        return groupId;
    }

    /**
     * Whether dead letters go to Connect's own dead-letter queue: {@code errors.tolerance=all} and
     * {@code errors.deadletterqueue.topic.name} set. Otherwise they go to the Bronze dead-letter sink.
     */
    public boolean usesConnectDeadLetterQueue() {
        return connectDeadLetterQueue;
    }

    /**
     * The value of {@code bronze.topics} for this connector: its {@code topics}, or a placeholder name when it subscribes
     * with {@code topics.regex} (the topics only name tables through {@code bronze.tables.*}, which need no list).
     */
    public String topicsForBronze() {
        return topics != null ? topics : "connect-topics-regex";
    }

    /** The {@code bronze.*} keys, sorted, unmodifiable (secrets included: do not log the values). */
    public Map<String, String> bronzeProperties() {
        return bronze;
    }

    @Override
    public String toString() {
        return "BronzeConnectorConfig{connector=" + connectorName + ", task=" + taskId + ", group=" + groupId
                + ", connectDeadLetterQueue=" + connectDeadLetterQueue + ", bronzeKeys=" + bronze.keySet() + '}';
    }
}
