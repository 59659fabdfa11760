package com.systemtrader.cli;

import com.systemtrader.bus.BusConfig;
import com.systemtrader.bus.BusStatus;
import com.systemtrader.config.BusSettings;
import com.systemtrader.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code system-trader bus}: the Kafka bus's commands ({@code status}). */
@Command(name = "bus", mixinStandardHelpOptions = true,
        description = "Show the Kafka bus of the scale-out roles (the bus section of the config).",
        subcommands = {BusCommand.Status.class})
final class BusCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Per partition of the bus topics: the end offset and the lag of the store and cache groups "
                    + "(records not yet committed, i.e. for the store group not yet in the database); each group's "
                    + "state and members.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "1:the broker did not answer, or a topic is missing",
                    "2:no bus configured (bus.bootstrap_servers) or a configuration error"})
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Collector config with the bus section (default: ${DEFAULT-VALUE}).")
        Path configFile = ConfigLoader.DEFAULT_FILE;

        @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Overrides bus.bootstrap_servers.")
        String bootstrap;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the broker "
                + "(default: ${DEFAULT-VALUE}).")
        int timeoutSeconds = 15;

        @Override public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            BusSettings bus = ConfigLoader.load(configFile, System.getenv()).bus();
            if (bootstrap != null) bus = bus.withBootstrapServers(bootstrap);
            if (!bus.enabled()) {
                err.println("system-trader bus status: no bus configured: set bus.bootstrap_servers in " + configFile
                        + " or pass --bootstrap");
                return 2;
            }
            BusConfig config = BusConfig.of(bus, bus.storeGroup(), System.getenv());
            if (!config.problems().isEmpty()) {
                err.println("system-trader bus status: invalid configuration:\n" + String.join("\n", config.problems()));
                return 2;
            }
            try {
                BusStatus s = BusStatus.read(config,
                        List.of(bus.storeGroup(), bus.cacheGroup()), Duration.ofSeconds(timeoutSeconds));
                out.print(s.render());
                out.flush();
                return 0;
            } catch (IllegalStateException e) {
                err.println("system-trader bus status: " + e.getMessage());
                return 1;
            }
        }
    }
}
