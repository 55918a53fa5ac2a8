package io.flowguard.bronze.connect.internal;

import io.flowguard.bronze.api.DeadLetter;
import io.flowguard.bronze.api.DeadLetterSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.connect.sink.ErrantRecordReporter;

/** The two places a Connect task's dead letters can go. */
public final class DeadLetterRoutes {
    private DeadLetterRoutes() {}

    /**
     * Connect's own dead-letter queue, through the task's {@link ErrantRecordReporter}: the worker produces the original
     * record's bytes to {@code errors.deadletterqueue.topic.name} (with the {@code __connect.errors.*} headers when
     * {@code errors.deadletterqueue.context.headers.enable=true}) and waits for those sends before it commits the offsets.
     */
    public static PutWriter.DeadLetterRoute connect(ErrantRecordReporter reporter) {
        Objects.requireNonNull(reporter, "reporter");
        return new PutWriter.DeadLetterRoute() {
            @Override
            public void send(List<PutWriter.Rejected> rejected) {
                for (PutWriter.Rejected r : rejected) {
                    reporter.report(r.source(), new BronzeDeadLetterException(r.deadLetter()));
                }
            }

            @Override
            public String name() {
                return "connect-dlq";
            }
        };
    }

    /** A Bronze dead-letter sink (by default the warehouse's {@code BRONZE_DEAD_LETTER} table). */
    public static PutWriter.DeadLetterRoute sink(DeadLetterSink sink) {
        Objects.requireNonNull(sink, "sink");
        return new PutWriter.DeadLetterRoute() {
            @Override
            public void send(List<PutWriter.Rejected> rejected) {
                List<DeadLetter> letters = new ArrayList<>(rejected.size());
                for (PutWriter.Rejected r : rejected) {
                    letters.add(r.deadLetter());
                }
                sink.write(letters);
            }

            @Override
            public String name() {
                return sink.name();
            }
        };
    }

    /**
     * The error handed to Connect's reporter: its class and message become the {@code __connect.errors.exception.*}
     * headers of the dead-letter record. The message names the Bronze stage and the original error class.
     */
    public static final class BronzeDeadLetterException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient DeadLetter deadLetter;

        BronzeDeadLetterException(DeadLetter d) {
            super(
                    "bronze stage=" + d.stage() + " error=" + d.errorClass() + ": " + d.errorMessage(),
                    null,
                    false,
                    false);
            this.deadLetter = d;
        }

        /** The dead letter as the engine would have stored it. */
        public DeadLetter deadLetter() {
            return deadLetter;
        }
    }
}
