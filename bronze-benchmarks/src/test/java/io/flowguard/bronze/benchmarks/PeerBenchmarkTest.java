package io.flowguard.bronze.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The pure parts of the peer benchmark harness; the benchmark itself runs from bench/peer.sh, never from the build. */
class PeerBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWrapTheSamePayloadInConnectsJsonSchemaEnvelope() throws Exception {
        JsonNode plain = JSON.readTree(PeerBenchmark.Events.plain(42));
        JsonNode envelope = JSON.readTree(PeerBenchmark.Events.envelope(42));

        assertThat(envelope.get("payload")).isEqualTo(plain);
        assertThat(envelope.at("/schema/type").asText()).isEqualTo("struct");
        List<String> declared = envelope.at("/schema/fields").findValuesAsText("field");
        assertThat(declared).containsExactlyInAnyOrderElementsOf(() -> plain.fieldNames());
        for (JsonNode field : envelope.at("/schema/fields")) {
            JsonNode value = plain.get(field.get("field").asText());
            String expected = value.isTextual() ? "string" : value.isIntegralNumber() ? "int64" : "double";
            assertThat(field.get("type").asText())
                    .as(field.get("field").asText())
                    .isEqualTo(expected);
        }
    }

    @Test
    void shouldRejectAnUnknownSinkModeNamingTheAvailableOnes() {
        assertThatThrownBy(() -> PeerBronzeSide.sinkFactory("upsert"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'upsert'")
                .hasMessageContaining("default")
                .hasMessageContaining("append");
    }

    @Test
    void shouldReadFlagsWithoutValueAsTrue() {
        assertThat(PeerBenchmark.parseArgs(new String[] {"--quick", "--events", "10", "--jfr"}))
                .containsExactly(entry("quick", "true"), entry("events", "10"), entry("jfr", "true"));
        assertThatThrownBy(() -> PeerBenchmark.parseArgs(new String[] {"events"}))
                .hasMessageContaining("expected --name [value]");
    }

    @Test
    void shouldRunSmallerInQuickModeUnlessTold() {
        PeerBenchmark.Options quick = options("--quick", "--sides", "bronze");
        assertThat(quick.events).isEqualTo(50_000);
        assertThat(quick.rounds).isEqualTo(1);
        assertThat(quick.latencySeconds).isEqualTo(10);

        assertThat(options("--quick", "--sides", "bronze", "--events", "500").events)
                .isEqualTo(500);
        assertThat(options("--sides", "bronze").events).isEqualTo(1_000_000);
    }

    @Test
    void shouldRequireTheConnectClasspathForTheConnectSide() {
        assertThatThrownBy(() -> options("--events", "10"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--connect-classpath");
    }

    @Test
    void shouldRejectABadVariantSettingNamingTheKnownOnes() {
        PeerBenchmark.Env env = new PeerBenchmark.Env(options("--sides", "bronze"), "localhost:9092", "jdbc:x", null);

        assertThatThrownBy(() -> PeerBenchmark.BronzeSide.variant(env, "default:threads=3"))
                .hasMessageContaining("unknown variant setting 'threads'")
                .hasMessageContaining("batch, engines, pool, wait, idle, router, cp or label");
        assertThat(PeerBenchmark.BronzeSide.variant(env, "default:engines=3,batch=5000")
                        .label())
                .isEqualTo("bronze-default,engines=3,batch=5000");
        assertThat(PeerBenchmark.BronzeSide.variant(env, "default:cp=/tmp/x.cp:label=json")
                        .label())
                .isEqualTo("bronze-default,json");
    }

    @Test
    void shouldNameTablesLikeTheDefaultRouterWhenMemoized() {
        io.flowguard.bronze.api.TableRouter memo =
                PeerBronzeSide.memoized(io.flowguard.bronze.api.TableRouter.fromTopicName());

        for (String topic : List.of("flowguard.events", "orders", "9lives", "flowguard.events")) {
            assertThat(memo.tableFor(topic))
                    .isEqualTo(
                            io.flowguard.bronze.api.TableRouter.fromTopicName().tableFor(topic));
        }
    }

    @Test
    void shouldTakeNearestRankPercentiles() {
        List<Long> oneToHundred = LongStream.rangeClosed(1, 100).boxed().toList();

        assertThat(PeerBenchmark.percentile(oneToHundred, 50)).isEqualTo(50);
        assertThat(PeerBenchmark.percentile(oneToHundred, 99)).isEqualTo(99);
        assertThat(PeerBenchmark.percentile(oneToHundred, 100)).isEqualTo(100);
        assertThat(PeerBenchmark.percentile(List.of(), 50)).isEqualTo(-1);
        assertThat(PeerBenchmark.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    }

    private static PeerBenchmark.Options options(String... args) {
        return new PeerBenchmark.Options(PeerBenchmark.parseArgs(args));
    }
}
