package com.systemtrader.data;

import com.systemtrader.schema.Absent;
import com.systemtrader.bars.HistoricalBars;
import com.systemtrader.clean.CleanerConfig;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import com.systemtrader.vendor.VendorRest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST tier: each vendor's {@link VendorRest} behind one per-source surface. Retries, rate limits (including 429
 * penalties) and pagination are the vendors' clients'; whatever they finally throw is the tier's failure.
 */
final class RestReader {
    private final Map<DataSource, VendorRest> vendors = new EnumMap<>(DataSource.class);
    private final int pageLimit;
    /** The live cleaner's settings, for built bars from REST trades. */
    private final CleanerConfig cleaner;

    RestReader(List<VendorRest> vendors, int pageLimit, CleanerConfig cleaner) {
        for (VendorRest v : vendors) this.vendors.putIfAbsent(v.source(), v);
        this.pageLimit = pageLimit;
        this.cleaner = cleaner.forHistory();
    }

    boolean has(DataSource s) {
        return vendors.containsKey(s);
    }

    /** Latest trade or quote per symbol from {@code source}. */
    Map<String, Tick> latest(DataSource source, List<String> symbols, RecordType type) {
        VendorRest v = vendors.get(source);
        Map<String, Tick> out = new HashMap<>(symbols.size() * 2);
        if (v == null) return out;
        if (type == RecordType.TRADE) {
            for (Map.Entry<String, Trade> e : v.latestTrades(symbols).entrySet()) out.put(e.getKey(), Tick.of(e.getValue()));
        } else {
            for (Map.Entry<String, Quote> e : v.latestQuotes(symbols).entrySet()) out.put(e.getKey(), Tick.of(e.getValue()));
        }
        return out;
    }

    /**
     * The provider's own bars starting in {@code [fromNs, toNs)} from {@code source}, oldest first, following every
     * page.
     */
    List<OhlcvBar> bars(DataSource source, String symbol, OhlcvInterval interval, long fromNs, long toNs, long nowNs) {
        List<OhlcvBar> out = new ArrayList<>();
        VendorRest v = vendors.get(source);
        if (v == null) return out;
        v.bars(symbol, interval.minutes(), fromNs, toNs, pageLimit, page -> {
            for (Bar b : page) out.add(bar(b, source, interval, nowNs));
        });
        out.sort(Comparator.comparingLong(OhlcvBar::startNs));
        return out;
    }

    /**
     * Built bars from {@code source}'s trades in {@code [fromNs, toNs)} (every page), by the live pipeline's cleaner
     * and bar rules ({@link HistoricalBars}), oldest first.
     */
    List<OhlcvBar> builtBars(DataSource source, String symbol, OhlcvInterval interval, long fromNs, long toNs,
                             long nowNs) {
        VendorRest v = vendors.get(source);
        if (v == null) return List.of();
        long readFrom = MinuteAggregation.readFrom(fromNs, interval);
        List<Trade> trades = new ArrayList<>();
        v.trades(symbol, readFrom, toNs, pageLimit, trades::addAll);
        List<OhlcvBar> minutes = new ArrayList<>();
        for (Bar b : HistoricalBars.minutes(trades, source, cleaner)) {
            if (b.eventTimeNs() >= toNs) continue;
            minutes.add(new OhlcvBar(b.eventTimeNs(), b.open(), b.high(), b.low(), b.close(), b.volume(), b.vwap(),
                    b.tradeCount(), BarState.at(b.eventTimeNs(), OhlcvInterval.M1.nanos(), nowNs, BarState.FINAL),
                    BarOrigin.BUILT, Tier.REST, source));
        }
        return MinuteAggregation.of(minutes, interval, fromNs, nowNs);
    }

    private static OhlcvBar bar(Bar b, DataSource source, OhlcvInterval interval, long nowNs) {
        return new OhlcvBar(b.eventTimeNs(), b.open(), b.high(), b.low(), b.close(), b.volume(), b.vwap(),
                Absent.isAbsent(b.tradeCount()) ? -1 : b.tradeCount(),
                BarState.at(b.eventTimeNs(), interval.nanos(), nowNs, BarState.FINAL), BarOrigin.PROVIDER, Tier.REST,
                source);
    }
}
