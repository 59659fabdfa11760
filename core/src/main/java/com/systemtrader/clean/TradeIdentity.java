package com.systemtrader.clean;

import com.systemtrader.schema.EventFingerprint;
import com.systemtrader.schema.Trade;

/**
 * A trade's provider identity as two longs, without allocating: the trade id (exact when it is a number of up to 18
 * digits, as both providers' ids are; otherwise a 64-bit hash tagged so it never equals a number) and the venue
 * (exchange and, for Polygon, TRF id). Identities are unique per symbol only, so callers keep them per symbol.
 *
 * <p>A trade without a provider id ({@link Trade#hasTradeId()} false) is identified by its content at its exact
 * time, as in storage ({@link com.systemtrader.storage.EventIds}): its id key mixes the event time into its
 * {@link EventFingerprint} and carries a tag of its own, so it never equals a numeric or hashed provider id and two
 * distinct id-less trades are never taken for one.
 */
public final class TradeIdentity {
    private static final long HASH_TAG = 1L << 62;
    /** Id keys of id-less trades lie in [2^61, 2^62): above every 18-digit number, below {@link #HASH_TAG}. */
    private static final long CONTENT_TAG = 1L << 61;

    private TradeIdentity() {}

    /** The id key of {@code t}: {@link #idKey(String)} of its id, or its content key when it has none. */
    public static long idKey(Trade t) {
        if (t.hasTradeId()) return idKey(t.tradeId());
        long h = EventFingerprint.of(t) ^ Long.rotateLeft(t.eventTimeNs() * 0x9E37_79B9_7F4A_7C15L, 17);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (h & (CONTENT_TAG - 1)) | CONTENT_TAG;
    }

    public static long idKey(String tradeId) {
        int n = tradeId.length();
        if (n > 0 && n <= 18) {
            long v = 0;
            int i = 0;
            for (; i < n; i++) {
                char c = tradeId.charAt(i);
                if (c < '0' || c > '9') break;
                v = v * 10 + (c - '0');
            }
            if (i == n) return v;
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < n; i++) {
            h ^= tradeId.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (h & (HASH_TAG - 1)) | HASH_TAG;
    }

    /** Exchange (31 bits) and TRF id (32 bits; the provider's "absent" value is fine), never 0. */
    public static long venueKey(int exchange, int trfId) {
        return (1L << 63) | ((long) (exchange & 0x7FFF_FFFF) << 32) | (trfId & 0xFFFF_FFFFL);
    }
}
