package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.ControlMessage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Symbols per channel, immutable. Used for the server's {@code subscription} echo (the <em>full</em> state after a
 * change) and, in {@link AlpacaClientMessage}, for subscribe/unsubscribe deltas. Lists keep the order given and
 * never contain {@code null}; {@code "*"} is an ordinary entry meaning "all symbols".
 */
public record AlpacaSubscription(List<String> trades, List<String> quotes, List<String> bars,
                                 List<String> updatedBars, List<String> dailyBars, List<String> statuses,
                                 List<String> imbalances, List<String> lulds, List<String> corrections,
                                 List<String> cancelErrors) implements ControlMessage {
    public static final AlpacaSubscription EMPTY =
            new AlpacaSubscription(null, null, null, null, null, null, null, null, null, null);

    /** {@code null} lists become empty lists; the others are copied. */
    public AlpacaSubscription {
        trades = copy(trades);
        quotes = copy(quotes);
        bars = copy(bars);
        updatedBars = copy(updatedBars);
        dailyBars = copy(dailyBars);
        statuses = copy(statuses);
        imbalances = copy(imbalances);
        lulds = copy(lulds);
        corrections = copy(corrections);
        cancelErrors = copy(cancelErrors);
    }

    /** Channels missing from the map are empty. */
    public static AlpacaSubscription of(Map<AlpacaChannel, List<String>> symbols) {
        return new AlpacaSubscription(symbols.get(AlpacaChannel.TRADES), symbols.get(AlpacaChannel.QUOTES),
                symbols.get(AlpacaChannel.BARS), symbols.get(AlpacaChannel.UPDATED_BARS),
                symbols.get(AlpacaChannel.DAILY_BARS), symbols.get(AlpacaChannel.STATUSES),
                symbols.get(AlpacaChannel.IMBALANCES), symbols.get(AlpacaChannel.LULDS),
                symbols.get(AlpacaChannel.CORRECTIONS), symbols.get(AlpacaChannel.CANCEL_ERRORS));
    }

    public List<String> symbols(AlpacaChannel channel) {
        return switch (channel) {
            case TRADES -> trades;
            case QUOTES -> quotes;
            case BARS -> bars;
            case UPDATED_BARS -> updatedBars;
            case DAILY_BARS -> dailyBars;
            case STATUSES -> statuses;
            case IMBALANCES -> imbalances;
            case LULDS -> lulds;
            case CORRECTIONS -> corrections;
            case CANCEL_ERRORS -> cancelErrors;
        };
    }

    /** A copy with one channel replaced. */
    public AlpacaSubscription with(AlpacaChannel channel, List<String> symbols) {
        Map<AlpacaChannel, List<String>> m = toMap();
        m.put(channel, symbols);
        return of(m);
    }

    public boolean isEmpty() {
        for (AlpacaChannel c : AlpacaChannel.values()) if (!symbols(c).isEmpty()) return false;
        return true;
    }

    /**
     * The state after a subscribe {@code delta}, as the server computes it: per channel the union (existing order
     * first), and the delta's trades symbols also added to corrections and cancelErrors.
     */
    public AlpacaSubscription applySubscribe(AlpacaSubscription delta) {
        Map<AlpacaChannel, List<String>> m = new EnumMap<>(AlpacaChannel.class);
        for (AlpacaChannel c : AlpacaChannel.values()) {
            Set<String> s = new LinkedHashSet<>(symbols(c));
            s.addAll(delta.symbols(c));
            if (c == AlpacaChannel.CORRECTIONS || c == AlpacaChannel.CANCEL_ERRORS) s.addAll(delta.trades);
            m.put(c, new ArrayList<>(s));
        }
        return of(m);
    }

    /**
     * The state after an unsubscribe {@code delta}: per channel the difference, and the delta's trades symbols also
     * removed from corrections and cancelErrors.
     */
    public AlpacaSubscription applyUnsubscribe(AlpacaSubscription delta) {
        Map<AlpacaChannel, List<String>> m = new EnumMap<>(AlpacaChannel.class);
        for (AlpacaChannel c : AlpacaChannel.values()) {
            List<String> s = new ArrayList<>(symbols(c));
            s.removeAll(delta.symbols(c));
            if (c == AlpacaChannel.CORRECTIONS || c == AlpacaChannel.CANCEL_ERRORS) s.removeAll(delta.trades);
            m.put(c, s);
        }
        return of(m);
    }

    private Map<AlpacaChannel, List<String>> toMap() {
        Map<AlpacaChannel, List<String>> m = new EnumMap<>(AlpacaChannel.class);
        for (AlpacaChannel c : AlpacaChannel.values()) m.put(c, symbols(c));
        return m;
    }

    private static List<String> copy(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }
}
