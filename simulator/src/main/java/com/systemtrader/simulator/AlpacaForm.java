package com.systemtrader.simulator;

import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.simulator.market.SipCodes;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Converts the market's canonical (Polygon code space) events to Alpaca's: exchange letters, SIP condition
 * letters ({@code @} for a regular sale), quote condition {@code R}. Optionally renames the symbol (the
 * {@code /v2/test} feed streams the first market symbol as {@code FAKEPACA}).
 */
final class AlpacaForm {
    private static final Conditions REGULAR = Conditions.ofLetters("@");
    private static final Conditions QUOTE_REGULAR = Conditions.ofLetters("R");
    /** Letter forms of Polygon condition lists, per tape family (CTA and UTP letters differ). */
    private static final ConcurrentHashMap<Conditions, Conditions> CTA_LETTERS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Conditions, Conditions> UTP_LETTERS = new ConcurrentHashMap<>();

    private AlpacaForm() {}

    static MarketEvent convert(MarketEvent e, String symbol) {
        return switch (e) {
            case Trade t -> new Trade(t.source(), symbol, t.eventTimeNs(), t.receiveTimeNs(), t.price(), t.size(),
                    SipCodes.exchangeLetter(t.exchange()), t.tradeId(), t.tape(), t.sequence(), t.trfId(),
                    t.trfTimeNs(), letters(t.conditions(), t.tape()));
            case Quote q -> new Quote(q.source(), symbol, q.eventTimeNs(), q.receiveTimeNs(),
                    SipCodes.exchangeLetter(q.bidExchange()), q.bidPrice(), q.bidSize(),
                    SipCodes.exchangeLetter(q.askExchange()), q.askPrice(), q.askSize(), QUOTE_REGULAR,
                    Conditions.NONE, q.tape(), q.sequence());
            case TradeCorrection c -> new TradeCorrection(c.source(), symbol, c.eventTimeNs(), c.receiveTimeNs(),
                    SipCodes.exchangeLetter(c.exchange()), c.originalId(), c.originalPrice(), c.originalSize(),
                    letters(c.originalConditions(), c.tape()), c.correctedId(), c.correctedPrice(), c.correctedSize(),
                    letters(c.correctedConditions(), c.tape()), c.tape());
            case TradeCancel x -> new TradeCancel(x.source(), symbol, x.eventTimeNs(), x.receiveTimeNs(),
                    SipCodes.exchangeLetter(x.exchange()), x.tradeId(), x.price(), x.size(), x.action(), x.tape());
            default -> e.symbol().equals(symbol) ? e : rename(e, symbol);
        };
    }

    private static Conditions letters(Conditions polygon, char tape) {
        if (polygon.isEmpty()) return REGULAR;
        return SipCodes.isCta(tape) ? CTA_LETTERS.computeIfAbsent(polygon, p -> toLetters(p, 'A'))
                : UTP_LETTERS.computeIfAbsent(polygon, p -> toLetters(p, 'C'));
    }

    private static Conditions toLetters(Conditions polygon, char tape) {
        String[] l = new String[polygon.size()];
        for (int i = 0; i < l.length; i++) l[i] = String.valueOf(SipCodes.conditionLetter(polygon.get(i), tape));
        return Conditions.ofLetters(l);
    }

    private static MarketEvent rename(MarketEvent e, String symbol) {
        return switch (e) {
            case com.systemtrader.schema.Bar b -> new com.systemtrader.schema.Bar(b.source(), symbol, b.interval(),
                    b.eventTimeNs(), b.endTimeNs(), b.receiveTimeNs(), b.open(), b.high(), b.low(), b.close(),
                    b.volume(), b.vwap(), b.tradeCount(), b.accumulatedVolume(), b.officialOpen(), b.dayVwap(),
                    b.averageTradeSize(), b.otc());
            case com.systemtrader.schema.TradingStatus s -> new com.systemtrader.schema.TradingStatus(s.source(),
                    symbol, s.eventTimeNs(), s.receiveTimeNs(), s.statusCode(), s.statusMessage(), s.reasonCode(),
                    s.reasonMessage(), s.tape());
            case com.systemtrader.schema.LuldBand l -> new com.systemtrader.schema.LuldBand(l.source(), symbol,
                    l.eventTimeNs(), l.receiveTimeNs(), l.limitUp(), l.limitDown(), l.indicators(), l.tape(),
                    l.sequence());
            case com.systemtrader.schema.Imbalance i -> new com.systemtrader.schema.Imbalance(i.source(), symbol,
                    i.eventTimeNs(), i.receiveTimeNs(), i.price(), i.imbalanceQuantity(), i.pairedQuantity(),
                    i.auctionTime(), i.auctionType(), i.exchange(), i.tape());
            default -> e;
        };
    }
}
