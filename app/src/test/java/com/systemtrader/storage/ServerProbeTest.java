package com.systemtrader.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mode detection (storage.md 1.2): CREATE EXTENSION only when TimescaleDB is preloaded. */
class ServerProbeTest {
    private static final ServerProbe VANILLA = new ServerProbe(150020, null, null, false, null);
    private static final ServerProbe AVAILABLE_NOT_PRELOADED = new ServerProbe(150020, null, "2.28.3", false, null);
    private static final ServerProbe UNREADABLE = new ServerProbe(150020, null, "2.28.3", null, null);
    private static final ServerProbe PRELOADED = new ServerProbe(150020, null, "2.28.3", true, null);
    private static final ServerProbe INSTALLED = new ServerProbe(150020, "2.28.3", "2.28.3", true, "timescale");
    private static final ServerProbe APACHE = new ServerProbe(150020, "2.28.3", "2.28.3", true, "apache");

    @Test
    void autoPicksTimescaleDbOnlyWhenItIsInstalledOrPreloaded() {
        assertThat(VANILLA.decide("auto")).isEqualTo(new ServerProbe.Decision(StorageMode.POSTGRESQL, false,
                "TimescaleDB not available"));
        assertThat(AVAILABLE_NOT_PRELOADED.decide("auto").mode()).isEqualTo(StorageMode.POSTGRESQL);
        assertThat(AVAILABLE_NOT_PRELOADED.decide("auto").createExtension()).isFalse();
        // a role that may not read shared_preload_libraries on a server with TimescaleDB: no guess, the grant named
        assertThatThrownBy(() -> UNREADABLE.decide("auto")).hasMessageContaining("GRANT pg_read_all_settings TO this role")
                .hasMessageContaining("whether it is preloaded is unknown").hasMessageContaining("storage.mode");
        assertThat(PRELOADED.decide("auto")).isEqualTo(new ServerProbe.Decision(StorageMode.TIMESCALEDB, true,
                "TimescaleDB 2.28.3 preloaded"));
        assertThat(INSTALLED.decide("auto")).isEqualTo(new ServerProbe.Decision(StorageMode.TIMESCALEDB, false,
                "TimescaleDB 2.28.3 installed"));
        assertThat(APACHE.decide("auto").mode()).isEqualTo(StorageMode.POSTGRESQL);
    }

    @Test
    void forcedModes() {
        assertThat(INSTALLED.decide("postgresql").mode()).isEqualTo(StorageMode.POSTGRESQL);
        assertThat(PRELOADED.decide("timescaledb").createExtension()).isTrue();
        assertThatThrownBy(() -> AVAILABLE_NOT_PRELOADED.decide("timescaledb"))
                .hasMessageContaining("not in shared_preload_libraries: add it and restart")
                .hasMessageContaining("never tried");
        assertThatThrownBy(() -> UNREADABLE.decide("timescaledb"))
                .hasMessageContaining("GRANT pg_read_all_settings").hasMessageContaining("its owner may");
        assertThatThrownBy(() -> VANILLA.decide("timescaledb")).hasMessageContaining("not installed on the server");
        assertThatThrownBy(() -> APACHE.decide("timescaledb")).hasMessageContaining("apache licence");
    }

    @Test
    void recordedModeWinsOverAuto() {
        assertThat(MigrationRunner.decide(INSTALLED, "auto", "postgresql").mode()).isEqualTo(StorageMode.POSTGRESQL);
        assertThatThrownBy(() -> MigrationRunner.decide(VANILLA, "auto", "timescaledb"))
                .hasMessageContaining("extension is missing");
    }

    /** A role without superuser or pg_read_all_settings: the probe works, and says it could not see the setting. */
    @Test
    void theProbeRunsAsAPlainRole() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            String role = "st_plain_" + Long.toHexString(System.nanoTime());
            db.exec("CREATE ROLE " + role + " LOGIN");
            try (var c = java.sql.DriverManager.getConnection(db.url, role, "")) {
                ServerProbe p = ServerProbe.probe(c);
                assertThat(p.tsPreloaded()).as("pg_settings hides the row from a plain role").isNull();
                assertThat(p.decide("auto").mode()).isEqualTo(StorageMode.POSTGRESQL);   // no TimescaleDB here
            } finally {
                db.exec("DROP ROLE " + role);
            }
        }
    }

    @Test
    void theProbeRunsOnARealServer() throws Exception {
        try (TestDatabase db = TestDatabase.create(); var c = db.connect()) {
            ServerProbe p = ServerProbe.probe(c);
            assertThat(p.serverVersionNum()).isGreaterThanOrEqualTo(150000);
            assertThat(p.tsInstalled()).isNull();
            assertThat(p.decide("auto").mode()).isEqualTo(StorageMode.POSTGRESQL);
        }
    }
}
