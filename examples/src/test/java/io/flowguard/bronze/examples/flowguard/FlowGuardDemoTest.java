package io.flowguard.bronze.examples.flowguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo's command line ({@code bin/demo} passes its arguments through). */
class FlowGuardDemoTest {

    @Test
    void shouldDefaultToFiveThousandEventsIntoADuckDbFile() {
        FlowGuardDemo.Options o = FlowGuardDemo.Options.parse(new String[0]);

        assertThat(o.events()).isEqualTo(5_000);
        assertThat(o.warehouse()).isEqualTo(DemoWarehouse.Kind.DUCKDB);
        assertThat(o.duckdbFile()).isEqualTo(Path.of("target/flowguard-demo.duckdb"));
        assertThat(o.serve()).isFalse();
    }

    @Test
    void shouldReadEveryOption() {
        FlowGuardDemo.Options o = FlowGuardDemo.Options.parse(new String[] {
            "--events", "200", "--warehouse", "POSTGRES", "--duckdb-file", "x.db", "--serve", "--gateway-port", "8080"
        });

        assertThat(o)
                .isEqualTo(new FlowGuardDemo.Options(200, DemoWarehouse.Kind.POSTGRES, Path.of("x.db"), true, 8080));
        assertThat(FlowGuardDemo.Options.parse(new String[] {"300"}).events())
                .as("the old positional form")
                .isEqualTo(300);
    }

    @Test
    void shouldSayWhatIsWrongWithABadArgument() {
        assertThatThrownBy(() -> FlowGuardDemo.Options.parse(new String[] {"--warehouse", "oracle"}))
                .hasMessage("--warehouse must be duckdb or postgres, but was 'oracle'");
        assertThatThrownBy(() -> FlowGuardDemo.Options.parse(new String[] {"--events", "10"}))
                .hasMessage("--events must be a whole number >= 100, but was '10'");
        assertThatThrownBy(() -> FlowGuardDemo.Options.parse(new String[] {"--gateway-port", "70000"}))
                .hasMessage("--gateway-port must be within [0, 65535], but was '70000'");
        assertThatThrownBy(() -> FlowGuardDemo.Options.parse(new String[] {"--events"}))
                .hasMessage("--events needs a value");
        assertThatThrownBy(() -> FlowGuardDemo.Options.parse(new String[] {"--fast"}))
                .hasMessage("unknown argument '--fast'");
    }
}
