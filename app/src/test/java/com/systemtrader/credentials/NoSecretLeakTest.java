package com.systemtrader.credentials;

import static com.systemtrader.credentials.Keys.ALPACA_FILE_ID;
import static com.systemtrader.credentials.Keys.ALPACA_FILE_SECRET;
import static com.systemtrader.credentials.Keys.ALPACA_SECRET;
import static com.systemtrader.credentials.Keys.POLYGON;
import static com.systemtrader.credentials.Keys.POLYGON_FILE;
import static com.systemtrader.credentials.Keys.POLYGON_NEXT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads real-looking credentials through every path that produces text (warnings, notes, errors, rotation logs,
 * toStrings, reports, Jackson, metrics) and checks that no raw credential appears anywhere.
 */
class NoSecretLeakTest {
    @TempDir
    Path dir;

    private final List<String> texts = new ArrayList<>();

    private static final String FILE = """
            polygon:
              api_key: "%s"
              issued_at: 2025-01-01
              next_api_key: "%s"
              rate_limit_per_minute: 5
            alpaca:
              key_id: "%s"
              secret_key: "%s"
              issued_at: 2025-02-01T00:00:00Z
              next_key_id: "%s"
              next_secret_key: "%s"
            max_key_age_days: 30
            """.formatted(POLYGON_FILE, POLYGON_NEXT, ALPACA_FILE_ID, ALPACA_FILE_SECRET, Keys.ALPACA_NEXT_ID,
            Keys.ALPACA_NEXT_SECRET);

    @Test
    void noRawCredentialInAnyMessage() throws Exception {
        Path f = dir.resolve("api_credentials.yaml");
        Files.writeString(f, FILE);
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // the permission warning is skipped on non-POSIX file systems
        }
        Map<String, String> env = new HashMap<>(Keys.fullEnv());
        env.put("MASSIVE_API_KEY", POLYGON_FILE);
        ObjectMapper json = new ObjectMapper();
        try (LogCapture logs = new LogCapture()) {
            APIKeyManager m = APIKeyManager.load(f, env, Keys.CLOCK);
            assertThat(m.warnings()).hasSizeGreaterThanOrEqualTo(5); // overlaps, alias conflict, ages
            texts.addAll(m.warnings());
            collect(m, json);
            m.rotate(Provider.POLYGON, "server said: bad key " + POLYGON + " in ?apiKey=" + POLYGON);
            m.rotate(Provider.ALPACA, m.active(Provider.ALPACA).id(), "403 for " + ALPACA_SECRET);
            collect(m, json);
            m.rotate(Provider.POLYGON, "401 " + POLYGON_NEXT);
            m.rotate(Provider.ALPACA, "403 " + Keys.ALPACA_NEXT_SECRET);
            collect(m, json);
            texts.add(catchMessage(() -> m.active(Provider.POLYGON)));
            texts.add(catchMessage(() -> m.active(Provider.ALPACA)));
            texts.add(m.redact("GET /v2/last/trade/AAPL?apiKey=" + POLYGON + " key=" + ALPACA_SECRET));
            assertThat(m.redact("apiKey=" + POLYGON)).isEqualTo("apiKey=****q0dF");
            assertThat(m.redact(ALPACA_SECRET)).isEqualTo("****");

            // failures
            texts.add(failure(Map.of("APCA_API_KEY_ID", Keys.ALPACA_ID)));
            texts.add(failure(Map.of("APCA_API_SECRET_KEY", ALPACA_SECRET)));
            texts.add(failure(Map.of("POLYGON_API_KEY", POLYGON + "\n\u0007")));
            texts.add(failureFile("polygon:\n  api_key: \"" + POLYGON + "\"\n  " + ALPACA_SECRET + ": \"" + POLYGON_NEXT + "\"\n"));
            texts.add(failureFile("polygon:\n  api_key: \"" + POLYGON + "\n  next: [\"" + POLYGON_NEXT + "\"\n"));
            texts.add(failureFile("alpaca:\n  key_id: " + ALPACA_SECRET + "\n  secret_key: 12345678901234567890\n"));
            texts.add(failureFile("alpaca:\n  secret_key: \"" + ALPACA_SECRET + "\"\n"));
            texts.add(failureFile(POLYGON + "\n"));
            texts.add(failureFile("- " + POLYGON + "\n"));
            texts.addAll(logs.lines());
            assertThat(logs.lines()).isNotEmpty();
        }
        assertThat(texts).isNotEmpty().allSatisfy(t -> {
            assertThat(t).isNotNull();
            for (String raw : Keys.ALL) assertThat(t).doesNotContain(raw);
        });
    }

    private void collect(APIKeyManager m, ObjectMapper json) throws Exception {
        texts.add(m.toString());
        m.key(Provider.POLYGON).ifPresent(k -> texts.add(k.toString()));
        m.key(Provider.ALPACA).ifPresent(k -> texts.add(k.toString()));
        CredentialsReport r = m.describe();
        texts.add(r.toString());
        texts.addAll(r.lines());
        texts.add(json.writeValueAsString(r.providers()));
        if (m.isConfigured(Provider.POLYGON)) texts.add(json.writeValueAsString(m.active(Provider.POLYGON)));
        if (m.isConfigured(Provider.ALPACA)) texts.add(json.writeValueAsString(m.active(Provider.ALPACA)));
        for (Provider p : Provider.values()) texts.add(String.valueOf(m.rateLimiter(p)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        m.bindTo(registry);
        for (Meter meter : registry.getMeters()) texts.add(meter.getId().toString());
    }

    private String failure(Map<String, String> env) {
        return catchMessage(() -> APIKeyManager.load(dir.resolve("none.yaml"), env, Keys.CLOCK));
    }

    private String failureFile(String yaml) throws Exception {
        Path f = Keys.privateFile(dir, yaml);
        return catchMessage(() -> APIKeyManager.load(f, Map.of(), Keys.CLOCK));
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (CredentialsException e) {
            StringBuilder b = new StringBuilder(e.toString());
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) b.append(" | ").append(c);
            return b.toString();
        }
        throw new AssertionError("expected a CredentialsException");
    }
}
