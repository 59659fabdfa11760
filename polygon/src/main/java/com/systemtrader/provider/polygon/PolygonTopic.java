package com.systemtrader.provider.polygon;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;

/**
 * A Polygon subscription topic {@code <CHANNEL>.<TICKER>} (protocols.md §1.4), e.g. {@code T.AAPL}, {@code AM.*},
 * {@code Q.BRK.A}. The text is split at the <em>first</em> dot only, because tickers may contain dots. The
 * channel is kept as sent, so channels this code does not stream (e.g. {@code FMV}) still parse;
 * {@link #isStocksChannel()} tells them apart.
 *
 * @param channel the prefix, e.g. {@code T}, {@code AM}
 * @param ticker  the ticker, case-sensitive, or {@link #WILDCARD}
 */
public record PolygonTopic(String channel, String ticker) {
    public static final String TRADES = "T";
    public static final String QUOTES = "Q";
    public static final String SECOND_AGGREGATES = "A";
    public static final String MINUTE_AGGREGATES = "AM";
    public static final String LULD = "LULD";
    public static final String IMBALANCES = "NOI";
    public static final String WILDCARD = "*";

    public PolygonTopic {
        if (channel == null || channel.isEmpty() || channel.indexOf('.') >= 0 || hasSeparator(channel)) {
            throw new PolygonProtocolException("topic channel must be non-empty, without '.', ',' or spaces");
        }
        if (ticker == null || ticker.isEmpty() || hasSeparator(ticker)) {
            throw new PolygonProtocolException("topic ticker must be non-empty, without ',' or spaces");
        }
    }

    /**
     * Parses {@code T.AAPL}; surrounding white space is ignored.
     *
     * @throws PolygonProtocolException when there is no dot, or the channel or ticker is empty
     */
    public static PolygonTopic parse(String topic) {
        String t = topic == null ? "" : topic.trim();
        int dot = t.indexOf('.');
        if (dot <= 0 || dot == t.length() - 1) {
            String fault = t.isEmpty() ? "it is empty" : dot < 0 ? "it has no dot"
                    : dot == 0 ? "the channel is empty" : "the ticker is empty";
            throw new PolygonProtocolException("topic must look like CHANNEL.TICKER (e.g. T.AAPL), but " + fault);
        }
        return new PolygonTopic(t.substring(0, dot), t.substring(dot + 1));
    }

    /** {@code channel.*}: every ticker. */
    public static PolygonTopic all(String channel) {
        return new PolygonTopic(channel, WILDCARD);
    }

    public boolean isWildcard() { return WILDCARD.equals(ticker); }

    /** One of the six stocks channels this codec streams (T, Q, A, AM, LULD, NOI). */
    public boolean isStocksChannel() {
        return switch (channel) {
            case TRADES, QUOTES, SECOND_AGGREGATES, MINUTE_AGGREGATES, LULD, IMBALANCES -> true;
            default -> false;
        };
    }

    /** True when an event of this topic's channel for {@code symbol} belongs to this topic. */
    public boolean matches(String symbol) {
        return isWildcard() || ticker.equals(symbol);
    }

    /**
     * The channel a normalized event is streamed on, or null when Polygon has no stream for it (trading
     * status, corrections, cancels, bars other than second/minute).
     */
    public static String channelOf(MarketEvent event) {
        return switch (event) {
            case Trade t -> TRADES;
            case Quote q -> QUOTES;
            case Bar b -> b.interval() == BarInterval.SECOND ? SECOND_AGGREGATES
                    : b.interval() == BarInterval.MINUTE ? MINUTE_AGGREGATES : null;
            case LuldBand l -> LULD;
            case Imbalance i -> IMBALANCES;
            default -> null;
        };
    }

    /** The wire form, {@code channel.ticker}. */
    @Override public String toString() { return channel + "." + ticker; }

    private static boolean hasSeparator(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) return true;
        }
        return false;
    }
}
