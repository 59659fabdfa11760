package com.systemtrader.simulator.market;

import com.systemtrader.calendar.NewYorkTime;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;
import com.systemtrader.sip.TradeEligibility;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded synthetic US equity market. Prices follow a geometric random walk whose volatility per unit of time
 * does not depend on the message rate; quotes are NBBO with a spread of about 2 bp and sizes in round lots;
 * trades carry realistic condition mixes (odd lots, intermarket sweeps, Form T, out-of-sequence), TRF reports
 * with {@code trfi}/{@code trft}, per-ticker sequence numbers with gaps, and some late reports. Bars are built
 * from the trades it emitted under the SIP rules, so a window without eligible trades has no bar; a late trade
 * for the last emitted window yields an updated bar. Trading halts, LULD bands, imbalances, corrections and
 * cancels appear at low rates.
 *
 * <p>Records use Polygon's code space (exchange ids, condition ids, tape letters) with source
 * {@link DataSource#SIMULATOR}; the Alpaca side maps them with {@link SipCodes}. Not thread-safe: one market
 * thread calls {@link #step}.
 */
public final class SyntheticMarket {
    private static final long SECOND_NS = 1_000_000_000L;
    private static final int[] EXCHANGES = {1, 2, 3, 7, 8, 9, 10, 11, 12, 12, 12, 15, 19, 19, 20, 21};
    private static final Conditions ODD_LOT = Conditions.of(37);
    private static final Conditions ISO = Conditions.of(14);
    private static final Conditions FORM_T = Conditions.of(12);
    private static final Conditions FORM_T_ODD = Conditions.of(12, 37);
    private static final Conditions SOLD_OUT_OF_SEQUENCE = Conditions.of(32);
    private static final Conditions AVERAGE_PRICE = Conditions.of(2);
    private static final Conditions QUOTE_REGULAR = Conditions.of(1);
    private static final Conditions NBBO_INDICATOR = Conditions.of(604);

    private final MarketConfig config;
    private final SplittableRandom random;
    private final SymbolState[] symbols;
    private final InMemoryHistory history;
    private final long barNs;
    private final long barEmitDelayNs;
    private final long barUpdateDelayNs;
    private final long maxLateNs;
    private final long minLateNs;
    private final TradeEligibility eligibility = TradeEligibility.standard();
    private long barsEmittedUpTo;      // windows with index < this have been emitted
    private long secondsEmittedUpTo;
    private long lastSecondTick;
    private long dayStartNs = Long.MIN_VALUE;
    private long dayEndNs = Long.MIN_VALUE;
    private boolean inSession = true;
    private boolean regularSession = true;
    private long sessionCheckedSecond = Long.MIN_VALUE;

    public SyntheticMarket(MarketConfig config, long startNs) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.symbols = new SymbolState[config.symbols().size()];
        Map<String, Double> startPrices = new HashMap<>();
        for (int i = 0; i < symbols.length; i++) {
            String s = config.symbols().get(i);
            SplittableRandom r = new SplittableRandom(config.seed() * 1_000_003L + s.hashCode());
            double price = Prices.cents(20 + r.nextDouble() * 480);
            char tape = "ABCC".charAt(Math.floorMod(s.hashCode(), 4));
            symbols[i] = new SymbolState(s, tape, price, 0.0002 + r.nextDouble() * 0.0004,
                    1_000 + r.nextInt(1_000_000), 10_000 + r.nextLong(1L << 40));
            symbols[i].nextLuldNs = startNs + r.nextLong(30 * SECOND_NS);
            symbols[i].lastWalkNs = startNs;
            startPrices.put(s, price);
        }
        this.history = new InMemoryHistory(config, startPrices, startNs);
        this.barNs = config.barIntervalMs() * 1_000_000L;
        this.barEmitDelayNs = Math.min(SECOND_NS, barNs / 10);
        this.barUpdateDelayNs = Math.min(30 * SECOND_NS, barNs / 2);
        this.maxLateNs = config.maxLateMs() * 1_000_000L;
        this.minLateNs = Math.min(SECOND_NS / 2, maxLateNs / 2);
        this.barsEmittedUpTo = Math.floorDiv(startNs, barNs);
        this.secondsEmittedUpTo = Math.floorDiv(startNs, SECOND_NS);
        this.lastSecondTick = secondsEmittedUpTo;
    }

    public MarketHistory history() { return history; }

    public List<String> symbols() { return config.symbols(); }

    /** True when the session calendar allows data at the last step's time (always true by default). */
    public boolean inSession() { return inSession; }

    /**
     * Advances the market to {@code nowNs}: appends due time-driven events (bars, statuses, LULD bands) and then
     * {@code count} trades and quotes to {@code out}.
     */
    public void step(long nowNs, int count, List<MarketEvent> out) {
        checkSession(nowNs);
        timeDriven(nowNs, out);
        if (!inSession) return;
        for (int i = 0; i < count; i++) {
            SymbolState s = symbols[random.nextInt(symbols.length)];
            if (s.halted(nowNs)) continue;
            walk(s, nowNs);
            int kind = random.nextInt(10_000);
            if (kind < 5_400) {
                out.add(quote(s, nowNs));
            } else if (kind < 9_990) {
                out.add(trade(s, nowNs));
            } else if (kind < 9_994 && s.lastTrade != null) {
                out.add(correction(s, nowNs));
            } else if (kind < 9_998 && s.lastTrade != null) {
                out.add(cancel(s, nowNs));
            } else {
                out.add(imbalance(s, nowNs));
            }
        }
    }

    private void checkSession(long nowNs) {
        if (!config.sessionCalendar()) return;
        long second = Math.floorDiv(nowNs, SECOND_NS);
        if (second == sessionCheckedSecond) return;
        sessionCheckedSecond = second;
        inSession = NewYorkTime.inExtendedSession(nowNs);
        regularSession = NewYorkTime.inRegularSession(nowNs);
    }

    /** Moves the mid by a random return scaled to the time since this symbol last moved. */
    private void walk(SymbolState s, long nowNs) {
        double dtSeconds = Math.min(60.0, Math.max(0, nowNs - s.lastWalkNs) / 1e9);
        s.lastWalkNs = nowNs;
        if (dtSeconds == 0) return;
        s.mid = Math.max(0.5, s.mid * Math.exp(random.nextGaussian() * s.sigmaPerSqrtSecond * Math.sqrt(dtSeconds)));
    }

    private Quote quote(SymbolState s, long nowNs) {
        double spread = Math.max(0.01, Prices.cents(s.mid * 0.0002));
        double bid = Math.floor((s.mid - spread / 2) * 100) / 100;
        double ask = Prices.cents(bid + spread);
        long t = nowNs - random.nextLong(500_000);
        s.sequence += 1 + (random.nextInt(10) == 0 ? 1 + random.nextInt(4) : 0);
        Quote q = new Quote(DataSource.SIMULATOR, s.symbol, t, 0L, EXCHANGES[random.nextInt(EXCHANGES.length)], bid,
                1 + random.nextInt(20), EXCHANGES[random.nextInt(EXCHANGES.length)], ask, 1 + random.nextInt(20),
                QUOTE_REGULAR, random.nextInt(4) == 0 ? NBBO_INDICATOR : Conditions.NONE, s.tape, s.sequence);
        history.recordQuote(q);
        return q;
    }

    private Trade trade(SymbolState s, long nowNs) {
        boolean trf = random.nextInt(5) == 0;
        int c = random.nextInt(100);
        Conditions conditions;
        long size;
        if (c < 62) {
            conditions = Conditions.NONE;
            size = 100L * (1 + random.nextInt(5));
        } else if (c < 80) {
            conditions = ODD_LOT;
            size = 1 + random.nextInt(99);
        } else if (c < 90) {
            conditions = ISO;
            size = 100L * (1 + random.nextInt(20));
        } else if (c < 96) {
            boolean extended = config.sessionCalendar() ? !regularSession : random.nextInt(3) == 0;
            conditions = extended ? (random.nextBoolean() ? FORM_T : FORM_T_ODD) : ODD_LOT;
            size = conditions == FORM_T ? 100L * (1 + random.nextInt(3)) : 1 + random.nextInt(99);
        } else if (c < 99) {
            conditions = SOLD_OUT_OF_SEQUENCE;
            size = 100L * (1 + random.nextInt(3));
        } else {
            conditions = AVERAGE_PRICE;
            size = 100L * (1 + random.nextInt(50));
        }
        double spread = Math.max(0.01, Prices.cents(s.mid * 0.0002));
        double price = switch (random.nextInt(3)) {
            case 0 -> Math.floor((s.mid - spread / 2) * 100) / 100;
            case 1 -> Math.ceil((s.mid + spread / 2) * 100) / 100;
            default -> Prices.cents(s.mid);
        };
        if (trf) price = Prices.cents4(price + (random.nextInt(100) - 50) / 10_000.0);
        long t = nowNs - random.nextLong(500_000);
        boolean late = trf && random.nextInt(50) == 0 || conditions == SOLD_OUT_OF_SEQUENCE;
        if (late) t = nowNs - minLateNs - random.nextLong(maxLateNs - minLateNs);
        s.sequence += 1 + (random.nextInt(10) == 0 ? 1 + random.nextInt(4) : 0);
        int exchange = trf ? 4 : EXCHANGES[random.nextInt(EXCHANGES.length)];
        Trade trade = new Trade(DataSource.SIMULATOR, s.symbol, t, 0L, price, size, exchange,
                Long.toString(s.nextTradeId++), s.tape, s.sequence, trf ? 201 + random.nextInt(3) : Absent.INT,
                trf ? t - random.nextLong(2_000_000) : Absent.LONG, conditions);
        s.lastTrade = trade;
        accumulate(s, trade, nowNs);
        return trade;
    }

    /**
     * Adds an emitted trade to the stream's bar windows and the history. Second and minute windows use the
     * intraday bits (Form T sets prices in extended hours), the daily bar the consolidated ones.
     */
    private void accumulate(SymbolState s, Trade t, long nowNs) {
        int bits = eligibility.ids(t.conditions(), t.eventTimeNs());
        long time = t.eventTimeNs();
        long w = Math.floorDiv(time, barNs);
        if (w >= barsEmittedUpTo) {
            SymbolState.window(s.barWindows, w, barNs).addIntraday(time, t.price(), t.size(), bits);
        } else if (w == barsEmittedUpTo - 1 && nowNs < (w + 1) * barNs + barUpdateDelayNs) {
            BarAccumulator a = SymbolState.window(s.barWindows, w, barNs);
            if (a.addIntraday(time, t.price(), t.size(), bits)) s.lastEmittedDirty = true;
        }
        long sec = Math.floorDiv(time, SECOND_NS);
        if (sec >= secondsEmittedUpTo) {
            SymbolState.window(s.secondWindows, sec, SECOND_NS).addIntraday(time, t.price(), t.size(), bits);
        }
        long dayStart = dayStart(time);
        if (dayStart > s.day.start) s.day.reset(dayStart);
        if (dayStart == s.day.start) s.day.addDaily(time, t.price(), t.size(), bits);
        history.recordTrade(t, bits);
    }

    /** New York midnight of {@code ns}, cached for the current day (the zone lookup allocates). */
    private long dayStart(long ns) {
        if (ns >= dayStartNs && ns < dayEndNs) return dayStartNs;
        long start = NewYorkTime.midnightNs(ns);
        if (ns >= start && ns >= dayStartNs) {
            dayStartNs = start;
            dayEndNs = NewYorkTime.midnightNs(NewYorkTime.date(ns).plusDays(1));
        }
        return start;
    }

    private void timeDriven(long nowNs, List<MarketEvent> out) {
        // per-second aggregates (Polygon A)
        while ((secondsEmittedUpTo + 1) * SECOND_NS + 50_000_000L <= nowNs) {
            long sec = secondsEmittedUpTo;
            for (SymbolState s : symbols) {
                BarAccumulator a = s.secondWindows[(int) Math.floorMod(sec, 2L)];
                if (a.start == sec * SECOND_NS && a.hasBar()) out.add(withDayFields(s, a.toBar(s.symbol,
                        BarInterval.SECOND, SECOND_NS)));
                a.reset(Long.MIN_VALUE);
            }
            secondsEmittedUpTo++;
        }
        // updated bars for the last emitted window, once its update deadline passed
        long prev = barsEmittedUpTo - 1;
        if (nowNs >= (prev + 1) * barNs + barUpdateDelayNs) {
            for (SymbolState s : symbols) {
                if (!s.lastEmittedDirty) continue;
                s.lastEmittedDirty = false;
                BarAccumulator a = SymbolState.window(s.barWindows, prev, barNs);
                if (a.hasBar()) out.add(a.toBar(s.symbol, BarInterval.UPDATED_MINUTE, barNs));
            }
        }
        // minute (or configured-length) bars and the running daily bar
        while ((barsEmittedUpTo + 1) * barNs + barEmitDelayNs <= nowNs) {
            long w = barsEmittedUpTo;
            for (SymbolState s : symbols) {
                s.lastEmittedDirty = false;
                BarAccumulator a = SymbolState.window(s.barWindows, w, barNs);
                if (!a.hasBar()) continue;
                out.add(withDayFields(s, a.toBar(s.symbol, BarInterval.MINUTE, barNs)));
                if (s.day.hasBar()) out.add(s.day.toBar(s.symbol, BarInterval.DAILY, BarInterval.DAILY.nanos()));
            }
            barsEmittedUpTo++;
        }
        history.advance(nowNs);
        long second = Math.floorDiv(nowNs, SECOND_NS);
        if (second != lastSecondTick) {
            lastSecondTick = second;
            for (SymbolState s : symbols) perSecond(s, nowNs, out);
        }
    }

    private Bar withDayFields(SymbolState s, Bar b) {
        double dayVwap = s.day.volume > 0 ? Prices.cents4(s.day.notional / s.day.volume) : b.vwap();
        long avgSize = b.tradeCount() > 0 ? b.volume() / b.tradeCount() : 0;
        return new Bar(b.source(), b.symbol(), b.interval(), b.eventTimeNs(), b.endTimeNs(), 0L, b.open(), b.high(),
                b.low(), b.close(), b.volume(), b.vwap(), b.tradeCount(), Math.max(s.day.volume, b.volume()),
                Double.isNaN(s.day.open) ? b.open() : s.day.open, dayVwap, avgSize, false);
    }

    private void perSecond(SymbolState s, long nowNs, List<MarketEvent> out) {
        if (s.haltedUntilNs != 0 && nowNs >= s.haltedUntilNs) {
            s.haltedUntilNs = 0;
            out.add(status(s, nowNs, false));
            s.nextLuldNs = nowNs;
        }
        if (s.haltedUntilNs == 0 && config.haltsPerSymbolHour() > 0
                && random.nextDouble() < config.haltsPerSymbolHour() / 3600.0) {
            s.haltedUntilNs = nowNs + (5 + random.nextInt(26)) * SECOND_NS;
            out.add(status(s, nowNs, true));
        }
        if (nowNs >= s.nextLuldNs && inSession) {
            s.nextLuldNs = nowNs + 30 * SECOND_NS;
            s.luldReference = s.mid;
            s.sequence += 1;
            out.add(new LuldBand(DataSource.SIMULATOR, s.symbol, nowNs, 0L, Prices.cents(s.luldReference * 1.05),
                    Prices.cents(s.luldReference * 0.95), s.halted(nowNs) ? Conditions.of(17) : Conditions.NONE,
                    s.tape, s.sequence));
        }
    }

    private TradingStatus status(SymbolState s, long nowNs, boolean halt) {
        boolean utp = s.tape == 'C';
        if (halt) {
            return utp ? new TradingStatus(DataSource.SIMULATOR, s.symbol, nowNs, 0L, "H", "Trading Halt", "LUDP",
                    "Volatility Trading Pause", s.tape)
                    : new TradingStatus(DataSource.SIMULATOR, s.symbol, nowNs, 0L, "2", "Trading Halt", "M",
                    "Limit Up-Limit Down (LULD) Trading Pause", s.tape);
        }
        return utp ? new TradingStatus(DataSource.SIMULATOR, s.symbol, nowNs, 0L, "T", "Trading Resumption", "",
                "", s.tape)
                : new TradingStatus(DataSource.SIMULATOR, s.symbol, nowNs, 0L, "3", "Resume", "", "", s.tape);
    }

    private TradeCorrection correction(SymbolState s, long nowNs) {
        Trade o = s.lastTrade;
        double corrected = Prices.cents(o.price() + (random.nextBoolean() ? 0.01 : -0.01));
        return new TradeCorrection(DataSource.SIMULATOR, s.symbol, nowNs, 0L, o.exchange(), o.tradeId(), o.price(),
                o.size(), o.conditions(), Long.toString(s.nextTradeId++), corrected, o.size(), o.conditions(),
                s.tape);
    }

    private TradeCancel cancel(SymbolState s, long nowNs) {
        Trade o = s.lastTrade;
        return new TradeCancel(DataSource.SIMULATOR, s.symbol, nowNs, 0L, o.exchange(), o.tradeId(), o.price(),
                o.size(), random.nextInt(4) == 0 ? 'E' : 'C', s.tape);
    }

    private Imbalance imbalance(SymbolState s, long nowNs) {
        return new Imbalance(DataSource.SIMULATOR, s.symbol, nowNs, 0L, Prices.cents(s.mid),
                100L * random.nextInt(1, 500), 100L * random.nextInt(1, 2000), random.nextBoolean() ? 930 : 1600,
                random.nextBoolean() ? 'O' : 'C', 10, s.tape);
    }
}
