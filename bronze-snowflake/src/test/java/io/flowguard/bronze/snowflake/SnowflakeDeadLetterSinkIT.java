package io.flowguard.bronze.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.Header;
import io.flowguard.bronze.api.KafkaTimestampType;
import io.flowguard.bronze.testkit.Fakesnow;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SnowflakeDeadLetterSink} on fakesnow. */
class SnowflakeDeadLetterSinkIT {
    @RegisterExtension
    static final Fakesnow SNOW = Fakesnow.create();

    private static final java.util.concurrent.atomic.AtomicInteger SCHEMAS =
            new java.util.concurrent.atomic.AtomicInteger();

    private String schema;
    private DataSource dataSource;

    @BeforeEach
    void freshSchema() {
        schema = "DLQ_" + SCHEMAS.incrementAndGet();
        dataSource = SNOW.dataSource("BRONZE_IT", schema);
    }

    private static DeadLetter deadLetter(long offset, String payload) {
        return DeadLetter.builder()
                .failedAt(Instant.parse("2025-03-14T09:30:00.123Z"))
                .stage(DeadLetter.Stage.DESERIALIZE)
                .errorClass("com.fasterxml.jackson.core.JsonParseException")
                .errorMessage("Unexpected character ('n')")
                .attempts(1)
                .topic("orders")
                .partition(2)
                .offset(offset)
                .ingestionId("orders-2-" + offset)
                .kafkaTimestamp(Instant.parse("2025-03-14T09:29:59Z"))
                .timestampType(KafkaTimestampType.CREATE_TIME)
                .rawKey("customer-7".getBytes(StandardCharsets.UTF_8))
                .rawPayload(payload == null ? null : payload.getBytes(StandardCharsets.UTF_8))
                .headers(List.of(
                        Header.of("trace", "abc".getBytes(StandardCharsets.UTF_8)),
                        Header.of("trace", "def".getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    @Test
    void shouldStoreDeadLettersOnceWhenWrittenAgain() throws Exception {
        SnowflakeDeadLetterSink sink =
                SnowflakeDeadLetterSink.builder(dataSource).schema(schema).build();
        List<DeadLetter> letters = List.of(deadLetter(10, "not json {"), deadLetter(11, null), deadLetter(10, "again"));

        sink.write(letters);
        sink.write(letters);

        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT KAFKA_OFFSET, RAW_PAYLOAD, STAGE, ATTEMPTS, PAYLOAD_SIZE_BYTES, "
                        + "KAFKA_METADATA:key::VARCHAR, KAFKA_METADATA:headers[1]:value::VARCHAR, FAILED_AT FROM "
                        + schema
                        + ".BRONZE_DEAD_LETTER ORDER BY KAFKA_OFFSET")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(10);
            assertThat(rs.getString(2)).isEqualTo("not json {");
            assertThat(rs.getString(3)).isEqualTo("DESERIALIZE");
            assertThat(rs.getInt(4)).isEqualTo(1);
            assertThat(rs.getInt(5)).isEqualTo(10);
            assertThat(rs.getString(6)).isEqualTo("customer-7");
            assertThat(rs.getString(7)).isEqualTo("def");
            assertThat(rs.getTimestamp(8).toInstant()).isEqualTo(Instant.parse("2025-03-14T09:30:00.123Z"));
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(11);
            assertThat(rs.getString(2)).isNull();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void shouldKeepInvalidUtf8AsReplacementCharacters() {
        SnowflakeDeadLetterSink sink =
                SnowflakeDeadLetterSink.builder(dataSource).schema(schema).build();
        DeadLetter binary = deadLetter(3, null).toBuilder()
                .rawPayload(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'})
                .build();

        sink.write(List.of(binary));

        assertThat(SnowRows.count(
                        dataSource,
                        "SELECT COUNT(*) FROM " + schema + ".BRONZE_DEAD_LETTER WHERE RAW_PAYLOAD = '{\uFFFD(}'"))
                .isEqualTo(1);
    }
}
