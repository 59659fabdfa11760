package com.systemtrader.bars;

import com.systemtrader.clean.CleanerConfig;
import com.systemtrader.clean.DataCleaner;
import com.systemtrader.clean.Quarantine;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Trade;
import com.systemtrader.sip.TradeEligibility;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Built minute bars from a run of historical trades (a vendor's REST trades), by the same cleaner and
 * {@link BarBuilder} as the live feed: the bars the live pipeline would have built had it received those trades in
 * time order, so that a REST answer for built bars has the numbers memory, Redis and the database have
 * (docs/DATA_MODEL.md). Stateless; each call has its own cleaner and builder.
 */
public final class HistoricalBars {
    private HistoricalBars() {}

    /**
     * The minute bars of {@code trades} (any order), oldest first; each bar's window holds all its trades only when
     * {@code trades} covers the whole window.
     *
     * @param cleaner the live cleaner's settings (without the age limit: {@link CleanerConfig#forHistory})
     */
    public static List<Bar> minutes(List<Trade> trades, DataSource origin, CleanerConfig cleaner) {
        List<Bar> out = new ArrayList<>();
        if (trades.isEmpty()) return out;
        List<Trade> sorted = new ArrayList<>(trades);
        sorted.sort(Comparator.comparingLong(Trade::eventTimeNs));
        DataCleaner c = new DataCleaner(cleaner, origin.name().toLowerCase(Locale.ROOT), "history",
                TradeEligibility.standard(), new Quarantine(cleaner.quarantineCapacity()), null);
        BarConfig config = BarConfig.defaults();
        BarBuilder builder = new BarBuilder(config, origin, TradeEligibility.standard(), cleaner.maxFuture().toNanos(),
                (bar, revision) -> {
                    if (bar.interval() == BarInterval.MINUTE || bar.interval() == BarInterval.UPDATED_MINUTE) {
                        if (revision) out.removeIf(b -> b.eventTimeNs() == bar.eventTimeNs());
                        out.add(bar);
                    }
                });
        for (Trade t : sorted) {
            // "now" is the trade's own time: no trade is late, and a window is published once the trades are past it
            long now = t.eventTimeNs();
            builder.onTrade(t.withReceiveTime(now), c.clean(t.withReceiveTime(now), true), now);
            builder.tick(now);
        }
        builder.flush(sorted.getLast().eventTimeNs() + config.minuteLength().toNanos());
        out.sort(Comparator.comparingLong(Bar::eventTimeNs));
        return out;
    }
}
