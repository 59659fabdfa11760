package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.MarketHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares {@code websocket_data} with the simulator's truth file (Polygon feed): the market's trades by Polygon's
 * identity (symbol, exchange, TRF id, trade id) and its quotes by (symbol, sequence). Lines the simulator marked as
 * anomalies are not the market's and are left out.
 */
final class StoredTicks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredTicks() {}

    /** The trades and quotes sent, as identity strings. */
    record Truth(Set<String> trades, Set<String> quotes) {
        static Truth read(Path file) throws IOException {
            Set<String> trades = new HashSet<>();
            Set<String> quotes = new HashSet<>();
            for (String line : Files.readAllLines(file)) {
                JsonNode l = JSON.readTree(line);
                if (l.has("anomaly") || !l.has("event")) continue;
                JsonNode e = l.path("event");
                switch (e.path("ev").asText()) {
                    case "T" -> trades.add(e.path("sym").asText() + "/" + e.path("x").asInt() + "/"
                            + e.path("trfi").asInt(-1) + "/" + e.path("i").asText());
                    case "Q" -> quotes.add(e.path("sym").asText() + "/" + e.path("q").asLong());
                    default -> { }
                }
            }
            return new Truth(trades, quotes);
        }
    }

    /** Asserts the table holds exactly the truth's trades and quotes, each once; returns the truth. */
    static Truth assertStoredExactly(Path truthFile, Connection c) throws IOException, SQLException {
        Truth expected = Truth.read(truthFile);
        List<String> trades = storedTrades(c);
        List<String> quotes = storedQuotes(c);
        assertThat(new HashSet<>(trades)).as("no duplicate trade rows").hasSize(trades.size());
        assertThat(new HashSet<>(quotes)).as("no duplicate quote rows").hasSize(quotes.size());
        same("trades", new HashSet<>(trades), expected.trades());
        same("quotes", new HashSet<>(quotes), expected.quotes());
        return expected;
    }

    /** How the stored ticks differ from the truth: counts of sent-but-not-stored, stored twice, stored-never-sent. */
    record Diff(int missingTrades, int missingQuotes, int duplicates, int extras) {
        int missing() { return missingTrades + missingQuotes; }
    }

    /** Compares {@code websocket_data} with the truth file without asserting. */
    static Diff compare(Truth expected, Connection c) throws SQLException {
        List<String> trades = storedTrades(c);
        List<String> quotes = storedQuotes(c);
        Set<String> t = new HashSet<>(trades);
        Set<String> q = new HashSet<>(quotes);
        int duplicates = trades.size() - t.size() + quotes.size() - q.size();
        Set<String> missingT = new HashSet<>(expected.trades());
        missingT.removeAll(t);
        Set<String> missingQ = new HashSet<>(expected.quotes());
        missingQ.removeAll(q);
        t.removeAll(expected.trades());
        q.removeAll(expected.quotes());
        return new Diff(missingT.size(), missingQ.size(), duplicates, t.size() + q.size());
    }

    /** A market trade's identity as {@link #storedTrades} writes it (no TRF id: -1). */
    static String tradeId(Trade t) {
        int trf = t.trfId() == Absent.INT ? -1 : t.trfId();
        return t.symbol() + "/" + t.exchange() + "/" + trf + "/" + t.tradeId();
    }

    /** The identities of every trade the simulator's market made for {@code symbols}. */
    static Set<String> marketTrades(MarketHistory history, Collection<String> symbols) {
        Set<String> out = new HashSet<>();
        for (String s : symbols) {
            for (Trade t : history.trades(s, 0, Long.MAX_VALUE, Integer.MAX_VALUE)) out.add(tradeId(t));
        }
        return out;
    }

    /** The identities of every quote the simulator's market made for {@code symbols}. */
    static Set<String> marketQuotes(MarketHistory history, Collection<String> symbols) {
        Set<String> out = new HashSet<>();
        for (String s : symbols) {
            for (Quote q : history.quotes(s, 0, Long.MAX_VALUE, Integer.MAX_VALUE)) out.add(s + "/" + q.sequence());
        }
        return out;
    }

    /** Every stored trade's identity, one per row. */
    static List<String> storedTrades(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT symbol, exchange, trf_id, trade_id FROM websocket_data WHERE data_type = 'trade'")) {
            return tradeIds(s);
        }
    }

    /** The identities of {@code symbol}'s stored trades with {@code fromNs <= event_ns < toNs}, one per row. */
    static List<String> storedTrades(Connection c, String symbol, long fromNs, long toNs) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT symbol, exchange, trf_id, trade_id FROM websocket_data "
                + "WHERE data_type = 'trade' AND symbol = ? AND event_ns >= ? AND event_ns < ?")) {
            s.setString(1, symbol);
            s.setLong(2, fromNs);
            s.setLong(3, toNs);
            return tradeIds(s);
        }
    }

    private static List<String> tradeIds(PreparedStatement s) throws SQLException {
        List<String> trades = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                int trf = r.getInt(3);
                if (r.wasNull()) trf = -1;
                trades.add(r.getString(1) + "/" + r.getInt(2) + "/" + trf + "/" + r.getString(4));
            }
        }
        return trades;
    }

    /** Every stored quote's identity, one per row. */
    static List<String> storedQuotes(Connection c) throws SQLException {
        List<String> quotes = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, sequence FROM websocket_data WHERE data_type = 'quote'")) {
            while (r.next()) quotes.add(r.getString(1) + "/" + r.getLong(2));
        }
        return quotes;
    }

    private static void same(String what, Set<String> stored, Set<String> sent) {
        Set<String> missing = new TreeSet<>(sent);
        missing.removeAll(stored);
        Set<String> extra = new TreeSet<>(stored);
        extra.removeAll(sent);
        assertThat(missing).as("%s sent but not stored (%d of %d sent)", what, missing.size(), sent.size()).isEmpty();
        assertThat(extra).as("%s stored but never sent", what).isEmpty();
    }
}
