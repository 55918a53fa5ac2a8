package io.flowguard.bronze.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WriteResultTest {

    @Test
    void shouldCountDuplicatesAsRecordsNotInserted() {
        WriteResult r = WriteResult.of(10, 7);

        assertThat(r.records()).isEqualTo(10);
        assertThat(r.inserted()).isEqualTo(7);
        assertThat(r.duplicates()).isEqualTo(3);
    }

    @Test
    void shouldReturnEmptySingletonForZeroRecords() {
        assertThat(WriteResult.of(0, 0)).isSameAs(WriteResult.empty());
        assertThat(WriteResult.empty().records()).isZero();
        assertThat(WriteResult.empty().duplicates()).isZero();
    }

    @Test
    void shouldAddResults() {
        assertThat(WriteResult.of(3, 1).plus(WriteResult.of(5, 5))).isEqualTo(WriteResult.of(8, 6));
        assertThat(WriteResult.empty().plus(WriteResult.empty())).isSameAs(WriteResult.empty());
    }

    @Test
    void shouldRejectInconsistentCountsNamingThem() {
        assertThatThrownBy(() -> WriteResult.of(2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("need 0 <= inserted <= records, but records=2 and inserted=3");
        assertThatThrownBy(() -> WriteResult.of(-1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("need 0 <= inserted <= records, but records=-1 and inserted=0");
        assertThatThrownBy(() -> WriteResult.of(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldBeEqualByValue() {
        assertThat(WriteResult.of(4, 2))
                .isEqualTo(WriteResult.of(4, 2))
                .hasSameHashCodeAs(WriteResult.of(4, 2))
                .isNotEqualTo(WriteResult.of(4, 3));
        assertThat(WriteResult.of(4, 2)).hasToString("WriteResult{records=4, inserted=2, duplicates=2}");
    }
}
