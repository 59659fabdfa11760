package com.systemtrader.data;

import com.systemtrader.schema.Absent;
import com.systemtrader.bars.HistoricalBars;
import com.systemtrader.clean.CleanerConfig;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
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

    /** Whether {@code source}'s API keeps a history of {@code type} (trades always; quotes where it has them). */
    boolean hasHistory(DataSource source, RecordType type) {
        VendorRest v = vendors.get(source);
        return v != null && (type == RecordType.TRADE || type == RecordType.QUOTE && v.quoteHistory());
    }

    /**
     * The first {@code limit} (or a few more) trades or quotes of {@code source} in {@code [fromNs, toNs)}: pages are
     * read in time order until that many are in.
     */
    List<MarketEvent> history(DataSource source, String symbol, RecordType type, long fromNs, long toNs, int limit) {
        VendorRest v = vendors.get(source);
        List<MarketEvent> out = new ArrayList<>();
        if (v == null) return out;
        try {
            if (type == RecordType.TRADE) {
                v.trades(symbol, fromNs, toNs, Math.min(pageLimit, limit + 1), page -> take(out, page, limit));
            } else {
                v.quotes(symbol, fromNs, toNs, Math.min(pageLimit, limit + 1), page -> take(out, page, limit));
            }
        } catch (Enough ignored) {
            // enough pages read
        }
        return out;
    }

    /** Ends the reading of pages once a page filled what was asked (the APIs page in time order). */
    private static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }

    private static void take(List<MarketEvent> out, List<? extends MarketEvent> page, int limit) {
        out.addAll(page);
        if (out.size() > limit) throw new Enough();
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
