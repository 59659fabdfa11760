package com.systemtrader.data;

import com.systemtrader.rest.AlpacaRestClient;
import com.systemtrader.rest.PolygonRestClient;
import com.systemtrader.rest.Snapshot;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST tier: the two providers' clients behind one per-source surface. Retries, rate limits (including 429
 * penalties) and pagination are the clients'; whatever they finally throw is the tier's failure.
 */
final class RestReader {
    private final PolygonRestClient polygon;
    private final AlpacaRestClient alpaca;
    private final int pageLimit;

    RestReader(PolygonRestClient polygon, AlpacaRestClient alpaca, int pageLimit) {
        this.polygon = polygon;
        this.alpaca = alpaca;
        this.pageLimit = pageLimit;
    }

    boolean has(DataSource s) {
        return (s == DataSource.POLYGON && polygon != null) || (s == DataSource.ALPACA && alpaca != null);
    }

    /**
     * Latest trade or quote per symbol from {@code source}: Polygon uses {@code /v2/last/...} for one symbol and
     * one snapshot call for several (trades only); Alpaca its multi-symbol latest endpoints (one call per 100).
     */
    Map<String, Tick> latest(DataSource source, List<String> symbols, RecordType type) {
        Map<String, Tick> out = new HashMap<>(symbols.size() * 2);
        if (source == DataSource.POLYGON) {
            if (symbols.size() == 1) {
                String s = symbols.getFirst();
                if (type == RecordType.TRADE) polygon.lastTrade(s).ifPresent(t -> out.put(s, Tick.of(t)));
                else polygon.lastQuote(s).ifPresent(q -> out.put(s, Tick.of(q)));
            } else if (type == RecordType.TRADE) {
                for (Snapshot snap : polygon.snapshots(symbols).values()) {
                    if (snap.latestTrade() != null) out.put(snap.symbol(), Tick.of(snap.latestTrade()));
                }
            } else {
                for (String s : symbols) polygon.lastQuote(s).ifPresent(q -> out.put(s, Tick.of(q)));
            }
        } else if (source == DataSource.ALPACA) {
            if (type == RecordType.TRADE) {
                for (Map.Entry<String, Trade> e : alpaca.latestTrades(symbols).entrySet()) out.put(e.getKey(), Tick.of(e.getValue()));
            } else {
                for (Map.Entry<String, Quote> e : alpaca.latestQuotes(symbols).entrySet()) out.put(e.getKey(), Tick.of(e.getValue()));
            }
        }
        return out;
    }

    /** Bars of {@code [fromNs, toNs]} from {@code source}, oldest first, following every page. */
    List<OhlcvBar> bars(DataSource source, String symbol, OhlcvInterval interval, long fromNs, long toNs) {
        List<OhlcvBar> out = new ArrayList<>();
        Instant from = Instant.ofEpochSecond(0, fromNs);
        Instant to = Instant.ofEpochSecond(0, toNs);
        java.util.function.Consumer<List<Bar>> sink = page -> {
            for (Bar b : page) out.add(bar(b, source));
        };
        if (source == DataSource.POLYGON) {
            PolygonRestClient.Timespan span = switch (interval.polygonTimespan) {
                case "minute" -> PolygonRestClient.Timespan.MINUTE;
                case "hour" -> PolygonRestClient.Timespan.HOUR;
                default -> PolygonRestClient.Timespan.DAY;
            };
            polygon.aggregates(symbol, interval.polygonMultiplier, span, from, to, Math.min(pageLimit, 50_000), sink);
        } else if (source == DataSource.ALPACA) {
            alpaca.bars(List.of(symbol), interval.alpacaTimeframe, from, to, Math.min(pageLimit, 10_000), sink);
        }
        out.sort(java.util.Comparator.comparingLong(OhlcvBar::startNs));
        return out;
    }

    private static OhlcvBar bar(Bar b, DataSource source) {
        return new OhlcvBar(b.eventTimeNs(), b.open(), b.high(), b.low(), b.close(), b.volume(), b.vwap(),
                Absent.isAbsent(b.tradeCount()) ? -1 : b.tradeCount(), Tier.REST, source);
    }
}
