package com.systemtrader.storage;

import com.systemtrader.clean.Flags;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.EventFingerprint;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A batch's rows in PostgreSQL's binary COPY format ({@link PgBinaryCopy}), written in place without a string per
 * row: trades and quotes as {@code websocket_data} rows ({@link #WS_COLUMNS}; the {@code event_id} of
 * {@link EventIds} is encoded as it is written), bars as {@code market_data} rows ({@link #MD_COLUMNS}). The
 * cleaner's verdict goes to {@code flags}, its eligibility bits ({@link Flags#ELIGIBILITY_MASK}) to
 * {@code eligibility}; bars store the verdict in {@code market_data.flags}.
 *
 * <p>Not thread-safe: one per writer connection (its {@link BatchWrite}); an encoding's bytes ({@link #stream()})
 * are valid until the next one.
 */
final class CopyRows {
    static final String WS_COLUMNS = "time, event_ns, symbol, data_type, source, event_id, received_at, trade_id,"
            + " exchange, tape, sequence, trf_id, trf_time, price, size, bid_exchange, bid_price, bid_size,"
            + " ask_exchange, ask_price, ask_size, conditions, indicators, eligibility, flags";
    private static final int WS_FIELDS = 25;
    static final String MD_COLUMNS = "time, end_time, symbol, timeframe, source, origin, open, high, low, close,"
            + " volume, vwap, trade_count, accumulated_volume, official_open, day_vwap, average_trade_size, otc,"
            + " flags, received_at";
    private static final int MD_FIELDS = 20;
    private static final byte[] TRADE = ascii("trade");
    private static final byte[] QUOTE = ascii("quote");
    private static final byte[][] SOURCE_NAMES = sourceNames();

    private final boolean storeTrades;
    private final boolean storeQuotes;
    private final PgBinaryCopy copy = new PgBinaryCopy();
    private final int[] length = new int[1];
    private final int[] codes = new int[256];
    /** Epoch seconds of the one-minute buckets of the trades the last {@link #ticks} encoded. */
    private final TreeSet<Long> tradeMinutes = new TreeSet<>();
    private long lastTradeMinute;

    CopyRows(boolean storeTrades, boolean storeQuotes) {
        this.storeTrades = storeTrades;
        this.storeQuotes = storeQuotes;
    }

    /** The rows the last {@link #ticks} or {@link #bars} encoded, as COPY's input. */
    ByteArrayInputStream stream() {
        byte[] bytes = copy.finish(length);
        return new ByteArrayInputStream(bytes, 0, length[0]);
    }

    /** Epoch seconds of the one-minute buckets of the trades the last {@link #ticks} encoded. */
    Set<Long> tradeMinutes() {
        return tradeMinutes;
    }

    /**
     * Encodes the batch's trades and quotes (as stored: {@code storeTrades}, {@code storeQuotes}) as
     * {@code websocket_data} rows; returns how many. Also collects their trades' minutes ({@link #tradeMinutes()}).
     */
    int ticks(List<? extends MarketEvent> batch, int[] flags) {
        copy.reset();
        tradeMinutes.clear();
        lastTradeMinute = Long.MIN_VALUE;
        int n = 0;
        for (int i = 0; i < batch.size(); i++) {
            int verdict = flags == null ? 0 : flags[i];
            switch (batch.get(i)) {
                case Trade t when storeTrades -> { trade(t, verdict); n++; tradeMinute(t.eventTimeNs()); }
                case Quote q when storeQuotes -> { quote(q, verdict); n++; }
                default -> { }
            }
        }
        return n;
    }

    /** Encodes the batch's bars as {@code market_data} rows, the last revision of each bar only; returns how many. */
    int bars(List<? extends MarketEvent> batch, int[] flags) {
        Map<String, Integer> last = null;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof Bar b) {
                if (last == null) last = new LinkedHashMap<>();
                last.put(b.symbol() + '\0' + timeframe(b) + '\0' + b.eventTimeNs() + '\0' + b.source() + '\0'
                        + b.origin(), i); // ON CONFLICT DO UPDATE cannot touch a row twice: keep the last revision
            }
        }
        if (last == null) return 0;
        copy.reset();
        for (int i : last.values()) bar((Bar) batch.get(i), flags == null ? 0 : flags[i]);
        return last.size();
    }

    /** Adds the one-minute bucket of a written trade to {@link #tradeMinutes} (runs of one minute cost a compare). */
    private void tradeMinute(long eventTimeNs) {
        long minute = Math.floorDiv(eventTimeNs, 60_000_000_000L) * 60;
        if (minute != lastTradeMinute) {
            lastTradeMinute = minute;
            tradeMinutes.add(minute);
        }
    }

    private void trade(Trade t, int verdict) {
        copy.row(WS_FIELDS);
        copy.timestampNs(t.eventTimeNs());
        copy.int8(t.eventTimeNs());
        copy.text(t.symbol());
        copy.text(TRADE);
        copy.text(SOURCE_NAMES[t.source().ordinal()]);
        int id = copy.beginText(); // EventIds.trade(t) written in place
        if (!t.hasTradeId()) {
            copy.appendChar('t'); // no provider id: t<ns>:<fingerprint of the content>, as for quotes
            copy.appendDecimal(t.eventTimeNs());
            copy.appendChar(':');
            copy.appendHex16(EventFingerprint.of(t));
            copy.endText(id);
            copy.timestampNs(received(t));
            if (t.tradeId() == null) copy.nul(); else copy.text(t.tradeId());
        } else {
            // <exchange>:<trf id or empty>:<trade id>
            if (!Absent.isAbsent(t.exchange())) copy.appendDecimal(t.exchange());
            copy.appendChar(':');
            if (!Absent.isAbsent(t.trfId())) copy.appendDecimal(t.trfId());
            copy.appendChar(':');
            copy.appendText(t.tradeId());
            copy.endText(id);
            copy.timestampNs(received(t));
            copy.text(t.tradeId());
        }
        optInt(t.exchange());
        tape(t.tape());
        optLong(t.sequence());
        optInt(t.trfId());
        if (Absent.isAbsent(t.trfTimeNs())) copy.nul(); else copy.timestampNs(t.trfTimeNs());
        optDouble(t.price());
        copy.int8(t.size());
        for (int i = 0; i < 6; i++) copy.nul(); // bid/ask columns
        conditions(t.conditions());
        copy.nul(); // indicators
        copy.int2(verdict & Flags.ELIGIBILITY_MASK);
        copy.int4(verdict);
    }

    private void quote(Quote q, int verdict) {
        copy.row(WS_FIELDS);
        copy.timestampNs(q.eventTimeNs());
        copy.int8(q.eventTimeNs());
        copy.text(q.symbol());
        copy.text(QUOTE);
        copy.text(SOURCE_NAMES[q.source().ordinal()]);
        int id = copy.beginText(); // EventIds.quote(q) written in place
        if (Absent.isAbsent(q.sequence())) {
            copy.appendChar('t');
            copy.appendDecimal(q.eventTimeNs());
            copy.appendChar(':');
            copy.appendHex16(EventFingerprint.of(q));
        } else {
            copy.appendChar('q');
            copy.appendDecimal(q.sequence());
        }
        copy.endText(id);
        copy.timestampNs(received(q));
        copy.nul(); // trade_id
        copy.nul(); // exchange
        tape(q.tape());
        optLong(q.sequence());
        copy.nul(); // trf_id
        copy.nul(); // trf_time
        copy.nul(); // price
        copy.nul(); // size
        optInt(q.bidExchange());
        optDouble(q.bidPrice());
        copy.int8(q.bidSize());
        optInt(q.askExchange());
        optDouble(q.askPrice());
        copy.int8(q.askSize());
        conditions(q.conditions());
        conditions(q.indicators());
        copy.int2(verdict & Flags.ELIGIBILITY_MASK);
        copy.int4(verdict);
    }

    private void bar(Bar b, int verdict) {
        copy.row(MD_FIELDS);
        copy.timestampNs(b.eventTimeNs());
        copy.timestampNs(b.endTimeNs());
        copy.text(b.symbol());
        copy.text(timeframe(b));
        copy.text(name(b.source()));
        copy.text(name(b.origin()));
        copy.float8(b.open());
        copy.float8(b.high());
        copy.float8(b.low());
        copy.float8(b.close());
        copy.int8(b.volume());
        optDouble(b.vwap());
        optLong(b.tradeCount());
        optLong(b.accumulatedVolume());
        optDouble(b.officialOpen());
        optDouble(b.dayVwap());
        optLong(b.averageTradeSize());
        copy.bool(b.otc());
        copy.int4(verdict);
        copy.timestampNs(received(b));
    }

    static String timeframe(Bar b) {
        return switch (b.interval()) {
            case SECOND -> "1s";
            case MINUTE, UPDATED_MINUTE -> "1m";
            case DAILY -> "1d";
        };
    }

    static String name(DataSource s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] sourceNames() {
        DataSource[] all = DataSource.values();
        byte[][] out = new byte[all.length][];
        for (DataSource s : all) out[s.ordinal()] = name(s).getBytes(StandardCharsets.UTF_8);
        return out;
    }

    private static long received(MarketEvent e) {
        return e.receiveTimeNs() != 0 ? e.receiveTimeNs() : e.eventTimeNs();
    }

    private void conditions(Conditions c) {
        if (c == null) {
            copy.nul();
            return;
        }
        int n = c.size();
        int[] into = n <= codes.length ? codes : new int[n];
        for (int i = 0; i < n; i++) into[i] = c.get(i);
        copy.int4Array(into, n);
    }

    private void tape(char tape) {
        if (tape == Absent.CHAR) copy.nul();
        else if (tape < 0x80) copy.textChar(tape);
        else copy.text(String.valueOf(tape));
    }

    private void optInt(int v) { if (Absent.isAbsent(v)) copy.nul(); else copy.int4(v); }

    private void optLong(long v) { if (Absent.isAbsent(v)) copy.nul(); else copy.int8(v); }

    private void optDouble(double v) { if (Double.isNaN(v)) copy.nul(); else copy.float8(v); }
}
