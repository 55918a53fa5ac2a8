package io.flowguard.bronze.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowguard.bronze.api.EventView;
import io.flowguard.bronze.api.MetadataExtractionException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * An {@link EventView} over a consumed record and its parsed payload. Reused for every record of a batch (one instance per
 * converter) to avoid per-record allocation; not thread-safe.
 */
final class JsonEventView implements EventView {
    private static final Pattern DOT = Pattern.compile("\\.");

    /** Dotted path → segments, cached per converter (bounded by the number of configured paths). */
    private final Map<String, String[]> paths = new ConcurrentHashMap<>();
    private ConsumerRecord<byte[], byte[]> record;
    private JsonNode payload;

    void reset(ConsumerRecord<byte[], byte[]> record, JsonNode payload) {
        this.record = record;
        this.payload = payload;
    }

    @Override
    public String topic() {
        return record.topic();
    }

    @Override
    public int partition() {
        return record.partition();
    }

    @Override
    public long offset() {
        return record.offset();
    }

    @Override
    public Optional<String> header(String name) {
        Header h = record.headers().lastHeader(name);
        if (h == null || h.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    @Override
    public Optional<String> field(String path) {
        if (payload == null) {
            return Optional.empty();
        }
        JsonNode node = payload;
        for (String segment : paths.computeIfAbsent(path, p -> DOT.split(p))) {
            node = node.get(segment);
            if (node == null) {
                return Optional.empty();
            }
        }
        if (node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        if (node.isContainerNode()) {
            throw new MetadataExtractionException(path, "payload field '" + path + "' must be a scalar, but was a JSON "
                    + (node.isArray() ? "array" : "object"));
        }
        return Optional.of(node.asText());
    }
}
