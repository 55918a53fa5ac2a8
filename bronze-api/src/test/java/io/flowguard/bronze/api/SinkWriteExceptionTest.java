package io.flowguard.bronze.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.api.SinkWriteException.ErrorKind;
import org.junit.jupiter.api.Test;

class SinkWriteExceptionTest {

    @Test
    void shouldBeRetriableOnlyWhenTransient() {
        assertThat(new SinkWriteException("timeout", null, ErrorKind.TRANSIENT).isRetriable())
                .isTrue();
        assertThat(new SinkWriteException("bad row", null, ErrorKind.DATA).isRetriable())
                .isFalse();
    }

    @Test
    void shouldExposeStructuredDetails() {
        RuntimeException cause = new RuntimeException("driver");
        SinkWriteException e =
                new SinkWriteException("rejected", cause, ErrorKind.DATA, "BRONZE.ORDERS_RAW", "22P02", 7);

        assertThat(e.kind()).isEqualTo(ErrorKind.DATA);
        assertThat(e.table()).isEqualTo("BRONZE.ORDERS_RAW");
        assertThat(e.sqlState()).isEqualTo("22P02");
        assertThat(e.vendorCode()).isEqualTo(7);
        assertThat(e).hasCause(cause).hasMessage("rejected").isInstanceOf(BronzeException.class);
    }

    @Test
    void shouldDefaultDetailsWhenNotGiven() {
        SinkWriteException e = new SinkWriteException("x", null, ErrorKind.TRANSIENT);

        assertThat(e.table()).isNull();
        assertThat(e.sqlState()).isNull();
        assertThat(e.vendorCode()).isZero();
    }

    @Test
    void shouldRequireKind() {
        assertThatThrownBy(() -> new SinkWriteException("x", null, null)).isInstanceOf(NullPointerException.class);
    }
}
