package com.systemtrader.cli;

import com.systemtrader.collector.CollectorSnapshot;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.config.DataConfig;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.CredentialsException;
import com.systemtrader.credentials.Provider;
import com.systemtrader.schema.ConnectionStatus.State;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code system-trader test-websocket}: connects to one provider's WebSocket stream with the real collector,
 * subscribes symbols, shows live rates, and ends with a report (counts, rate, latency, reconnects, gaps, errors and,
 * with {@code --check-quality}, data-quality figures), optionally as JSON. The exit code says whether data arrived,
 * and if not, whose fault it was: the credentials (3), the endpoint (4) or the symbols (5).
 */
@Command(name = "test-websocket", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Connect to Polygon's or Alpaca's WebSocket stream with the collector, subscribe symbols, "
                + "show live message rates and print a report.",
                "Credentials come from the environment (POLYGON_API_KEY; APCA_API_KEY_ID and APCA_API_SECRET_KEY) "
                        + "and the credentials file; the feed settings from the collector config (the feed is used "
                        + "even when disabled there)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:data arrived for at least one requested symbol", "1:error (configuration, report file)",
                "2:invalid flags", "3:credentials missing, rejected or not entitled to the feed",
                "4:endpoint unreachable (never streamed) or no such stream",
                "5:connected and subscribed, but no data for the symbols"})
final class TestWebsocketCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_CREDENTIALS = 3;
    static final int EXIT_UNREACHABLE = 4;
    static final int EXIT_NO_DATA = 5;

    @Spec CommandSpec spec;

    @Option(names = "--provider", paramLabel = "polygon|alpaca", converter = TestWebsocketFeeds.ProviderConverter.class,
            description = "polygon or alpaca (default: polygon).")
    Provider provider = Provider.POLYGON;

    @Option(names = "--symbols", split = ",", paramLabel = "SYMBOL",
            description = "Tickers to subscribe, * for all (default: the feed's "
            + "symbols in the collector config).")
    List<String> symbols;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Seconds to run; 0 = until Ctrl-C (default: ${DEFAULT-VALUE}).")
    double durationSeconds = 60;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "Give up when not streaming after this many seconds "
            + "(default: ${DEFAULT-VALUE}).")
    double connectTimeoutSeconds = 15;

    @Option(names = "--check-quality", description = "Print the data cleaner's quality report: every message "
            + "accounted for by outcome and rule, duplicates, out-of-order and late trades, suspicious prints, crossed, "
            + "locked and one-sided quotes, sequence gaps, latency, and our bars against the provider's.")
    boolean checkQuality;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path reportJson;

    @Option(names = "--url", paramLabel = "URL",
            description = "Stream URL: Polygon the full URL (wss://socket.polygon.io/stocks), Alpaca "
            + "the base (wss://stream.data.alpaca.markets/v2) or the full URL with the feed (.../v2/iex).")
    String url;

    @Option(names = "--feed", paramLabel = "iex|sip|delayed_sip|test",
            description = "Alpaca feed: iex, sip, delayed_sip or test (FAKEPACA only).")
    String feed;

    @Option(names = "--channels", split = ",", paramLabel = "CHANNEL",
            description = "Channels: Polygon T,Q,A,AM,LULD,NOI; Alpaca trades,quotes,"
            + "bars,updatedBars,dailyBars,statuses,lulds,imbalances (T,Q,AM work too) (default: from the config).")
    List<String> channels;

    @Option(names = "--config", paramLabel = "FILE", description = "Collector config (default: ${DEFAULT-VALUE}; "
            + "built-in defaults when missing).")
    Path configFile = ConfigLoader.DEFAULT_FILE;

    @Option(names = "--credentials", paramLabel = "FILE", description = "Credentials file (default: ${DEFAULT-VALUE}).")
    Path credentialsFile = APIKeyManager.DEFAULT_FILE;

    @Option(names = "--progress", paramLabel = "MODE", description = "auto, tty (rewrite one line), lines (a line "
            + "every 5 s) or off (default: auto: tty when standard output is a terminal).")
    String progress = "auto";

    private volatile boolean stopRequested;

    @Override public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (!(durationSeconds >= 0) || durationSeconds > 31_536_000) {
            throw TestWebsocketFeeds.bad(cl, "--duration", "must be 0 (until Ctrl-C) or a positive number of seconds");
        }
        if (!(connectTimeoutSeconds > 0)) throw TestWebsocketFeeds.bad(cl, "--connect-timeout", "must be positive");
        TestWebsocketProgress.Mode mode = progressMode(cl);
        CollectorConfig config = ConfigLoader.load(configFile, System.getenv());
        FeedConfig configured = provider == Provider.POLYGON ? config.polygon() : config.alpaca();
        FeedConfig feedConfig = TestWebsocketFeeds.resolve(cl, config, provider, url, feed, channels, List.of());
        if (symbols == null && configured.symbols().isEmpty()) {
            throw TestWebsocketFeeds.bad(cl, "--symbols", "none given, and " + provider.key()
                    + ".websocket.symbols in " + configFile + " names none");
        }
        List<String> syms = TestWebsocketFeeds.symbols(cl, symbols != null ? symbols : configured.symbols());
        PrintWriter err = cl.getErr();
        APIKeyManager keys;
        try {
            keys = APIKeyManager.load(credentialsFile, System.getenv(), Clock.systemUTC());
        } catch (CredentialsException e) {
            return fail(err, EXIT_CREDENTIALS, e.getMessage());
        }
        if (!keys.isConfigured(provider)) {
            return fail(err, EXIT_CREDENTIALS, TestWebsocketFeeds.missingCredentials(provider, credentialsFile));
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {   // Ctrl-C: stop, report, then let the JVM exit
            stopRequested = true;
            try {
                done.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-websocket-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(cl, keys, feedConfig, config.data(), syms, mode);
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running; it returns now that done is counted down
            }
        }
    }

    private int run(CommandLine cl, APIKeyManager keys, FeedConfig feedConfig, DataConfig data, List<String> syms,
                    TestWebsocketProgress.Mode mode) throws Exception {
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        TestWebsocketWatch watch = new TestWebsocketWatch();
        TestWebsocketProgress progressLine = new TestWebsocketProgress(out, provider.key(), mode);
        String stream = feedConfig.streamUri().toString();
        try (WebsocketCollector collector = TestWebsocketFeeds.collector(provider, feedConfig, data, keys)) {
            collector.addListener(watch);
            for (String s : syms) collector.addSymbol(s);
            out.printf(Locale.ROOT, "test-websocket: %s %s channels %s symbols %s, %s%s%n", provider.key(), stream,
                    String.join(",", feedConfig.channels()), String.join(",", syms),
                    durationSeconds == 0 ? "until Ctrl-C" : String.format(Locale.ROOT, "%.0f s", durationSeconds),
                    checkQuality ? ", checking quality" : "");
            out.flush();
            Instant startedAt = Instant.now();
            long startNs = System.nanoTime();
            long endNs = durationSeconds == 0 ? Long.MAX_VALUE : startNs + (long) (durationSeconds * 1e9);
            long connectDeadlineNs = startNs + (long) (connectTimeoutSeconds * 1e9);
            collector.start();
            long nextTickNs = startNs + 1_000_000_000L;
            long second = 0;
            while (!stopRequested) {
                long now = System.nanoTime();
                if (now >= endNs || collector.state() == State.FAILED) break;
                if (!watch.everStreamed() && now >= connectDeadlineNs) break;
                if (now >= nextTickNs) {
                    progressLine.tick(collector.stats(), ++second, now);
                    nextTickNs += 1_000_000_000L;
                }
                long sleepNs = Math.min(Math.min(100_000_000L, endNs - now), Math.max(1, nextTickNs - now));
                try {
                    Thread.sleep(Math.max(1, sleepNs / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            State finalState = collector.state();
            String finalDetail = keys.redact(collector.stateDetail());
            long ranNs = System.nanoTime() - startNs;
            collector.stop();
            progressLine.finish();
            CollectorSnapshot snap = collector.stats();
            List<String> withoutData = syms.stream().filter(s -> !s.equals("*") && !hasData(snap, s)).toList();
            boolean anyData = syms.contains("*") ? snap.messages() > 0 : withoutData.size() < syms.size();
            TestWebsocketReport.Outcome outcome = outcome(keys, watch, snap, finalState, finalDetail, stream, syms,
                    withoutData, anyData, ranNs);
            long streamingNs = watch.everStreamed() ? Math.max(0, startNs + ranNs - watch.firstStreamingNs()) : 0;
            double rateBase = streamingNs > 0 ? streamingNs / 1e9 : ranNs / 1e9;
            TestWebsocketReport report = new TestWebsocketReport(provider.key(), stream, feedConfig.channels(), syms,
                    startedAt.toString(), TestWebsocketReport.round(ranNs / 1e9),
                    TestWebsocketReport.round(streamingNs / 1e9), finalState.name(), finalDetail, snap.messages(),
                    TestWebsocketReport.round(rateBase > 0 ? snap.messages() / rateBase : 0), snap.byType(),
                    snap.bySymbol(), TestWebsocketReport.latency(snap), snap.reconnectsByCause(),
                    TestWebsocketReport.gaps(collector.gapLedger()), TestWebsocketReport.errors(snap), withoutData,
                    checkQuality ? collector.qualityReport() : null, outcome);
            report.lines().forEach(line -> out.println(keys.redact(line)));
            out.flush();
            if (reportJson != null) {
                try {
                    report.writeJson(reportJson);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("cannot write --report-json " + reportJson + ": "
                            + Main.oneLine(e), e);
                }
                out.println("report written to " + reportJson);
                out.flush();
            }
            if (outcome.exitCode() != EXIT_OK) fail(err, outcome.exitCode(), outcome.reason());
            return outcome.exitCode();
        }
    }

    private TestWebsocketReport.Outcome outcome(APIKeyManager keys, TestWebsocketWatch watch, CollectorSnapshot snap,
                                                State finalState, String finalDetail, String stream, List<String> syms,
                                                List<String> withoutData, boolean anyData, long ranNs) {
        String p = provider.key();
        if (anyData) {
            int with = syms.contains("*") ? snap.bySymbol().size() : syms.size() - withoutData.size();
            return new TestWebsocketReport.Outcome(EXIT_OK, "ok", "data for " + with
                    + (syms.contains("*") ? " symbol(s)" : " of " + syms.size() + " symbol(s)"));
        }
        if (finalState == State.FAILED) {
            if (TestWebsocketWatch.isCredentialRejection(finalDetail)) {
                return new TestWebsocketReport.Outcome(EXIT_CREDENTIALS, "rejected", "credentials rejected by " + p
                        + ": " + TestWebsocketWatch.rejectionReason(finalDetail));
            }
            if (finalDetail.contains("HTTP 404")) {
                return new TestWebsocketReport.Outcome(EXIT_UNREACHABLE, "unreachable", p + " endpoint " + stream
                        + ": " + finalDetail);
            }
            return new TestWebsocketReport.Outcome(EXIT_CREDENTIALS, "failed", p + " refused the stream for these "
                    + "credentials: " + finalDetail);
        }
        if (!watch.everStreamed()) {
            long attempts = snap.reconnectsByCause().values().stream().mapToLong(Long::longValue).sum();
            String last = keys.redact(watch.lastFailure());
            String why = !last.isEmpty() ? last
                    : watch.everOpened() ? "connected but authentication did not complete" : "no answer";
            return new TestWebsocketReport.Outcome(EXIT_UNREACHABLE, "unreachable", String.format(Locale.ROOT,
                    "%s endpoint %s unreachable: %s (not streaming after %.1f s, %d failed connection attempt(s))", p,
                    stream, why, ranNs / 1e9, attempts));
        }
        return new TestWebsocketReport.Outcome(EXIT_NO_DATA, "no-data", String.format(Locale.ROOT,
                "no data for %s from %s in %.1f s (connected and subscribed; market closed, unknown symbol, or the "
                        + "plan does not include it?)", String.join(",", withoutData), p, ranNs / 1e9));
    }

    private static boolean hasData(CollectorSnapshot snap, String symbol) {
        Map<?, Long> m = snap.bySymbol().get(symbol);
        return m != null && m.values().stream().mapToLong(Long::longValue).sum() > 0;
    }

    private TestWebsocketProgress.Mode progressMode(CommandLine cl) {
        try {
            return TestWebsocketProgress.Mode.valueOf(progress.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw TestWebsocketFeeds.bad(cl, "--progress", "'" + progress + "' is not auto, tty, lines or off");
        }
    }

    private static int fail(PrintWriter err, int code, String reason) {
        err.println("test-websocket: " + reason.replace('\n', ' '));
        err.flush();
        return code;
    }
}
