package io.flowguard.bronze.connect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class SinkRecordsTest {

    @Test
    void shouldKeepTheOriginalCoordinatesWhenATransformRenamedTheTopic() {
        byte[] value = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        SinkRecord original = new SinkRecord(
                "orders",
                2,
                Schema.OPTIONAL_BYTES_SCHEMA,
                new byte[] {1, 2},
                Schema.OPTIONAL_BYTES_SCHEMA,
                value,
                42,
                1_700_000_000_000L,
                TimestampType.LOG_APPEND_TIME);
        SinkRecord renamed = original.newRecord(
                "renamed-orders",
                0,
                original.keySchema(),
                original.key(),
                original.valueSchema(),
                original.value(),
                original.timestamp());

        ConsumerRecord<byte[], byte[]> r = SinkRecords.toConsumerRecord(renamed);

        assertThat(r.topic()).isEqualTo("orders");
        assertThat(r.partition()).isEqualTo(2);
        assertThat(r.offset()).isEqualTo(42);
        assertThat(r.key()).containsExactly(1, 2);
        assertThat(r.value()).isSameAs(value);
        assertThat(r.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(r.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
    }

    @Test
    void shouldKeepHeaderBytesAndRenderConvertedHeadersAsText() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addBytes("raw", new byte[] {(byte) 0xC3, (byte) 0xA9});
        headers.addString("text", "order.created");
        headers.addInt("number", 7);
        headers.add("absent", null, Schema.OPTIONAL_STRING_SCHEMA);
        SinkRecord sr =
                new SinkRecord("t", 0, null, null, null, "x", 1, null, TimestampType.NO_TIMESTAMP_TYPE, headers);

        ConsumerRecord<byte[], byte[]> r = SinkRecords.toConsumerRecord(sr);

        assertThat(r.headers().lastHeader("raw").value()).containsExactly((byte) 0xC3, (byte) 0xA9);
        assertThat(new String(r.headers().lastHeader("text").value(), StandardCharsets.UTF_8))
                .isEqualTo("order.created");
        assertThat(new String(r.headers().lastHeader("number").value(), StandardCharsets.UTF_8))
                .isEqualTo("7");
        assertThat(r.headers().lastHeader("absent").value()).isNull();
        assertThat(r.timestampType()).isEqualTo(TimestampType.NO_TIMESTAMP_TYPE);
        assertThat(r.timestamp()).isEqualTo(ConsumerRecord.NO_TIMESTAMP);
        assertThat(r.value()).containsExactly('x');
    }

    @Test
    void shouldNameTheConverterToSetWhenTheValueIsNotBytes() {
        SinkRecord sr = new SinkRecord("orders", 1, null, null, null, Map.of("a", List.of(1)), 9);

        assertThatThrownBy(() -> SinkRecords.toConsumerRecord(sr))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("orders-1-9")
                .hasMessageContaining("value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
    }
}
