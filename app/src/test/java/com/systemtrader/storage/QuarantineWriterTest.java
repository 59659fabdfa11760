package com.systemtrader.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.systemtrader.clean.CleanerSnapshot;
import com.systemtrader.clean.DataCleaner;
import com.systemtrader.clean.Outcome;
import com.systemtrader.clean.Quarantine;
import com.systemtrader.clean.QuarantineRecord;
import com.systemtrader.clean.Rule;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.DataConfig;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** QuarantineWriter on a real PostgreSQL: rows as quarantined, idempotent, survives outages, counts evictions. */
class QuarantineWriterTest {
    private static final long T0 = 1_732_000_000_123_456_789L;
    private static final String CLOSED_PORT = "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1";
    private static TestDatabase db;

    private final AtomicReference<String> url = new AtomicReference<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void migrate() {
        db = TestDatabase.create();
        MigrationRunner.migrate(new Database(StorageConfig.defaults().withUrl(db.url).withUser("postgres"), null));
    }

    @AfterAll
    static void drop() {
        if (db != null) db.close();
    }

    @BeforeEach
    void clean() throws SQLException {
        url.set(db.url);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE quarantine");
        }
    }

    /** A writer not started (or, if started, waiting an hour between rounds): the test drives it with flush(). */
    private QuarantineWriter manual() {
        return new QuarantineWriter(() -> DriverManager.getConnection(url.get(), "postgres", ""), Duration.ofHours(1),
                100, meters);
    }

    private static QuarantineRecord rec(int i) {
        byte[] frame = ("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":-1,\"i\":\"" + i + "\"}]")
                .getBytes(StandardCharsets.UTF_8);
        return new QuarantineRecord("polygon", "stocks", "AAPL", "TRADE", "price_range", "price -1.0 <= 0 #" + i,
                T0 + i, 0, frame, frame.length, false, null);
    }

    private static long count() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM quarantine")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The database goes away: new connections fail and the writer's open one is cut. */
    private void goAway() throws SQLException {
        url.set(CLOSED_PORT);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }
    }

    private double meter(String name) {
        return meters.get(name).functionCounter().count();
    }

    @Test void recordsBecomeRowsWithRuleReasonAndPayloadBytes() throws Exception {
        Quarantine q = new Quarantine(100);
        byte[] msgpack = {(byte) 0x91, (byte) 0x82, 0x00, (byte) 0xff, 0x7f};
        q.add(rec(1));
        q.add(new QuarantineRecord("alpaca", "v2/sip", null, null, "malformed_frame", "bad json at 3", T0 + 50, -1,
                msgpack, 70_000, true, null));                               // truncated binary frame
        q.add(new QuarantineRecord("alpaca", "v2/sip", "X\0Y", "QUOTE", "price_range", "nul \0 in reason", T0 + 60, 2,
                msgpack, msgpack.length, true, null));                       // NUL cannot go into text
        try (QuarantineWriter w = manual()) {
            w.register("polygon", "stocks", q);
            assertThat(w.flush()).isTrue();
            assertThat(w.written()).isEqualTo(3);
            assertThat(w.pending()).isZero();
        }
        assertThat(meter("storage.quarantine.written")).isEqualTo(3);
        assertThat(meter("storage.quarantine.errors")).isZero();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT received_at, receive_ns, source, feed, symbol, record_type, rule,"
                     + " reason, event_index, payload, payload_length, binary_payload, payload_scope, frame_length,"
                     + " element, truncated FROM quarantine"
                     + " ORDER BY receive_ns")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
                    .isEqualTo(java.time.Instant.ofEpochSecond(T0 / 1_000_000_000L, (T0 + 1) % 1_000_000_000L / 1000 * 1000));
            assertThat(rs.getLong(2)).isEqualTo(T0 + 1);
            assertThat(rs.getString(3)).isEqualTo("polygon");
            assertThat(rs.getString(4)).isEqualTo("stocks");
            assertThat(rs.getString(5)).isEqualTo("AAPL");
            assertThat(rs.getString(6)).isEqualTo("TRADE");
            assertThat(rs.getString(7)).isEqualTo("price_range");
            assertThat(rs.getString(8)).isEqualTo("price -1.0 <= 0 #1");
            assertThat(rs.getInt(9)).isZero();
            assertThat(rs.getBytes(10)).isEqualTo(rec(1).payload());
            assertThat(rs.getInt(11)).isEqualTo(rec(1).payload().length);
            assertThat(rs.getBoolean(12)).isFalse();
            assertThat(rs.getString(13)).isEqualTo("frame");
            assertThat(rs.getInt(14)).isEqualTo(rec(1).payload().length);
            assertThat(rs.getString(15)).isEqualTo(new String(rec(1).payload(), StandardCharsets.UTF_8));
            assertThat(rs.getBoolean(16)).isFalse();

            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(3)).isEqualTo("alpaca");
            assertThat(rs.getString(4)).isEqualTo("v2/sip");
            assertThat(rs.getString(5)).isNull();
            assertThat(rs.getString(6)).isNull();
            assertThat(rs.getString(7)).isEqualTo("malformed_frame");
            assertThat(rs.getString(8)).isEqualTo("bad json at 3");
            assertThat(rs.getInt(9)).isEqualTo(-1);
            assertThat(rs.getBytes(10)).isEqualTo(msgpack);
            assertThat(rs.getInt(11)).isEqualTo(70_000);
            assertThat(rs.getBoolean(12)).isTrue();
            assertThat(rs.getString(15)).as("truncated MessagePack does not render").isNull();
            assertThat(rs.getBoolean(16)).isTrue();

            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(5)).isEqualTo("X\uFFFDY");
            assertThat(rs.getString(8)).isEqualTo("nul \uFFFD in reason");
            assertThat(rs.getBytes(10)).isEqualTo(msgpack);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test void writingTwiceAddsNothingAndOnlyNewRecordsAreTakenNext() throws Exception {
        Quarantine q = new Quarantine(1_000);
        for (int i = 0; i < 250; i++) q.add(rec(i));     // more than one round of 100
        try (QuarantineWriter w = manual()) {
            w.register("polygon", "stocks", q);
            assertThat(w.flush()).isTrue();
            assertThat(w.written()).isEqualTo(250);
            assertThat(w.flush()).isTrue();               // nothing new
            assertThat(w.written()).isEqualTo(250);
            q.add(rec(250));
            assertThat(w.flush()).isTrue();
            assertThat(w.written()).isEqualTo(251);
        }
        // a second writer (a restart) reads the same records again: ON CONFLICT DO NOTHING
        try (QuarantineWriter again = manual()) {
            again.register("polygon", "stocks", q);
            assertThat(again.flush()).isTrue();
            assertThat(again.written()).isZero();
            assertThat(again.pending()).isZero();
        }
        assertThat(count()).isEqualTo(251);
    }

    @Test void whileTheDatabaseIsAwayTheCursorStaysAndRowsArriveLater() throws Exception {
        Quarantine a = new Quarantine(1_000);
        Quarantine b = new Quarantine(1_000);
        try (QuarantineWriter w = manual()) {
            w.register("polygon", "stocks", a);
            w.register("alpaca", "v2/sip", b);
            for (int i = 0; i < 10; i++) a.add(rec(i));
            assertThat(w.flush()).isTrue();
            goAway();
            for (int i = 10; i < 30; i++) a.add(rec(i));
            for (int i = 0; i < 5; i++) {
                b.add(new QuarantineRecord("alpaca", "v2/sip", "SPY", "QUOTE", "crossed", "bid > ask", T0 + i, 0,
                        new byte[] {1, 2, 3}, 3, true, null));
            }
            assertThat(w.flush()).isFalse();
            assertThat(w.flush()).isFalse();
            assertThat(w.errors()).isEqualTo(2);
            assertThat(w.lastError()).isNotNull();
            assertThat(w.pending()).isEqualTo(25);
            assertThat(count()).isEqualTo(10);
            url.set(db.url);
            assertThat(w.flush()).isTrue();
            assertThat(w.written()).isEqualTo(35);
            assertThat(w.missed()).isZero();
            assertThat(w.pending()).isZero();
        }
        assertThat(count()).isEqualTo(35);
        assertThat(meter("storage.quarantine.errors")).isEqualTo(2);
    }

    @Test void theThreadRetriesOnItsOwnAndRecordsEvictedMeanwhileAreCountedMissed() throws Exception {
        Quarantine q = new Quarantine(5);
        url.set(CLOSED_PORT);
        try (QuarantineWriter w = new QuarantineWriter(
                () -> DriverManager.getConnection(url.get(), "postgres", ""), Duration.ofMillis(50), 100, meters)) {
            w.register("polygon", "stocks", q);
            w.start();
            for (int i = 0; i < 8; i++) q.add(rec(i));        // 3 evicted before any read
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> w.errors() >= 2);
            assertThat(count()).isZero();
            url.set(db.url);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> w.written() == 5);
            assertThat(w.missed()).isEqualTo(3);
            assertThat(meter("storage.quarantine.missed")).isEqualTo(3);
            // evicted after the writer had read up to a point: only the unread ones are missed
            goAway();
            long errors = w.errors();
            for (int i = 8; i < 15; i++) q.add(rec(i));       // 7 new, capacity 5: 2 of them evicted unread
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> w.errors() > errors);
            assertThat(w.written()).isEqualTo(5);
            url.set(db.url);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> w.written() == 10);
            assertThat(w.missed()).isEqualTo(5);
        }
        assertThat(count()).isEqualTo(10);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT receive_ns - " + T0 + " FROM quarantine ORDER BY 1")) {
            StringBuilder got = new StringBuilder();
            while (rs.next()) got.append(rs.getLong(1)).append(' ');
            assertThat(got.toString().trim()).isEqualTo("3 4 5 6 7 10 11 12 13 14");
        }
    }

    @Test void closeWritesWhatWasQuarantinedLast() throws Exception {
        Quarantine q = new Quarantine(100);
        QuarantineWriter w = manual();
        w.register("polygon", "stocks", q);
        q.add(rec(1));
        q.add(rec(2));
        w.close();
        w.close();
        assertThat(count()).isEqualTo(2);
    }

    /** A real collector on the simulator with injected bad prints and malformed frames. */
    @Test void everyRejectionOfARealCollectorBecomesOneRow() throws Exception {
        SimulatorConfig.Builder b = SimulatorConfig.builder(MarketConfig.defaults(42, List.of("AAPL", "MSFT", "TSLA"))
                .withBarIntervalMs(1_000).withHalts(0)).rate(3_000);
        long rejected;
        long added;
        try (ExchangeSimulator sim = ExchangeSimulator.start(b.build());
             QuarantineWriter w = new QuarantineWriter(() -> DriverManager.getConnection(url.get(), "postgres", ""),
                     Duration.ofMillis(200), 5_000, meters)) {
            w.start();
            sim.faults().badPrintEvery(20).malformedEvery(150).duplicateEvery(40);
            FeedConfig base = FeedConfig.polygonDefaults();
            FeedConfig feed = new FeedConfig(true, sim.uri("/stocks"), null, List.of("T", "Q"), List.of(),
                    Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(1_500), Duration.ofMillis(500),
                    Duration.ofMillis(400), Duration.ofSeconds(2), false, Duration.ofSeconds(1), 4_096,
                    base.maxFrameBytes(), base.compression());
            APIKeyManager keys = APIKeyManager.load(Path.of("does-not-exist.yaml"),
                    Map.of("POLYGON_API_KEY", SimulatorConfig.DEFAULT_POLYGON_KEY), Clock.systemUTC());
            try (WebsocketCollector c = new PolygonWebsocketCollector(feed, keys, DataConfig.defaults(),
                    new SimpleMeterRegistry())) {
                w.register(c.source().name().toLowerCase(), c.feedName(), c.quarantine());
                c.addSymbol("*");
                c.start();
                assertThat(c.awaitState(State.STREAMING, Duration.ofSeconds(5))).isTrue();
                // bad prints and malformed frames (both kinds) have arrived
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    CleanerSnapshot.Figures got = c.cleaner().snapshot().total();
                    return got.rule(Rule.MALFORMED_FRAME) >= 2 && got.outcome(Outcome.REJECTED) >= 30;
                });
                c.stop();
                CleanerSnapshot.Figures f = c.cleaner().snapshot().total();
                rejected = f.outcome(Outcome.REJECTED);
                added = c.quarantine().added();
                assertThat(c.quarantine().evicted()).isZero();
                assertThat(w.flush()).isTrue();
            }
            assertThat(w.missed()).isZero();
            assertThat(w.written()).isEqualTo(added);
        }
        assertThat(rejected).isPositive().isEqualTo(added);
        assertThat(count()).isEqualTo(rejected);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(DISTINCT rule), count(*) FILTER (WHERE rule = 'malformed-frame'),"
                     + " count(*) FILTER (WHERE length(payload) = 0) FROM quarantine")) {
            rs.next();
            assertThat(rs.getLong(1)).as("several rules").isGreaterThanOrEqualTo(2);
            assertThat(rs.getLong(2)).as("malformed frames").isPositive();
            assertThat(rs.getLong(3)).as("rows without their bytes").isZero();
        }
        // every rejected event is its element alone: one JSON object, whole, of the rejected symbol
        List<String> bad = db.rows("SELECT rule, symbol, element FROM quarantine WHERE rule <> 'malformed-frame'"
                + " AND (payload_scope <> 'element' OR truncated OR payload_length <> octet_length(payload)"
                + " OR element::jsonb ->> 'sym' IS DISTINCT FROM symbol OR jsonb_typeof(element::jsonb) <> 'object'"
                + " OR element <> convert_from(payload, 'UTF8') OR frame_length < payload_length)");
        assertThat(bad).as("rows that are not exactly their element").isEmpty();
        assertThat(db.firstColumn("SELECT count(*) FROM quarantine WHERE payload_scope = 'element'"
                + " AND frame_length > payload_length")).as("elements taken out of multi-message frames")
                .singleElement().asString().isNotEqualTo("0");
        // the simulator's malformed frames (invalid JSON, truncated frames) cannot be split: a bounded prefix
        assertThat(db.firstColumn("SELECT count(*) FROM quarantine WHERE rule = 'malformed-frame'"
                + " AND (payload_scope <> 'frame' OR octet_length(payload) > " + DataCleaner.FRAME_PREFIX_BYTES
                + " OR frame_length <> payload_length OR truncated <> (frame_length > octet_length(payload)))"))
                .containsExactly("0");
    }

    @Test void theConstructorStartsNothingStartRunsTheThreadAndCloseDrains() throws Exception {
        Quarantine q = new Quarantine(100);
        QuarantineWriter w = new QuarantineWriter(() -> DriverManager.getConnection(url.get(), "postgres", ""),
                Duration.ofMillis(20), 100, meters);
        try {
            w.register("polygon", "stocks", q);
            q.add(rec(1));
            assertThat(w.running()).isFalse();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("quarantine-writer"));
            assertThat(w.written()).isZero();
            assertThat(w.pending()).isEqualTo(1);
            w.start();
            assertThat(w.running()).isTrue();
            assertThatThrownBy(w::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> w.written() == 1);
            q.add(rec(2));
        } finally {
            w.close();
        }
        assertThat(count()).isEqualTo(2);          // written by the thread's rounds or by the final one
        assertThat(w.running()).isFalse();
        assertThatThrownBy(w::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals("quarantine-writer")));
    }

    @Test void overflowDropsTheOldestAndIsCountedAsMissedWithPendingExported() throws Exception {
        Quarantine q = new Quarantine(5);
        try (QuarantineWriter w = manual()) {
            w.register("polygon", "stocks", q);
            for (int i = 0; i < 8; i++) q.add(rec(i));      // capacity 5: records 0, 1, 2 evicted unread
            assertThat(w.pending()).isEqualTo(5);
            assertThat(meters.get("storage.quarantine.pending").gauge().value()).isEqualTo(5);
            assertThat(q.evicted()).isEqualTo(3);
            assertThat(w.flush()).isTrue();
            assertThat(w.written()).isEqualTo(5);
            assertThat(w.missed()).isEqualTo(3);
            assertThat(meter("storage.quarantine.missed")).isEqualTo(3);
            assertThat(meters.get("storage.quarantine.pending").gauge().value()).isZero();
        }
        assertThat(db.firstColumn("SELECT receive_ns - " + T0 + " FROM quarantine ORDER BY 1"))
                .containsExactly("3", "4", "5", "6", "7");
    }

}
