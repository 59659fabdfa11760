package com.systemtrader.backfill;

import com.systemtrader.collector.Gap;
import com.systemtrader.schema.DataSource;
import com.systemtrader.vendor.VendorModule;
import java.util.List;
import java.util.Objects;

/**
 * What to backfill: a provider's data for {@code symbols} over {@code [startNs, endNs)}. Gaps and restarts get the
 * configured margins around the window ({@link BackfillConfig}); a manual request is fetched exactly as given.
 *
 * @param source   whose REST API to ask: {@link DataSource#POLYGON} or {@link DataSource#ALPACA}
 * @param feed     the feed the data was missed on ({@code stocks}, {@code v2/sip}), or {@code manual}; with
 *                 {@code source} and {@code startNs} it keys the {@code gap_ledger} row
 * @param channels the channels that were subscribed: trades are fetched when a trade channel is among them (or the
 *                 list is empty), minute bars when only a bar channel is
 * @param endNs    0 for "up to now"
 */
public record BackfillRequest(DataSource source, String feed, List<String> channels, List<String> symbols,
                              long startNs, long endNs, String cause, Trigger trigger) {
    /** Why the backfill runs. */
    public enum Trigger {
        /** A collector's gap closed (after a reconnect). */
        GAP,
        /** At start-up, from the last stored event (covers a process killed without draining). */
        RESTART,
        /** Asked for by hand ({@code system-trader backfill}). */
        MANUAL
    }

    public BackfillRequest {
        Objects.requireNonNull(source, "source");
        if (VendorModule.of(source).isEmpty()) {
            throw new IllegalArgumentException("backfill needs a vendor's source ("
                    + VendorModule.installed().stream().map(m -> m.source().name()).toList() + "), not " + source);
        }
        Objects.requireNonNull(feed, "feed");
        channels = List.copyOf(channels);
        symbols = List.copyOf(symbols);
        if (symbols.isEmpty()) throw new IllegalArgumentException("no symbols to backfill");
        if (endNs != 0 && endNs < startNs) throw new IllegalArgumentException("end before start");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(trigger, "trigger");
    }

    /** The request for a closed (or still open) gap of a collector. */
    public static BackfillRequest of(Gap gap) {
        return new BackfillRequest(gap.source(), gap.feed(), gap.channels(), gap.symbols(), gap.startNs(), gap.endNs(),
                gap.cause(), Trigger.GAP);
    }

    /** A request made by hand: trades of {@code symbols} over exactly {@code [startNs, endNs)}. */
    public static BackfillRequest manual(DataSource source, List<String> symbols, long startNs, long endNs) {
        return new BackfillRequest(source, "manual", List.of(), symbols, startNs, endNs, "manual backfill",
                Trigger.MANUAL);
    }
}
