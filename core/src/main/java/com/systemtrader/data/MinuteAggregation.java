package com.systemtrader.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Minute bars into bars of a longer interval, the way the database's roll-ups build {@code ohlcv_5m} from
 * {@code ohlcv_1m} (docs/DATA_MODEL.md): buckets aligned to the epoch in UTC, open of the first minute, close of the
 * last, high and low over all, volume and trade count summed, VWAP weighted by volume. Used for the tiers that hold
 * minute bars only (memory, Redis, the providers' minute bars in the database).
 */
final class MinuteAggregation {
    private MinuteAggregation() {}

    /**
     * Where to start reading minutes for buckets from {@code fromNs}: one interval before the first bucket, so that
     * {@link #of} can tell a first bucket whose earlier minutes the tier does not hold.
     */
    static long readFrom(long fromNs, OhlcvInterval interval) {
        if (interval == OhlcvInterval.M1) return fromNs;
        long w = interval.nanos();
        return Math.floorDiv(fromNs, w) * w - w;
    }

    /**
     * The bars of {@code interval} starting at or after {@code fromNs}, from minute bars read from
     * {@link #readFrom} (oldest first). The first bucket of what was read is dropped when its first minute is not
     * the bucket's first and nothing older was held: the tier may have started inside it (a cache filled since the
     * collector started), and a bar of part of a bucket is not that bucket's bar.
     */
    static List<OhlcvBar> of(List<OhlcvBar> minutes, OhlcvInterval interval, long fromNs, long nowNs) {
        if (interval == OhlcvInterval.M1) {
            List<OhlcvBar> out = new ArrayList<>(minutes.size());
            for (OhlcvBar m : minutes) if (m.startNs() >= fromNs) out.add(m);
            return out;
        }
        long w = interval.nanos();
        List<OhlcvBar> out = new ArrayList<>(minutes.size() / interval.minutes() + 1);
        int i = 0;
        while (i < minutes.size()) {
            OhlcvBar first = minutes.get(i);
            long bucket = Math.floorDiv(first.startNs(), w) * w;
            double high = first.high(), low = first.low(), close = first.close(), notional = 0;
            long volume = 0, count = 0;
            boolean countKnown = true, revised = false;
            int j = i;
            for (; j < minutes.size() && Math.floorDiv(minutes.get(j).startNs(), w) * w == bucket; j++) {
                OhlcvBar b = minutes.get(j);
                high = Math.max(high, b.high());
                low = Math.min(low, b.low());
                close = b.close();
                volume += b.volume();
                notional += (Double.isNaN(b.vwap()) ? b.close() : b.vwap()) * b.volume();
                if (b.tradeCount() < 0) countKnown = false;
                else count += b.tradeCount();
                revised |= b.state() == BarState.REVISED;
            }
            boolean cut = i == 0 && first.startNs() > bucket;
            if (!cut && bucket >= fromNs) {
                BarState state = BarState.at(bucket, w, nowNs, revised ? BarState.REVISED : BarState.FINAL);
                out.add(new OhlcvBar(bucket, first.open(), high, low, close, volume,
                        volume > 0 ? notional / volume : Double.NaN, countKnown ? count : -1, state, first.origin(),
                        first.tier(), first.source()));
            }
            i = j;
        }
        return out;
    }

    /** The newest {@code limit} of {@code bars} (oldest first). */
    static List<OhlcvBar> newest(List<OhlcvBar> bars, int limit) {
        return bars.size() <= limit ? bars : List.copyOf(bars.subList(bars.size() - limit, bars.size()));
    }
}
