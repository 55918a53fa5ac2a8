package io.flowguard.bronze.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbDataSourceTest {
    private static final String TOKEN = "fake-motherduck-token-7c1e";

    @Test
    void shouldNeverShowUrlQueryParametersInToString() throws Exception {
        try (DuckDbDataSource ds = DuckDbDataSource.inMemory()) {
            assertThat(ds.toString()).isEqualTo("DuckDbDataSource{jdbc:duckdb:}");
        }
        assertThat(DuckDbDataSource.redact("jdbc:duckdb:md:sales?motherduck_token=" + TOKEN + "&x=1"))
                .isEqualTo("jdbc:duckdb:md:sales?******");
    }

    @Test
    void shouldNotShowTokenWhenDatabaseCannotBeOpened(@TempDir Path dir) {
        String url = "jdbc:duckdb:" + dir.resolve("missing/dir/x.db") + "?motherduck_token=" + TOKEN;

        Throwable thrown = catchThrowable(() -> DuckDbDataSource.open(url).close());

        assertThat(thrown)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot open DuckDB at jdbc:duckdb:")
                .hasMessageNotContaining(TOKEN);
        assertThat(DuckDbDataSource.maskParameters(url, "bad option motherduck_token=" + TOKEN))
                .isEqualTo("bad option ******");
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(TOKEN);
    }
}
