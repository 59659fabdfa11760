package com.systemtrader.cli;

import com.systemtrader.clean.QualityReport;
import com.systemtrader.collector.CollectorSnapshot;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.data.BarOrigin;
import com.systemtrader.data.LatestPrice;
import com.systemtrader.data.LatestQuote;
import com.systemtrader.data.MultiPrices;
import com.systemtrader.data.OhlcvBar;
import com.systemtrader.data.OhlcvInterval;
import com.systemtrader.data.OhlcvSeries;
import com.systemtrader.data.Provenance;
import com.systemtrader.data.RealtimeDataProvider;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.RecordType;
import com.systemtrader.service.SystemTraderService;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code system-trader demo}: the whole system with no setup. It starts the exchange simulator, an embedded
 * PostgreSQL (data in {@code data/demo/postgres}) unless {@code --db-url} is given, the local Redis or an embedded
 * one (or the Redis {@code --redis-url} names), and the service with both collectors, the cleaner, the caches, storage
 * and the HTTP API. While it runs it prints progress; at the end it shows latest prices with their provenance and
 * minute bars from the database; then, with {@code --keep-serving}, it goes on streaming and serving until Ctrl-C
 * and prints the commands to try meanwhile (else where to look next).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole system on the built-in simulator: both collectors, cleaner, memory and Redis "
                + "caches, PostgreSQL storage, HTTP API. Needs nothing installed but a JDK: PostgreSQL is embedded "
                + "(data in data/demo/postgres) unless --db-url is given, and Redis is the local one on port 6379 or "
                + "an embedded one (or --redis-url).", "Ctrl-C ends it early; the summary is printed either way. With "
                + "--keep-serving it goes on serving after the summary until Ctrl-C."})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SimulatorOptions options;

    @Option(names = "--duration", description = "Seconds to stream, 0 = until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long durationSeconds = 30;

    @Option(names = "--db-url", paramLabel = "JDBC_URL",
            description = "Use this PostgreSQL/TimescaleDB instead of the embedded one (password: SYSTEM_TRADER_DB_PASSWORD).")
    String dbUrl;

    @Option(names = "--db-user", description = "Role for --db-url (default: ${DEFAULT-VALUE}).")
    String dbUser = "postgres";

    @Option(names = "--redis-url", paramLabel = "redis://HOST[:PORT][/DB]|embedded",
            description = "Use this Redis (it must answer; password: SYSTEM_TRADER_REDIS_PASSWORD), or an embedded one; "
                    + "default: the local Redis on 6379 when it answers (keys under demo:), else an embedded one.")
    String redisUrl;

    @Option(names = "--keep-serving", description = "After the summary, keep streaming and serving the HTTP API, the "
            + "database and Redis until Ctrl-C, and print the commands to try meanwhile.")
    boolean keepServing;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the demo keeps its embedded database and "
            + "spill journal between runs (default: ${DEFAULT-VALUE}).")
    Path dataDir = DemoBackends.DEFAULT_DIR;

    @Option(names = "--progress-seconds", description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
    int progressSeconds = 2;

    @Override public Integer call() throws Exception {
        if (durationSeconds < 0) throw new ParameterException(spec.commandLine(), "--duration: must not be negative");
        if (progressSeconds < 1) throw new ParameterException(spec.commandLine(), "--progress-seconds: must be at least 1");
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql://")) {
            throw new ParameterException(spec.commandLine(), "--db-url: must start with jdbc:postgresql://");
        }
        String redisProblem = DemoBackends.redisUrlProblem(redisUrl);
        if (redisProblem != null) throw new ParameterException(spec.commandLine(), "--redis-url: " + redisProblem);
        PrintWriter out = spec.commandLine().getOut();
        quietLogs(); // the progress lines are the demo's display; warnings and errors still show
        long started = System.nanoTime();
        SimulatorConfig simConfig = options.toConfig(0);
        try (DemoBackends backends = DemoBackends.start(dbUrl, dbUser, redisUrl, dataDir, out);
             ExchangeSimulator sim = ExchangeSimulator.start(simConfig)) {
            CollectorConfig config = ConfigLoader.readString(yaml(sim, simConfig, backends, dataDir.resolve("journal")),
                    "demo", Map.of()).config();
            APIKeyManager keys = APIKeyManager.load(Path.of("demo-has-no-credentials-file.yaml"), Map.of(
                    "POLYGON_API_KEY", simConfig.polygonKeys().iterator().next(),
                    "APCA_API_KEY_ID", simConfig.alpacaKeys().keySet().iterator().next(),
                    "APCA_API_SECRET_KEY", simConfig.alpacaKeys().values().iterator().next()), Clock.systemUTC());
            CountDownLatch stop = new CountDownLatch(1);
            RunCommand.onSignal("INT", stop);
            RunCommand.onSignal("TERM", stop);
            try (SystemTraderService service = SystemTraderService.start(config, keys, System.getenv())) {
                out.printf("demo: simulator on 127.0.0.1:%d (%,d msg/s, %s); %s; %s; HTTP API on http://127.0.0.1:%d "
                        + "(dashboard: http://127.0.0.1:%d/)%n",
                        sim.port(), simConfig.ratePerSecond(), String.join(",", simConfig.market().symbols()),
                        backends.dbDescription, backends.redisDescription, service.httpPort(), service.httpPort());
                Progress progress = new Progress(service, started);
                long end = durationSeconds == 0 ? Long.MAX_VALUE
                        : System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds);
                while (System.nanoTime() < end) {
                    long wait = Math.min(TimeUnit.SECONDS.toNanos(progressSeconds), end - System.nanoTime());
                    if (stop.await(Math.max(1, wait), TimeUnit.NANOSECONDS)) break;
                    out.println(progress.line());
                    out.flush();
                }
                out.println();
                summary(out, service, simConfig.market().symbols());
                out.println();
                if (keepServing && stop.getCount() > 0) {
                    out.println("Serving until Ctrl-C (the simulator keeps streaming); meanwhile try:");
                    whileServing(out, service, backends, simConfig.market().symbols().get(0));
                    out.flush();
                    stop.await();
                } else {
                    out.println("Where to look next:");
                    out.println("  ./system-trader demo --keep-serving   the same, then serving the HTTP API, the database "
                            + "and Redis until Ctrl-C, with the commands to try");
                    out.println("  ./system-trader run                   the service on your own config (README.md: "
                            + "real Polygon/Alpaca keys, TimescaleDB and Redis)");
                    out.println("  docs/REDIS_SCHEMA.md, docs/ARCHITECTURE.md   what is where, and how it flows");
                }
                out.println("demo: stopping (draining the collectors, caches and the database writer)...");
            }
            out.println("demo: done");
        }
        return 0;
    }

    private static void quietLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static String yaml(ExchangeSimulator sim, SimulatorConfig simConfig, DemoBackends b, Path journal) {
        String symbols = String.join(", ", simConfig.market().symbols());
        return """
                polygon:
                  websocket:
                    url: ws://127.0.0.1:%1$d/stocks
                    channels: [T, Q, AM]
                    symbols: [%2$s]
                  rest:
                    url: http://127.0.0.1:%1$d
                alpaca:
                  websocket:
                    enabled: true
                    url: ws://127.0.0.1:%1$d/v2
                    feed: %3$s
                    channels: [trades, quotes, bars]
                    symbols: [%2$s]
                  rest:
                    url: http://127.0.0.1:%1$d
                storage:
                  url: %4$s
                  user: %5$s
                  journal_dir: %7$s
                redis:
                  enabled: true
                  url: %6$s
                  prefix: demo
                service:
                  http_port: 0
                """.formatted(sim.port(), symbols, simConfig.alpacaSipEntitled() ? "sip" : "iex", b.jdbcUrl,
                b.dbUser, b.redisUrl, journal);
    }

    /** One progress line: rates per provider and type, cache and database figures, gaps and quality. */
    private static final class Progress {
        private final SystemTraderService service;
        private final long startedNs;
        private final Map<String, Map<RecordType, Long>> previous = new HashMap<>();
        private long previousNs = System.nanoTime();

        Progress(SystemTraderService service, long startedNs) {
            this.service = service;
            this.startedNs = startedNs;
        }

        String line() {
            long now = System.nanoTime();
            double secs = Math.max(1e-3, (now - previousNs) / 1e9);
            previousNs = now;
            StringBuilder b = new StringBuilder(String.format("%4ds", TimeUnit.NANOSECONDS.toSeconds(now - startedNs)));
            long gaps = 0;
            long rejected = 0;
            long flagged = 0;
            for (Map.Entry<String, WebsocketCollector> e : service.collectors().entrySet()) {
                CollectorSnapshot s = e.getValue().stats();
                Map<RecordType, Long> before = previous.getOrDefault(e.getKey(), Map.of());
                b.append(String.format("  %s %s", e.getKey().substring(0, e.getKey().indexOf('/')),
                        s.state().equals("STREAMING") ? "" : "[" + s.state() + "] "));
                for (RecordType t : new RecordType[] {RecordType.TRADE, RecordType.QUOTE, RecordType.BAR}) {
                    long n = s.byType().getOrDefault(t, 0L);
                    b.append(String.format("%s %,.0f/s ", t.name().toLowerCase(), (n - before.getOrDefault(t, 0L)) / secs));
                }
                previous.put(e.getKey(), new EnumMap<>(s.byType()));
                gaps += s.outages();
                QualityReport q = e.getValue().qualityReport();
                rejected += q.rejected();
                flagged += q.flagged();
            }
            b.append(String.format("| cache %,d", service.memoryCache().entries()));
            if (service.storageWriter() != null) {
                b.append(String.format(" | db %,d rows", service.storageWriter().rowsWritten()));
                long pending = service.journal().batchesPending();
                if (pending > 0) b.append(String.format(" (%,d batches in the journal)", pending));
            }
            b.append(String.format(" | gaps %d | rejected %,d flagged %,d", gaps, rejected, flagged));
            return b.toString();
        }
    }

    private static void summary(PrintWriter out, SystemTraderService service, List<String> symbols) {
        RealtimeDataProvider data = service.provider();
        out.println("RealtimeDataProvider answers, with where each came from:");
        for (String sym : symbols.subList(0, Math.min(3, symbols.size()))) {
            for (DataSource src : new DataSource[] {DataSource.POLYGON, DataSource.ALPACA}) {
                try {
                    LatestPrice p = data.getLatestPrice(sym, src, data.maxAge());
                    out.printf(Locale.ROOT, "  getLatestPrice(%s, %s) = %.4f x %d   %s%n", sym, lower(src), p.price(),
                            p.size(), from(p.provenance()));
                } catch (RuntimeException e) {
                    out.printf("  getLatestPrice(%s, %s): %s%n", sym, lower(src), e.getMessage());
                }
            }
        }
        String sym = symbols.get(0);
        try {
            LatestQuote q = data.getLatestQuote(sym, null, data.maxAge());
            out.printf(Locale.ROOT, "  getLatestQuote(%s) = %.4f x %d / %.4f x %d   %s%n", sym, q.bidPrice(), q.bidSize(),
                    q.askPrice(), q.askSize(), from(q.provenance()));
        } catch (RuntimeException e) {
            out.println("  getLatestQuote(" + sym + "): " + e.getMessage());
        }
        try {
            MultiPrices m = data.getMultiSymbolPrices(symbols);
            out.printf("  getMultiSymbolPrices(%d symbols): %d answered, one batch per tier (%s)%n", symbols.size(),
                    m.prices().size(), m.attempts().stream().map(a -> a.tier().label() + " " + a.outcome().label())
                            .distinct().toList());
        } catch (RuntimeException e) {
            out.println("  getMultiSymbolPrices: " + e.getMessage());
        }
        out.println();
        out.println("getOhlcv(" + sym + ", 1m, the last 5 minutes): minute bars built from eligible trades, the same "
                + "in every tier; the minute still open is partial (docs/DATA_MODEL.md):");
        try {
            Instant now = Instant.now();
            OhlcvSeries bars = data.getOhlcv(sym, OhlcvInterval.parse("1m"), now.minusSeconds(300), now.plusSeconds(60),
                    DataSource.POLYGON, BarOrigin.BUILT);
            out.println("  minute (UTC)          open       high       low        close      volume   trades  state    from");
            for (OhlcvBar b : bars.bars()) {
                out.printf(Locale.ROOT, "  %-21s %-10.4f %-10.4f %-10.4f %-10.4f %-8d %-7d %-8s %s/%s%n",
                        Instant.ofEpochSecond(0, b.startNs()), b.open(), b.high(), b.low(), b.close(), b.volume(),
                        b.tradeCount(), b.state().label(), b.tier().label(), lower(b.source()));
            }
        } catch (RuntimeException e) {
            out.println("  " + e.getMessage());
        }
    }

    /** The commands that work while the demo serves ({@code --keep-serving}), with its real ports. */
    private static void whileServing(PrintWriter out, SystemTraderService service, DemoBackends backends, String sym) {
        int port = service.httpPort();
        out.printf("  open http://127.0.0.1:%d/ in a browser                 the dashboard%n", port);
        out.printf("  curl 'http://127.0.0.1:%d/api/price?symbol=%s'        latest price with provenance%n", port, sym);
        out.printf("  curl 'http://127.0.0.1:%d/api/ohlcv?symbol=%s&bars=5' minute bars%n", port, sym);
        out.printf("  curl http://127.0.0.1:%d/metrics                      Prometheus metrics%n", port);
        out.printf("  curl http://127.0.0.1:%d/api/quality                  the data-quality report%n", port);
        out.println("  " + backends.psql() + "   then: SELECT count(*) FROM websocket_data;");
        out.printf("  redis-cli -u %s ZREVRANGE 'demo:{%s}:trade:polygon' 0 2   (layout: docs/REDIS_SCHEMA.md)%n",
                backends.redisUrl, sym);
    }

    private static String from(Provenance p) {
        return "from " + p.tier().label() + "/" + lower(p.source()) + String.format(Locale.ROOT, ", %.1f s old",
                p.staleness().toNanos() / 1e9) + (p.fresh() ? "" : " (stale)");
    }

    private static String lower(DataSource s) {
        return s == null ? "-" : s.name().toLowerCase(Locale.ROOT);
    }
}
