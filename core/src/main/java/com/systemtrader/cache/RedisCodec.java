package com.systemtrader.cache;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.TradingStatus;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The sorted-set member: a compact JSON object with a fixed field order, so that the same event always gives the
 * same text and a re-sent event is the same member ({@code ZADD} returns 0). Field names follow Polygon's WebSocket
 * names; times are epoch <b>nanoseconds</b>; absent values (NaN, {@link Absent}) are left out; condition lists are
 * integer arrays; one-letter codes are one-character strings. The receive time is not stored (it differs between
 * processes that receive the same event; a decoded event has receive time 0). Symbol, source and type are in the key.
 * Field tables per type are in docs/REDIS_SCHEMA.md.
 */
public final class RedisCodec {
    private static final JsonFactory JSON = new JsonFactory();

    private RedisCodec() {}

    /** The member text of an event of a kept type; {@code null} for types the Redis cache does not keep. */
    public static String encode(MarketEvent e) {
        Member m = new Member();
        return m.encode(e) ? m.toString() : null;
    }

    /**
     * A reusable member encoder that writes UTF-8 straight into its own growing byte array, so the writer allocates
     * only the final member array per event. Not thread-safe: one per writer thread.
     */
    public static final class Member {
        private byte[] buf = new byte[160];
        private int len;

        /** Encodes {@code e}; false (and nothing written) for types the Redis cache does not keep. */
        public boolean encode(MarketEvent e) {
            len = 0;
            if (e instanceof TradeCorrection || e instanceof TradeCancel) return false;
            ascii("{\"t\":");
            digits(e.eventTimeNs());
            switch (e) {
                case Trade t -> {
                    num("p", t.price());
                    lng("s", t.size());
                    in("x", t.exchange());
                    str("i", t.tradeId());
                    chr("z", t.tape());
                    lng("q", t.sequence());
                    in("trfi", t.trfId());
                    lng("trft", t.trfTimeNs());
                    codes("c", t.conditions());
                }
                case Quote q -> {
                    in("bx", q.bidExchange());
                    num("bp", q.bidPrice());
                    lng("bs", q.bidSize());
                    in("ax", q.askExchange());
                    num("ap", q.askPrice());
                    lng("as", q.askSize());
                    codes("c", q.conditions());
                    codes("i", q.indicators());
                    chr("z", q.tape());
                    lng("q", q.sequence());
                }
                case Bar r -> {
                    lng("e", r.endTimeNs());
                    num("o", r.open());
                    num("h", r.high());
                    num("l", r.low());
                    num("c", r.close());
                    lng("v", r.volume());
                    num("vw", r.vwap());
                    lng("n", r.tradeCount());
                    lng("av", r.accumulatedVolume());
                    num("op", r.officialOpen());
                    num("a", r.dayVwap());
                    lng("z", r.averageTradeSize());
                    if (r.otc()) ascii(",\"otc\":true");
                    if (r.interval() == BarInterval.UPDATED_MINUTE) ascii(",\"u\":true");
                    if (r.origin() != null && r.origin() != r.source()) str("org", RedisKeys.sourceToken(r.origin()));
                }
                case TradingStatus s -> {
                    str("sc", s.statusCode());
                    str("sm", s.statusMessage());
                    str("rc", s.reasonCode());
                    str("rm", s.reasonMessage());
                    chr("z", s.tape());
                }
                case LuldBand l -> {
                    num("h", l.limitUp());
                    num("l", l.limitDown());
                    codes("i", l.indicators());
                    chr("z", l.tape());
                    lng("q", l.sequence());
                }
                case Imbalance m -> {
                    num("p", m.price());
                    lng("iq", m.imbalanceQuantity());
                    lng("pq", m.pairedQuantity());
                    in("at", m.auctionTime());
                    chr("aty", m.auctionType());
                    in("x", m.exchange());
                    chr("z", m.tape());
                }
                case TradeCorrection c -> { }
                case TradeCancel c -> { }
            }
            put((byte) '}');
            return true;
        }

        /** The encoder's own buffer: the last member is its first {@link #length()} bytes, until the next encode. */
        byte[] array() {
            return buf;
        }

        int length() {
            return len;
        }

        /** A copy of the last encoded member's bytes. */
        public byte[] bytes() {
            return Arrays.copyOf(buf, len);
        }

        @Override public String toString() {
            return new String(buf, 0, len, StandardCharsets.UTF_8);
        }

        // ---- fixed order, deterministic number text ----

        private void num(String k, double v) {
            if (Double.isNaN(v) || Double.isInfinite(v)) return;
            key(k);
            if (v == Math.rint(v) && Math.abs(v) < 1e15) digits((long) v);
            else if (!fourDecimals(v)) ascii(Double.toString(v)); // shortest text that reads back (JDK 19+)
        }

        /**
         * Prices with at most four decimals in [0.001, 1e7) written without {@link Double#toString}: the same text
         * (the shortest decimal that reads back is the unique one with at most four decimals, since 1e-4 is far
         * wider than a double's spacing there, and Double.toString writes plain notation in that range), at a
         * fraction of the cost. False when {@code v} is not such a price.
         */
        private boolean fourDecimals(double v) {
            double abs = Math.abs(v);
            if (!(abs >= 1e-3 && abs < 1e7)) return false;
            long scaled = Math.round(abs * 10_000);
            if (scaled / 10_000.0 != abs) return false;
            if (v < 0) put((byte) '-');
            digits(scaled / 10_000);
            put((byte) '.');
            int frac = (int) (scaled % 10_000);
            int n = 4;
            while (frac % 10 == 0) {
                frac /= 10;
                n--;
            }
            for (int d = n - 1, p = (int) Math.pow(10, d); d >= 0; d--, p /= 10) put((byte) ('0' + frac / p % 10));
            return true;
        }

        private void lng(String k, long v) {
            if (v == Absent.LONG) return;
            key(k);
            digits(v);
        }

        private void in(String k, int v) {
            if (v == Absent.INT) return;
            key(k);
            digits(v);
        }

        private void chr(String k, char c) {
            if (c != Absent.CHAR) str(k, String.valueOf(c));
        }

        private void codes(String k, Conditions c) {
            if (c == null || c.isEmpty()) return;
            key(k);
            put((byte) '[');
            for (int i = 0; i < c.size(); i++) {
                if (i > 0) put((byte) ',');
                digits(c.get(i));
            }
            put((byte) ']');
        }

        private void str(String k, String s) {
            if (s == null) return;
            key(k);
            put((byte) '"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    put((byte) '\\');
                    put((byte) c);
                } else if (c < 0x20) {
                    ascii(String.format("\\u%04x", (int) c));
                } else if (c < 0x80) {
                    put((byte) c);
                } else {
                    int end = i + 1;
                    while (end < s.length() && s.charAt(end) >= 0x80) end++;
                    byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8); // rare: non-ASCII run
                    for (byte x : utf8) put(x);
                    i = end - 1;
                }
            }
            put((byte) '"');
        }

        private void key(String k) {
            put((byte) ',');
            put((byte) '"');
            ascii(k);
            put((byte) '"');
            put((byte) ':');
        }

        private void ascii(String s) {
            for (int i = 0; i < s.length(); i++) put((byte) s.charAt(i));
        }

        private void digits(long v) {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            if (v < 0) {
                put((byte) '-');
                v = -v;
            }
            int n = 1;
            for (long x = v; x >= 10; x /= 10) n++;
            if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            for (int i = len + n - 1; i >= len; i--) {
                buf[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            len += n;
        }

        private void put(byte b) {
            if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            buf[len++] = b;
        }
    }

    /** Decodes a member of {@code series} back to the event (receive time 0). */
    public static MarketEvent decode(SeriesKey series, String member) {
        Fields f = parse(member);
        DataSource src = series.source();
        String sym = series.symbol();
        return switch (series.type()) {
            case TRADE -> new Trade(src, sym, f.t, 0, f.d("p"), f.l("s"), f.i("x"), f.s("i"), f.c("z"), f.l("q"),
                    f.i("trfi"), f.l("trft"), f.codes("c"));
            case QUOTE -> new Quote(src, sym, f.t, 0, f.i("bx"), f.d("bp"), f.l("bs"), f.i("ax"), f.d("ap"),
                    f.l("as"), f.codes("c"), f.codes("i"), f.c("z"), f.l("q"));
            case BAR -> new Bar(src, sym, f.bool("u") ? BarInterval.UPDATED_MINUTE : series.interval(), f.t,
                    f.l("e"), 0, f.d("o"), f.d("h"), f.d("l"), f.d("c"), f.l("v"), f.d("vw"), f.l("n"), f.l("av"),
                    f.d("op"), f.d("a"), f.l("z"), f.bool("otc"),
                    f.s("org") == null ? src : DataSource.valueOf(f.s("org").toUpperCase(Locale.ROOT)));
            case TRADING_STATUS -> new TradingStatus(src, sym, f.t, 0, f.s("sc"), f.s("sm"), f.s("rc"), f.s("rm"),
                    f.c("z"));
            case LULD -> new LuldBand(src, sym, f.t, 0, f.d("h"), f.d("l"), f.codes("i"), f.c("z"), f.l("q"));
            case IMBALANCE -> new Imbalance(src, sym, f.t, 0, f.d("p"), f.l("iq"), f.l("pq"), f.i("at"), f.c("aty"),
                    f.i("x"), f.c("z"));
            default -> throw new IllegalArgumentException("type not kept in Redis: " + series.type());
        };
    }

    /** The event time (ns) of a member: its leading {@code {"t":<ns>} field, read without a full parse. */
    public static long eventTimeNs(String member) {
        int i = 5; // after {"t":
        boolean neg = member.charAt(i) == '-';
        if (neg) i++;
        long v = 0;
        for (; i < member.length(); i++) {
            char c = member.charAt(i);
            if (c < '0' || c > '9') break;
            v = v * 10 + (c - '0');
        }
        return neg ? -v : v;
    }

    // ---- decoding ----

    private static Fields parse(String member) {
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(member)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("member is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (v) {
                    case VALUE_NUMBER_INT -> f.put(name, p.getLongValue());
                    case VALUE_NUMBER_FLOAT -> f.put(name, p.getDoubleValue());
                    case VALUE_STRING -> f.put(name, p.getText());
                    case VALUE_TRUE, VALUE_FALSE -> f.put(name, v == JsonToken.VALUE_TRUE);
                    case START_ARRAY -> {
                        int[] codes = new int[8];
                        int n = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (n == codes.length) codes = Arrays.copyOf(codes, n * 2);
                            codes[n++] = p.getIntValue();
                        }
                        f.put(name, Conditions.of(codes, 0, n));
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bad cache member", e);
        }
        Object t = f.get("t");
        if (!(t instanceof Long ns)) throw new IllegalArgumentException("member has no event time t");
        f.t = ns;
        return f;
    }

    /** A small name-to-value map of one member (members have at most ~16 fields). */
    private static final class Fields {
        private final String[] names = new String[24];
        private final Object[] values = new Object[24];
        private int n;
        long t;

        void put(String k, Object v) {
            if (n < names.length) {
                names[n] = k;
                values[n++] = v;
            }
        }

        Object get(String k) {
            for (int i = 0; i < n; i++) if (names[i].equals(k)) return values[i];
            return null;
        }

        double d(String k) {
            return get(k) instanceof Number x ? x.doubleValue() : Double.NaN;
        }

        long l(String k) {
            return get(k) instanceof Number x ? x.longValue() : Absent.LONG;
        }

        int i(String k) {
            return get(k) instanceof Number x ? x.intValue() : Absent.INT;
        }

        char c(String k) {
            return get(k) instanceof String s && !s.isEmpty() ? s.charAt(0) : Absent.CHAR;
        }

        String s(String k) {
            return get(k) instanceof String s ? s : null;
        }

        boolean bool(String k) {
            return Boolean.TRUE.equals(get(k));
        }

        Conditions codes(String k) {
            return get(k) instanceof Conditions c ? c : Conditions.NONE;
        }
    }
}
