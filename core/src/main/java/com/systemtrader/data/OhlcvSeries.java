package com.systemtrader.data;

import com.systemtrader.schema.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * The answer of {@link RealtimeDataProvider#getOhlcv}: up to {@code requested} bars, oldest first, each with its
 * tier, the runs ({@link #parts}) where tiers were stitched together, whether all requested bars were found, and
 * how stale the newest bar is. {@link #toDataFrame()} gives the DFLib view (the counterpart of the original
 * docs' pandas DataFrame); building it is the caller's choice, never on the serving path.
 *
 * @param origin    built or provider bars (never both in one series)
 * @param requested bars asked for (for a time range: the bars found)
 * @param complete  true when {@code requested} bars were found (for a time range: bars from its first bucket to its
 *                  last or to the open one)
 * @param gaps      why the series is not complete; empty when it is
 * @param staleness age of the newest bar's window end at answer time (zero while the bar is still open)
 * @param fresh     the newest bar's window end is within the freshness limit
 * @param attempts  every tier and source looked at, in order
 */
public record OhlcvSeries(String symbol, OhlcvInterval interval, BarOrigin origin, int requested, List<OhlcvBar> bars,
                          List<SeriesPart> parts, boolean complete, String gaps, Duration staleness, boolean fresh,
                          List<Attempt> attempts) {
    public OhlcvSeries {
        bars = List.copyOf(bars);
        parts = List.copyOf(parts);
        attempts = List.copyOf(attempts);
    }

    /** The sources the bars came from (usually one). */
    public List<DataSource> sources() {
        return parts.stream().map(SeriesPart::source).distinct().toList();
    }

    /** Runs of same (tier, source) over {@code bars}. */
    static List<SeriesPart> partsOf(List<OhlcvBar> bars) {
        List<SeriesPart> out = new ArrayList<>();
        int i = 0;
        while (i < bars.size()) {
            OhlcvBar first = bars.get(i);
            int j = i;
            while (j + 1 < bars.size() && bars.get(j + 1).tier() == first.tier()
                    && bars.get(j + 1).source() == first.source()) {
                j++;
            }
            out.add(new SeriesPart(first.tier(), first.source(), first.startNs(), bars.get(j).startNs(), j - i + 1));
            i = j + 1;
        }
        return out;
    }

    /**
     * A DFLib frame with columns {@code time} (Instant), {@code open}, {@code high}, {@code low}, {@code close}
     * (double), {@code volume} (long), {@code vwap} (double), {@code trade_count} (long), {@code tier},
     * {@code state}, {@code origin}, {@code source} (String); one row per bar, oldest first.
     */
    public DataFrame toDataFrame() {
        int n = bars.size();
        Instant[] time = new Instant[n];
        double[] open = new double[n], high = new double[n], low = new double[n], close = new double[n],
                vwap = new double[n];
        long[] volume = new long[n], count = new long[n];
        String[] tier = new String[n], source = new String[n], state = new String[n], origin = new String[n];
        for (int i = 0; i < n; i++) {
            OhlcvBar b = bars.get(i);
            time[i] = Instant.ofEpochSecond(0, b.startNs());
            open[i] = b.open();
            high[i] = b.high();
            low[i] = b.low();
            close[i] = b.close();
            volume[i] = b.volume();
            vwap[i] = b.vwap();
            count[i] = b.tradeCount();
            tier[i] = b.tier().label();
            state[i] = b.state().label();
            origin[i] = b.origin().label();
            source[i] = b.source().name().toLowerCase(java.util.Locale.ROOT);
        }
        return DataFrame.byColumn("time", "open", "high", "low", "close", "volume", "vwap", "trade_count", "tier",
                "state", "origin", "source").of(Series.of(time), Series.ofDouble(open), Series.ofDouble(high),
                Series.ofDouble(low), Series.ofDouble(close), Series.ofLong(volume), Series.ofDouble(vwap),
                Series.ofLong(count), Series.of(tier), Series.of(state), Series.of(origin), Series.of(source));
    }
}
