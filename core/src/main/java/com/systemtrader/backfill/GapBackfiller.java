package com.systemtrader.backfill;

import com.systemtrader.clean.CleanerConfig;
import com.systemtrader.clean.DataCleaner;
import com.systemtrader.clean.Flags;
import com.systemtrader.clean.Quarantine;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.config.DataConfig;
import com.systemtrader.rest.RestException;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.sip.TradeEligibility;
import com.systemtrader.storage.EventIds;
import com.systemtrader.storage.StorageWriter;
import com.systemtrader.vendor.VendorRest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a window of missed data from a vendor's REST history ({@link VendorRest}, one per vendor, supplied by its
 * adapter): for each symbol the trades, or minute bars when trades are not available to the plan (HTTP 403 or 404),
 * and the quotes when the history backfills them for the feed's channels, through a {@link DataCleaner} configured
 * like the live one, into the same idempotent {@link StorageWriter} path as the live data. Each backfill ends
 * {@link BackfillOutcome filled, partially filled or failed} with a reason; the outcome goes to the {@code gap_ledger}
 * table, to metrics and to {@link #recent()}.
 *
 * <p>No duplicates with the live data: the window overlaps what the live feed stored (margins around a gap), so the
 * same event arrives twice. The history gives each event the times the live stream would have (its adapter's job),
 * so the storage key (symbol, time in µs, source, identity) equals the live row's and {@code ON CONFLICT DO NOTHING}
 * keeps one. Before writing, the events already stored in the window are read once and skipped, which also counts the
 * rows that are new (an upper bound when the live feed commits the same events meanwhile; the key still keeps one of
 * each). Quotes count in the symbol's {@code fetched}, {@code rejected}, {@code written} and {@code newRows} together
 * with the trades; the symbol's kind is then {@code trades+quotes} ({@code quotes} for a quote-only feed).
 *
 * <p>Thread-safe: each call has its own cleaner; calls may run at the same time.
 */
public final class GapBackfiller {
    private static final Logger LOG = LoggerFactory.getLogger(GapBackfiller.class);
    private static final String STORED_QUOTES = """
            SELECT event_id, event_ns FROM websocket_data
            WHERE symbol = ? AND data_type = 'quote' AND source = ? AND time >= ? AND time < ?""";
    private static final String LAST_QUOTE = """
            SELECT max(event_ns) FROM websocket_data
            WHERE symbol = ? AND data_type = 'quote' AND source = ? AND time > ? AND received_at < ?""";
    /** Each vendor's history, in the order given (the first is the default of {@link #backfillSinceLastStored}). */
    private final Map<DataSource, VendorRest> histories = new LinkedHashMap<>();
    private final StorageWriter writer;
    private final BackfillStore store;
    private final StorageWriter.ConnectionSource database;
    private final CleanerConfig cleanerConfig;
    private final BackfillConfig config;
    private final RecentBackfills recent;
    private final Map<BackfillOutcome, Counter> outcomes = new EnumMap<>(BackfillOutcome.class);
    private final Counter rowsFetched;
    private final Counter rowsWritten;
    private final Counter rowsNew;
    private final Counter rowsRejected;
    private final Counter ledgerErrors;
    private final Timer duration;

    /**
     * Told after each page the REST API returned, on the thread running that backfill; it must return quickly.
     */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (symbol, kind, fetched) -> { };

        /** {@code fetched}: items of this symbol and kind fetched so far. */
        void page(String symbol, String kind, long fetched);
    }

    /**
     * @param histories each vendor's history (its adapter's {@link VendorRest}), at least one
     * @param database connections for the {@code gap_ledger} and the stored-trade checks; null: neither (rows new
     *                 are then unknown and outcomes are kept in memory only)
     * @param data     the live pipeline's {@code data} settings: the cleaner is configured from them
     * @param registry metrics; null for none
     */
    public GapBackfiller(List<? extends VendorRest> histories, StorageWriter writer,
                         StorageWriter.ConnectionSource database, DataConfig data, BackfillConfig config,
                         MeterRegistry registry) {
        if (histories.isEmpty()) throw new IllegalArgumentException("no market history given");
        for (VendorRest h : histories) this.histories.putIfAbsent(h.source(), h);
        this.writer = java.util.Objects.requireNonNull(writer, "writer");
        this.store = database == null ? null : new BackfillStore(database);
        this.database = database;
        this.cleanerConfig = data.cleaner().forHistory();
        this.config = config;
        this.recent = new RecentBackfills(config.recentCapacity());
        MeterRegistry r = registry == null ? new SimpleMeterRegistry() : registry;
        for (BackfillOutcome o : BackfillOutcome.values()) {
            outcomes.put(o, Counter.builder("backfill.gaps").tag("outcome", o.label())
                    .description("backfills (gaps, restarts, manual) by outcome").register(r));
        }
        rowsFetched = rows(r, "fetched", "items the REST API returned");
        rowsWritten = rows(r, "written", "items handed to the storage writer");
        rowsNew = rows(r, "new", "items that were not stored before");
        rowsRejected = rows(r, "rejected", "items the cleaner rejected or filtered");
        ledgerErrors = Counter.builder("backfill.ledger.errors").description("gap_ledger rows that could not be written")
                .register(r);
        duration = Timer.builder("backfill.duration").description("time per backfill").register(r);
    }


    private static Counter rows(MeterRegistry r, String kind, String description) {
        return Counter.builder("backfill.rows").tag("kind", kind).description(description).register(r);
    }

    /** The newest outcomes (for the HTTP API). */
    public RecentBackfills recent() { return recent; }

    public BackfillConfig config() { return config; }

    /** Runs one backfill to its end on the calling thread; never throws for REST or database failures. */
    public BackfillResult backfill(BackfillRequest r) {
        return backfill(r, Progress.NONE);
    }

    /** As {@link #backfill(BackfillRequest)}, telling {@code progress} of each page fetched (the CLI's progress line). */
    public BackfillResult backfill(BackfillRequest r, Progress progress) {
        long t0 = System.nanoTime();
        long now = Timestamps.nowNs();
        boolean exact = r.trigger() == BackfillRequest.Trigger.MANUAL;
        long from = exact ? r.startNs() : r.startNs() - config.marginBefore().toNanos();
        long end = r.endNs() == 0 ? now : exact ? r.endNs() : r.endNs() + config.marginAfter().toNanos();
        long to = Math.min(end, now);
        String cut = "";
        if (to - from > config.maxWindow().toNanos()) {
            from = to - config.maxWindow().toNanos();
            cut = "window cut to the last " + config.maxWindow();
        }
        List<SymbolBackfill> parts = new ArrayList<>();
        if (to <= from) {
            return finish(r, BackfillOutcome.FILLED, "", from, to, parts, t0);
        }
        DataCleaner cleaner = new DataCleaner(cleanerConfig, BackfillStore.name(r.source()), "backfill",
                TradeEligibility.standard(), new Quarantine(cleanerConfig.quarantineCapacity()), null);
        for (String symbol : r.symbols()) {
            SymbolBackfill s;
            try {
                s = symbol(r, symbol, from, to, cleaner, progress);
            } catch (RuntimeException e) {
                LOG.warn("backfill of {} {} failed", r.source(), symbol, e);
                s = new SymbolBackfill(symbol, BackfillOutcome.FAILED, "none", 0, 0, 0, -1, e.toString());
            }
            if (!cut.isEmpty() && s.outcome() == BackfillOutcome.FILLED) {
                s = new SymbolBackfill(s.symbol(), BackfillOutcome.PARTIALLY_FILLED, s.kind(), s.fetched(),
                        s.rejected(), s.written(), s.newRows(), cut);
            }
            parts.add(s);
        }
        BackfillOutcome outcome = BackfillOutcome.combine(parts.stream().map(SymbolBackfill::outcome).toList());
        List<String> reasons = new ArrayList<>();
        for (SymbolBackfill s : parts) {
            if (!s.reason().isEmpty() && reasons.size() < 3) reasons.add(s.symbol() + ": " + s.reason());
        }
        return finish(r, outcome, String.join("; ", reasons), from, to, parts, t0);
    }

    /**
     * Backfills each symbol from its newest stored trade (at most {@code maxLookback} ago) to now: what a process
     * killed without draining (SIGKILL, power loss) missed before this one started. When the history backfills the
     * channels' quotes, the window starts at the earlier of the newest stored trade and the newest stored quote, so
     * that both are covered (what is already stored is skipped). Only trades received before
     * {@code receivedBeforeNs} count as stored (pass the time this process's feed started streaming, so that its
     * own live rows do not hide the hole). Symbols without such a trade in the lookback are skipped. Call it once the
     * live feed streams, so that the window meets the live data.
     *
     * @throws IllegalStateException when the backfiller has no database
     */
    public List<BackfillResult> backfillSinceLastStored(DataSource source, String feed, List<String> channels,
                                                        Collection<String> symbols, Duration maxLookback,
                                                        long receivedBeforeNs) {
        return backfillSinceLastStored(source, feed, channels, symbols, maxLookback, receivedBeforeNs, RESTART_CAUSE);
    }

    /** The {@code gap_ledger} cause of a backfill since the last stored trade at start-up. */
    public static final String RESTART_CAUSE = "restart: since the last stored trade";

    /**
     * As {@link #backfillSinceLastStored(DataSource, String, List, Collection, Duration, long)}, recorded in the
     * {@code gap_ledger} with {@code cause} (e.g. a hand-over of the feed from another collector process).
     */
    public List<BackfillResult> backfillSinceLastStored(DataSource source, String feed, List<String> channels,
                                                        Collection<String> symbols, Duration maxLookback,
                                                        long receivedBeforeNs, String cause) {
        if (store == null) throw new IllegalStateException("backfill since the last stored trade needs the database");
        long now = Timestamps.nowNs();
        long floor = now - maxLookback.toNanos();
        List<BackfillResult> out = new ArrayList<>();
        for (String symbol : symbols) {
            if (symbol.equals("*")) continue;
            OptionalLong last;
            try {
                last = store.lastStoredTrade(source, symbol, floor, receivedBeforeNs);
                VendorRest history = histories.get(source);
                if (history != null && history.backfillsQuotes(channels)) {
                    OptionalLong lastQuote = lastStoredQuote(source, symbol, floor, receivedBeforeNs);
                    if (lastQuote.isPresent() && (last.isEmpty() || lastQuote.getAsLong() < last.getAsLong())) {
                        last = lastQuote;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                BackfillRequest r = new BackfillRequest(source, feed, channels, List.of(symbol), floor, now,
                        cause, BackfillRequest.Trigger.RESTART);
                out.add(record(BackfillResult.notRun(r, "cannot read the last stored trade: " + e.getMessage())));
                continue;
            }
            if (last.isEmpty()) {
                LOG.info("backfill since last stored: no {} trade of {} stored in the last {}; skipped", source, symbol,
                        maxLookback);
                continue;
            }
            out.add(backfill(new BackfillRequest(source, feed, channels, List.of(symbol), last.getAsLong(), 0,
                    cause, BackfillRequest.Trigger.RESTART)));
        }
        return out;
    }

    /**
     * As {@link #backfillSinceLastStored(DataSource, String, List, Collection, Duration, long)} for the trades of
     * first history given, counting every trade stored until now.
     */
    public List<BackfillResult> backfillSinceLastStored(Collection<String> symbols, Duration maxLookback) {
        DataSource source = histories.keySet().iterator().next();
        return backfillSinceLastStored(source, "restart", List.of(), symbols, maxLookback, Timestamps.nowNs());
    }

    // ---------------------------------------------------------------- one symbol

    private SymbolBackfill symbol(BackfillRequest r, String symbol, long from, long to, DataCleaner cleaner,
                                  Progress progress) {
        if (symbol.equals("*")) {
            return new SymbolBackfill(symbol, BackfillOutcome.FAILED, "none", 0, 0, 0, -1,
                    "subscribed to all symbols (*): name the symbols to backfill");
        }
        VendorRest history = histories.get(r.source());
        if (history == null) {
            return new SymbolBackfill(symbol, BackfillOutcome.FAILED, "none", 0, 0, 0, -1,
                    "no " + r.source() + " REST client configured");
        }
        boolean trades = history.streamsTrades(r.channels());
        boolean bars = history.streamsMinuteBars(r.channels());
        boolean quotes = history.backfillsQuotes(r.channels());
        if (!trades && !bars && !quotes) {
            return new SymbolBackfill(symbol, BackfillOutcome.FAILED, "none", 0, 0, 0, -1,
                    "channels " + r.channels() + " have no trades or minute bars; quotes are not backfilled");
        }
        SymbolBackfill main = null;
        if (trades) main = trades(history, symbol, from, to, cleaner, progress);
        else if (bars) main = bars(history, symbol, from, to, cleaner, progress, BackfillOutcome.FILLED, "");
        if (!quotes) return main;
        SymbolBackfill q = quotes(history, symbol, from, to, cleaner, progress);
        return main == null ? q : combine(main, q);
    }

    /** The trades (or, when not entitled, the minute bars) of one symbol. */
    private SymbolBackfill trades(VendorRest history, String symbol, long from, long to, DataCleaner cleaner,
                                  Progress progress) {
        Batch b = new Batch(cleaner, progress, storedTrades(history.source(), symbol, from, to));
        try {
            history.trades(symbol, from, to, config.pageLimit(), page -> {
                for (Trade t : page) b.trade(t);
                b.paged(symbol, "trades");
            });
        } catch (RestException e) {
            b.flush();
            boolean notEntitled = e.status() == 403 || e.status() == 404;
            if (notEntitled && b.fetched == 0) {
                return bars(history, symbol, from, to, cleaner, progress, BackfillOutcome.PARTIALLY_FILLED,
                        "trades not available (HTTP " + e.status() + "): minute bars only");
            }
            return b.result(symbol, "trades", b.written > 0 ? BackfillOutcome.PARTIALLY_FILLED : BackfillOutcome.FAILED,
                    e.getMessage());
        }
        b.flush();
        return b.result(symbol, "trades", BackfillOutcome.FILLED, "");
    }

    /** The quotes of one symbol. */
    private SymbolBackfill quotes(VendorRest history, String symbol, long from, long to, DataCleaner cleaner,
                                  Progress progress) {
        Batch b = new Batch(cleaner, progress, storedQuotes(history.source(), symbol, from, to));
        try {
            history.quotes(symbol, from, to, config.pageLimit(), page -> {
                for (Quote q : page) b.quote(q);
                b.paged(symbol, "quotes");
            });
        } catch (RestException e) {
            b.flush();
            return b.result(symbol, "quotes", b.written > 0 ? BackfillOutcome.PARTIALLY_FILLED : BackfillOutcome.FAILED,
                    "quotes failed: " + e.getMessage());
        }
        b.flush();
        return b.result(symbol, "quotes", BackfillOutcome.FILLED, "");
    }

    /** The trades' (or bars') and the quotes' backfill of one symbol as one. */
    private static SymbolBackfill combine(SymbolBackfill a, SymbolBackfill q) {
        BackfillOutcome outcome = BackfillOutcome.combine(List.of(a.outcome(), q.outcome()));
        String reason = a.reason().isEmpty() ? q.reason() : q.reason().isEmpty() ? a.reason()
                : a.reason() + "; " + q.reason();
        long fresh = a.newRows() < 0 || q.newRows() < 0 ? -1 : a.newRows() + q.newRows();
        return new SymbolBackfill(a.symbol(), outcome, a.kind() + "+quotes", a.fetched() + q.fetched(),
                a.rejected() + q.rejected(), a.written() + q.written(), fresh, reason);
    }

    private SymbolBackfill bars(VendorRest history, String symbol, long from, long to, DataCleaner cleaner,
                                Progress progress, BackfillOutcome ifDone, String note) {
        Batch b = new Batch(cleaner, progress, null);
        try {
            history.bars(symbol, 1, from, to, config.pageLimit(), page -> {
                page.forEach(b::bar);
                b.paged(symbol, "minute bars");
            });
        } catch (RestException e) {
            b.flush();
            String reason = (note.isEmpty() ? "" : note + "; ") + "minute bars failed: " + e.getMessage();
            return b.result(symbol, "minute bars", b.written > 0 ? BackfillOutcome.PARTIALLY_FILLED
                    : BackfillOutcome.FAILED, reason);
        }
        b.flush();
        return b.result(symbol, "minute bars", ifDone, note);
    }

    private Set<String> storedTrades(DataSource source, String symbol, long from, long to) {
        if (store == null) return null;
        try {
            return store.storedTrades(source, symbol, from, to);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("backfill of {}: cannot read the stored trades ({}); writing all, new rows unknown", symbol,
                    e.getMessage());
            return null;
        }
    }

    /** The stored quotes of {@code symbol} in the window (widened by a millisecond) as key strings. */
    private Set<String> storedQuotes(DataSource source, String symbol, long fromNs, long toNs) {
        if (database == null) return null;
        Set<String> out = new HashSet<>();
        try (Connection c = database.open(); PreparedStatement s = c.prepareStatement(STORED_QUOTES)) {
            s.setString(1, symbol);
            s.setString(2, BackfillStore.name(source));
            s.setObject(3, BackfillStore.timestamp(fromNs - 1_000_000));
            s.setObject(4, BackfillStore.timestamp(toNs + 1_000_000));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(BackfillStore.key(rs.getString(1), rs.getLong(2)));
            }
            return out;
        } catch (SQLException | RuntimeException e) {
            LOG.warn("backfill of {}: cannot read the stored quotes ({}); writing all, new rows unknown", symbol,
                    e.getMessage());
            return null;
        }
    }

    /** The event time of the newest stored quote after {@code notBeforeNs} received before {@code receivedBeforeNs}. */
    private OptionalLong lastStoredQuote(DataSource source, String symbol, long notBeforeNs, long receivedBeforeNs)
            throws SQLException {
        try (Connection c = database.open(); PreparedStatement s = c.prepareStatement(LAST_QUOTE)) {
            s.setString(1, symbol);
            s.setString(2, BackfillStore.name(source));
            s.setObject(3, BackfillStore.timestamp(notBeforeNs));
            s.setObject(4, BackfillStore.timestamp(receivedBeforeNs));
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    long ns = rs.getLong(1);
                    if (!rs.wasNull()) return OptionalLong.of(ns);
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Events of one symbol on their way to the writer, with their counts. */
    private final class Batch {
        final DataCleaner cleaner;
        final Progress progress;
        final Set<String> stored;
        final List<MarketEvent> pending = new ArrayList<>();
        int[] flags = new int[64];
        long fetched;
        long rejected;
        long written;
        long fresh;

        Batch(DataCleaner cleaner, Progress progress, Set<String> stored) {
            this.cleaner = cleaner;
            this.progress = progress;
            this.stored = stored;
        }

        void trade(Trade t) {
            fetched++;
            int verdict = cleaner.clean(t, true);
            if (!Flags.kept(verdict)) {
                rejected++;
                return;
            }
            if (stored != null) {
                if (stored.contains(BackfillStore.key(EventIds.trade(t), t.eventTimeNs()))) return;
                fresh++;
            }
            add(t, verdict);
        }

        void quote(Quote q) {
            fetched++;
            int verdict = cleaner.clean(q, true);
            if (!Flags.kept(verdict)) {
                rejected++;
                return;
            }
            if (stored != null) {
                if (stored.contains(BackfillStore.key(EventIds.quote(q), q.eventTimeNs()))) return;
                fresh++;
            }
            add(q, verdict);
        }

        void bar(Bar b) {
            fetched++;
            int verdict = cleaner.clean(b, true);
            if (!Flags.kept(verdict)) {
                rejected++;
                return;
            }
            add(b, verdict);
        }

        void paged(String symbol, String kind) {
            progress.page(symbol, kind, fetched);
        }

        private void add(MarketEvent e, int verdict) {
            if (pending.size() == flags.length) flags = java.util.Arrays.copyOf(flags, 2 * flags.length);
            flags[pending.size()] = verdict;
            pending.add(e);
            if (pending.size() >= config.batchRows()) flush();
        }

        void flush() {
            if (pending.isEmpty()) return;
            writer.add(pending, flags); // copies what it keeps, verdicts included
            written += pending.size();
            pending.clear();
        }

        SymbolBackfill result(String symbol, String kind, BackfillOutcome outcome, String reason) {
            rowsFetched.increment(fetched);
            rowsWritten.increment(written);
            rowsRejected.increment(rejected);
            if (stored != null) rowsNew.increment(fresh);
            return new SymbolBackfill(symbol, outcome, kind, fetched, rejected, written, stored == null ? -1 : fresh,
                    reason == null ? "" : reason);
        }
    }

    // ---------------------------------------------------------------- helpers

    private BackfillResult finish(BackfillRequest r, BackfillOutcome outcome, String reason, long from, long to,
                                  List<SymbolBackfill> parts, long t0) {
        long nanos = System.nanoTime() - t0;
        duration.record(nanos, TimeUnit.NANOSECONDS);
        BackfillResult result = new BackfillResult(r, outcome, reason, from, to, parts, nanos / 1_000_000,
                Timestamps.nowNs());
        LOG.info("backfill {} {} {} {}: {}", r.trigger(), r.source(), r.feed(), r.symbols(), result.note());
        return record(result);
    }

    /** Counts the outcome, keeps it in the recent list and writes its {@code gap_ledger} row. */
    BackfillResult record(BackfillResult result) {
        outcomes.get(result.outcome()).increment();
        recent.add(result);
        if (store != null) {
            try {
                store.record(result);
            } catch (SQLException | RuntimeException e) {
                ledgerErrors.increment();
                LOG.warn("backfill outcome not recorded in gap_ledger: {}", e.getMessage());
            }
        }
        return result;
    }

}
