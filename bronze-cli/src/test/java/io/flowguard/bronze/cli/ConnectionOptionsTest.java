package io.flowguard.bronze.cli;

import io.flowguard.bronze.core.Secrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionOptionsTest {
    @TempDir
    Path dir;

    @Test
    void shouldTakeFlagsOverEnvironmentOverConfigFile() throws Exception {
        Path file = dir.resolve("bronze.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\njdbc.url=jdbc:duckdb:/file.db\njdbc.user=fileuser\n"
                + "jdbc.password=filepw\ngroup=filegroup\nkafka.security.protocol=SSL\nkafka.ssl.key.password=keypw\n");
        ConnectionOptions o = new ConnectionOptions();
        o.config = file;
        o.bootstrapServers = "flag:9092";

        Settings s = o.resolve(Map.of("BRONZE_BOOTSTRAP_SERVERS", "env:9092", "BRONZE_JDBC_USER", "envuser", "BRONZE_TIMEOUT", "3s"));

        assertThat(s.bootstrapServers()).isEqualTo("flag:9092");
        assertThat(s.jdbcUser()).isEqualTo("envuser");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:duckdb:/file.db");
        assertThat(s.group()).isEqualTo("filegroup");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.kafkaProperties()).containsEntry("security.protocol", "SSL");
        assertThat(s.deadLetterTable()).isEqualTo("BRONZE_DEAD_LETTER");
        assertThat(s.withGroup("flaggroup").group()).isEqualTo("flaggroup");
        assertThat(s.toString()).doesNotContain("filepw").doesNotContain("keypw").contains("jdbc.password=******");
    }

    @Test
    void shouldMaskPasswordsInJdbcUrls() {
        assertThat(Secrets.maskUrl("jdbc:postgresql://db:5432/bronze?user=u&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/bronze?user=u&password=******&ssl=true");
        assertThat(Secrets.maskUrl("jdbc:postgresql://u:hunter2@db/bronze")).isEqualTo("jdbc:postgresql://u:******@db/bronze");
    }

    @Test
    void shouldSayWhereToSetAMissingSetting() {
        Settings s = new ConnectionOptions().resolve(Map.of());

        assertThatThrownBy(s::requireJdbcUrl).hasMessageContaining("--jdbc-url").hasMessageContaining("BRONZE_JDBC_URL");
        assertThatThrownBy(s::requireGroup).hasMessageContaining("--group").hasMessageContaining("BRONZE_GROUP");
    }
}
