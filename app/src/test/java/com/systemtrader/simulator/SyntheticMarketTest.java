package com.systemtrader.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.simulator.market.SyntheticMarket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The synthetic market on its own, stepped with a fixed clock: determinism, bars under the SIP rules, codes. */
class SyntheticMarketTest {
    private static final long SECOND = 1_000_000_000L;
    /** 2024-05-29T14:00:00Z, a window boundary. */
    private static final long START = 1_716_991_200L * SECOND;
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "TSLA", "AMD", "NVDA", "SPY", "QQQ", "IBM");

    private static MarketConfig config(long seed) {
        // one-second bars, no halts, one day of REST history (the stream does not depend on it)
        return new MarketConfig(seed, SYMBOLS, 1_000, 1, 1_000, 0, false);
    }

    /** One market step: its clock and its output. */
    record Step(long nowNs, List<MarketEvent> events) {}

    /** Runs {@code steps} steps of {@code stepNs} from START, {@code perStep} messages each. */
    private static List<Step> run(long seed, int steps, long stepNs, int perStep) {
        return run(config(seed), steps, stepNs, perStep);
    }

    private static List<MarketEvent> flatten(List<Step> steps) {
        List<MarketEvent> all = new ArrayList<>();
        for (Step s : steps) all.addAll(s.events());
        return all;
    }

    @Test
    void sameSeedAndClockGiveTheSameEvents() {
        List<MarketEvent> a = flatten(run(11, 3_000, 1_000_000, 2));
        List<MarketEvent> b = flatten(run(11, 3_000, 1_000_000, 2));
        List<MarketEvent> c = flatten(run(12, 3_000, 1_000_000, 2));
        assertThat(a).hasSizeGreaterThan(6_000);
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void perTickerSequenceNumbersStrictlyIncreaseWithGaps() {
        Map<String, Long> last = new HashMap<>();
        int gaps = 0;
        int checked = 0;
        for (MarketEvent e : flatten(run(5, 5_000, 1_000_000, 2))) {
            long q = switch (e) {
                case Trade t -> t.sequence();
                case Quote x -> x.sequence();
                case LuldBand l -> l.sequence();
                default -> Absent.LONG;
            };
            if (q == Absent.LONG) continue;
            Long prev = last.put(e.symbol(), q);
            if (prev == null) continue;
            checked++;
            assertThat(q).as("sequence of %s", e.symbol()).isGreaterThan(prev);
            if (q > prev + 1) gaps++;
        }
        assertThat(checked).isGreaterThan(9_000);
        assertThat(gaps).as("sequence gaps").isGreaterThan(checked / 50);
    }

    @Test
    void onlyTrfTradesCarryTrfFields() {
        int trf = 0;
        int other = 0;
        for (MarketEvent e : flatten(run(3, 5_000, 1_000_000, 2))) {
            if (!(e instanceof Trade t)) continue;
            if (t.exchange() == 4) {
                trf++;
                assertThat(t.trfId()).as("trfi of %s", t).isNotEqualTo(Absent.INT);
                assertThat(t.trfTimeNs()).as("trft of %s", t).isNotEqualTo(Absent.LONG).isPositive();
            } else {
                other++;
                assertThat(t.trfId()).as("trfi of %s", t).isEqualTo(Absent.INT);
                assertThat(t.trfTimeNs()).as("trft of %s", t).isEqualTo(Absent.LONG);
            }
        }
        assertThat(trf).isGreaterThan(100);
        assertThat(other).isGreaterThan(trf);
    }

    // ---- bars ----

    /** Which fields a trade may update, per protocols.md section 4.1 (only the codes the market produces). */
    private static boolean[] rules(Conditions c) {
        boolean oc = true;
        boolean hl = true;
        boolean vol = true;
        for (int i = 0; i < c.size(); i++) {
            switch (c.get(i)) {
                case 2, 12, 37 -> { oc = false; hl = false; } // average price, Form T, odd lot
                case 32 -> oc = false;                          // sold out of sequence
                case 14 -> { }                                  // intermarket sweep
                default -> throw new AssertionError("the market produced an unexpected condition " + c.get(i));
            }
        }
        return new boolean[] {oc, hl, vol};
    }

    /** A bar rebuilt by the test from the trades it saw. */
    static final class Window {
        double open = Double.NaN, high = Double.NaN, low = Double.NaN, close = Double.NaN;
        double allHigh = Double.NaN, allLow = Double.NaN;
        long firstT = Long.MAX_VALUE, lastT = Long.MIN_VALUE;
        long volume;
        double notional;
        long count;
        int trades;

        void add(Trade t) {
            boolean[] r = rules(t.conditions());
            trades++;
            if (Double.isNaN(allHigh) || t.price() > allHigh) allHigh = t.price();
            if (Double.isNaN(allLow) || t.price() < allLow) allLow = t.price();
            if (r[2]) {
                volume += t.size();
                notional += t.price() * t.size();
                count++;
            }
            if (r[1]) {
                if (Double.isNaN(high) || t.price() > high) high = t.price();
                if (Double.isNaN(low) || t.price() < low) low = t.price();
            }
            if (r[0]) {
                if (t.eventTimeNs() < firstT) {
                    firstT = t.eventTimeNs();
                    open = t.price();
                }
                if (t.eventTimeNs() >= lastT) {
                    lastT = t.eventTimeNs();
                    close = t.price();
                }
            }
        }

        boolean eligible() { return !Double.isNaN(open) && !Double.isNaN(high); }
    }

    @Test
    void barsAreBuiltFromEligibleEmittedTradesOnly() {
        long barNs = SECOND;
        long stepNs = 10_000_000;          // 100 steps per window
        int stepsPerWindow = (int) (barNs / stepNs);
        List<Step> steps = run(21, 40 * stepsPerWindow, stepNs, 1); // about 100 messages/s over 8 symbols
        long w0 = START / barNs;

        // when does the market close a window? infer it from the first bar it emits, check it for every bar
        Integer closeOffset = null;
        for (int k = 0; k < steps.size() && closeOffset == null; k++) {
            for (MarketEvent e : steps.get(k).events()) {
                if (e instanceof Bar b && b.interval() == BarInterval.MINUTE) {
                    long w = b.eventTimeNs() / barNs;
                    closeOffset = k - (int) (w + 1 - w0) * stepsPerWindow;
                    break;
                }
            }
        }
        assertThat(closeOffset).as("a bar was emitted").isNotNull();
        assertThat(closeOffset).isBetween(0, stepsPerWindow - 1);
        int offset = closeOffset;

        Map<String, Window> rebuilt = new HashMap<>();
        Map<String, Bar> bars = new HashMap<>();
        for (int k = 0; k < steps.size(); k++) {
            for (MarketEvent e : steps.get(k).events()) {
                if (e instanceof Bar b && b.interval() == BarInterval.MINUTE) {
                    long w = b.eventTimeNs() / barNs;
                    assertThat(k).as("step that closed window %d", w).isEqualTo((int) (w + 1 - w0) * stepsPerWindow + offset);
                    assertThat(b.endTimeNs() - b.eventTimeNs()).isEqualTo(barNs);
                    assertThat(bars.put(b.symbol() + "@" + w, b)).as("one bar per symbol and window").isNull();
                } else if (e instanceof Trade t) {
                    long w = Math.floorDiv(t.eventTimeNs(), barNs);
                    long closesAt = (w + 1 - w0) * stepsPerWindow + offset;
                    if (w >= w0 && k < closesAt) rebuilt.computeIfAbsent(t.symbol() + "@" + w, x -> new Window()).add(t);
                }
            }
        }

        int compared = 0;
        int withoutBar = 0;
        int ohlcDiffersFromAllTrades = 0;
        long lastClosed = w0 + (steps.size() - 1 - offset) / stepsPerWindow - 1;
        for (String symbol : SYMBOLS) {
            for (long w = w0; w <= lastClosed; w++) {
                String key = symbol + "@" + w;
                Window r = rebuilt.get(key);
                Bar b = bars.get(key);
                if (r == null || !r.eligible()) {
                    assertThat(b).as("no bar without an eligible trade: %s", key).isNull();
                    if (r != null) withoutBar++;
                    continue;
                }
                assertThat(b).as("bar for %s", key).isNotNull();
                assertThat(b.open()).as("open %s", key).isEqualTo(r.open);
                assertThat(b.high()).as("high %s", key).isEqualTo(r.high);
                assertThat(b.low()).as("low %s", key).isEqualTo(r.low);
                assertThat(b.close()).as("close %s", key).isEqualTo(r.close);
                assertThat(b.volume()).as("volume %s", key).isEqualTo(r.volume);
                assertThat(b.tradeCount()).as("trade count %s", key).isEqualTo(r.count);
                assertThat(b.vwap()).as("vwap %s", key).isCloseTo(r.notional / r.volume, within(1e-4));
                if (r.allHigh != r.high || r.allLow != r.low) ohlcDiffersFromAllTrades++;
                compared++;
            }
        }
        assertThat(bars.keySet()).allMatch(rebuilt::containsKey);
        assertThat(compared).isGreaterThan(100);
        // the scenario is meaningful: some windows had only ineligible trades, some bars ignored odd lots etc.
        assertThat(withoutBar).as("windows with trades but no eligible one").isPositive();
        assertThat(ohlcDiffersFromAllTrades).as("bars whose high/low ignored ineligible trades").isPositive();
    }

    // ---- late trades ----

    /** How late each trade is relative to the clock of the step that emitted it, in ns. */
    private static List<Long> lateness(List<Step> steps) {
        List<Long> out = new ArrayList<>();
        for (Step s : steps) {
            for (MarketEvent e : s.events()) if (e instanceof Trade t) out.add(s.nowNs() - t.eventTimeNs());
        }
        return out;
    }

    private static List<Step> run(MarketConfig config, int steps, long stepNs, int perStep) {
        SyntheticMarket m = new SyntheticMarket(config, START);
        List<Step> out = new ArrayList<>(steps);
        for (int k = 1; k <= steps; k++) {
            List<MarketEvent> events = new ArrayList<>();
            long now = START + k * stepNs;
            m.step(now, perStep, events);
            out.add(new Step(now, events));
        }
        return out;
    }

    @Test
    void lateTradesAreHalfASecondToNineAndAHalfSecondsLateByDefault() {
        assertThat(config(1).maxLateMs()).isEqualTo(9_500);
        List<Long> late = lateness(run(config(31), 5_000, 1_000_000, 4)).stream().filter(l -> l > 1_000_000).toList();
        assertThat(late).hasSizeGreaterThan(100).allMatch(l -> l >= SECOND / 2 && l < 9_500_000_000L);
        assertThat(late.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(8 * SECOND);
    }

    @Test
    void maxLateMsBoundsHowLateATradeIs() {
        List<Long> late = lateness(run(config(31).withMaxLateMs(300), 5_000, 1_000_000, 4)).stream()
                .filter(l -> l > 1_000_000).toList();
        assertThat(late).hasSizeGreaterThan(100).allMatch(l -> l >= 150_000_000L && l <= 300_000_000L);
    }

    /**
     * With one-second bars and at most 300 ms of lateness, every late trade reaches the market while it can still
     * send an updated bar: the last bar sent for each window (minute bar or its update) covers all its trades.
     */
    @Test
    void withShortLatenessTheUpdatedBarsCoverEveryLateTrade() {
        long barNs = SECOND;
        List<Step> steps = run(config(23).withMaxLateMs(300), 20_000, 1_000_000, 1); // 20 windows
        long w0 = START / barNs;
        Map<String, Window> all = new HashMap<>();
        Map<String, Bar> last = new HashMap<>();
        int updated = 0;
        int late = 0;
        for (Step s : steps) {
            for (MarketEvent e : s.events()) {
                if (e instanceof Bar b && (b.interval() == BarInterval.MINUTE
                        || b.interval() == BarInterval.UPDATED_MINUTE)) {
                    long w = b.eventTimeNs() / barNs;
                    if (b.interval() == BarInterval.UPDATED_MINUTE) updated++;
                    last.put(b.symbol() + "@" + w, b);
                } else if (e instanceof Trade t) {
                    long w = Math.floorDiv(t.eventTimeNs(), barNs);
                    if (w < w0) continue;
                    if (Math.floorDiv(s.nowNs(), barNs) > w) late++;
                    all.computeIfAbsent(t.symbol() + "@" + w, x -> new Window()).add(t);
                }
            }
        }
        long lastClosed = (START + steps.size() * 1_000_000L) / barNs - 2;
        int compared = 0;
        for (String symbol : SYMBOLS) {
            for (long w = w0; w <= lastClosed; w++) {
                String key = symbol + "@" + w;
                Window r = all.get(key);
                Bar b = last.get(key);
                if (r == null || !r.eligible()) {
                    assertThat(b).as("no bar without an eligible trade: %s", key).isNull();
                    continue;
                }
                assertThat(b).as("bar for %s", key).isNotNull();
                assertThat(new double[] {b.open(), b.high(), b.low(), b.close()}).as("OHLC %s", key)
                        .containsExactly(r.open, r.high, r.low, r.close);
                assertThat(b.volume()).as("volume %s", key).isEqualTo(r.volume);
                assertThat(b.tradeCount()).as("trade count %s", key).isEqualTo(r.count);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(50);
        assertThat(late).as("trades that arrived after their window ended").isGreaterThan(10);
        assertThat(updated).as("updated bars").isPositive();
    }
}
