package io.flowguard.bronze.snowflake.internal;

import io.flowguard.bronze.api.SourcePartition;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The target-side restriction of one merge: what the chunk knows about where its rows can already be stored, so that
 * Snowflake prunes micro-partitions instead of scanning the whole table for matching ingestion ids.
 *
 * <ul>
 *   <li>{@link Mode#OFFSET_RANGES}: every ingestion id of the chunk is derived from its topic-partition-offset, so a stored
 *       duplicate can only sit at the same offsets: {@code AND ((t.SOURCE_TOPIC = ? AND t.KAFKA_PARTITION = ? AND
 *       t.KAFKA_OFFSET BETWEEN ? AND ?) OR ...)}, one range (min..max offset) per topic-partition of the chunk.</li>
 *   <li>{@link Mode#TOPICS}: some ids come from the payload (a producer's resend may be stored at any offset), but ids are
 *       unique per topic: {@code AND t.SOURCE_TOPIC IN (?, ...)}.</li>
 *   <li>{@link Mode#NONE}: ids are unique across every topic sharing the table: no restriction.</li>
 * </ul>
 *
 * <p>Immutable.
 */
public final class Pruning {

    /** How the target side is restricted. */
    public enum Mode {
        OFFSET_RANGES,
        TOPICS,
        NONE
    }

    /** The offsets of one topic-partition a chunk covers (inclusive). */
    public record Range(String topic, int partition, long firstOffset, long lastOffset) {}

    /** Where one row came from. */
    public record Position(String topic, int partition, long offset) {}

    private static final Pruning NONE = new Pruning(Mode.NONE, List.of(), List.of());

    private final Mode mode;
    private final List<Range> ranges;
    private final List<String> topics;

    private Pruning(Mode mode, List<Range> ranges, List<String> topics) {
        this.mode = mode;
        this.ranges = List.copyOf(ranges);
        this.topics = List.copyOf(topics);
    }

    public static Pruning none() {
        return NONE;
    }

    /** One range per topic-partition, min..max offset of {@code positions}, in first-seen order. */
    public static Pruning offsetRanges(List<Position> positions) {
        Map<SourcePartition, Range> bounds = new LinkedHashMap<>();
        for (Position p : positions) {
            bounds.merge(
                    new SourcePartition(p.topic(), p.partition()),
                    new Range(p.topic(), p.partition(), p.offset(), p.offset()),
                    (a, b) -> new Range(
                            a.topic(),
                            a.partition(),
                            Math.min(a.firstOffset(), b.firstOffset()),
                            Math.max(a.lastOffset(), b.lastOffset())));
        }
        List<Range> ranges = new ArrayList<>(bounds.values());
        return ranges.isEmpty() ? NONE : new Pruning(Mode.OFFSET_RANGES, ranges, List.of());
    }

    /** The distinct topics, in first-seen order. */
    public static Pruning topics(List<String> topics) {
        Set<String> distinct = new LinkedHashSet<>(topics);
        return distinct.isEmpty() ? NONE : new Pruning(Mode.TOPICS, List.of(), new ArrayList<>(distinct));
    }

    public Mode mode() {
        return mode;
    }

    public List<Range> ranges() {
        return ranges;
    }

    public List<String> topics() {
        return topics;
    }

    /** The text appended to the merge's {@code ON}, starting with {@code " AND "}, or empty. */
    public String sql(String topicColumn, String partitionColumn, String offsetColumn) {
        String topic = "t." + SnowflakeSql.quote(topicColumn);
        switch (mode) {
            case OFFSET_RANGES: {
                String one = '(' + topic + " = ? AND t." + SnowflakeSql.quote(partitionColumn) + " = ? AND t."
                        + SnowflakeSql.quote(offsetColumn) + " BETWEEN ? AND ?)";
                return " AND (" + String.join(" OR ", java.util.Collections.nCopies(ranges.size(), one)) + ')';
            }
            case TOPICS:
                return " AND " + topic + " IN (" + String.join(", ", java.util.Collections.nCopies(topics.size(), "?"))
                        + ')';
            default:
                return "";
        }
    }

    /** The parameters of {@link #sql}, in order. */
    public List<Object> parameters() {
        List<Object> out = new ArrayList<>();
        for (Range r : ranges) {
            out.add(r.topic());
            out.add(r.partition());
            out.add(r.firstOffset());
            out.add(r.lastOffset());
        }
        out.addAll(topics);
        return out;
    }

    /** Binds {@link #parameters()} starting at {@code index}; returns the next free index. */
    public int bind(PreparedStatement statement, int index) throws SQLException {
        for (Object p : parameters()) {
            if (p instanceof String s) {
                statement.setString(index++, s);
            } else if (p instanceof Integer i) {
                statement.setInt(index++, i);
            } else {
                statement.setLong(index++, (Long) p);
            }
        }
        return index;
    }

    @Override
    public String toString() {
        return mode == Mode.OFFSET_RANGES ? "ranges" + ranges : mode == Mode.TOPICS ? "topics" + topics : "none";
    }
}
