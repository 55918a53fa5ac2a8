package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.Header;
import io.flowguard.bronze.api.KafkaTimestampType;
import io.flowguard.bronze.api.SinkWriteException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** {@link JdbcDeadLetterSink} against each database, run by a subclass. */
abstract class AbstractJdbcDeadLetterSinkIT {

    abstract DataSource dataSource();

    abstract SqlDialect dialect();

    /** The quoted dead-letter table of this test. */
    abstract String table();

    /** SQL text extracting the string at top-level {@code field} of JSON column {@code column}. */
    abstract String jsonField(String column, String field);

    abstract JdbcDeadLetterSink.Builder sinkBuilder(DataSource ds);

    long count(String sql) {
        return ((Number) Rows.scalar(dataSource(), sql)).longValue();
    }

    static DeadLetter deadLetter(long offset, byte[] payload) {
        return DeadLetter.builder()
                .failedAt(Instant.parse("2025-03-14T10:00:00.123Z"))
                .stage(DeadLetter.Stage.DESERIALIZE)
                .errorClass("com.fasterxml.jackson.core.JsonParseException")
                .errorMessage("Unexpected character ('<')")
                .stackTrace("at Parser.parse(Parser.java:1)")
                .attempts(1)
                .ingestionId("orders-2-" + offset)
                .topic("orders")
                .partition(2)
                .offset(offset)
                .kafkaTimestamp(Instant.parse("2025-03-14T09:59:59.999Z"))
                .timestampType(KafkaTimestampType.CREATE_TIME)
                .rawKey("customer-7".getBytes(StandardCharsets.UTF_8))
                .rawPayload(payload)
                .headers(List.of(Header.of("trace", "abc"), Header.of("trace", "def")))
                .build();
    }

    @Test
    void shouldKeepTheWriteFailureWhenRestoringAutoCommitAlsoFails() {
        BrokenAutoCommitDataSource broken = new BrokenAutoCommitDataSource(dataSource());
        JdbcDeadLetterSink sink = sinkBuilder(broken.dataSource()).build();
        sink.ensureTable();
        Rows.execute(dataSource(), "DROP TABLE " + table());
        broken.arm();

        assertThatThrownBy(() -> sink.write(List.of(deadLetter(1, null))))
                .isInstanceOfSatisfying(SinkWriteException.class, e -> {
                    assertThat(e.getCause()).hasMessageNotContaining(BrokenAutoCommitDataSource.MESSAGE);
                    assertThat(e.getCause().getSuppressed())
                            .extracting(Throwable::getMessage)
                            .contains(BrokenAutoCommitDataSource.MESSAGE);
                });
    }

    @Test
    void shouldStoreDeadLetterWithPayloadThatIsNotJson() {
        byte[] payload = "<xml>not json</xml>".getBytes(StandardCharsets.UTF_8);

        sinkBuilder(dataSource()).build().write(List.of(deadLetter(5, payload)));

        assertThat(Rows.column(dataSource(), "SELECT \"RAW_PAYLOAD\" FROM " + table()))
                .containsExactly("<xml>not json</xml>");
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT \"STAGE\" || ' ' || \"ERROR_CLASS\" || ' ' || \"ATTEMPTS\" FROM " + table()))
                .containsExactly("DESERIALIZE com.fasterxml.jackson.core.JsonParseException 1");
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT (" + jsonField("KAFKA_METADATA", "topic") + ") || ':' || ("
                                + jsonField("KAFKA_METADATA", "key") + ") FROM " + table()))
                .containsExactly("orders:customer-7");
        assertThat(Rows.column(
                        dataSource(),
                        "SELECT \"INGESTION_ID\" FROM " + table() + " WHERE \"SOURCE_TOPIC\" = 'orders' "
                                + "AND \"KAFKA_PARTITION\" = 2 AND \"KAFKA_OFFSET\" = 5"))
                .containsExactly("orders-2-5");
        assertThat(count("SELECT \"PAYLOAD_SIZE_BYTES\" FROM " + table())).isEqualTo(payload.length);
    }

    @Test
    void shouldStoreBinaryPayloadAsReplacedTextAndMarkTruncation() {
        byte[] binary = {(byte) 0xFF, (byte) 0xFE, 0, 'a', (byte) 0xC3};
        DeadLetter truncated =
                deadLetter(6, binary).toBuilder().payloadSizeBytes(1_000_000).build();

        sinkBuilder(dataSource()).build().write(List.of(truncated));

        assertThat(Rows.column(dataSource(), "SELECT \"RAW_PAYLOAD\" FROM " + table()))
                .containsExactly("\uFFFD\uFFFD\uFFFDa\uFFFD");
        assertThat(Rows.column(dataSource(), "SELECT \"PAYLOAD_TRUNCATED\" FROM " + table()))
                .containsExactly(true);
        assertThat(count("SELECT \"PAYLOAD_SIZE_BYTES\" FROM " + table())).isEqualTo(1_000_000);
    }

    @Test
    void shouldStoreNullPayloadOfTombstone() {
        sinkBuilder(dataSource()).build().write(List.of(deadLetter(7, null)));

        assertThat(Rows.column(dataSource(), "SELECT \"RAW_PAYLOAD\" FROM " + table()))
                .containsExactly((Object) null);
    }

    @Test
    void shouldStoreEachOffsetOnceWhenWrittenAgainOrRepeatedInBatch() {
        CountingDataSource counting = new CountingDataSource(dataSource());
        JdbcDeadLetterSink sink = sinkBuilder(counting).build();
        sink.ensureTable();
        List<DeadLetter> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(deadLetter(i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        batch.add(deadLetter(3, new byte[] {'x'}));
        counting.reset();

        sink.write(batch);
        sink.write(batch);
        sinkBuilder(dataSource()).build().write(batch.subList(0, 10));

        assertThat(counting.executed()).hasSize(2).allMatch(sql -> sql.startsWith("INSERT"));
        assertThat(count("SELECT COUNT(*) FROM " + table())).isEqualTo(500);
        assertThat(Rows.column(dataSource(), "SELECT \"RAW_PAYLOAD\" FROM " + table() + " WHERE \"KAFKA_OFFSET\" = 3"))
                .containsExactly("{\"n\":3}");
    }

    @Test
    void shouldStoreInjectionAttemptLiterally() {
        String evil = "'); DROP TABLE " + table() + "; --";
        DeadLetter d = deadLetter(9, evil.getBytes(StandardCharsets.UTF_8)).toBuilder()
                .errorMessage(evil)
                .headers(List.of(Header.of(evil, evil)))
                .build();

        sinkBuilder(dataSource()).build().write(List.of(d));

        assertThat(Rows.column(dataSource(), "SELECT \"RAW_PAYLOAD\" || \"ERROR_MESSAGE\" FROM " + table()))
                .containsExactly(evil + evil);
    }
}
