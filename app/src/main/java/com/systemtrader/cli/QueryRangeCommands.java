package com.systemtrader.cli;

import com.systemtrader.data.AnswerJson;
import com.systemtrader.data.BarOrigin;
import com.systemtrader.data.OhlcvBar;
import com.systemtrader.data.OhlcvInterval;
import com.systemtrader.data.OhlcvSeries;
import com.systemtrader.data.RealtimeDataProvider;
import com.systemtrader.data.TickPage;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code system-trader query bars|trades|quotes SYMBOL --start T [--end T] [--format table|csv|json]}: a time range
 * through the {@link RealtimeDataProvider}, every page followed, as a table, CSV (with a header) or JSON.
 */
final class QueryRangeCommands {
    private QueryRangeCommands() {}

    /** Options of every range subcommand. */
    static final class Range {
        @Parameters(paramLabel = "SYMBOL") String symbol;
        @Option(names = "--start", required = true, paramLabel = "TIME", description = "Range start, RFC 3339 (2026-12-04T14:30:00Z).")
        String start;
        @Option(names = "--end", paramLabel = "TIME", description = "Range end (exclusive), RFC 3339 (default: now).")
        String end;
        @Option(names = "--format", paramLabel = "table|csv|json", description = "Output (default: ${DEFAULT-VALUE}).")
        String format = "table";

        Instant from(CommandSpec spec) { return time(spec, "--start", start); }

        Instant to(CommandSpec spec) {
            Instant to = end == null ? Instant.now() : time(spec, "--end", end);
            if (!to.isAfter(from(spec))) throw new ParameterException(spec.commandLine(), "--end must be after --start");
            return to;
        }

        String format(CommandSpec spec, boolean json) {
            String f = json ? "json" : format.toLowerCase(Locale.ROOT);
            if (!List.of("table", "csv", "json").contains(f)) {
                throw new ParameterException(spec.commandLine(), "--format: table, csv or json, got '" + format + "'");
            }
            return f;
        }

        String symbol() { return symbol.strip().toUpperCase(Locale.ROOT); }

        private static Instant time(CommandSpec spec, String option, String v) {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                throw new ParameterException(spec.commandLine(), option + ": not an RFC 3339 time (2026-12-04T14:30:00Z): '"
                        + v + "'");
            }
        }
    }

    @Command(name = "bars", mixinStandardHelpOptions = true, description = "The bars of a time range (the open bucket labelled partial).")
    static final class Bars implements Runnable {
        @Spec CommandSpec spec;
        @Mixin QueryCommand.Common common = new QueryCommand.Common();
        @Mixin Range range = new Range();
        @Option(names = "--interval", paramLabel = "1m|5m|15m|1h|1d", description = "Bar interval (default: ${DEFAULT-VALUE}).")
        String interval = "1m";
        @Option(names = "--origin", paramLabel = "built|provider", description = "Built bars or the provider's own (default: ${DEFAULT-VALUE}).")
        String origin = "built";

        @Override public void run() {
            OhlcvInterval iv;
            BarOrigin org;
            try {
                iv = OhlcvInterval.parse(interval);
                org = BarOrigin.parse(origin);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            String format = range.format(spec, common.json);
            Instant from = range.from(spec), to = range.to(spec);
            DataSource src = common.source(spec);
            try (RealtimeDataProvider p = common.provider(spec)) {
                OhlcvSeries s = p.getOhlcv(range.symbol(), iv, from, to, src, org);
                PrintWriter out = spec.commandLine().getOut();
                if (format.equals("json")) {
                    out.println(AnswerJson.series(s).toPrettyString());
                } else {
                    List<String[]> rows = new ArrayList<>();
                    for (OhlcvBar b : s.bars()) {
                        rows.add(new String[] {Instant.ofEpochSecond(0, b.startNs()).toString(), num(b.open()),
                                num(b.high()), num(b.low()), num(b.close()), Long.toString(b.volume()), num(b.vwap()),
                                b.tradeCount() < 0 ? "" : Long.toString(b.tradeCount()), b.state().label(),
                                b.origin().label(), b.tier().label(), lower(b.source())});
                    }
                    print(out, format, new String[] {"time", "open", "high", "low", "close", "volume", "vwap",
                            "trade_count", "state", "origin", "tier", "source"}, rows);
                    if (format.equals("table") && !s.complete()) out.println("incomplete: " + s.gaps());
                }
                out.flush();
            }
        }
    }

    @Command(name = "trades", mixinStandardHelpOptions = true, description = "The trades of a time range, each once, from the tiers that hold them.")
    static final class Trades implements Runnable {
        @Spec CommandSpec spec;
        @Mixin QueryCommand.Common common = new QueryCommand.Common();
        @Mixin Range range = new Range();

        @Override public void run() {
            ticks(spec, common, range, RecordType.TRADE);
        }
    }

    @Command(name = "quotes", mixinStandardHelpOptions = true, description = "The quotes of a time range, each once, from the tiers that hold them.")
    static final class Quotes implements Runnable {
        @Spec CommandSpec spec;
        @Mixin QueryCommand.Common common = new QueryCommand.Common();
        @Mixin Range range = new Range();

        @Override public void run() {
            ticks(spec, common, range, RecordType.QUOTE);
        }
    }

    private static void ticks(CommandSpec spec, QueryCommand.Common common, Range range, RecordType type) {
        String format = range.format(spec, common.json);
        Instant from = range.from(spec), to = range.to(spec);
        DataSource src = common.source(spec);
        try (RealtimeDataProvider p = common.provider(spec)) {
            List<MarketEvent> events = new ArrayList<>();
            List<TickPage.Part> parts = new ArrayList<>();
            TickPage page = null;
            String cursor = null;
            do {
                page = type == RecordType.TRADE ? p.getTrades(range.symbol(), from, to, src, RealtimeDataProvider.MAX_PAGE, cursor)
                        : p.getQuotes(range.symbol(), from, to, src, RealtimeDataProvider.MAX_PAGE, cursor);
                events.addAll(page.events());
                parts.addAll(page.parts());
                cursor = page.nextCursor();
            } while (cursor != null);
            PrintWriter out = spec.commandLine().getOut();
            if (format.equals("json")) {
                out.println(AnswerJson.ticks(new TickPage(page.symbol(), type, page.source(), events, null, parts,
                        page.attempts())).toPrettyString());
            } else if (type == RecordType.TRADE) {
                List<String[]> rows = new ArrayList<>();
                for (MarketEvent e : events) {
                    Trade t = (Trade) e;
                    rows.add(new String[] {time(t.eventTimeNs()), num(t.price()), Long.toString(t.size()),
                            Integer.toString(t.exchange()), t.hasTradeId() ? t.tradeId() : "",
                            Arrays.toString(t.conditions().toArray()).replace(" ", "")});
                }
                print(out, format, new String[] {"time", "price", "size", "exchange", "trade_id", "conditions"}, rows);
            } else {
                List<String[]> rows = new ArrayList<>();
                for (MarketEvent e : events) {
                    Quote q = (Quote) e;
                    rows.add(new String[] {time(q.eventTimeNs()), num(q.bidPrice()), Long.toString(q.bidSize()),
                            num(q.askPrice()), Long.toString(q.askSize())});
                }
                print(out, format, new String[] {"time", "bid_price", "bid_size", "ask_price", "ask_size"}, rows);
            }
            if (format.equals("table")) {
                out.println(events.size() + " " + type.name().toLowerCase(Locale.ROOT) + "s; from "
                        + String.join(", ", parts.stream().filter(x -> x.events() > 0)
                        .map(x -> x.tier().label() + " " + x.events()).toList()));
            }
            out.flush();
        }
    }

    /** CSV with a header (RFC 4180 quoting where needed), or an aligned table. */
    private static void print(PrintWriter out, String format, String[] header, List<String[]> rows) {
        if (format.equals("csv")) {
            out.println(String.join(",", header));
            for (String[] r : rows) out.println(String.join(",", Arrays.stream(r).map(QueryRangeCommands::csv).toList()));
            return;
        }
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) width[i] = header[i].length();
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder f = new StringBuilder();
        for (int w : width) f.append("%-").append(w).append("s  ");
        String line = f.toString().stripTrailing() + "%n";
        out.printf(Locale.ROOT, line, (Object[]) Arrays.stream(header).map(h -> h.toUpperCase(Locale.ROOT)).toArray(String[]::new));
        for (String[] r : rows) out.printf(Locale.ROOT, line, (Object[]) r);
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String time(long ns) {
        return Instant.ofEpochSecond(0, ns).toString();
    }

    private static String lower(DataSource s) {
        return s == null ? "" : s.name().toLowerCase(Locale.ROOT);
    }
}
