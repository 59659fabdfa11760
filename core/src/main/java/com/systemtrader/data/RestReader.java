package com.systemtrader.data;

import com.systemtrader.schema.Absent;
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

    RestReader(List<VendorRest> vendors, int pageLimit) {
        for (VendorRest v : vendors) this.vendors.putIfAbsent(v.source(), v);
        this.pageLimit = pageLimit;
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

    private static OhlcvBar bar(Bar b, DataSource source, OhlcvInterval interval, long nowNs) {
        return new OhlcvBar(b.eventTimeNs(), b.open(), b.high(), b.low(), b.close(), b.volume(), b.vwap(),
                Absent.isAbsent(b.tradeCount()) ? -1 : b.tradeCount(),
                BarState.at(b.eventTimeNs(), interval.nanos(), nowNs, BarState.FINAL), BarOrigin.PROVIDER, Tier.REST,
                source);
    }
}
