package com.systemtrader.cli;

import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The market and server flags shared by {@code simulate}, {@code demo} and {@code bench-simulator}. */
final class SimulatorOptions {
    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    @Option(names = "--host", description = "Bind address (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--seed", description = "Seed of the synthetic market (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--symbols", split = ",", description = "Tickers (default: ${DEFAULT-VALUE}).")
    List<String> symbols = List.of("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "TSLA", "META", "SPY");

    @Option(names = "--rate", description = "Data messages per second, all symbols together (default: ${DEFAULT-VALUE}).")
    long rate = 1_000;

    @Option(names = "--batch", description = "Most data messages per frame (default: ${DEFAULT-VALUE}).")
    int batch = 100;

    @Option(names = "--bar-interval-ms", description = "Length of the streamed minute bars; lower it to get bars sooner in tests (default: ${DEFAULT-VALUE}).")
    long barIntervalMs = 60_000;

    @Option(names = "--history-days", description = "Days of minute history before start served over REST (default: ${DEFAULT-VALUE}).")
    int historyDays = 10;

    @Option(names = "--halts-per-hour", description = "Expected trading halts per symbol and hour; 0 disables (default: ${DEFAULT-VALUE}).")
    double haltsPerHour = 0.5;

    @Option(names = "--session-calendar", description = "Stream only 04:00-20:00 New York time on weekdays (default: always streaming).")
    boolean sessionCalendar;

    @Option(names = "--polygon-key", description = "Accepted Polygon API key; repeatable (default: sim-polygon-key).")
    List<String> polygonKeys = List.of(SimulatorConfig.DEFAULT_POLYGON_KEY);

    @Option(names = "--alpaca-key", description = "Accepted Alpaca KEY_ID:SECRET pair; repeatable (default: sim-alpaca-key:sim-alpaca-secret).")
    List<String> alpacaKeys = List.of(SimulatorConfig.DEFAULT_ALPACA_KEY + ":" + SimulatorConfig.DEFAULT_ALPACA_SECRET);

    @Option(names = "--alpaca-basic-plan", description = "Act as a Basic plan: /v2/sip answers 409 insufficient subscription.")
    boolean alpacaBasicPlan;

    @Option(names = "--iex-symbol-limit", description = "Symbols allowed for trades+quotes on /v2/iex, 0 = unlimited (default: ${DEFAULT-VALUE}).")
    int iexSymbolLimit = 30;

    @Option(names = "--auth-timeout-ms", description = "Time allowed to authenticate (default: ${DEFAULT-VALUE}).")
    long authTimeoutMs = 10_000;

    @Option(names = "--slow-consumer-bytes", description = "Unsent bytes per connection before a slow-consumer kill (default: ${DEFAULT-VALUE}).")
    long slowConsumerBytes = 64L << 20;

    @Option(names = "--polygon-rest-per-minute", description = "REST requests per minute per Polygon key, 0 = unlimited (default: ${DEFAULT-VALUE}).")
    int polygonRestPerMinute;

    @Option(names = "--alpaca-rest-per-minute", description = "REST requests per minute per Alpaca key, 0 = unlimited (default: ${DEFAULT-VALUE}).")
    int alpacaRestPerMinute = 200;

    @Option(names = "--truth-file", description = "Write every data event sent, per connection, as JSON lines.")
    Path truthFile;

    SimulatorConfig toConfig(int port) {
        require(rate >= 0 && rate <= 5_000_000, "--rate", "must be 0..5000000");
        require(batch >= 1, "--batch", "must be at least 1");
        require(barIntervalMs >= 100, "--bar-interval-ms", "must be at least 100");
        require(historyDays >= 0 && historyDays <= 30, "--history-days", "must be 0..30");
        require(iexSymbolLimit >= 0, "--iex-symbol-limit", "must not be negative (0 = unlimited)");
        require(haltsPerHour >= 0, "--halts-per-hour", "must not be negative");
        require(authTimeoutMs >= 1, "--auth-timeout-ms", "must be positive");
        require(slowConsumerBytes >= 65_536, "--slow-consumer-bytes", "must be at least 65536");
        require(polygonRestPerMinute >= 0, "--polygon-rest-per-minute", "must not be negative");
        require(alpacaRestPerMinute >= 0, "--alpaca-rest-per-minute", "must not be negative");
        require(port >= 0 && port <= 65_535, "--port", "must be 0..65535");
        LinkedHashSet<String> syms = new LinkedHashSet<>();
        for (String s : symbols) {
            String t = s.trim().toUpperCase(Locale.ROOT);
            require(t.matches("[A-Z][A-Z0-9.]{0,9}"), "--symbols", "'" + s + "' is not a ticker");
            syms.add(t);
        }
        require(!syms.isEmpty() && syms.size() <= 2_000, "--symbols", "needs 1..2000 tickers");
        Map<String, String> alpaca = new LinkedHashMap<>();
        for (String pair : alpacaKeys) {
            int colon = pair.indexOf(':');
            require(colon > 0 && colon < pair.length() - 1, "--alpaca-key", "must be KEY_ID:SECRET");
            alpaca.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        MarketConfig market = new MarketConfig(seed, List.copyOf(syms), barIntervalMs, historyDays, 50_000,
                haltsPerHour, sessionCalendar);
        return SimulatorConfig.builder(market).host(host).port(port).rate(rate).maxEventsPerFrame(batch)
                .polygonKeys(new LinkedHashSet<>(polygonKeys)).alpacaKeys(alpaca).alpacaSipEntitled(!alpacaBasicPlan)
                .alpacaIexSymbolLimit(iexSymbolLimit).authTimeoutMs(authTimeoutMs)
                .slowConsumerBytes(slowConsumerBytes).polygonRestPerMinute(polygonRestPerMinute)
                .alpacaRestPerMinute(alpacaRestPerMinute).truthFile(truthFile).build();
    }

    private void require(boolean ok, String flag, String problem) {
        if (!ok) throw new ParameterException(spec.commandLine(), "invalid value for " + flag + ": " + problem);
    }
}
