package io.flowguard.bronze.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void shouldTreatPasswordsKeysTokensAndJaasConfigsAsSecretButNotSerializersOrPaths() {
        assertThat(Secrets.isSecretKey("ssl.key.password")).isTrue();
        assertThat(Secrets.isSecretKey("sasl.jaas.config")).isTrue();
        assertThat(Secrets.isSecretKey("bronze.warehouse.private-key")).isTrue();
        assertThat(Secrets.isSecretKey("bronze.warehouse.private-key-passphrase"))
                .isTrue();
        assertThat(Secrets.isSecretKey("schema.registry.api-key")).isTrue();
        assertThat(Secrets.isSecretKey("key.deserializer")).isFalse();
        assertThat(Secrets.isSecretKey("ssl.keystore.type")).isFalse();
        assertThat(Secrets.isSecretKey("bronze.warehouse.user")).isFalse();
    }

    @Test
    void shouldMaskPasswordsInUrlsAndScrubThemFromMessages() {
        assertThat(Secrets.maskUrl("jdbc:postgresql://db/b?user=u&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/b?user=u&password=" + Secrets.MASK + "&ssl=true");
        assertThat(Secrets.maskUrl("jdbc:postgresql://u:hunter2@db/b"))
                .isEqualTo("jdbc:postgresql://u:" + Secrets.MASK + "@db/b");
        assertThat(Secrets.scrub("login failed for hunter2 with pw2", "hunter2", null, "", "pw2"))
                .isEqualTo("login failed for " + Secrets.MASK + " with " + Secrets.MASK);
        assertThat(Secrets.mask(Map.of("sasl.jaas.config", "x", "acks", "all")))
                .containsEntry("sasl.jaas.config", Secrets.MASK)
                .containsEntry("acks", "all");
    }
}
