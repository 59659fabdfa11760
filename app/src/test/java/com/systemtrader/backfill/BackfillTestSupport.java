package com.systemtrader.backfill;

import com.systemtrader.provider.polygon.PolygonVendorRest;
import static org.awaitility.Awaitility.await;

import com.systemtrader.collector.MarketDataListener;
import com.systemtrader.config.DataConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.alpaca.AlpacaRestClient;
import com.systemtrader.provider.polygon.PolygonRestClient;
import com.systemtrader.rest.RestSettings;
import com.systemtrader.rest.RestTransport;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.storage.Database;
import com.systemtrader.storage.MigrationRunner;
import com.systemtrader.storage.StorageConfig;
import com.systemtrader.storage.StorageWriter;
import com.systemtrader.storage.StorageWriterConfig;
import com.systemtrader.storage.TestDatabase;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real pieces a backfill test needs: a migrated database of its own, a storage writer with a spill journal, the
 * simulator's Polygon REST API, a backfiller. Close in reverse order ({@link #close()}).
 */
final class BackfillTestSupport implements AutoCloseable {
    final TestDatabase db = TestDatabase.create();
    final Database database = new Database(StorageConfig.defaults().withUrl(db.url).withUser("postgres"), null);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SpillJournal journal;
    final StorageWriter writer;
    final List<AutoCloseable> resources = new ArrayList<>();

    BackfillTestSupport(Path dir) {
        MigrationRunner.migrate(database);
        try {
            journal = SpillJournal.open(dir.resolve("journal"), JournalConfig.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writer = new StorageWriter(database::connect, journal, StorageWriterConfig.defaults().withBatchRows(500)
                .withMaxAge(Duration.ofMillis(50)), registry).start();
    }

    static APIKeyManager keys(Path dir) {
        return APIKeyManager.load(dir.resolve("none.yaml"), Map.of("POLYGON_API_KEY",
                SimulatorConfig.DEFAULT_POLYGON_KEY, "APCA_API_KEY_ID", SimulatorConfig.DEFAULT_ALPACA_KEY,
                "APCA_API_SECRET_KEY", SimulatorConfig.DEFAULT_ALPACA_SECRET), Clock.systemUTC());
    }

    PolygonRestClient polygonRest(ExchangeSimulator sim, APIKeyManager keys, RestSettings settings) {
        RestTransport t = RestTransport.create(settings, registry);
        resources.add(t);
        return new PolygonRestClient(URI.create(sim.restBaseUrl()), keys, t);
    }

    AlpacaRestClient alpacaRest(ExchangeSimulator sim, APIKeyManager keys) {
        RestTransport t = RestTransport.create(RestSettings.DEFAULTS, registry);
        resources.add(t);
        return new AlpacaRestClient(URI.create(sim.restBaseUrl()), keys, t, "sip");
    }

    GapBackfiller backfiller(PolygonRestClient polygon, BackfillConfig config) {
        return new GapBackfiller(List.of(new PolygonVendorRest(polygon)), writer, database::connect, DataConfig.defaults(), config, registry);
    }

    /**
     * Waits until everything handed to the writer is committed: nothing in flight (queued, or in the batch the writer
     * thread holds: it counts until committed) and no batch left in the journal.
     */
    void awaitWritten() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(writer::idle);
    }

    /** The stored trades as {@link #identity} strings, duplicates kept. */
    List<String> storedTrades(String where) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, exchange, trf_id, trade_id FROM websocket_data "
                     + "WHERE data_type = 'trade'" + (where.isEmpty() ? "" : " AND " + where))) {
            while (r.next()) {
                int trf = r.getInt(3);
                if (r.wasNull()) trf = -1;
                out.add(r.getString(1) + "/" + r.getInt(2) + "/" + trf + "/" + r.getString(4));
            }
        }
        return out;
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The simulator's market trades of {@code symbols} with event time (cut to the ms) in {@code [fromNs, toNs)}. */
    static Set<String> marketTrades(ExchangeSimulator sim, List<String> symbols, long fromNs, long toNs) {
        Set<String> out = new HashSet<>();
        for (String s : symbols) {
            for (Trade t : sim.history().trades(s, fromNs - 1_000_000, toNs + 1_000_000, Integer.MAX_VALUE)) {
                long ms = Math.floorDiv(t.eventTimeNs(), 1_000_000L) * 1_000_000L;
                if (ms >= fromNs && ms < toNs) out.add(identity(t));
            }
        }
        return out;
    }

    static String identity(Trade t) {
        return t.symbol() + "/" + t.exchange() + "/" + (Absent.isAbsent(t.trfId()) ? -1 : t.trfId()) + "/"
                + t.tradeId();
    }

    @Override public void close() throws Exception {
        writer.close();
        journal.close();
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
        db.close();
    }
}
