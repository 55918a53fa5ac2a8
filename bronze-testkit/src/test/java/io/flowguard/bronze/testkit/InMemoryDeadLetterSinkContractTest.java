package io.flowguard.bronze.testkit;

import io.flowguard.bronze.api.DeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The dead-letter contract against the in-memory sink, which tests of engines rely on behaving like the real ones. */
class InMemoryDeadLetterSinkContractTest extends DeadLetterSinkContract {
    private InMemoryDeadLetterSink sink;

    @Override
    protected DeadLetterSink createSink() {
        sink = InMemoryDeadLetterSink.create();
        return sink;
    }

    @Override
    protected List<StoredDeadLetter> readBack() {
        return sink.deadLetters().stream()
                .map(d -> new StoredDeadLetter(
                        d.topic(),
                        d.partition(),
                        d.offset(),
                        d.ingestionId(),
                        d.stage().name(),
                        d.errorClass(),
                        d.errorMessage(),
                        d.attempts(),
                        d.rawPayload() == null ? null : new String(d.rawPayload(), StandardCharsets.UTF_8)))
                .toList();
    }
}
