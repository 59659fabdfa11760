package com.systemtrader.simulator;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.simulator.market.SyntheticMarket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market thread: about every millisecond it advances the synthetic market by the number of messages the
 * configured rate makes due, and hands the tick's events to every open session. When it falls behind by more
 * than 50 ms of messages, the backlog is skipped (a market does not queue), and the skipped count is kept.
 */
final class MarketEngine implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MarketEngine.class);
    private final SyntheticMarket market;
    private final SimulatorContext ctx;
    private final List<MarketEvent> tick = new ArrayList<>(4096);
    /** Bounds one tick's event list whatever the rate (50 ms at 5 million messages per second). */
    static final long MAX_EVENTS_PER_TICK = 250_000;
    private volatile boolean running = true;
    private volatile long rate;
    private long skipped;

    MarketEngine(SyntheticMarket market, SimulatorContext ctx) {
        this.market = market;
        this.ctx = ctx;
        this.rate = ctx.config.ratePerSecond();
    }

    /** Changes the message rate from now on. */
    void rate(long perSecond) {
        this.rate = perSecond;
    }

    long skipped() { return skipped; }

    void stop() {
        running = false;
    }

    @Override public void run() {
        long lastMono = System.nanoTime();
        double carry = 0;
        while (running) {
            long mono = System.nanoTime();
            long now = Timestamps.nowNs();
            double due = carry + (mono - lastMono) * (rate / 1e9);
            lastMono = mono;
            long cap = Math.min(MAX_EVENTS_PER_TICK, Math.max(1, rate / 20));
            if (due > cap) {
                skipped += (long) (due - cap);
                due = cap;
            }
            int count = (int) due;
            carry = due - count;
            try {
                market.step(now, count, tick);
                if (!tick.isEmpty()) {
                    for (SimSession s : ctx.sessions.all) s.deliver(tick, now);
                }
            } catch (RuntimeException e) {
                LOG.error("market tick failed; continuing", e);
            } finally {
                tick.clear();
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }
}
