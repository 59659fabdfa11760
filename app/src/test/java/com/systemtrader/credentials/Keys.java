package com.systemtrader.credentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Real-looking credentials and helpers shared by the tests of this package. */
final class Keys {
    static final String POLYGON = "pK7xQ2mZ9vB4nR8sT1wY6uE3iO5aLq0dF";
    static final String POLYGON_NEXT = "nX4cV8bN2mQ6wE0rT5yU9iO3pA7sD1fGh";
    static final String POLYGON_FILE = "fL3kJ9hG5fD1sA7qW2eR8tY4uI0oP6zXc";
    static final String ALPACA_ID = "PKZ3Q8R5T2W9Y4U7I1O6";
    static final String ALPACA_SECRET = "Xq9Lm3Np7Rs2Tv6Wx0Yz4Ab8Cd1Ef5Gh9Ij3Kl7";
    static final String ALPACA_NEXT_ID = "PKN8M2B6V0C4X7Z1L5K9";
    static final String ALPACA_NEXT_SECRET = "Mn4Bv8Cx2Zl6Kj0Hg5Fd9Sa3Qw7Er1Ty5Ui9Op2";
    static final String ALPACA_FILE_ID = "AKF1L2E3I4D5Q6W7E8R9";
    static final String ALPACA_FILE_SECRET = "Fs1Lx2Ey3Sz4Ec5Rv6Eb7Tn8Km9Jh0Gf1Dd2Ss3";
    /** Every raw value above: none may ever show up in a message. */
    static final List<String> ALL = List.of(POLYGON, POLYGON_NEXT, POLYGON_FILE, ALPACA_ID, ALPACA_SECRET, ALPACA_NEXT_ID,
            ALPACA_NEXT_SECRET, ALPACA_FILE_ID, ALPACA_FILE_SECRET);

    static final Instant NOW = Instant.parse("2026-12-15T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Keys() {}

    /** A file readable by its owner only (no permission warning). */
    static Path privateFile(Path dir, String yaml) throws IOException {
        Path f = dir.resolve("api_credentials.yaml");
        Files.writeString(f, yaml);
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: no warning is produced either
        }
        return f;
    }

    static Map<String, String> polygonEnv() {
        return Map.of("POLYGON_API_KEY", POLYGON);
    }

    static Map<String, String> fullEnv() {
        return Map.of("POLYGON_API_KEY", POLYGON, "POLYGON_API_KEY_NEXT", POLYGON_NEXT,
                "APCA_API_KEY_ID", ALPACA_ID, "APCA_API_SECRET_KEY", ALPACA_SECRET,
                "APCA_API_KEY_ID_NEXT", ALPACA_NEXT_ID, "APCA_API_SECRET_KEY_NEXT", ALPACA_NEXT_SECRET);
    }

    /** A monotonic nanosecond clock the test moves by hand. */
    static final class FakeNanos implements LongSupplier {
        private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

        @Override
        public long getAsLong() {
            return now.get();
        }

        void advance(long nanos) {
            now.addAndGet(nanos);
        }

        void advanceSeconds(double s) {
            advance((long) (s * 1e9));
        }
    }
}
