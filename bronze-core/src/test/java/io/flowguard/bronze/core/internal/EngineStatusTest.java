package io.flowguard.bronze.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineStatusTest {

    @Test
    void shouldJudgeTheDeadLetterRateOverTheLastFiftyBatchesWhenTheyHoldEnoughRecords() {
        EngineStatus status = new EngineStatus();
        status.batchDone(1_000, 1_000); // pushed out by the 50 batches after it
        for (int i = 0; i < EngineStatus.WINDOW; i++) {
            status.batchDone(100, i == 0 ? 10 : 0);
        }

        assertThat(status.deadLetterRate()).isEqualTo(10.0 / 5_000);
    }

    @Test
    void shouldJudgeTheDeadLetterRateOverAtLeastAThousandRecordsWhenBatchesAreTiny() {
        // With flushWhenIdle a batch at a low input rate holds one record: one dead letter in the last 50 of them is
        // not a 2 % rate when the 950 records before them landed.
        EngineStatus status = new EngineStatus();
        for (int i = 0; i < 2_000; i++) {
            status.batchDone(1, i == 1_999 ? 1 : 0);
        }

        assertThat(status.deadLetterRate()).isEqualTo(1.0 / EngineStatus.WINDOW_RECORDS);
    }

    @Test
    void shouldReportNoDeadLetterRateBeforeAnyBatch() {
        assertThat(new EngineStatus().deadLetterRate()).isZero();
    }
}
