package com.systemtrader.credentials;

import static com.systemtrader.credentials.Keys.ALPACA_FILE_ID;
import static com.systemtrader.credentials.Keys.ALPACA_FILE_SECRET;
import static com.systemtrader.credentials.Keys.ALPACA_ID;
import static com.systemtrader.credentials.Keys.ALPACA_SECRET;
import static com.systemtrader.credentials.Keys.CLOCK;
import static com.systemtrader.credentials.Keys.POLYGON;
import static com.systemtrader.credentials.Keys.POLYGON_FILE;
import static com.systemtrader.credentials.Keys.POLYGON_NEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class APIKeyManagerLoadTest {
    private static final String FILE_BOTH = """
            polygon:
              api_key: "%s"
              issued_at: 2026-10-01
              rate_limit_per_minute: 5
            alpaca:
              key_id: "%s"
              secret_key: "%s"
              issued_at: 2026-10-01T09:30:00-04:00
              rate_limit_per_minute: 10000
            """.formatted(POLYGON_FILE, ALPACA_FILE_ID, ALPACA_FILE_SECRET);

    @TempDir
    Path dir;

    private APIKeyManager load(Path file, Map<String, String> env) {
        return APIKeyManager.load(file, env, CLOCK);
    }

    private String loadError(String yaml, Map<String, String> env) throws Exception {
        Path f = Keys.privateFile(dir, yaml);
        return assertThatThrownBy(() -> load(f, env)).isInstanceOf(CredentialsException.class)
                .actual().getMessage();
    }

    @Test
    void environmentOnlyWithoutAFile() {
        APIKeyManager m = load(dir.resolve("absent.yaml"), Keys.fullEnv());
        assertThat(m.active(Provider.POLYGON).id().reveal()).isEqualTo(POLYGON);
        assertThat(m.active(Provider.POLYGON).label()).isEqualTo("env POLYGON_API_KEY");
        assertThat(m.active(Provider.POLYGON).issuedAt()).isNull();
        assertThat(m.active(Provider.ALPACA).id().reveal()).isEqualTo(ALPACA_ID);
        assertThat(m.active(Provider.ALPACA).secret().reveal()).isEqualTo(ALPACA_SECRET);
        assertThat(m.warnings()).isEmpty();
        CredentialsReport r = m.describe();
        assertThat(r.fileFound()).isFalse();
        assertThat(r.entry(Provider.POLYGON)).isEqualTo(new CredentialsReport.Entry(Provider.POLYGON, true, KeySource.ENV,
                "env POLYGON_API_KEY", "****q0dF", null, 0, true, 0, false));
        assertThat(r.entry(Provider.ALPACA).rateLimitPerMinute()).isEqualTo(200);
        assertThat(m.rateLimiter(Provider.POLYGON).unlimited()).isTrue();
        assertThat(m.rateLimiter(Provider.ALPACA).perMinute()).isEqualTo(200);
    }

    @Test
    void fileOnly() throws Exception {
        APIKeyManager m = load(Keys.privateFile(dir, FILE_BOTH), Map.of());
        assertThat(m.active(Provider.POLYGON)).isEqualTo(new ApiKey(Secret.of(POLYGON_FILE), null,
                Instant.parse("2026-10-01T00:00:00Z"), "file polygon.api_key"));
        assertThat(m.active(Provider.ALPACA)).isEqualTo(new ApiKey(Secret.of(ALPACA_FILE_ID), Secret.of(ALPACA_FILE_SECRET),
                Instant.parse("2026-10-01T13:30:00Z"), "file alpaca.key_id"));
        assertThat(m.rateLimiter(Provider.POLYGON).perMinute()).isEqualTo(5);
        assertThat(m.rateLimiter(Provider.ALPACA).perMinute()).isEqualTo(10_000);
        assertThat(m.maxKeyAgeDays()).isEqualTo(90);
        assertThat(m.warnings()).isEmpty();
        CredentialsReport.Entry p = m.describe().entry(Provider.POLYGON);
        assertThat(p.source()).isEqualTo(KeySource.FILE);
        assertThat(p.ageDays()).isEqualTo(75);
        assertThat(p.nextKeyPresent()).isFalse();
        assertThat(m.describe().lines()).contains(
                "polygon: ****6zXc from file polygon.api_key, age 75 days, rate limit 5/min, next key none");
    }

    @Test
    void environmentWinsKeyByKeyAndTheOverlapIsNotedAtInfo() throws Exception {
        Path f = Keys.privateFile(dir, FILE_BOTH);
        try (LogCapture logs = new LogCapture()) {
            APIKeyManager m = load(f, Keys.polygonEnv());
            assertThat(m.active(Provider.POLYGON).id().reveal()).isEqualTo(POLYGON);
            assertThat(m.active(Provider.POLYGON).issuedAt()).as("issued_at belongs to the file's key").isNull();
            assertThat(m.active(Provider.ALPACA).id().reveal()).isEqualTo(ALPACA_FILE_ID);
            assertThat(m.rateLimiter(Provider.POLYGON).perMinute()).isEqualTo(5);
            String note = "POLYGON_API_KEY and polygon.api_key in " + f + " are both set (different keys); the environment wins";
            assertThat(m.warnings()).containsExactly(note);
            assertThat(logs.at(ch.qos.logback.classic.Level.INFO)).contains(note);
            assertThat(logs.at(ch.qos.logback.classic.Level.WARN)).isEmpty();
        }
    }

    @Test
    void fileIssuedAtAppliesWhenTheEnvironmentHoldsTheSameKey() throws Exception {
        APIKeyManager m = load(Keys.privateFile(dir, FILE_BOTH), Map.of("POLYGON_API_KEY", POLYGON_FILE));
        assertThat(m.active(Provider.POLYGON).issuedAt()).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
        assertThat(m.warnings()).singleElement().asString().contains("(the same key)");
    }

    @Test
    void massiveApiKeyIsAnAlias() {
        APIKeyManager m = load(dir.resolve("none.yaml"), Map.of("MASSIVE_API_KEY", POLYGON, "MASSIVE_API_KEY_NEXT", POLYGON_NEXT));
        assertThat(m.active(Provider.POLYGON).id().reveal()).isEqualTo(POLYGON);
        assertThat(m.active(Provider.POLYGON).label()).isEqualTo("env MASSIVE_API_KEY");
        assertThat(m.describe().entry(Provider.POLYGON).nextKeyPresent()).isTrue();
        assertThat(m.key(Provider.ALPACA)).isEmpty();

        APIKeyManager both = load(dir.resolve("none.yaml"), Map.of("MASSIVE_API_KEY", POLYGON_NEXT, "POLYGON_API_KEY", POLYGON));
        assertThat(both.active(Provider.POLYGON).id().reveal()).isEqualTo(POLYGON);
        assertThat(both.warnings()).containsExactly(
                "POLYGON_API_KEY and MASSIVE_API_KEY are both set, to different keys; using POLYGON_API_KEY");
    }

    @Test
    void halfConfiguredAlpacaEnvironmentNamesTheMissingVariable() {
        Path none = dir.resolve("none.yaml");
        assertThatThrownBy(() -> load(none, Map.of("APCA_API_KEY_ID", ALPACA_ID)))
                .isInstanceOf(CredentialsException.class)
                .hasMessageContaining("APCA_API_SECRET_KEY is not set but APCA_API_KEY_ID is");
        assertThatThrownBy(() -> load(none, Map.of("APCA_API_SECRET_KEY", ALPACA_SECRET)))
                .hasMessageContaining("APCA_API_KEY_ID is not set but APCA_API_SECRET_KEY is")
                .message().doesNotContain(ALPACA_SECRET);
        assertThatThrownBy(() -> load(none, Map.of("APCA_API_KEY_ID", ALPACA_ID, "APCA_API_SECRET_KEY", ALPACA_SECRET,
                "APCA_API_KEY_ID_NEXT", Keys.ALPACA_NEXT_ID)))
                .hasMessageContaining("APCA_API_SECRET_KEY_NEXT is not set but APCA_API_KEY_ID_NEXT is");
    }

    @Test
    void halfConfiguredAlpacaFileNamesTheMissingEntry() throws Exception {
        String msg = loadError("alpaca:\n  key_id: \"" + ALPACA_FILE_ID + "\"\n", Map.of());
        assertThat(msg).contains("alpaca.secret_key is missing (alpaca.key_id is set)").doesNotContain(ALPACA_FILE_ID);
    }

    @Test
    void onlyOneProviderIsFine() {
        APIKeyManager m = load(dir.resolve("none.yaml"), Map.of("APCA_API_KEY_ID", ALPACA_ID, "APCA_API_SECRET_KEY", ALPACA_SECRET));
        assertThat(m.key(Provider.POLYGON)).isEmpty();
        assertThat(m.isConfigured(Provider.POLYGON)).isFalse();
        assertThat(m.isConfigured(Provider.ALPACA)).isTrue();
        assertThatThrownBy(() -> m.active(Provider.POLYGON)).isInstanceOf(CredentialsException.class).hasMessageContaining("POLYGON_API_KEY");
        assertThatThrownBy(() -> m.rateLimiter(Provider.POLYGON)).isInstanceOf(CredentialsException.class);
        assertThat(m.describe().entry(Provider.POLYGON).configured()).isFalse();
        assertThat(m.describe().lines()).contains("polygon: not configured");

        APIKeyManager nothing = load(dir.resolve("none.yaml"), Map.of("POLYGON_API_KEY", "  ", "APCA_API_KEY_ID", ""));
        assertThat(nothing.key(Provider.POLYGON)).isEmpty();
        assertThat(nothing.key(Provider.ALPACA)).isEmpty();
    }

    @Test
    void valuesAreStripped() {
        APIKeyManager m = load(dir.resolve("none.yaml"), Map.of("POLYGON_API_KEY", " " + POLYGON + "\n"));
        assertThat(m.active(Provider.POLYGON).id().reveal()).isEqualTo(POLYGON);
    }

    @Test
    void unknownKeysAreErrorsNamingThePathWithoutValues() throws Exception {
        String msg = loadError("""
                polygon:
                  apikey: "%s"
                  rate_limit_per_minute: 5
                alpaca:
                  secret: "%s"
                polgyon: {}
                %s: "x"
                """.formatted(POLYGON, ALPACA_SECRET, POLYGON_FILE), Map.of());
        assertThat(msg).contains("unknown key polygon.apikey", "unknown key alpaca.secret", "unknown key polgyon",
                "unknown key <****6zXc>");
        for (String raw : Keys.ALL) assertThat(msg).doesNotContain(raw);
    }

    @Test
    void malformedYamlNamesFileAndLineWithoutContent() throws Exception {
        Path f = Keys.privateFile(dir, """
                polygon:
                  api_key: "%s"
                  next_api_key: [ "%s"
                alpaca: {
                """.formatted(POLYGON, POLYGON_NEXT));
        String msg = assertThatThrownBy(() -> load(f, Map.of())).isInstanceOf(CredentialsException.class)
                .hasNoCause().actual().getMessage();
        assertThat(msg).isEqualTo("Credentials file " + f + ": malformed YAML at line 4, column 1 (content not shown)");
        assertThat(msg).doesNotContain(POLYGON).doesNotContain(POLYGON_NEXT).doesNotContain("api_key");

        String tab = loadError("polygon:\n  api_key: \"" + POLYGON + "\"\n\tnext_api_key: x\n", Map.of());
        assertThat(tab).contains("malformed YAML at line 3, column 1").doesNotContain(POLYGON);
    }

    @Test
    void duplicateKeysAndSeveralDocumentsAreErrors() throws Exception {
        assertThat(loadError("polygon:\n  api_key: \"" + POLYGON + "\"\n  api_key: \"" + POLYGON_NEXT + "\"\n", Map.of()))
                .contains("duplicate key at line 3").doesNotContain(POLYGON).doesNotContain(POLYGON_NEXT);
        assertThat(loadError("polygon:\n  api_key: \"" + POLYGON + "\"\n---\nalpaca: {}\n", Map.of()))
                .contains("more than one YAML document");
    }

    @Test
    void wrongValueTypesAreErrors() throws Exception {
        String msg = loadError("""
                polygon:
                  api_key: 12345678901234
                  issued_at: "last tuesday"
                  rate_limit_per_minute: -1
                alpaca: "%s"
                max_key_age_days: ninety
                """.formatted(ALPACA_SECRET), Map.of());
        assertThat(msg).contains("polygon.api_key must be a string (put it in quotes)",
                "polygon.issued_at must be a date (YYYY-MM-DD) or an RFC 3339 timestamp",
                "polygon.rate_limit_per_minute must be a whole number from 0 to 10000000",
                "alpaca must be a mapping", "max_key_age_days must be a whole number from 0 to 36500");
        assertThat(msg).doesNotContain("12345678901234").doesNotContain("tuesday").doesNotContain(ALPACA_SECRET);
    }

    @Test
    void issuedAtAcceptsDatesAndRfc3339() throws Exception {
        APIKeyManager m = load(Keys.privateFile(dir, "polygon:\n  api_key: \"" + POLYGON + "\"\n  issued_at: 2026-09-01 10:15:00.5+02:00\n"),
                Map.of());
        assertThat(m.active(Provider.POLYGON).issuedAt()).isEqualTo(Instant.parse("2026-09-01T08:15:00.5Z"));
    }

    @Test
    void nextKeyWithoutActiveKeyIsAnError() {
        assertThatThrownBy(() -> load(dir.resolve("none.yaml"), Map.of("POLYGON_API_KEY_NEXT", POLYGON_NEXT)))
                .isInstanceOf(CredentialsException.class)
                .hasMessageContaining("POLYGON_API_KEY_NEXT is set but there is no active Polygon key");
    }

    @Test
    void nextKeyEqualToTheActiveKeyIsIgnoredWithAWarning() {
        APIKeyManager m = load(dir.resolve("none.yaml"), Map.of("POLYGON_API_KEY", POLYGON, "POLYGON_API_KEY_NEXT", POLYGON));
        assertThat(m.describe().entry(Provider.POLYGON).nextKeyPresent()).isFalse();
        assertThat(m.warnings()).singleElement().asString().contains("is the active key; no rotation is possible");
    }

    @Test
    void fileNextKeyServesAnEnvironmentKey() throws Exception {
        Path f = Keys.privateFile(dir, "polygon:\n  next_api_key: \"" + POLYGON_NEXT + "\"\n");
        APIKeyManager m = load(f, Keys.polygonEnv());
        assertThat(m.describe().entry(Provider.POLYGON).nextKeyPresent()).isTrue();
        assertThat(m.rotate(Provider.POLYGON, "401")).isTrue();
        assertThat(m.active(Provider.POLYGON).label()).isEqualTo("file polygon.next_api_key");
    }

    @Test
    void groupOrWorldReadableFileWarnsWithChmod() throws Exception {
        Path f = Keys.privateFile(dir, FILE_BOTH);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.getFileStore(f).supportsFileAttributeView("posix"));
        assertThat(load(f, Map.of()).warnings()).isEmpty();

        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        try (LogCapture logs = new LogCapture()) {
            APIKeyManager m = load(f, Map.of());
            String w = "Credentials file " + f + " is accessible by group or others (rw-r--r--); run: chmod 600 " + f;
            assertThat(m.warnings()).containsExactly(w);
            assertThat(logs.at(ch.qos.logback.classic.Level.WARN)).containsExactly(w);
        }
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        assertThat(load(f, Map.of()).warnings()).singleElement().asString().contains("chmod 600 " + f);
    }

    @Test
    void oldKeysWarnAccordingToMaxKeyAgeDays() throws Exception {
        String old = """
                polygon:
                  api_key: "%s"
                  issued_at: 2026-06-01
                alpaca:
                  key_id: "%s"
                  secret_key: "%s"
                  issued_at: 2026-11-01
                """.formatted(POLYGON_FILE, ALPACA_FILE_ID, ALPACA_FILE_SECRET);
        APIKeyManager m = load(Keys.privateFile(dir, old), Map.of());
        assertThat(m.warnings()).containsExactly("Polygon key ****6zXc is 197 days old (issued 2026-06-01T00:00:00Z), "
                + "older than max_key_age_days 90: rotate it");
        assertThat(m.describe().entry(Provider.POLYGON).ageDays()).isEqualTo(197);
        assertThat(m.describe().entry(Provider.ALPACA).ageDays()).isEqualTo(44);

        assertThat(load(Keys.privateFile(dir, old + "max_key_age_days: 30\n"), Map.of()).warnings()).hasSize(2);
        assertThat(load(Keys.privateFile(dir, old + "max_key_age_days: 0\n"), Map.of()).warnings()).isEmpty();
        assertThat(load(Keys.privateFile(dir, old + "max_key_age_days: 365\n"), Map.of()).warnings()).isEmpty();
        assertThat(load(Keys.privateFile(dir, "polygon:\n  api_key: \"" + POLYGON + "\"\n  issued_at: 2027-03-01\n"),
                Map.of()).warnings()).singleElement().asString().contains("polygon.issued_at").contains("in the future");
    }

    @Test
    void emptyFileAndEmptySectionsAreFine() throws Exception {
        assertThat(load(Keys.privateFile(dir, ""), Keys.polygonEnv()).describe().fileFound()).isTrue();
        APIKeyManager m = load(Keys.privateFile(dir, "polygon:\nalpaca:\n  rate_limit_per_minute: 50\n"), Map.of());
        assertThat(m.key(Provider.POLYGON)).isEmpty();
        assertThat(m.key(Provider.ALPACA)).isEmpty();
    }

    @Test
    void templateIsValidOnceThePlaceholdersAreReplaced() throws Exception {
        String template = Files.readString(Path.of("config/api_credentials.yaml.template"));
        String msg = loadError(template, Map.of());
        assertThat(msg).contains("polygon.api_key still holds the template's placeholder",
                "alpaca.key_id still holds the template's placeholder", "alpaca.secret_key still holds");

        String filled = template.replace("REPLACE_WITH_POLYGON_API_KEY", POLYGON_FILE)
                .replace("REPLACE_WITH_ALPACA_KEY_ID", ALPACA_FILE_ID).replace("REPLACE_WITH_ALPACA_SECRET_KEY", ALPACA_FILE_SECRET);
        APIKeyManager m = load(Keys.privateFile(dir, filled), Map.of());
        assertThat(m.active(Provider.POLYGON).id().reveal()).isEqualTo(POLYGON_FILE);
        assertThat(m.active(Provider.ALPACA).secret().reveal()).isEqualTo(ALPACA_FILE_SECRET);

        String uncommented = filled.replaceAll("(?m)^(\\s*)# ([a-z_]+:)", "$1$2");
        uncommented = uncommented.replace("REPLACE_WITH_NEXT_POLYGON_API_KEY", POLYGON_NEXT)
                .replace("REPLACE_WITH_NEXT_ALPACA_KEY_ID", Keys.ALPACA_NEXT_ID)
                .replace("REPLACE_WITH_NEXT_ALPACA_SECRET_KEY", Keys.ALPACA_NEXT_SECRET);
        APIKeyManager all = load(Keys.privateFile(dir, uncommented), Map.of());
        assertThat(all.describe().entry(Provider.ALPACA).nextKeyPresent()).isTrue();
        assertThat(all.rateLimiter(Provider.POLYGON).perMinute()).isEqualTo(5);
        assertThat(all.maxKeyAgeDays()).isEqualTo(90);
    }
}
