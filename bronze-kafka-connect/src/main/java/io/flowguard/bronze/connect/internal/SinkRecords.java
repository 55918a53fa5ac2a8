package io.flowguard.bronze.connect.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a Connect {@link SinkRecord} back into the {@link ConsumerRecord} it was consumed as, so that the engine's
 * conversion rules apply unchanged. Stateless and thread-safe.
 *
 * <p>The coordinates are the <em>original</em> topic, partition and offset ({@link SinkRecord#originalTopic()} ...), so a
 * single message transform that renames the topic changes neither the ingestion id nor the ledger's offsets. Keys and
 * values must reach the task as bytes ({@code ByteArrayConverter}, the raw bytes are the Bronze {@code RAW_EVENT});
 * {@code StringConverter} output is accepted and encoded back as UTF-8. Anything else is a configuration error.
 */
public final class SinkRecords {
    /** The converter whose output keeps a record's bytes exactly as they were produced. */
    public static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private SinkRecords() {}

    /**
     * The consumer record a sink record came from.
     *
     * @throws DataException when the key or value is not bytes or a string (a converter other than
     *                       {@code ByteArrayConverter} or {@code StringConverter} is configured)
     */
    public static ConsumerRecord<byte[], byte[]> toConsumerRecord(SinkRecord r) {
        byte[] key = bytes(r.key(), "key", r);
        byte[] value = bytes(r.value(), "value", r);
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            headers.add(h.key(), headerBytes(h));
        }
        boolean noTimestamp = r.timestamp() == null
                || r.timestampType() == null
                || r.timestampType() == TimestampType.NO_TIMESTAMP_TYPE;
        return new ConsumerRecord<>(
                r.originalTopic(),
                r.originalKafkaPartition(),
                r.originalKafkaOffset(),
                noTimestamp ? ConsumerRecord.NO_TIMESTAMP : r.timestamp(),
                noTimestamp ? TimestampType.NO_TIMESTAMP_TYPE : r.timestampType(),
                key == null ? -1 : key.length,
                value == null ? -1 : value.length,
                key,
                value,
                headers,
                Optional.empty());
    }

    /** {@code topic-partition-offset} of the original record, for messages. */
    public static String coordinates(SinkRecord r) {
        return r.originalTopic() + '-' + r.originalKafkaPartition() + '-' + r.originalKafkaOffset();
    }

    private static byte[] bytes(Object o, String what, SinkRecord r) {
        if (o == null) {
            return null;
        }
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof ByteBuffer bb) {
            ByteBuffer copy = bb.duplicate();
            byte[] b = new byte[copy.remaining()];
            copy.get(b);
            return b;
        }
        if (o instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw new DataException("record " + coordinates(r) + " has a " + what + " of type "
                + o.getClass().getName()
                + ", but the Bronze connector stores the raw bytes: set " + what + ".converter=" + BYTE_ARRAY_CONVERTER
                + " in the connector configuration");
    }

    /**
     * A header's bytes: verbatim under {@code header.converter=ByteArrayConverter}; otherwise the converter's value
     * rendered back as text (Connect's {@link Values#convertToString}), which is exact for strings and numbers.
     */
    private static byte[] headerBytes(Header h) {
        Object v = h.value();
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        return Values.convertToString(h.schema(), v).getBytes(StandardCharsets.UTF_8);
    }
}
