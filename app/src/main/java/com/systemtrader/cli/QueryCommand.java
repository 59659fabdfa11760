package com.systemtrader.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.data.AnswerJson;
import com.systemtrader.data.Attempt;
import com.systemtrader.data.BarOrigin;
import com.systemtrader.data.LatestPrice;
import com.systemtrader.data.LatestQuote;
import com.systemtrader.data.MultiPrices;
import com.systemtrader.data.OhlcvBar;
import com.systemtrader.data.OhlcvInterval;
import com.systemtrader.data.OhlcvSeries;
import com.systemtrader.data.Provenance;
import com.systemtrader.data.ProviderSetup;
import com.systemtrader.data.RealtimeDataProvider;
import com.systemtrader.data.SeriesPart;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Symbols;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code system-trader query}: latest price and quote, OHLCV bars and multi-symbol prices through the
 * {@link RealtimeDataProvider} (Redis, database, REST as configured; this process has no memory tier), as a table
 * or {@code --json}, each answer with its provenance.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Query market data through the RealtimeDataProvider (Redis, then the database, then REST), "
                + "showing where each answer came from.",
        subcommands = {QueryCommand.Latest.class, QueryCommand.Ohlcv.class, QueryCommand.Prices.class,
                QueryRangeCommands.Bars.class, QueryRangeCommands.Trades.class, QueryRangeCommands.Quotes.class})
final class QueryCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every subcommand takes. */
    static final class Common {
        @Option(names = "--config", paramLabel = "FILE", description = "Collector config (default: ${DEFAULT-VALUE}).")
        Path configFile = ConfigLoader.DEFAULT_FILE;

        @Option(names = "--credentials", paramLabel = "FILE", description = "Credentials file (default: ${DEFAULT-VALUE}).")
        Path credentialsFile = APIKeyManager.DEFAULT_FILE;

        @Option(names = "--source", paramLabel = "polygon|alpaca", description = "Only this source (default: any, Polygon first).")
        String source;

        @Option(names = "--max-age", paramLabel = "SECONDS", description = "Freshness limit (default: 30).")
        double maxAgeSeconds = 30;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Option(names = "--no-redis", description = "Do not read Redis.")
        boolean noRedis;

        @Option(names = "--no-db", description = "Do not read the database.")
        boolean noDb;

        @Option(names = "--no-rest", description = "Do not call the providers' REST APIs.")
        boolean noRest;

        RealtimeDataProvider provider(CommandSpec spec) {
            Map<String, String> env = System.getenv();
            var config = ConfigLoader.load(configFile, env);
            APIKeyManager keys = noRest ? null : APIKeyManager.load(credentialsFile, env, Clock.systemUTC());
            return ProviderSetup.builder(config, keys, env, null, new ProviderSetup.Tiers(!noRedis, !noDb, !noRest),
                    null).maxAge(maxAge(spec)).build();
        }

        DataSource source(CommandSpec spec) {
            if (source == null) return null;
            try {
                return DataSource.provider(source);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--source: " + e.getMessage());
            }
        }

        Duration maxAge(CommandSpec spec) {
            if (!(maxAgeSeconds >= 0)) throw new ParameterException(spec.commandLine(), "--max-age must be >= 0");
            return Duration.ofNanos((long) (maxAgeSeconds * 1e9));
        }
    }

    @Command(name = "latest", mixinStandardHelpOptions = true, description = "Latest price (last trade) and quote of a symbol.")
    static final class Latest implements Runnable {
        @Spec CommandSpec spec;
        @Mixin Common common = new Common();
        @Parameters(paramLabel = "SYMBOL") String symbol;
        @Option(names = "--no-quote", description = "Only the price.") boolean noQuote;

        @Override public void run() {
            String sym = symbol.strip().toUpperCase(Locale.ROOT);
            DataSource src = common.source(spec);
            try (RealtimeDataProvider p = common.provider(spec)) {
                LatestPrice price = p.getLatestPrice(sym, src, p.maxAge());
                LatestQuote quote = null;
                String quoteError = null;
                if (!noQuote) {
                    try {
                        quote = p.getLatestQuote(sym, src, p.maxAge());
                    } catch (RuntimeException e) {
                        quoteError = e.getMessage();
                    }
                }
                PrintWriter out = spec.commandLine().getOut();
                if (common.json) {
                    ObjectNode o = JSON.createObjectNode();
                    o.set("price", AnswerJson.price(price));
                    if (quote != null) o.set("quote", AnswerJson.quote(quote));
                    if (quoteError != null) o.put("quote_error", quoteError);
                    out.println(o.toPrettyString());
                } else {
                    out.printf(Locale.ROOT, "%-6s %12s %10s  %-24s %s%n", "SYMBOL", "PRICE", "SIZE", "AS OF (UTC)", "FROM");
                    out.printf(Locale.ROOT, "%-6s %12.4f %10d  %-24s %s%n", sym, price.price(), price.size(),
                            time(price.eventTimeNs()), from(price.provenance()));
                    if (quote != null) {
                        out.println();
                        out.printf(Locale.ROOT, "%-6s %12s %8s %12s %8s  %-24s %s%n", "SYMBOL", "BID", "BID SZ", "ASK",
                                "ASK SZ", "AS OF (UTC)", "FROM");
                        out.printf(Locale.ROOT, "%-6s %12.4f %8d %12.4f %8d  %-24s %s%n", sym, quote.bidPrice(),
                                quote.bidSize(), quote.askPrice(), quote.askSize(), time(quote.eventTimeNs()),
                                from(quote.provenance()));
                    } else if (quoteError != null) {
                        out.println();
                        out.println("quote: " + quoteError);
                    }
                    out.println();
                    out.println("tried (price): " + tried(price.provenance().attempts()));
                }
                out.flush();
            }
        }
    }

    @Command(name = "ohlcv", mixinStandardHelpOptions = true, description = "The newest OHLCV bars of a symbol.")
    static final class Ohlcv implements Runnable {
        @Spec CommandSpec spec;
        @Mixin Common common = new Common();
        @Parameters(paramLabel = "SYMBOL") String symbol;
        @Option(names = "--bars", paramLabel = "N", description = "Bars (default: ${DEFAULT-VALUE}).") int bars = 100;
        @Option(names = "--interval", paramLabel = "1m|5m|15m|1h|1d", description = "Bar interval (default: ${DEFAULT-VALUE}).")
        String interval = "1m";
        @Option(names = "--origin", paramLabel = "built|provider",
                description = "Bars built from eligible trades, or the provider's own (default: ${DEFAULT-VALUE}).")
        String origin = "built";

        @Override public void run() {
            if (bars < 1 || bars > 50_000) throw new ParameterException(spec.commandLine(), "--bars must be 1..50000");
            OhlcvInterval iv;
            try {
                iv = OhlcvInterval.parse(interval);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--interval: " + e.getMessage());
            }
            BarOrigin org;
            try {
                org = BarOrigin.parse(origin);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--origin: " + e.getMessage());
            }
            String sym = symbol.strip().toUpperCase(Locale.ROOT);
            DataSource src = common.source(spec);
            try (RealtimeDataProvider p = common.provider(spec)) {
                OhlcvSeries s = p.getOhlcv(sym, bars, iv, src, org, p.maxAge());
                PrintWriter out = spec.commandLine().getOut();
                if (common.json) {
                    out.println(AnswerJson.series(s).toPrettyString());
                } else {
                    out.printf(Locale.ROOT, "%-20s %11s %11s %11s %11s %12s %8s %-8s %s%n", "TIME (UTC)", "OPEN", "HIGH",
                            "LOW", "CLOSE", "VOLUME", "TRADES", "STATE", "FROM");
                    for (OhlcvBar b : s.bars()) {
                        out.printf(Locale.ROOT, "%-20s %11.4f %11.4f %11.4f %11.4f %12d %8s %-8s %s/%s%n",
                                time(b.startNs()).substring(0, 19), b.open(), b.high(), b.low(), b.close(), b.volume(),
                                b.tradeCount() < 0 ? "-" : Long.toString(b.tradeCount()), b.state().label(),
                                b.tier().label(), lower(b.source()));
                    }
                    out.println();
                    out.printf(Locale.ROOT, "%d of %d %s %s bars (%s), newest ended %s ago (%s)%n", s.bars().size(),
                            s.requested(), iv.label(), s.origin().label(),
                            s.complete() ? "complete" : "incomplete: " + s.gaps(), seconds(s.staleness()),
                            s.fresh() ? "fresh" : "stale");
                    for (SeriesPart part : s.parts()) {
                        out.printf(Locale.ROOT, "  %s/%s: %d bars %s .. %s%n", part.tier().label(), lower(part.source()),
                                part.bars(), time(part.fromNs()).substring(0, 19), time(part.toNs()).substring(0, 19));
                    }
                    out.println("tried: " + tried(s.attempts()));
                }
                out.flush();
            }
        }
    }

    @Command(name = "prices", mixinStandardHelpOptions = true, description = "Latest prices of several symbols, batched.")
    static final class Prices implements Runnable {
        @Spec CommandSpec spec;
        @Mixin Common common = new Common();
        @Parameters(paramLabel = "SYMBOLS", description = "Comma-separated, e.g. AAPL,MSFT,GOOGL.") String symbols;

        @Override public void run() {
            List<String> list = Symbols.parse(symbols);
            if (list.isEmpty()) throw new ParameterException(spec.commandLine(), "no symbols given");
            DataSource src = common.source(spec);
            try (RealtimeDataProvider p = common.provider(spec)) {
                MultiPrices m = p.getMultiSymbolPrices(list, src, p.maxAge());
                PrintWriter out = spec.commandLine().getOut();
                if (common.json) {
                    ObjectNode o = AnswerJson.prices(m);
                    out.println(o.toPrettyString());
                } else {
                    out.printf(Locale.ROOT, "%-6s %12s %10s  %-24s %s%n", "SYMBOL", "PRICE", "SIZE", "AS OF (UTC)", "FROM");
                    for (LatestPrice lp : m.prices().values()) {
                        out.printf(Locale.ROOT, "%-6s %12.4f %10d  %-24s %s%n", lp.symbol(), lp.price(), lp.size(),
                                time(lp.eventTimeNs()), from(lp.provenance()));
                    }
                    for (String s : m.missing()) out.printf(Locale.ROOT, "%-6s %12s%n", s, "(no data)");
                    out.println();
                    out.println("batches: " + tried(m.attempts()));
                }
                out.flush();
            }
        }
    }

    // ---- rendering ----

    private static String from(Provenance p) {
        return p.tier().label() + "/" + lower(p.source()) + ", " + seconds(p.staleness()) + " old"
                + (p.fresh() ? "" : " (STALE)");
    }

    private static String tried(List<Attempt> attempts) {
        return attempts.isEmpty() ? "-" : String.join("; ", attempts.stream().map(Attempt::toString).toList());
    }

    private static String lower(DataSource s) {
        return s == null ? "-" : s.name().toLowerCase(Locale.ROOT);
    }

    private static String time(long ns) {
        return Instant.ofEpochSecond(0, ns).toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }
}
