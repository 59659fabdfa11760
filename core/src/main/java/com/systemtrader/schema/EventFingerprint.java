package com.systemtrader.schema;

/**
 * A stable 64-bit hash of an event's normalized content, for events the provider gives no identity of their own
 * (a quote without a sequence number, a trade without a trade id). Two events with the same content get the same
 * fingerprint on every run, JVM and machine; events that differ in any hashed field get different ones (up to 64-bit
 * collisions). The event time, symbol and source are <em>not</em> hashed: callers pair the fingerprint with them.
 *
 * <p><b>What is hashed</b>, in this order, each field as one 64-bit word:
 * <ul>
 *   <li>{@link Quote}: the tag {@code 'Q'}, bid exchange, bid price, bid size, ask exchange, ask price, ask size,
 *       tape, then the conditions and the indicators (each as its count followed by its codes).</li>
 *   <li>{@link Trade}: the tag {@code 'T'}, exchange, TRF id, price, size, tape, sequence, then the conditions.</li>
 * </ul>
 * Never hashed: the receive time (it differs between receivers and between a live event and its replay), the
 * provider's identity fields themselves (trade id, a quote's sequence) and the TRF time (streamed in milliseconds,
 * served by history in nanoseconds).
 *
 * <p><b>Canonical values.</b> Absent values are their {@link Absent} markers; a {@code null} condition list counts
 * as empty. A price is hashed as the IEEE-754 bits of the double, with {@code -0.0} taken as {@code 0.0} and every
 * NaN as one NaN: every decoder turns a price's decimal text into the correctly rounded double (JSON text, the REST
 * history's JSON) or carries the double itself (MessagePack float64), so the same price yields the same bits
 * whichever way it arrived. This is equivalent to hashing the price's shortest round-trip decimal.
 *
 * <p><b>The hash</b>: {@code h = 0x5354_4944_4b45_5931} ("STIDKEY1"); for each word {@code w},
 * {@code h = rotl(h ^ fmix64(w), 31) * 0x9E3779B97F4A7C15}; the result is {@code fmix64(h)}, with {@code fmix64} the
 * MurmurHash3 64-bit finalizer. It is part of the stored data ({@code websocket_data.event_id}): changing it changes
 * the identity of every event without a provider id.
 */
public final class EventFingerprint {
    private static final long SEED = 0x5354_4944_4b45_5931L;
    private static final long CANONICAL_NAN = 0x7ff8_0000_0000_0000L;

    private EventFingerprint() {}

    /** The fingerprint of a quote's content (sequence, time, symbol and source excluded). */
    public static long of(Quote q) {
        long h = SEED;
        h = step(h, 'Q');
        h = step(h, q.bidExchange());
        h = step(h, price(q.bidPrice()));
        h = step(h, q.bidSize());
        h = step(h, q.askExchange());
        h = step(h, price(q.askPrice()));
        h = step(h, q.askSize());
        h = step(h, q.tape());
        h = codes(h, q.conditions());
        h = codes(h, q.indicators());
        return fmix64(h);
    }

    /** The fingerprint of a trade's content (trade id, TRF time, time, symbol and source excluded). */
    public static long of(Trade t) {
        long h = SEED;
        h = step(h, 'T');
        h = step(h, t.exchange());
        h = step(h, t.trfId());
        h = step(h, price(t.price()));
        h = step(h, t.size());
        h = step(h, t.tape());
        h = step(h, t.sequence());
        h = codes(h, t.conditions());
        return fmix64(h);
    }

    /** The canonical bits of a price: {@code -0.0} as {@code 0.0}, one NaN. */
    static long price(double p) {
        if (p == 0.0) return 0L;
        if (Double.isNaN(p)) return CANONICAL_NAN;
        return Double.doubleToRawLongBits(p);
    }

    private static long codes(long h, Conditions c) {
        int n = c == null ? 0 : c.size();
        h = step(h, n);
        for (int i = 0; i < n; i++) h = step(h, c.get(i));
        return h;
    }

    private static long step(long h, long w) {
        return Long.rotateLeft(h ^ fmix64(w), 31) * 0x9E37_79B9_7F4A_7C15L;
    }

    /** MurmurHash3's 64-bit finalizer. */
    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51_afd7_ed55_8ccdL;
        k ^= k >>> 33;
        k *= 0xc4ce_b9fe_1a85_ec53L;
        k ^= k >>> 33;
        return k;
    }
}
