package com.systemtrader.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void masksToTheLastFourCharacters() {
        Secret s = Secret.of(Keys.POLYGON);
        assertThat(s.toString()).isEqualTo("****q0dF").isEqualTo(s.masked());
        assertThat(s.reveal()).isEqualTo(Keys.POLYGON);
        assertThat(Secret.of("123456789").masked()).isEqualTo("****6789");
    }

    @Test
    void shortValuesAreFullyMasked() {
        assertThat(Secret.of("12345678").toString()).isEqualTo("****");
        assertThat(Secret.of("x").masked()).isEqualTo("****");
        assertThat(Secret.mask(null)).isEqualTo("null");
    }

    @Test
    void equalsAndHashCodeByValue() {
        assertThat(Secret.of(Keys.POLYGON)).isEqualTo(Secret.of(new String(Keys.POLYGON.toCharArray())))
                .hasSameHashCodeAs(Secret.of(Keys.POLYGON))
                .isNotEqualTo(Secret.of(Keys.POLYGON_NEXT))
                .isNotEqualTo(Keys.POLYGON);
        assertThat(Secret.of("abc")).isNotEqualTo(Secret.of("abcd"));
    }

    @Test
    void rejectsEmptyAndControlCharactersWithoutQuotingTheValue() {
        assertThatThrownBy(() -> Secret.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Secret.of(Keys.POLYGON + "\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(Keys.POLYGON).doesNotContain("Evil");
    }

    @Test
    void isNotJavaSerializable() {
        assertThat(Secret.of(Keys.POLYGON)).isNotInstanceOf(Serializable.class);
    }

    @Test
    void jacksonWritesOnlyTheMaskedForm() throws Exception {
        assertThat(json.writeValueAsString(Secret.of(Keys.POLYGON))).isEqualTo("\"****q0dF\"");
        assertThat(json.writeValueAsString(Map.of("k", Secret.of(Keys.ALPACA_SECRET))))
                .isEqualTo("{\"k\":\"****3Kl7\"}");
    }

    @Test
    void keyRecordsMaskInToStringAndJackson() throws Exception {
        ApiKey p = new ApiKey(Secret.of(Keys.POLYGON), null, Instant.parse("2026-09-01T00:00:00Z"), "env POLYGON_API_KEY");
        ApiKey a = new ApiKey(Secret.of(Keys.ALPACA_ID), Secret.of(Keys.ALPACA_SECRET), null, "file alpaca.key_id");
        assertThat(p.toString()).isEqualTo("ApiKey[id=****q0dF, issuedAt=2026-09-01T00:00:00Z, label=env POLYGON_API_KEY]");
        assertThat(a.toString()).isEqualTo("ApiKey[id=****I1O6, secret=****, issuedAt=null, label=file alpaca.key_id]");
        String pj = json.writeValueAsString(p);
        String aj = json.writeValueAsString(a);
        assertThat(pj).contains("\"id\":\"****q0dF\"").contains("2026-09-01T00:00:00Z");
        assertThat(aj).contains("\"id\":\"****I1O6\"").doesNotContain("secret").doesNotContain("3Kl7");
        for (String raw : Keys.ALL) assertThat(pj + aj + p + a).doesNotContain(raw);
    }
}
