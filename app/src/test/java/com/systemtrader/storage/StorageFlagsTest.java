package com.systemtrader.storage;

import com.systemtrader.clean.Flags;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradingStatus;
import com.systemtrader.sip.Eligibility;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cleaner's verdict reaches websocket_data.eligibility / flags and market_data.flags, also through the journal. */
class StorageFlagsTest {
    private static final long T0 = 1_732_000_000_123_456_789L;
    private static final String CLOSED_PORT = "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1";
    private static final int SUSPICIOUS_TRADE = Eligibility.ALL | Flags.SUSPICIOUS | Flags.OUTSIDE_LULD;
    private static final int ODD_LOT = Eligibility.VOLUME | Eligibility.UNKNOWN_CONDITION | Flags.UNKNOWN_CONDITION;
    private static TestDatabase db;

    @TempDir Path dir;
    private final AtomicReference<String> url = new AtomicReference<>();

    @BeforeAll
    static void migrate() {
        db = TestDatabase.migrated();
    }

    @AfterAll
    static void drop() {
        if (db != null) db.close();
    }

    @BeforeEach
    void clean() throws SQLException {
        url.set(db.url);
        try (Connection c = DriverManager.getConnection(db.url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("TRUNCATE websocket_data, market_data");
        }
    }

    private StorageWriter writer(SpillJournal journal, int writers) {
        return new StorageWriter(() -> DriverManager.getConnection(url.get(), "postgres", ""), journal,
                StorageWriterConfig.defaults().withBatchRows(1000).withMaxAge(Duration.ofMillis(20))
                        .withRetry(Duration.ofMillis(20), Duration.ofMillis(100)).withWriters(writers),
                new SimpleMeterRegistry()).start();
    }

    /** Events over several symbols (so that two writers split them), with their verdicts. */
    private static List<MarketEvent> events() {
        List<MarketEvent> e = new ArrayList<>();
        String[] symbols = {"AAPL", "MSFT", "SPY", "QQQ", "IWM", "TSLA"};
        for (int i = 0; i < 60; i++) {
            e.add(new Trade(DataSource.ALPACA, symbols[i % symbols.length], T0 + i * 1_000L, T0 + i * 1_000L + 5,
                    100 + i, 10 + i, 86, "id" + i, 'C', Absent.LONG, Absent.INT, Absent.LONG, Conditions.NONE));
        }
        e.add(new TradingStatus(DataSource.ALPACA, "AAPL", T0, T0, "H", "halt", "T1", "news", 'C')); // not stored
        e.add(new Quote(DataSource.ALPACA, "SPY", T0, T0 + 1, 'V', 590.02, 3, 'V', 590.01, 7,
                Conditions.ofLetters("R"), Conditions.NONE, 'B', Absent.LONG));
        e.add(new Bar(DataSource.DERIVED, "QQQ", BarInterval.MINUTE, 1_731_999_960_000_000_000L,
                1_732_000_020_000_000_000L, T0, 500, 501, 499, 500.5, 1000, 500.2, 42, Absent.LONG, Double.NaN,
                Double.NaN, Absent.LONG, false, DataSource.ALPACA));
        return e;
    }

    /** Verdict of event i of {@link #events()}. */
    private static int[] verdicts(List<MarketEvent> e) {
        int[] f = new int[e.size()];
        for (int i = 0; i < 60; i++) f[i] = i % 7 == 3 ? SUSPICIOUS_TRADE : i % 5 == 1 ? ODD_LOT : Eligibility.ALL;
        f[60] = Flags.DURING_HALT;
        f[61] = Flags.CROSSED;
        f[62] = Flags.REVISED;
        return f;
    }

    private void assertStored() throws SQLException {
        List<MarketEvent> e = events();
        int[] f = verdicts(e);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            expected.add("id" + i + " " + (f[i] & 0xFF) + " " + f[i]);
        }
        assertThat(db.firstColumn("SELECT trade_id || ' ' || eligibility || ' ' || flags FROM websocket_data"
                + " WHERE data_type = 'trade' ORDER BY event_ns")).containsExactlyElementsOf(expected);
        assertThat(db.firstColumn("SELECT eligibility || ' ' || flags FROM websocket_data WHERE data_type = 'quote'"))
                .containsExactly("0 " + Flags.CROSSED);
        assertThat(db.firstColumn("SELECT flags::text FROM market_data")).containsExactly(String.valueOf(Flags.REVISED));
        // what the roll-ups read: suspicious trades are bit 256, eligible ones carry bits 4/8/16
        assertThat(db.firstColumn("SELECT count(*)::text FROM websocket_data WHERE flags & 256 <> 0"))
                .containsExactly(String.valueOf(java.util.stream.IntStream.range(0, 60).filter(i -> i % 7 == 3).count()));
    }

    @Test
    void verdictsAreStoredPerRowOverTwoWriters() throws Exception {
        List<MarketEvent> e = events();
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults()); StorageWriter w = writer(j, 2)) {
            w.add(e, verdicts(e));
        }
        assertStored();
    }

    @Test
    void theOldSignatureStoresZeros() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults()); StorageWriter w = writer(j, 1)) {
            w.add(events());
        }
        assertThat(db.firstColumn("SELECT DISTINCT eligibility || ' ' || flags FROM websocket_data")).containsExactly("0 0");
    }

    @Test
    void verdictsSurviveASpillAndTheReplay() throws Exception {
        url.set(CLOSED_PORT);
        List<MarketEvent> e = events();
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults()); StorageWriter w = writer(j, 2)) {
            w.add(e, verdicts(e));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesSpilled() >= 1);
            assertThat(count()).isZero();
            url.set(db.url);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> j.batchesPending() == 0 && w.batchesReplayed() >= 1);
        }
        assertStored();
    }

    @Test
    void aJournalLeftBehindKeepsItsVerdicts() throws Exception {
        List<MarketEvent> e = events();
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults())) {
            j.append(e, verdicts(e).clone());
        }
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults()); StorageWriter w = writer(j, 1)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> j.batchesPending() == 0);
        }
        assertStored();
    }

    private long count() throws SQLException {
        return Long.parseLong(db.firstColumn("SELECT count(*)::text FROM websocket_data").getFirst());
    }

}
