package io.flowguard.bronze.examples.flowguard;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventsGatewayMainTest {

    @Test
    void shouldSayWhatIsMissingOrWrongOnTheCommandLine() {
        assertThatThrownBy(() -> EventsGatewayMain.parse(new String[] {"--topics", "orders"}))
                .hasMessage("--bootstrap-servers and --topics are required");
        assertThatThrownBy(() -> EventsGatewayMain.parse(new String[] {"--bootstrap-servers", "k:9092", "--topics"}))
                .hasMessage("--topics needs a value");
        assertThatThrownBy(() ->
                        EventsGatewayMain.parse(new String[] {"--bootstrap-servers", "k:9092", "--topics", "a,b/c"}))
                .hasMessage("topics must be non-blank names without '/', but one was 'b/c'");
        assertThatThrownBy(
                        () -> EventsGatewayMain.parse(new String[] {"--port", "http", "--bootstrap-servers", "k:9092"}))
                .hasMessage("--port must be a number within [0, 65535], but was 'http'");
        assertThatThrownBy(() -> EventsGatewayMain.parse(new String[] {"--verbose", "yes"}))
                .hasMessage("unknown argument '--verbose'");
    }
}
