package com.systemtrader.cli;

import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.CredentialsException;
import com.systemtrader.credentials.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code system-trader credentials check}: shows what credentials are configured (masked), then authenticates each
 * configured provider (or the one asked) against its WebSocket endpoint with the real collector, subscribing
 * nothing, and reports {@code ok}, {@code rejected (...)}, {@code unreachable (...)} or {@code not configured}.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the configured credentials (masked) and authenticate them against the providers' "
                + "WebSocket endpoints.",
                "Polygon allows one stream connection per key unless your plan says otherwise: checking a key that a "
                        + "running collector uses briefly takes the connection over (the collector reconnects)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every checked provider authenticated", "1:a provider was rejected, unreachable or not "
                + "configured, or nothing was configured", "2:invalid flags"})
final class CredentialsCheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--provider", paramLabel = "polygon|alpaca", converter = TestWebsocketFeeds.ProviderConverter.class,
            description = "Check only polygon or alpaca (default: every configured provider).")
    Provider provider;

    @Option(names = "--credentials", paramLabel = "FILE", description = "Credentials file (default: ${DEFAULT-VALUE}).")
    Path credentialsFile = APIKeyManager.DEFAULT_FILE;

    @Option(names = "--config", paramLabel = "FILE", description = "Collector config with the stream URLs "
            + "(default: ${DEFAULT-VALUE}; built-in defaults when missing).")
    Path configFile = ConfigLoader.DEFAULT_FILE;

    @Option(names = "--url", paramLabel = "URL",
            description = "Stream URL to authenticate against (needs --provider): Polygon the full "
            + "URL, Alpaca the base or the full URL with the feed.")
    String url;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Seconds to wait per provider (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 10;

    @Override public Integer call() {
        CommandLine cl = spec.commandLine();
        if (url != null && provider == null) {
            throw TestWebsocketFeeds.bad(cl, "--url", "needs --provider (a URL belongs to one provider)");
        }
        if (!(timeoutSeconds > 0) || timeoutSeconds > 600) {
            throw TestWebsocketFeeds.bad(cl, "--timeout", "must be more than 0 and at most 600 seconds");
        }
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        CollectorConfig config = ConfigLoader.load(configFile, System.getenv());
        List<Provider> targets = provider != null ? List.of(provider) : List.of(Provider.values());
        List<FeedConfig> feeds = new ArrayList<>();
        for (Provider p : targets) feeds.add(TestWebsocketFeeds.resolve(cl, config, p, url, null, null, List.of()));
        APIKeyManager keys;
        try {
            keys = APIKeyManager.load(credentialsFile, System.getenv(), Clock.systemUTC());
        } catch (CredentialsException e) {
            err.println("credentials check: " + e.getMessage().replace('\n', ' '));
            err.flush();
            return 1;
        }
        keys.describe().lines().forEach(line -> out.println(keys.redact(line)));
        out.flush();

        List<CredentialsProbe> probes = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Provider p = targets.get(i);
            probes.add(keys.isConfigured(p) ? CredentialsProbe.start(p, feeds.get(i), keys) : null);
        }
        int checked = 0;
        int ok = 0;
        for (int i = 0; i < targets.size(); i++) {
            Provider p = targets.get(i);
            CredentialsProbe probe = probes.get(i);
            String result;
            if (probe == null) {
                result = p.key() + " websocket: not configured (" + TestWebsocketFeeds.missingCredentials(p,
                        credentialsFile).replaceFirst("^no \\w+ credentials: ", "") + ")";
                if (provider != null) checked++;
            } else {
                CredentialsProbe.Result r = probe.await(timeoutSeconds);
                checked++;
                if (r.ok()) ok++;
                result = p.key() + " websocket " + probe.stream() + ": " + r.text();
            }
            out.println(keys.redact(result));
            out.flush();
        }
        out.println("REST: not checked (REST key validation is not implemented yet)");
        out.flush();
        if (checked == 0) {
            err.println("credentials check: no credentials configured; set POLYGON_API_KEY, or APCA_API_KEY_ID and "
                    + "APCA_API_SECRET_KEY, or fill in " + credentialsFile);
            err.flush();
            return 1;
        }
        return ok == checked ? 0 : 1;
    }

    /** One provider's authentication attempt: a collector with no symbols, started at once, awaited later. */
    static final class CredentialsProbe {
        record Result(boolean ok, String text) {}

        private final WebsocketCollector collector;
        private final TestWebsocketWatch watch = new TestWebsocketWatch();
        private final String stream;
        private final APIKeyManager keys;
        private final long startNs = System.nanoTime();

        private CredentialsProbe(Provider provider, FeedConfig feed, APIKeyManager keys) {
            this.keys = keys;
            this.stream = feed.streamUri().toString();
            this.collector = TestWebsocketFeeds.collector(provider, feed, com.systemtrader.config.DataConfig.defaults(), keys);
            collector.addListener(watch);
            collector.start();
        }

        static CredentialsProbe start(Provider provider, FeedConfig feed, APIKeyManager keys) {
            return new CredentialsProbe(provider, feed, keys);
        }

        String stream() { return stream; }

        /** Waits for STREAMING (ok), FAILED, a failed first connection, or the timeout; then stops the collector. */
        Result await(double timeoutSeconds) {
            long deadline = startNs + (long) (timeoutSeconds * 1e9);
            try (collector) {
                while (true) {
                    TestWebsocketWatch.Verdict v = watch.verdict();
                    switch (v) {
                        case STREAMING -> {
                            return new Result(true, "ok (authenticated in "
                                    + (watch.firstStreamingNs() - startNs) / 1_000_000 + " ms)");
                        }
                        case REJECTED -> {
                            return new Result(false, "rejected (" + keys.redact(
                                    TestWebsocketWatch.rejectionReason(watch.detail())) + ")");
                        }
                        case FAILED -> {
                            return new Result(false, "rejected (" + keys.redact(watch.detail()) + ")");
                        }
                        case UNREACHABLE -> {
                            return new Result(false, "unreachable (" + keys.redact(watch.lastFailure()) + ")");
                        }
                        case PENDING -> { }
                    }
                    if (watch.everOpened() && collector.stats().reconnectsByCause().containsKey("connection-limit")) {
                        return new Result(false, "unreachable (connection limit: another session uses this key)");
                    }
                    if (System.nanoTime() >= deadline) {
                        String last = watch.lastFailure().isEmpty() ? ""
                                : "; last: " + keys.redact(watch.lastFailure());
                        return new Result(false, String.format(java.util.Locale.ROOT,
                                "unreachable (no answer within %.0f s, state %s%s)", timeoutSeconds, watch.state(),
                                last));
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return new Result(false, "unreachable (interrupted)");
                    }
                }
            }
        }
    }
}
