package com.systemtrader.collector;

import com.systemtrader.schema.DataSource;
import java.util.List;

/**
 * An interval in which a feed was not streaming, so data for {@code symbols} on {@code channels} may be missing
 * and should be backfilled from REST. {@code endNs} is 0 while the gap is still open.
 *
 * @param startNs when the feed stopped streaming: the last data message received before the outage, or the
 *                disconnect time when none had arrived
 */
public record Gap(DataSource source, String feed, List<String> channels, List<String> symbols, long startNs,
                  long endNs, String cause) {
    public Gap {
        channels = List.copyOf(channels);
        symbols = List.copyOf(symbols);
    }

    public boolean isOpen() { return endNs == 0; }

    Gap closedAt(long ns) {
        return new Gap(source, feed, channels, symbols, startNs, ns, cause);
    }
}
