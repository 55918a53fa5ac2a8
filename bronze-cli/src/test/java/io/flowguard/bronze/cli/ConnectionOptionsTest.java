package io.flowguard.bronze.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowguard.bronze.core.Secrets;
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
        Files.writeString(
                file,
                "bootstrap.servers=file:9092\njdbc.url=jdbc:duckdb:/file.db\njdbc.user=fileuser\n"
                        + "jdbc.password=filepw\ngroup=filegroup\nkafka.security.protocol=SSL\nkafka.ssl.key.password=keypw\n");
        ConnectionOptions o = new ConnectionOptions();
        o.config = file;
        o.bootstrapServers = "flag:9092";

        Settings s = o.resolve(
                Map.of("BRONZE_BOOTSTRAP_SERVERS", "env:9092", "BRONZE_JDBC_USER", "envuser", "BRONZE_TIMEOUT", "3s"));

        assertThat(s.bootstrapServers()).isEqualTo("flag:9092");
        assertThat(s.jdbcUser()).isEqualTo("envuser");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:duckdb:/file.db");
        assertThat(s.group()).isEqualTo("filegroup");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.kafkaProperties()).containsEntry("security.protocol", "SSL");
        assertThat(s.deadLetterTable()).isEqualTo("BRONZE_DEAD_LETTER");
        assertThat(s.withGroup("flaggroup").group()).isEqualTo("flaggroup");
        assertThat(s.toString())
                .doesNotContain("filepw")
                .doesNotContain("keypw")
                .contains("jdbc.password=******");
    }

    @Test
    void shouldMaskPasswordsInJdbcUrls() {
        assertThat(Secrets.maskUrl("jdbc:postgresql://db:5432/bronze?user=u&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/bronze?user=u&password=******&ssl=true");
        assertThat(Secrets.maskUrl("jdbc:postgresql://u:hunter2@db/bronze"))
                .isEqualTo("jdbc:postgresql://u:******@db/bronze");
    }

    @Test
    void shouldSayWhereToSetAMissingSetting() {
        Settings s = new ConnectionOptions().resolve(Map.of());

        assertThatThrownBy(s::requireJdbcUrl)
                .hasMessageContaining("--jdbc-url")
                .hasMessageContaining("BRONZE_JDBC_URL");
        assertThatThrownBy(s::requireGroup).hasMessageContaining("--group").hasMessageContaining("BRONZE_GROUP");
    }

    @Test
    void shouldReadTheBronzeKeysOfAnIngestConfigSoOneFileServesEveryCommand() throws Exception {
        Path file = dir.resolve("bronze.properties");
        Files.writeString(
                file,
                "bronze.bootstrap-servers=kafka:9092\nbronze.group=bronze-orders\nbronze.topics=orders\n"
                        + "bronze.warehouse.url=jdbc:postgresql://db/bronze\nbronze.warehouse.user=loader\n"
                        + "bronze.warehouse.password=Pw-1\nbronze.warehouse.schema=BRONZE\nbronze.dead-letter.table=DLQ\n"
                        + "bronze.kafka.security.protocol=SASL_SSL\ngroup=legacy-wins\n");
        ConnectionOptions o = new ConnectionOptions();
        o.config = file;

        Settings s = o.resolve(Map.of());

        assertThat(s.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db/bronze");
        assertThat(s.jdbcUser()).isEqualTo("loader");
        assertThat(s.jdbcPassword()).isEqualTo("Pw-1");
        assertThat(s.schema()).isEqualTo("BRONZE");
        assertThat(s.deadLetterTable()).isEqualTo("DLQ");
        assertThat(s.group()).isEqualTo("legacy-wins");
        assertThat(s.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(s.toString()).doesNotContain("Pw-1");
    }

    @Test
    void shouldTurnASnowflakeAccountOfAnIngestConfigIntoTheSnowflakeUrl() throws Exception {
        Path file = dir.resolve("snowflake.properties");
        Files.writeString(
                file,
                "bronze.warehouse.type=snowflake\nbronze.warehouse.account=myorg-acct\n"
                        + "bronze.warehouse.database=RAW\nbronze.warehouse.schema=BRONZE\nbronze.warehouse.compute-warehouse=LOAD_WH\n"
                        + "bronze.warehouse.user=LOADER\nbronze.warehouse.password=Pw-2\n");
        ConnectionOptions o = new ConnectionOptions();
        o.config = file;

        Settings s = o.resolve(Map.of());

        assertThat(s.jdbcUrl())
                .isEqualTo("jdbc:snowflake://myorg-acct.snowflakecomputing.com/?account=myorg-acct&db=RAW"
                        + "&schema=BRONZE&warehouse=LOAD_WH");
        assertThat(SnowflakeUrl.parse(s.jdbcUrl()).config(s).toString())
                .contains("myorg-acct")
                .doesNotContain("Pw-2");
    }
}
