package io.flowguard.bronze.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickStartReadmeTest {

    private static List<String> between(List<String> lines, String begin, String end) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : lines) {
            if (in && l.contains(end)) {
                return out;
            }
            if (in) {
                out.add(l.strip());
            }
            if (l.contains(begin)) {
                in = true;
            }
        }
        throw new AssertionError("markers " + begin + " / " + end + " not found");
    }

    @Test
    void shouldShowInTheReadmeExactlyTheQuickStartThatCompiles() throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/main/java/io/flowguard/bronze/examples/QuickStart.java"));
        List<String> readme = Files.readAllLines(Path.of("../README.md"));

        List<String> compiled = between(source, "// quick-start:begin", "// quick-start:end");
        List<String> block = between(
                readme.subList(
                        readme.indexOf(readme.stream()
                                .filter(l -> l.startsWith("<!-- quick-start"))
                                .findFirst()
                                .orElseThrow()),
                        readme.size()),
                "```java",
                "```");

        assertThat(block).as("README quick start").isEqualTo(compiled);
        assertThat(compiled).as("a quick start of five lines at most").hasSizeBetween(3, 5);
    }
}
