package com.systemtrader.cli;

import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigException;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.config.ServiceRole;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.service.SystemTraderService;
import com.systemtrader.vendor.VendorModule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code system-trader run}: the long-running service (what the systemd unit starts). Runs until SIGTERM or Ctrl-C,
 * then drains: collectors stop reading, every received event reaches the caches and the storage writer, the writer
 * commits (or journals) what is queued, and the process exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the service: the enabled feeds' collectors, the cleaner, the caches (memory, and Redis when "
                + "enabled), the database writer with its spill journal, and the HTTP API (/health, /ready, /metrics, "
                + "/api/...). Stops cleanly on SIGTERM or Ctrl-C.",
                "Secrets come from the environment only: POLYGON_API_KEY, APCA_API_KEY_ID, APCA_API_SECRET_KEY (or "
                        + "the credentials file), SYSTEM_TRADER_DB_PASSWORD, SYSTEM_TRADER_REDIS_PASSWORD, "
                        + "SYSTEM_TRADER_API_TOKEN."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM or Ctrl-C after draining", "1:failed while running",
                "2:configuration or credentials error (restarting will not help)"})
final class RunCommand implements Callable<Integer> {
    static final int EXIT_CONFIG = CommandInputs.EXIT_CONFIG;

    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Collector config (default: ${DEFAULT-VALUE}; "
            + "built-in defaults when missing).")
    Path configFile = ConfigLoader.DEFAULT_FILE;

    @Option(names = "--credentials", paramLabel = "FILE", description = "Credentials file (default: ${DEFAULT-VALUE}).")
    Path credentialsFile = APIKeyManager.DEFAULT_FILE;

    @Option(names = "--role", paramLabel = "ROLE", description = "What this process does: all (the default: the whole "
            + "service in one process), collector, store, cache or api (the scale-out roles on the Kafka bus, "
            + "docs/DEPLOYMENT.md). Overrides service.role.")
    String role;

    @Override public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = System.getenv();
        CommandInputs inputs = CommandInputs.load("run", configFile, credentialsFile, env, err);
        if (inputs == null) return EXIT_CONFIG;
        CollectorConfig config = inputs.config();
        if (role != null) {
            try {
                config = config.withService(config.service().withRole(ServiceRole.of(role)));
            } catch (IllegalArgumentException e) {
                err.println("system-trader run: --role: " + e.getMessage());
                return EXIT_CONFIG;
            }
        }
        APIKeyManager keys = inputs.keys();
        for (VendorModule m : VendorModule.installed()) {
            if (config.service().role().collects() && m.feed(config).enabled() && !inputs.hasKeys(m.provider(), "is enabled but has no credentials", err)) {
                return EXIT_CONFIG;
            }
        }
        // the handlers before the start: a SIGTERM while the service starts (up to the credential checks' connect
        // timeouts) then stops it once it is up, draining as usual, instead of the JVM's exit 143 closing nothing
        CountDownLatch stop = new CountDownLatch(1);
        onSignal("TERM", stop);
        onSignal("INT", stop);
        SystemTraderService service;
        try {
            service = SystemTraderService.start(config, keys, env);
        } catch (ConfigException e) {
            err.println("system-trader run: " + e.getMessage());
            return EXIT_CONFIG;
        }
        // a System.exit from elsewhere (or a signal that could not be handled) still drains, through the hook
        Thread hook = new Thread(() -> stopService(service, out), "system-trader-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("system-trader running (role %s): %s; HTTP API on http://%s:%d (/health, /ready, /metrics, "
                + "/api/latest)%n", config.service().role().token(), service.collectors().isEmpty() ? "no feeds"
                : String.join(", ", service.collectors().keySet()), config.service().httpHost(), service.httpPort());
        out.flush();
        String[] failed = new String[1];
        service.failure().thenAccept(reason -> {
            failed[0] = reason;
            stop.countDown();
        });
        stop.await();
        if (failed[0] != null) err.println("system-trader run: " + failed[0] + "; stopping (exit 1)");
        stopService(service, out);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the JVM is exiting anyway
        }
        return failed[0] == null ? 0 : 1;
    }

    /** SIGTERM and SIGINT end the run normally (exit 0 after draining) instead of the JVM's default exit 143. */
    static void onSignal(String name, CountDownLatch stop) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // not available here: the shutdown hook drains instead
        }
    }

    private static synchronized void stopService(SystemTraderService service, PrintWriter out) {
        if (service.isClosed()) return;
        out.println("system-trader stopping: draining the collectors, caches and storage");
        out.flush();
        service.close();
        long pending = service.journal() == null ? 0 : service.journal().batchesPending();
        out.println("system-trader stopped" + (service.storageWriter() == null ? ""
                : ": " + service.storageWriter().rowsWritten() + " rows written"
                + (pending > 0 ? ", " + pending + " batches kept in the spill journal for the next start" : "")));
        out.flush();
    }
}
