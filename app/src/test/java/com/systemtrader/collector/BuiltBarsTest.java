package com.systemtrader.collector;

import static com.systemtrader.collector.CollectorTestSupport.alpacaFeed;
import static com.systemtrader.collector.CollectorTestSupport.defaultKeys;
import static com.systemtrader.collector.CollectorTestSupport.polygonFeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.bars.BarConfig;
import com.systemtrader.config.DataConfig;
import com.systemtrader.provider.alpaca.AlpacaWebsocketCollector;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Bars we build from the simulator's trades equal the simulator's own minute bars ({@code AM} on Polygon,
 * {@code b}/{@code u} on Alpaca) for the same windows. The simulator's "minutes" are one second long here and its
 * late trades only so late that it counts every one of them; ours use a 1.5 s late window. Windows at
 * the edges of the run (before the first complete window, after the stream is stalled) are left out: one side saw
 * trades the other did not.
 */
class BuiltBarsTest {
    private static final long WINDOW_NS = 1_000_000_000L;

    /** Latest version per (symbol, window start), ours and the provider's; trade times by id for amended windows. */
    private static final class Bars implements MarketDataListener {
        final Map<String, Bar> ours = new ConcurrentHashMap<>();
        final Map<String, Bar> theirs = new ConcurrentHashMap<>();
        final Map<String, Long> tradeTimes = new ConcurrentHashMap<>();
        /** Per window: event time in ms -> prices of the trades at that millisecond. */
        final Map<String, Map<Long, Set<Double>>> pricesByMs = new ConcurrentHashMap<>();
        final Set<String> amended = ConcurrentHashMap.newKeySet();
        volatile long firstTradeNs;

        @Override public void onEvent(MarketEvent e) {
            switch (e) {
                case Bar b when b.derived() -> {
                    if (b.interval() == com.systemtrader.schema.BarInterval.MINUTE
                            || b.interval() == com.systemtrader.schema.BarInterval.UPDATED_MINUTE) { // a revision
                        ours.put(key(b.symbol(), b.eventTimeNs()), b);
                    }
                }
                case Bar b -> theirs.put(key(b.symbol(), b.eventTimeNs()), b);
                case Trade t -> {
                    if (firstTradeNs == 0) firstTradeNs = t.receiveTimeNs();
                    tradeTimes.put(t.symbol() + "/" + t.tradeId(), t.eventTimeNs());
                    pricesByMs.computeIfAbsent(key(t.symbol(), Math.floorDiv(t.eventTimeNs(), WINDOW_NS) * WINDOW_NS),
                                    k -> new ConcurrentHashMap<>())
                            .computeIfAbsent(t.eventTimeNs() / 1_000_000, k -> ConcurrentHashMap.newKeySet())
                            .add(t.price());
                }
                case TradeCancel x -> amend(x.symbol(), x.tradeId());
                case TradeCorrection c -> amend(c.symbol(), c.originalId());
                default -> { }
            }
        }

        private void amend(String symbol, String id) {
            Long t = tradeTimes.get(symbol + "/" + id);
            if (t != null) amended.add(key(symbol, Math.floorDiv(t, WINDOW_NS) * WINDOW_NS));
        }

        /**
         * True when both prices were traded in the same millisecond of the window. Polygon's stream carries trade
         * times in milliseconds while the simulator orders trades by nanosecond: which of two trades in one
         * millisecond came first (open) or last (close) is not on the wire.
         */
        boolean sameMillisecond(String window, double a, double b) {
            for (Set<Double> prices : pricesByMs.getOrDefault(window, Map.of()).values()) {
                if (prices.contains(a) && prices.contains(b)) return true;
            }
            return false;
        }

        static String key(String symbol, long start) { return symbol + "@" + start; }
    }

    private static ExchangeSimulator simulator(long maxLateMs, long rate) {
        MarketConfig market = MarketConfig.defaults(11, List.of("AAPL", "MSFT")).withBarIntervalMs(1_000)
                .withMaxLateMs(maxLateMs).withHalts(0);
        return ExchangeSimulator.start(SimulatorConfig.builder(market).rate(rate).build());
    }

    private static DataConfig data() {
        return DataConfig.defaults().withBars(BarConfig.defaults().withMode(BarConfig.Mode.ALWAYS)
                .withMinute(Duration.ofSeconds(1), Duration.ofMillis(150), Duration.ofMillis(1_500)));
    }

    /** Streams, stalls the simulator, lets every bar settle, and compares interior windows. */
    private static void compare(ExchangeSimulator sim, WebsocketCollector c, Bars bars) throws Exception {
        c.addListener(bars);
        c.addSymbol("AAPL");
        c.addSymbol("MSFT");
        c.start();
        // streaming until the provider's bars of both symbols reach the 7th window after the first complete one:
        // then the windows compared below (up to two before the stall) are at least six per symbol
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (bars.firstTradeNs == 0) return false;
            long seventh = (Math.floorDiv(bars.firstTradeNs, WINDOW_NS) + 7) * WINDOW_NS;
            return bars.theirs.containsKey(Bars.key("AAPL", seventh)) && bars.theirs.containsKey(Bars.key("MSFT", seventh));
        });
        long stallNs = com.systemtrader.codec.Timestamps.nowNs();
        sim.faults().stall(Duration.ofSeconds(30));
        long from = (Math.floorDiv(bars.firstTradeNs, WINDOW_NS) + 1) * WINDOW_NS;
        long to = (Math.floorDiv(stallNs, WINDOW_NS) - 2) * WINDOW_NS;
        // every bar has settled: ours of the last window that ended before the stall are published (bars are
        // published in window order, after every late trade of the windows before it)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> bars.ours
                .containsKey(Bars.key("AAPL", to + WINDOW_NS)) && bars.ours.containsKey(Bars.key("MSFT", to + WINDOW_NS)));
        c.stop();
        List<String> differences = new ArrayList<>();
        int compared = 0;
        Set<String> keys = new HashSet<>(bars.theirs.keySet());
        keys.addAll(bars.ours.keySet());
        for (String k : keys) {
            long start = Long.parseLong(k.substring(k.indexOf('@') + 1));
            if (start < from || start > to || bars.amended.contains(k)) continue;
            Bar o = bars.ours.get(k);
            Bar t = bars.theirs.get(k);
            compared++;
            if (o == null || t == null) {
                differences.add(k + (o == null ? " only theirs" : " only ours"));
                continue;
            }
            boolean openOk = o.open() == t.open() || bars.sameMillisecond(k, o.open(), t.open());
            boolean closeOk = o.close() == t.close() || bars.sameMillisecond(k, o.close(), t.close());
            if (!openOk || o.high() != t.high() || o.low() != t.low() || !closeOk
                    || o.volume() != t.volume() || Math.abs(o.vwap() - t.vwap()) > 1e-4
                    || (t.tradeCount() != com.systemtrader.schema.Absent.LONG && t.tradeCount() != o.tradeCount())) {
                differences.add(k + " ours " + o + " theirs " + t);
            }
        }
        assertThat(compared).as("windows compared from %d to %d (first trade %d, stall %d); ours %d, theirs %d, amended %s", from,
                to, bars.firstTradeNs, stallNs, bars.ours.size(), bars.theirs.size(), bars.amended).isGreaterThanOrEqualTo(6);
        assertThat(differences).isEmpty();
    }

    /** Polygon's AM bars are never updated: late trades here are at most 80 ms late, inside its 100 ms emit delay. */
    @Test void polygonBarsFromTradesEqualTheAmBars() throws Exception {
        try (ExchangeSimulator sim = simulator(80, 3_000);
             WebsocketCollector c = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T", "AM")), defaultKeys(),
                     data(), null)) {
            compare(sim, c, new Bars());
            assertThat(c.barCrossCheck().orElseThrow().figures().matched()).isPositive();
        }
    }

    /**
     * Alpaca's updated bars take late trades until 500 ms after the window: late trades here are up to 300 ms late.
     * Windows with a correction or cancel are left out (Alpaca's bars do not apply them; ours do), so the rate is
     * low enough that most windows have none.
     */
    @Test void alpacaBarsFromTradesEqualTheMinuteAndUpdatedBars() throws Exception {
        try (ExchangeSimulator sim = simulator(300, 600);
             WebsocketCollector c = new AlpacaWebsocketCollector(alpacaFeed(sim, "sip",
                     List.of("trades", "bars", "updatedBars")), defaultKeys(), data(), null)) {
            compare(sim, c, new Bars());
        }
    }
}
