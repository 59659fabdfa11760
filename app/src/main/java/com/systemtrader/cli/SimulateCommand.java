package com.systemtrader.cli;

import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.Faults;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code system-trader simulate}: runs the exchange simulator until interrupted (or for {@code --duration}). */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run the exchange simulator: Polygon and Alpaca WebSocket feeds and REST on one port.")
final class SimulateCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin SimulatorOptions options;
    @Mixin AnomalyOptions anomalies;

    @Option(names = "--port", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = 8765;

    @Option(names = "--duration", description = "Seconds to run, 0 = until interrupted (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--drop-after", description = "Fault: close each connection abruptly after N data messages.")
    long dropAfter;

    @Option(names = "--drop-connections", description = "Fault: how many connections --drop-after applies to, 0 = all (default: ${DEFAULT-VALUE}).")
    int dropConnections;

    @Option(names = "--stall-after", description = "Fault: seconds after start when a silent stall begins.")
    long stallAfter = -1;

    @Option(names = "--stall-for", description = "Fault: seconds the silent stall lasts (default: ${DEFAULT-VALUE}).")
    long stallFor = 30;

    @Option(names = "--reject-upgrades", description = "Fault: answer the first N WebSocket upgrades with HTTP 429.")
    int rejectUpgrades;

    @Option(names = "--reject-credentials", description = "Fault: reject every credential.")
    boolean rejectCredentials;

    @Option(names = "--malformed-every", description = "Fault: send a malformed frame after every N data frames.")
    int malformedEvery;

    @Option(names = "--duplicate-every", description = "Fault: send every N-th data message twice.")
    int duplicateEvery;

    @Option(names = "--reorder-every", description = "Fault: swap every N-th data message with the one before.")
    int reorderEvery;

    @Option(names = "--stdin-control", description = "Take commands from standard input, one per line: 'stop' (stop "
            + "sending data, sockets stay open and pings are answered), 'resume', 'rate N', 'flush' (the truth file), "
            + "'stats'; each is answered with a line starting 'simulator: '. End of input stops the simulator, so a "
            + "parent process that dies takes it along.")
    boolean stdinControl;

    @Override public void run() {
        if (durationSeconds < 0) throw new ParameterException(spec.commandLine(), "invalid value for --duration: must not be negative");
        if (dropAfter < 0 || dropConnections < 0 || rejectUpgrades < 0 || malformedEvery < 0 || duplicateEvery < 0
                || reorderEvery < 0 || stallFor < 0) {
            throw new ParameterException(spec.commandLine(), "fault flags take non-negative numbers");
        }
        anomalies.validate();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulate-timer");
            t.setDaemon(true);
            return t;
        });
        try (ExchangeSimulator sim = ExchangeSimulator.start(options.toConfig(port))) {
            Faults f = sim.faults();
            if (dropAfter > 0) f.dropAfterMessages(dropAfter, dropConnections);
            if (rejectUpgrades > 0) f.rejectUpgrades(rejectUpgrades, 429);
            f.rejectCredentials(rejectCredentials).malformedEvery(malformedEvery).duplicateEvery(duplicateEvery)
                    .reorderEvery(reorderEvery);
            anomalies.applyTo(f);
            if (stallAfter >= 0) {
                timer.schedule(() -> f.stall(Duration.ofSeconds(stallFor)), stallAfter, TimeUnit.SECONDS);
            }
            // one line in one write: scripts read the port from it, and a log line printed in between split it once
            String ready = String.format("simulator ready on port %d: Polygon ws://%s:%d/stocks (delayed: "
                            + "/delayed/stocks), Alpaca ws://%s:%d/v2/{iex,sip,delayed_sip,test}, REST %s%n", sim.port(),
                    options.host, sim.port(), options.host, sim.port(), sim.restBaseUrl());
            System.out.writeBytes(ready.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            System.out.flush();
            CountDownLatch done = new CountDownLatch(1);
            if (stdinControl) SimulatorControl.start(sim, done);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                sim.close(); // flushes the truth file before the JVM halts
                if (!f.injected().isEmpty()) System.err.println("simulator: injected " + f.injectedBySymbol());
                done.countDown();
            }));
            timer.scheduleAtFixedRate(() -> System.err.println("simulator: " + sim.stats()
                    + (f.injected().isEmpty() ? "" : " injected=" + f.injected())), 10, 10, TimeUnit.SECONDS);
            if (durationSeconds > 0) done.await(durationSeconds, TimeUnit.SECONDS);
            else done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            timer.shutdownNow();
        }
    }
}
