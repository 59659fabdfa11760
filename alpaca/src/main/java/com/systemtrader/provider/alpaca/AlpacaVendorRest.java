package com.systemtrader.provider.alpaca;

import com.systemtrader.provider.alpaca.AlpacaRestClient;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.vendor.VendorRest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Alpaca's market-data REST API for the core: {@code /v2/stocks/{symbol}/trades} and bars, paged by
 * {@code next_page_token}, at most 10,000 per page; the latest trades and quotes of many symbols per call. Alpaca's
 * {@code end} is inclusive, so a window {@code [from, to)} asks up to {@code to} minus a nanosecond. Quotes are not
 * backfilled (this project uses no Alpaca quote history).
 */
public final class AlpacaVendorRest implements VendorRest {
    /** Alpaca's largest page. */
    static final int MAX_LIMIT = 10_000;
    private static final Set<String> TRADES = Set.of("trades");
    private static final Set<String> MINUTE_BARS = Set.of("bars", "updatedBars");

    private final AlpacaRestClient rest;

    public AlpacaVendorRest(AlpacaRestClient rest) {
        this.rest = java.util.Objects.requireNonNull(rest, "rest");
    }

    @Override public DataSource source() { return DataSource.ALPACA; }

    @Override public boolean streamsTrades(List<String> channels) {
        return channels.isEmpty() || VendorRest.subscribesAny(channels, TRADES);
    }

    @Override public boolean streamsMinuteBars(List<String> channels) {
        return VendorRest.subscribesAny(channels, MINUTE_BARS);
    }

    @Override public boolean backfillsQuotes(List<String> channels) {
        return false;
    }

    @Override public void trades(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Trade>> page) {
        rest.trades(symbol, instant(fromNs), instant(toNs - 1), Math.min(pageLimit, MAX_LIMIT), page);
    }

    @Override public void quotes(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Quote>> page) {
        throw new UnsupportedOperationException("Alpaca quotes are not backfilled");
    }

    @Override public void bars(String symbol, int minutes, long fromNs, long toNs, int pageLimit,
                               Consumer<List<Bar>> page) {
        String timeframe = minutes % 1_440 == 0 ? minutes / 1_440 + "Day"
                : minutes % 60 == 0 ? minutes / 60 + "Hour" : minutes + "Min";
        rest.bars(List.of(symbol), timeframe, instant(fromNs), instant(toNs - 1), Math.min(pageLimit, MAX_LIMIT), page);
    }

    @Override public Map<String, Trade> latestTrades(List<String> symbols) {
        return rest.latestTrades(symbols);
    }

    @Override public Map<String, Quote> latestQuotes(List<String> symbols) {
        return rest.latestQuotes(symbols);
    }

    private static Instant instant(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }
}
