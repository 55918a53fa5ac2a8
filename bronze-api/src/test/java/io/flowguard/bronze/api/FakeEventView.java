package io.flowguard.bronze.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A tiny {@link EventView} for tests: headers and flat dotted-path payload fields given up front. */
final class FakeEventView implements EventView {
    private final String topic;
    private final int partition;
    private final long offset;
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, String> fields = new HashMap<>();
    private final Set<String> nonScalarPaths = new java.util.HashSet<>();

    private FakeEventView(String topic, int partition, long offset) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    static FakeEventView at(String topic, int partition, long offset) {
        return new FakeEventView(topic, partition, offset);
    }

    static FakeEventView any() {
        return at("orders", 0, 0);
    }

    FakeEventView header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    FakeEventView field(String path, String value) {
        fields.put(path, value);
        return this;
    }

    /** Marks a path as holding an object or array, as a real view would report it. */
    FakeEventView nonScalar(String path) {
        nonScalarPaths.add(path);
        return this;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    @Override
    public Optional<String> field(String path) {
        if (nonScalarPaths.contains(path)) {
            throw new MetadataExtractionException(
                    path, "payload field '" + path + "' is an object or array, not a scalar");
        }
        return Optional.ofNullable(fields.get(path));
    }
}
