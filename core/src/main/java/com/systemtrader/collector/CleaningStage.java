package com.systemtrader.collector;

import com.systemtrader.bars.BarBuilder;
import com.systemtrader.bars.BarConfig;
import com.systemtrader.bars.BarCrossCheck;
import com.systemtrader.bars.BarSink;
import com.systemtrader.clean.DataCleaner;
import com.systemtrader.clean.Flags;
import com.systemtrader.clean.Quarantine;
import com.systemtrader.config.DataConfig;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.sip.TradeEligibility;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The collector's cleaning stage, on its pipeline thread: the {@link DataCleaner}, the {@link BarBuilder} fed with
 * the cleaned trades (and the cancels and corrections that amend them), and the {@link BarCrossCheck} of our minute
 * bars against the provider's.
 */
final class CleaningStage {
    private static final long TICK_NS = 50_000_000L;

    final DataCleaner cleaner;
    final BarBuilder bars;
    final BarCrossCheck crossCheck;
    private long nextTickNs;

    CleaningStage(DataConfig data, FeedProtocol protocol, boolean providerMinuteBars, MeterRegistry registry,
                  BarSink sink) {
        String source = protocol.source().name().toLowerCase();
        TradeEligibility eligibility = TradeEligibility.standard();
        this.cleaner = new DataCleaner(data.cleaner(), source, protocol.feedName(), eligibility,
                new Quarantine(data.cleaner().quarantineCapacity()), registry);
        BarConfig bc = data.bars();
        if (bc.mode() == BarConfig.Mode.OFF) {
            this.bars = null;
            this.crossCheck = null;
        } else {
            this.bars = new BarBuilder(bc, protocol.source(), eligibility, data.cleaner().maxFuture().toNanos(),
                    published(bc.mode(), providerMinuteBars, sink));
            this.crossCheck = new BarCrossCheck(Math.max(1_000_000_000L, bc.minuteLength().toNanos() / 10),
                    bc.minuteLateWindow().toNanos() + bc.minuteLength().toNanos() * 2);
            if (providerMinuteBars) bars.finals(crossCheck);
            bars.unwatchedFrom(Long.MIN_VALUE); // nothing is watched before the feed first streams
            if (registry != null) register(registry, source, protocol.feedName());
        }
    }

    /**
     * What goes to the sinks: built minute bars always (the {@code built} origin every tier serves,
     * docs/DATA_MODEL.md); one-second bars in {@code always} mode, or in {@code auto} mode for feeds without the
     * provider's minute bars.
     */
    private static BarSink published(BarConfig.Mode mode, boolean providerMinuteBars, BarSink sink) {
        if (mode == BarConfig.Mode.ALWAYS || !providerMinuteBars) return sink;
        return (bar, revision) -> {
            if (bar.interval() != com.systemtrader.schema.BarInterval.SECOND) sink.onBar(bar, revision);
        };
    }

    private void register(MeterRegistry registry, String source, String feed) {
        Tags tags = Tags.of("source", source, "feed", feed);
        FunctionCounter.builder("bars.published", bars, BarBuilder::published).tags(tags)
                .description("bars built from trades, first versions").register(registry);
        FunctionCounter.builder("bars.revisions", bars, BarBuilder::revisions).tags(tags)
                .description("built bars revised by late trades, cancels or corrections").register(registry);
        FunctionCounter.builder("bars.incomplete", bars, BarBuilder::incomplete).tags(tags)
                .description("windows not published: the feed did not watch all of them (start, outage)")
                .register(registry);
        FunctionCounter.builder("bars.trades.too.late", bars, BarBuilder::tooLate).tags(tags)
                .description("trades later than their bar's late window").register(registry);
        FunctionCounter.builder("bars.crosscheck.compared", crossCheck, x -> x.figures().compared()).tags(tags)
                .description("our minute bars compared with the provider's").register(registry);
        FunctionCounter.builder("bars.crosscheck.mismatched", crossCheck, x -> x.figures().mismatched()).tags(tags)
                .description("our minute bars unlike the provider's, not explained by cancels or corrections")
                .register(registry);
        FunctionCounter.builder("bars.crosscheck.explained", crossCheck, x -> x.figures().explainedByCorrections())
                .tags(tags).description("bar differences explained by cancels or corrections").register(registry);
        Gauge.builder("bars.crosscheck.max.price.diff", crossCheck, x -> x.figures().maxPriceDiffFraction()).tags(tags)
                .description("largest price difference between our bars and the provider's, as a fraction")
                .register(registry);
    }

    /** An outage began at {@code fromNs} (the last data): windows from there on are incomplete until it ends. */
    void unwatchedFrom(long fromNs) {
        if (bars != null) bars.unwatchedFrom(fromNs);
    }

    /** The feed streams (again) from {@code nowNs}. */
    void watchedFrom(long nowNs) {
        if (bars != null) bars.watchedFrom(nowNs);
    }

    void beginFrame(byte[] b, int off, int len, boolean binary, long rx) { cleaner.beginFrame(b, off, len, binary, rx); }

    void endFrame() { cleaner.endFrame(); }

    /** Cleans one event and feeds the bar builder and cross-check; returns the verdict. */
    int clean(MarketEvent e, boolean subscribed) {
        int verdict = cleaner.clean(e, subscribed);
        if (bars == null || !Flags.kept(verdict)) return verdict;
        switch (e) {
            case Trade t -> bars.onTrade(t, verdict, cleaner.lastTradeId(), cleaner.lastTradeVenue(), t.receiveTimeNs());
            case TradeCancel x -> bars.onCancel(x, x.receiveTimeNs());
            case TradeCorrection c -> bars.onCorrection(c, c.receiveTimeNs());
            case Bar b -> crossCheck.onProviderBar(b);
            default -> { }
        }
        return verdict;
    }

    /** Publishes due bars; called often, acts every 50 ms. */
    void tick(long monoNs, long nowNs) {
        if (bars == null || monoNs < nextTickNs) return;
        nextTickNs = monoNs + TICK_NS;
        bars.tick(nowNs);
        crossCheck.tick(nowNs);
    }

    void flush(long nowNs) {
        if (bars != null) bars.flush(nowNs);
    }
}
