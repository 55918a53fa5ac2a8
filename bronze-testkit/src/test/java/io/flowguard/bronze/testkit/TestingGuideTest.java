package io.flowguard.bronze.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/testing.md's copy-paste test and logging config are the files this module compiles and runs. */
class TestingGuideTest {
    private static final Path DOC = Path.of("..", "docs", "testing.md");

    @Test
    void shouldShowTheExampleTestExactlyAsItCompilesAndRuns() throws Exception {
        assertThat(block("copy-paste-test", "java"))
                .isEqualTo(Files.readString(Path.of("src/test/java/com/example/orders/OrdersLandingTest.java")));
    }

    @Test
    void shouldShowTheLoggingConfigExactlyAsTheTestsUseIt() throws Exception {
        assertThat(block("copy-paste-logging", "properties"))
                .isEqualTo(Files.readString(Path.of("src/test/resources/simplelogger.properties")));
    }

    /** The fenced block that follows {@code <!-- marker ... -->}. */
    private static String block(String marker, String language) throws Exception {
        String doc = Files.readString(DOC);
        int at = doc.indexOf("<!-- " + marker);
        assertThat(at).as("docs/testing.md has the marker %s", marker).isNotNegative();
        int start = doc.indexOf("```" + language + "\n", at) + language.length() + 4;
        int end = doc.indexOf("```\n", start);
        return doc.substring(start, end);
    }
}
