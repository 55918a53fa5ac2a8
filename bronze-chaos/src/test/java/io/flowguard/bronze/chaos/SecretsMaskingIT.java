package io.flowguard.bronze.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowguard.bronze.api.BatchInfo;
import io.flowguard.bronze.api.BronzeRecord;
import io.flowguard.bronze.api.BronzeSink;
import io.flowguard.bronze.api.SinkWriteException;
import io.flowguard.bronze.api.WriteResult;
import io.flowguard.bronze.core.EngineState;
import io.flowguard.bronze.core.IngestionEngine;
import io.flowguard.bronze.core.RetryPolicy;
import io.flowguard.bronze.testkit.InMemoryBronzeSink;
import io.flowguard.bronze.testkit.InMemoryDeadLetterSink;
import io.flowguard.bronze.testkit.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Secrets never reach logs, exception messages, {@code EngineConfig.toString()} or health reasons: a fake password and a
 * fake private key are set in the engine's consumer properties ({@code sasl.jaas.config}, {@code ssl.key.password},
 * {@code ssl.keystore.password}, {@code ssl.keystore.key}) and held by a failing sink that carries them in its own
 * configuration, while the engine runs against a real broker, retries the failing sink and finally fails.
 *
 * <p>Log capture: slf4j-simple writes to {@code System.err}, looked up at every call, so the test tees
 * {@code System.err} into a buffer. This module's {@code simplelogger.properties} sets the engine's loggers to DEBUG and
 * Kafka's {@code AbstractConfig} to INFO (the line that dumps every consumer property), so every line that could carry a
 * secret is emitted.
 *
 * <p>Scope: the engine masks what it is given as configuration. A sink's own exception messages are the sink's
 * responsibility (bronze-jdbc and bronze-snowflake have their own masking tests); the engine logs a sink exception's
 * message and, when it fails for good, its stack trace, so the fake sink here keeps its secrets out of its messages
 * the way a real sink must, and the test proves the engine adds nothing from the sink beyond them.
 */
class SecretsMaskingIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.create();

    /** A fake password: long and unusual, so any occurrence in the output is a leak. */
    static final String PASSWORD = "FakePa55-d0-not-leak-7f3a9c21";
    /** The distinctive body of a fake PEM private key. */
    static final String KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwFAKEFAKEkeyMaterialDoNotLeak0x42";

    static final String PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\n" + KEY_BODY + "\n-----END PRIVATE KEY-----";

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private PrintStream originalOut;
    private IngestionEngine engine;

    @BeforeEach
    void captureOutput() {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        if (engine != null) {
            engine.abort();
        }
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    /**
     * A sink configured with credentials, like a key-pair warehouse sink, whose {@code toString} would print them (so the
     * test also proves the engine never prints the sink object). It fails transiently {@code failures} times, with a
     * structured exception (table, SQLState) and a cause, then writes.
     */
    private static final class CredentialedFailingSink implements BronzeSink {
        private final String user = "bronze_loader";
        private final String password = PASSWORD;
        private final String privateKey = PRIVATE_KEY;
        private final InMemoryBronzeSink delegate = InMemoryBronzeSink.create();
        private final AtomicInteger failuresLeft;

        CredentialedFailingSink(int failures) {
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public WriteResult write(List<BronzeRecord> records, BatchInfo batch) {
            if (failuresLeft.getAndDecrement() > 0) {
                Exception cause = new java.sql.SQLTransientConnectionException(
                        "connection to warehouse.example.com:443 as " + user + " reset (key-pair auth)", "08006");
                throw new SinkWriteException(
                        "writing " + records.size() + " records to BRONZE.ORDERS_RAW failed",
                        cause,
                        SinkWriteException.ErrorKind.TRANSIENT,
                        "BRONZE.ORDERS_RAW",
                        "08006",
                        0);
            }
            return delegate.write(records, batch);
        }

        @Override
        public String name() {
            return "credentialed";
        }

        @Override
        public String toString() {
            return "CredentialedFailingSink{user=" + user + ", password=" + password + ", privateKey=" + privateKey
                    + '}';
        }
    }

    private IngestionEngine.Builder engineWithSecrets(String topic, BronzeSink sink, RetryPolicy retry) {
        return IngestionEngine.builder()
                .name("secrets-" + topic)
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId("secrets-" + topic)
                .topics(topic)
                .sink(sink)
                .deadLetterSink(InMemoryDeadLetterSink.create())
                .maxBatchWait(Duration.ofMillis(100))
                .retryPolicy(retry)
                .consumerProperty("security.protocol", "PLAINTEXT")
                .consumerProperty(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                + "username=\"bronze\" password=\"" + PASSWORD + "\";")
                .consumerProperty("ssl.key.password", PASSWORD)
                .consumerProperty("ssl.keystore.password", PASSWORD)
                .consumerProperty("ssl.keystore.key", PRIVATE_KEY);
    }

    @Test
    void shouldNeverRevealPasswordsOrPrivateKeysInLogsExceptionsConfigOrHealth() {
        String topic = KAFKA.createUniqueTopic("secrets", 1);
        KAFKA.produceJson(topic, 20, i -> "{\"event_id\":\"e-" + i + "\"}");
        Set<String> healthReasons = ConcurrentHashMap.newKeySet();

        // 1. The sink fails three times, the engine retries with backoff, then everything lands.
        CredentialedFailingSink flaky = new CredentialedFailingSink(3);
        engine = engineWithSecrets(
                        topic,
                        flaky,
                        RetryPolicy.builder()
                                .maxAttempts(10)
                                .initialBackoff(Duration.ofMillis(200))
                                .maxBackoff(Duration.ofMillis(400))
                                .build())
                .start();
        String configText = engine.config().toString();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    healthReasons.addAll(engine.health().reasons());
                    return flaky.delegate.count() == 20;
                });
        engine.close();

        // 2. The sink never recovers: the retry budget is spent and the engine fails.
        String topic2 = KAFKA.createUniqueTopic("secrets", 1);
        KAFKA.produceJson(topic2, 5, i -> "{\"event_id\":\"e-" + i + "\"}");
        engine = engineWithSecrets(
                        topic2,
                        new CredentialedFailingSink(Integer.MAX_VALUE),
                        RetryPolicy.builder()
                                .maxAttempts(3)
                                .initialBackoff(Duration.ofMillis(10))
                                .maxBackoff(Duration.ofMillis(20))
                                .build())
                .start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    healthReasons.addAll(engine.health().reasons());
                    return engine.state() == EngineState.FAILED;
                });
        healthReasons.addAll(engine.health().reasons());
        Throwable failure = engine.failure().orElseThrow();
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));

        System.err.flush();
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs)
                .as("the capture saw the engine's config line, Kafka's ConsumerConfig dump and the retries")
                .contains("created: EngineConfig{")
                .contains("sasl.jaas.config = [hidden]")
                .contains("retrying in")
                .contains("-> FAILED");
        assertThat(healthReasons).as("health reasons seen").anyMatch(r -> r.startsWith("sink failing"));
        assertThat(configText).contains("ssl.key.password=******");
        for (String secret : List.of(PASSWORD, KEY_BODY)) {
            assertThat(logs).as("logs").doesNotContain(secret);
            assertThat(configText).as("EngineConfig.toString()").doesNotContain(secret);
            assertThat(engine.config().toString())
                    .as("EngineConfig.toString() of the failed engine")
                    .doesNotContain(secret);
            assertThat(String.join("\n", healthReasons)).as("health reasons").doesNotContain(secret);
            assertThat(engine.health().toString()).as("health").doesNotContain(secret);
            assertThat(trace.toString()).as("failure message and stack trace").doesNotContain(secret);
            assertThat(engine.toString()).doesNotContain(secret);
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) {
            try {
                a.write(c);
            } catch (java.io.IOException ignored) {
                // the original stream's failure must not hide the capture
            }
            synchronized (b) {
                try {
                    b.write(c);
                } catch (java.io.IOException ignored) {
                    // ByteArrayOutputStream does not throw
                }
            }
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) {
            try {
                a.write(buf, off, len);
            } catch (java.io.IOException ignored) {
                // as above
            }
            synchronized (b) {
                try {
                    b.write(buf, off, len);
                } catch (java.io.IOException ignored) {
                    // as above
                }
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
        }
    }
}
