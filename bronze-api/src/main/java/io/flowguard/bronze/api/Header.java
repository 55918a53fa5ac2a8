package io.flowguard.bronze.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record header, kept byte for byte: a name and a value that may be {@code null}.
 *
 * <p>Immutable and thread-safe: the value array is copied in and out.
 *
 * @since 0.1.0
 */
public final class Header {
    private final String name;
    private final byte[] value;

    private Header(String name, byte[] value) {
        this.name = Objects.requireNonNull(name, "header name must not be null");
        this.value = value == null ? null : value.clone();
    }

    /** A header with a raw value; {@code value} may be null. */
    public static Header of(String name, byte[] value) {
        return new Header(name, value);
    }

    /** A header whose value is the UTF-8 encoding of {@code value}; {@code value} may be null. */
    public static Header of(String name, String value) {
        return new Header(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public String name() {
        return name;
    }

    /** A copy of the raw value, or {@code null}. */
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    /** The value decoded as UTF-8 (malformed bytes become U+FFFD), or {@code null}. */
    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && name.equals(h.name) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "=" + valueAsString();
    }
}
