package io.flowguard.bronze.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where one metadata value (event id, event type, schema version, producer service) comes from: an ordered list of
 * sources — Kafka headers and JSON payload paths — tried in turn, then a fallback value.
 *
 * <pre>{@code
 * MetadataRule.header("schema_version").orField("meta.schema_version").orElse("v1")
 * }</pre>
 *
 * <p>A value that is absent everywhere resolves to the fallback ({@code null} unless set); a {@link #required()} rule
 * throws {@link MetadataExtractionException} instead, and the engine dead-letters the record. A JSON field holding an
 * object or array also throws. Immutable and thread-safe; each {@code or*} call returns a new rule.
 *
 * @since 0.1.0
 */
public final class MetadataRule {
    private static final Pattern PATH = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)*");

    private final List<Source> sources;
    private final String fallback;
    private final boolean required;

    private MetadataRule(List<Source> sources, String fallback, boolean required) {
        this.sources = List.copyOf(sources);
        this.fallback = fallback;
        this.required = required;
    }

    /** First look at the Kafka header {@code name}. */
    public static MetadataRule header(String name) {
        return none().orHeader(name);
    }

    /** First look at the JSON payload path {@code path} (dotted, e.g. {@code "meta.event_type"}). */
    public static MetadataRule field(String path) {
        return none().orField(path);
    }

    /** A rule that always resolves to {@code null}. */
    public static MetadataRule none() {
        return new MetadataRule(List.of(), null, false);
    }

    /** A rule that always resolves to {@code value}. */
    public static MetadataRule constant(String value) {
        return none().orElse(value);
    }

    public MetadataRule orHeader(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("header name must be non-blank, but was '" + name + "'");
        }
        return with(new Source(true, name));
    }

    public MetadataRule orField(String path) {
        return with(new Source(false, requirePath(path)));
    }

    /** The value used when no source has one; {@code null} means the column stays null. */
    public MetadataRule orElse(String fallbackValue) {
        return new MetadataRule(sources, fallbackValue, false);
    }

    /** Makes a value mandatory: a record where no source has it is dead-lettered instead of falling back. */
    public MetadataRule required() {
        return new MetadataRule(sources, null, true);
    }

    private MetadataRule with(Source s) {
        List<Source> copy = new ArrayList<>(sources);
        copy.add(s);
        return new MetadataRule(copy, fallback, required);
    }

    /**
     * Resolves the value for one event.
     *
     * @param fieldName the metadata name used in error messages, e.g. {@code "eventType"}
     * @throws MetadataExtractionException when required and absent, or when a JSON source holds a non-scalar
     */
    public String resolve(EventView event, String fieldName) {
        for (Source s : sources) {
            Optional<String> v = s.header ? event.header(s.name) : event.field(s.name);
            if (v.isPresent()) {
                return v.get();
            }
        }
        if (required) {
            throw new MetadataExtractionException(
                    fieldName, fieldName + " is required but none of " + sources + " is present");
        }
        return fallback;
    }

    /** The JSON payload paths this rule reads, in order. */
    public List<String> fieldPaths() {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            if (!s.header) {
                out.add(s.name);
            }
        }
        return out;
    }

    /** {@code true} when some source reads the JSON payload. */
    public boolean readsPayload() {
        return sources.stream().anyMatch(s -> !s.header);
    }

    public String fallback() {
        return fallback;
    }

    public boolean isRequired() {
        return required;
    }

    static String requirePath(String path) {
        if (path == null || !PATH.matcher(path).matches()) {
            throw new IllegalArgumentException(
                    "JSON path must be dot-separated non-empty names like 'meta.event_type', but was '" + path + "'");
        }
        return path;
    }

    @Override
    public String toString() {
        return sources + (required ? " required" : " else " + fallback);
    }

    private record Source(boolean header, String name) {
        @Override
        public String toString() {
            return (header ? "header:" : "field:") + name;
        }
    }
}
