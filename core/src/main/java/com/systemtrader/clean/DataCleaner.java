package com.systemtrader.clean;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;
import com.systemtrader.sip.Eligibility;
import com.systemtrader.sip.TradeEligibility;
import com.systemtrader.vendor.VendorModule;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sits between a feed's decoder and every sink: validates, cleans and classifies each event, with named
 * {@link Rule}s and counters per rule and symbol. Each event gets a verdict ({@link Flags}): accepted, flagged
 * (kept, but marked), rejected (to the {@link Quarantine} with the offending element's bytes, the rule and a reason) or filtered
 * (dropped on purpose). Every received message is counted once under its {@link Outcome}, so
 * received = accepted + flagged + rejected + filtered always holds. Trades also get their SIP eligibility bits.
 *
 * <p>It keeps, per symbol, the last price (eligible, non-suspicious trades by event time) with corrections and
 * cancels applied to it, recent trade identities (duplicates), the robust price range (outliers), the LULD band and
 * halt state. Single-threaded: one cleaner per feed, called on that feed's pipeline thread; the counters, the
 * latest trades and {@link #snapshot()} may be read from any thread. Nothing is allocated per accepted event once a
 * symbol is known (rejections build a reason string and a quarantine record).
 */
public final class DataCleaner {
    /** An offending element is quarantined up to this many bytes (the record says how long it was). */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /**
     * A frame that could not be split into elements is quarantined as its first this many bytes (the record says
     * how long the frame was, so a reader sees it is truncated).
     */
    public static final int FRAME_PREFIX_BYTES = 4 * 1024;
    /** Event times before 2000-01-01 are absurd whatever the configuration says. */
    private static final long MIN_SANE_NS = 946_684_800_000_000_000L;

    private final CleanerConfig config;
    private final String source;
    private final String feed;
    private final TradeEligibility eligibility;
    private final Quarantine quarantine;
    private final ConcurrentHashMap<String, SymbolState> symbols = new ConcurrentHashMap<>();
    private final Counts totals = new Counts();
    private final long maxFutureNs;
    private final long maxAgeNs;
    private final long lateAfterNs;

    private byte[] frame;
    private int frameOff;
    private int frameLen;
    private boolean frameBinary;
    private long frameReceiveNs;
    private byte[] framePrefix;
    private int eventIndex;
    // the element the decoder reported last (FrameHandler.onElement): index, offset from the frame start, length
    private int elementIndex = -1;
    private int elementOff;
    private int elementLen = -1;
    // the element of the event being cleaned (taken from the above when clean() starts)
    private int cleaningIndex = -1;
    private int cleaningOff;
    private int cleaningLen = -1;
    private Rule lastRule;
    private long lastTradeId;
    private long lastTradeVenue;
    private String lastReason;

    public DataCleaner(CleanerConfig config, String source, String feed, TradeEligibility eligibility,
                       Quarantine quarantine, MeterRegistry registry) {
        this.config = config;
        this.source = source;
        this.feed = feed;
        this.eligibility = eligibility;
        this.quarantine = quarantine;
        this.maxFutureNs = config.maxFuture().toNanos();
        this.maxAgeNs = config.maxAge().toNanos();
        this.lateAfterNs = config.lateAfter().toNanos();
        if (registry != null) register(registry);
    }

    /** A cleaner with default settings, its own quarantine and no metrics (tests, tools). */
    public static DataCleaner withDefaults(String source, String feed) {
        CleanerConfig c = CleanerConfig.defaults();
        return new DataCleaner(c, source, feed, TradeEligibility.standard(), new Quarantine(c.quarantineCapacity()),
                null);
    }

    // ------------------------------------------------------------------ frame bracket

    /** The frame whose events follow (only the bytes of a rejected element are ever copied). */
    public void beginFrame(byte[] buf, int off, int len, boolean binary, long receiveNs) {
        frame = buf;
        frameOff = off;
        frameLen = len;
        frameBinary = binary;
        frameReceiveNs = receiveNs;
        framePrefix = null;
        eventIndex = 0;
        elementIndex = -1;
        elementLen = -1;
    }

    public void endFrame() {
        frame = null;
        framePrefix = null;
        elementIndex = -1;
        elementLen = -1;
    }

    /**
     * The decoder delimited the element whose event comes next ({@code FrameHandler#onElement}): {@code index} in
     * the frame, bytes {@code [offset, offset + length)} from the frame's first byte. A rejected event then keeps
     * these bytes only. Allocates nothing.
     */
    public void element(int index, int offset, int length) {
        elementIndex = index;
        elementOff = offset;
        elementLen = length;
    }

    /** The current frame could not be decoded (past the events already delivered): one rejected message. */
    public void malformedFrame(String reason) {
        malformedFrame(reason, -1, -1, -1);
    }

    /**
     * The current frame could not be decoded past the events already delivered: one rejected message. When the
     * decoder delimited the faulty element ({@code offset >= 0}: read whole, but a field is missing or of the wrong
     * type), that element is kept; otherwise the frame's first {@link #FRAME_PREFIX_BYTES}.
     *
     * @param index  the faulty element's index in the frame (used only with a range)
     * @param offset the element's offset from the frame's first byte, or -1 when unknown
     * @param length the element's length, or -1 when unknown
     */
    public void malformedFrame(String reason, int index, int offset, int length) {
        totals.countRule(Rule.MALFORMED_FRAME);
        totals.countOutcome(Outcome.REJECTED);
        lastRule = Rule.MALFORMED_FRAME;
        lastReason = reason;
        quarantine.add(record(null, null, Rule.MALFORMED_FRAME, reason, frameReceiveNs, -1, index, offset, length,
                null));
    }

    /** An element of a type this version does not know: one filtered message. */
    public void unknownType(String type) {
        totals.countRule(Rule.UNKNOWN_TYPE);
        totals.countOutcome(Outcome.FILTERED);
    }

    // ------------------------------------------------------------------ events

    /**
     * Judges one decoded event.
     *
     * @param subscribed false when the event's symbol is not (or no longer) subscribed on its channel
     * @return the verdict: eligibility bits, quality flags, or {@link Flags#REJECTED} / {@link Flags#FILTERED}
     */
    public int clean(MarketEvent e, boolean subscribed) {
        int index = eventIndex++;
        cleaningIndex = elementIndex;
        cleaningOff = elementOff;
        cleaningLen = elementLen;
        elementIndex = -1;                       // used once: an event without its own report gets none
        elementLen = -1;
        String sym = e.symbol();
        if (sym == null) return reject(null, e, index, Rule.SYMBOL_FORMAT, "no symbol");
        SymbolState s = state(sym);
        if (!subscribed) return filter(s, Rule.UNSUBSCRIBED);
        if (config.clean() && s.testSymbol) return filter(s, Rule.TEST_SYMBOL);
        if (config.validate()) {
            if (s.badFormat) return reject(s, e, index, Rule.SYMBOL_FORMAT, "not a ticker symbol");
            long rx = e.receiveTimeNs() > 0 ? e.receiveTimeNs() : frameReceiveNs > 0 ? frameReceiveNs : Timestamps.nowNs();
            long t = e.eventTimeNs();
            if (t > rx + maxFutureNs) {
                return reject(s, e, index, Rule.TIME_FUTURE, "event time " + (t - rx) / 1_000_000
                        + " ms after the receive time (limit " + maxFutureNs / 1_000_000 + " ms)");
            }
            if (t < MIN_SANE_NS || t < rx - maxAgeNs) {
                return reject(s, e, index, Rule.TIME_TOO_OLD, "event time " + Timestamps.formatRfc3339(t)
                        + " older than " + config.maxAge());
            }
        }
        int verdict = switch (e) {
            case Trade t -> trade(s, t, index);
            case Quote q -> quote(s, q, index);
            case Bar b -> bar(s, b, index);
            case LuldBand l -> luld(s, l, index);
            case TradingStatus ts -> status(s, ts);
            case TradeCorrection c -> correction(s, c, index);
            case TradeCancel x -> cancel(s, x, index);
            default -> 0;
        };
        if (Flags.kept(verdict)) {
            Outcome o = (verdict & Flags.QUALITY_MASK) != 0 ? Outcome.FLAGGED : Outcome.ACCEPTED;
            s.counts.countOutcome(o);
            totals.countOutcome(o);
        }
        return verdict;
    }

    private int trade(SymbolState s, Trade t, int index) {
        s.counts.increment(Counts.TRADES);
        totals.increment(Counts.TRADES);
        if (t.tradeId() == null) return reject(s, t, index, Rule.MISSING_FIELD, "trade without a trade id");
        if (config.validate()) {
            int bad = prices(s, t, index, t.price());
            if (bad != 0) return bad;
            if (t.size() <= 0 || t.size() > config.maxSize()) {
                return reject(s, t, index, Rule.SIZE_RANGE, "size " + t.size() + " outside 1.." + config.maxSize());
            }
        }
        int v = VendorModule.conditions(t.source()).eligibility(eligibility, t);
        long id = TradeIdentity.idKey(t);
        long venue = TradeIdentity.venueKey(t.exchange(), t.trfId());
        lastTradeId = id;
        lastTradeVenue = venue;
        if (!config.clean()) {
            if (Eligibility.updatesBarOpenClose(v)) s.offerLatest(t);
            return v;
        }
        if (s.ids == null) s.ids = new TradeIdWindow(config.dedupeWindow());
        if (!s.ids.add(id, venue)) {
            return reject(s, t, index, Rule.DUPLICATE, "trade id " + t.tradeId() + " on exchange " + t.exchange()
                    + (t.trfId() >= 0 ? " TRF " + t.trfId() : "") + " already received");
        }
        if ((v & Eligibility.UNKNOWN_CONDITION) != 0) v |= fire(s, Rule.UNKNOWN_CONDITION);
        long time = t.eventTimeNs();
        if (time < s.maxTradeTimeNs) v |= fire(s, Rule.OUT_OF_ORDER);
        else s.maxTradeTimeNs = time;
        if (late(t)) v |= fire(s, Rule.LATE);
        if (s.halted) v |= fire(s, Rule.DURING_HALT);
        if ((v & (Eligibility.HIGH_LOW | Eligibility.BAR_HIGH_LOW)) != 0) {
            double p = t.price();
            if (s.limitUp > 0 && (p > s.limitUp || p < s.limitDown)) {
                v |= fire(s, Rule.OUTSIDE_LULD);
            } else {
                if (s.band == null) s.band = new PriceBand(config.outlierWindow(), config.outlierMadK(),
                        config.outlierMinFraction());
                long shifts = s.band.levelShifts();
                if (s.band.outlier(p)) v |= fire(s, Rule.OUTLIER);
                if (s.band.levelShifts() != shifts) {
                    s.counts.increment(Counts.LEVEL_SHIFTS);
                    totals.increment(Counts.LEVEL_SHIFTS);
                }
            }
        }
        if (Eligibility.updatesBarOpenClose(v) && (v & Flags.SUSPICIOUS) == 0) s.offerLatest(t);
        return v;
    }

    private boolean late(Trade t) {
        long rx = t.receiveTimeNs();
        if (rx > 0 && rx - t.eventTimeNs() > lateAfterNs) return true;
        if (t.trfTimeNs() > 0 && t.trfTimeNs() - t.eventTimeNs() > lateAfterNs) return true;
        return VendorModule.conditions(t.source()).late(t.conditions()); // sold last, out of sequence
    }

    private int quote(SymbolState s, Quote q, int index) {
        s.counts.increment(Counts.QUOTES);
        totals.increment(Counts.QUOTES);
        double bid = q.bidPrice();
        double ask = q.askPrice();
        if (config.validate()) {
            if (!Double.isFinite(bid) || !Double.isFinite(ask)) {
                return reject(s, q, index, Rule.NON_FINITE, "bid " + bid + ", ask " + ask);
            }
            if (bid < 0 || ask < 0 || bid > config.maxPrice() || ask > config.maxPrice()) {
                return reject(s, q, index, Rule.PRICE_RANGE, "bid " + bid + ", ask " + ask + " outside 0.."
                        + config.maxPrice());
            }
            if (q.bidSize() < 0 || q.askSize() < 0) {
                return reject(s, q, index, Rule.SIZE_RANGE, "bid size " + q.bidSize() + ", ask size " + q.askSize());
            }
        }
        if (!config.clean()) return 0;
        if (bid == 0 && ask == 0) return fire(s, Rule.EMPTY_QUOTE);
        if (bid == 0 || ask == 0) return fire(s, Rule.ONE_SIDED);
        if (bid > ask) return fire(s, Rule.CROSSED);
        if (bid == ask) return fire(s, Rule.LOCKED);
        return 0;
    }

    private int bar(SymbolState s, Bar b, int index) {
        if (!config.validate()) return 0;
        double o = b.open(), h = b.high(), l = b.low(), c = b.close();
        if (!Double.isFinite(o) || !Double.isFinite(h) || !Double.isFinite(l) || !Double.isFinite(c)) {
            return reject(s, b, index, Rule.NON_FINITE, "OHLC " + o + " " + h + " " + l + " " + c);
        }
        if (l <= 0 || h > config.maxPrice()) {
            return reject(s, b, index, Rule.PRICE_RANGE, "low " + l + ", high " + h + " outside (0, "
                    + config.maxPrice() + "]");
        }
        if (h < l || o < l || o > h || c < l || c > h || b.volume() < 0) {
            return reject(s, b, index, Rule.BAR_SHAPE, "OHLC " + o + " " + h + " " + l + " " + c + ", volume "
                    + b.volume());
        }
        return 0;
    }

    private int luld(SymbolState s, LuldBand l, int index) {
        double up = l.limitUp(), down = l.limitDown();
        if (config.validate()) {
            if (!Double.isFinite(up) || !Double.isFinite(down)) {
                return reject(s, l, index, Rule.NON_FINITE, "limits " + down + ".." + up);
            }
            if (down < 0 || up < 0 || (up > 0 && down > up)) {
                return reject(s, l, index, Rule.BAND_SHAPE, "limit down " + down + ", limit up " + up);
            }
        }
        s.limitUp = up;
        s.limitDown = down;
        return 0;
    }

    private int status(SymbolState s, TradingStatus ts) {
        boolean halt = ts.isHalt();
        if (s.halted && !halt && s.band != null) s.band.reset();
        s.halted = halt;
        return 0;
    }

    private int correction(SymbolState s, TradeCorrection c, int index) {
        if (missing(c.originalId()) || missing(c.correctedId())) {
            return reject(s, c, index, Rule.MISSING_FIELD, "correction without the original or corrected trade id");
        }
        if (config.validate()) {
            int bad = prices(s, c, index, c.correctedPrice());
            if (bad != 0) return bad;
            if (c.correctedSize() <= 0 || c.correctedSize() > config.maxSize()) {
                return reject(s, c, index, Rule.SIZE_RANGE, "corrected size " + c.correctedSize());
            }
        }
        int i = s.findRecent(c.exchange(), c.originalId());
        if (i < 0) {
            count(s, Counts.CORRECTIONS_UNMATCHED);
            return 0;
        }
        Trade old = s.recent(i);
        Trade fixed = new Trade(old.source(), old.symbol(), old.eventTimeNs(), old.receiveTimeNs(),
                c.correctedPrice(), c.correctedSize(), old.exchange(), c.correctedId(), old.tape(), old.sequence(),
                old.trfId(), old.trfTimeNs(), c.correctedConditions());
        s.replaceRecent(i, Eligibility.updatesBarOpenClose(VendorModule.conditions(fixed.source()).eligibility(eligibility, fixed)) ? fixed : null);
        count(s, Counts.CORRECTIONS_APPLIED);
        return 0;
    }

    private int cancel(SymbolState s, TradeCancel x, int index) {
        if (missing(x.tradeId())) return reject(s, x, index, Rule.MISSING_FIELD, "cancel without a trade id");
        int i = s.findRecent(x.exchange(), x.tradeId());
        if (i < 0) {
            count(s, Counts.CANCELS_UNMATCHED);
            return 0;
        }
        s.replaceRecent(i, null);
        count(s, Counts.CANCELS_APPLIED);
        return 0;
    }

    /** A correction or cancel names its trade by id; without one (null or empty) it cannot amend anything. */
    private static boolean missing(String tradeId) {
        return tradeId == null || tradeId.isEmpty();
    }

    private int prices(SymbolState s, MarketEvent e, int index, double price) {
        if (!Double.isFinite(price)) return reject(s, e, index, Rule.NON_FINITE, "price " + price);
        if (price <= 0 || price > config.maxPrice()) {
            return reject(s, e, index, Rule.PRICE_RANGE, "price " + price + " outside (0, " + config.maxPrice() + "]");
        }
        return 0;
    }

    // ------------------------------------------------------------------ outcomes

    private int fire(SymbolState s, Rule r) {
        s.counts.countRule(r);
        totals.countRule(r);
        return r.flag;
    }

    private void count(SymbolState s, int index) {
        s.counts.increment(index);
        totals.increment(index);
    }

    private int filter(SymbolState s, Rule r) {
        s.counts.countRule(r);
        s.counts.countOutcome(Outcome.FILTERED);
        totals.countRule(r);
        totals.countOutcome(Outcome.FILTERED);
        return Flags.FILTERED;
    }

    private int reject(SymbolState s, MarketEvent e, int index, Rule r, String reason) {
        if (s != null) {
            s.counts.countRule(r);
            s.counts.countOutcome(Outcome.REJECTED);
        }
        totals.countRule(r);
        totals.countOutcome(Outcome.REJECTED);
        lastRule = r;
        lastReason = reason;
        long rx = e.receiveTimeNs() > 0 ? e.receiveTimeNs() : frameReceiveNs;
        quarantine.add(record(e.symbol(), e.type().name(), r, reason, rx, index, cleaningIndex, cleaningOff,
                cleaningLen, e));
        return Flags.REJECTED;
    }

    /**
     * The quarantine record of a rejection: the element's bytes when the decoder delimited it (and the range lies in
     * the frame), else the frame's bounded prefix; no frame at all (events not decoded from a frame): no bytes.
     *
     * @param fallbackIndex the index recorded when the element is unknown
     */
    private QuarantineRecord record(String symbol, String type, Rule r, String reason, long rx, int fallbackIndex,
                                    int elIndex, int elOff, int elLen, Object event) {
        if (frame == null) {
            return new QuarantineRecord(source, feed, symbol, type, r.label(), reason, rx, fallbackIndex, new byte[0],
                    0, frameBinary, 0, QuarantineRecord.Scope.FRAME, event);
        }
        if (elOff >= 0 && elLen >= 0 && elOff <= frameLen - elLen) {
            byte[] bytes = Arrays.copyOfRange(frame, frameOff + elOff, frameOff + elOff + Math.min(elLen, MAX_PAYLOAD_BYTES));
            return new QuarantineRecord(source, feed, symbol, type, r.label(), reason, rx, elIndex, bytes, elLen,
                    frameBinary, frameLen, QuarantineRecord.Scope.ELEMENT, event);
        }
        if (framePrefix == null) {     // shared by every rejection from the same frame
            framePrefix = Arrays.copyOfRange(frame, frameOff, frameOff + Math.min(frameLen, FRAME_PREFIX_BYTES));
        }
        return new QuarantineRecord(source, feed, symbol, type, r.label(), reason, rx, fallbackIndex, framePrefix,
                frameLen, frameBinary, frameLen, QuarantineRecord.Scope.FRAME, event);
    }

    private SymbolState state(String symbol) {
        SymbolState s = symbols.get(symbol);
        if (s == null) s = symbols.computeIfAbsent(symbol, k -> new SymbolState(k, config.isTestSymbol(k)));
        return s;
    }

    // ------------------------------------------------------------------ reading

    /** The latest trade that may set the last price: eligible, not suspicious, corrections and cancels applied. */
    public Optional<Trade> latestTrade(String symbol) {
        SymbolState s = symbols.get(symbol);
        return s == null ? Optional.empty() : Optional.ofNullable(s.latest);
    }

    /** {@link TradeIdentity#idKey} of the last trade that passed validation (so later stages need not parse it again). */
    public long lastTradeId() { return lastTradeId; }

    /** {@link TradeIdentity#venueKey} of the last trade that passed validation. */
    public long lastTradeVenue() { return lastTradeVenue; }

    /** The rule of the most recent rejection, or null (for tests and tools). */
    public Rule lastRejectionRule() { return lastRule; }

    public String lastRejectionReason() { return lastReason; }

    public Quarantine quarantine() { return quarantine; }

    public CleanerConfig config() { return config; }

    public TradeEligibility eligibility() { return eligibility; }

    public String source() { return source; }

    public String feed() { return feed; }

    /** Counters now: totals and per symbol. */
    public CleanerSnapshot snapshot() {
        return CleanerSnapshot.of(source, feed, totals, symbols, quarantine, eligibility.version());
    }

    private void register(MeterRegistry registry) {
        Tags tags = Tags.of("source", source, "feed", feed);
        for (Outcome o : Outcome.values()) {
            FunctionCounter.builder("cleaner.messages", totals, c -> c.outcome(o)).tags(tags).tag("outcome", o.label())
                    .description("received messages by cleaner outcome").register(registry);
        }
        for (Rule r : Rule.ALL) {
            FunctionCounter.builder("cleaner.rule", totals, c -> c.rule(r)).tags(tags).tag("rule", r.label())
                    .tag("effect", r.effect().name().toLowerCase()).description(r.description()).register(registry);
        }
        FunctionCounter.builder("cleaner.level.shifts", totals, c -> c.get(Counts.LEVEL_SHIFTS)).tags(tags)
                .description("price level shifts accepted as the new reference").register(registry);
        FunctionCounter.builder("cleaner.corrections.applied", totals, c -> c.get(Counts.CORRECTIONS_APPLIED))
                .tags(tags).description("trade corrections applied to the cleaner's state").register(registry);
        FunctionCounter.builder("cleaner.cancels.applied", totals, c -> c.get(Counts.CANCELS_APPLIED)).tags(tags)
                .description("trade cancels applied to the cleaner's state").register(registry);
        Gauge.builder("cleaner.quarantine.size", quarantine, Quarantine::size).tags(tags)
                .description("rejected messages held in the in-memory quarantine").register(registry);
        FunctionCounter.builder("cleaner.quarantine.evicted", quarantine, Quarantine::evicted).tags(tags)
                .description("quarantined messages pushed out of memory by newer ones").register(registry);
    }
}
