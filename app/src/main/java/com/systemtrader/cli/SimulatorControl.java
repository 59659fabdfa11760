package com.systemtrader.cli;

import com.systemtrader.simulator.ExchangeSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code simulate --stdin-control}: commands on standard input, one per line, each answered on standard output with
 * one line starting {@code simulator: } (a parent process such as {@code bench-service} waits for it):
 * <ul>
 *   <li>{@code stop}: stop sending data (a stall with no end: sockets stay open, pings are answered, nothing more is
 *       written to the truth file); answered {@code simulator: sending stopped: <stats>}</li>
 *   <li>{@code resume}: send again; {@code rate N}: the market's messages per second from now on</li>
 *   <li>{@code flush}: flush the truth file; {@code stats}: the counters</li>
 * </ul>
 * End of input (the parent closed the pipe or died) stops the simulator.
 */
final class SimulatorControl {
    /** Long enough to outlast any run; {@code Faults.stall} adds it to the current epoch nanoseconds. */
    private static final Duration FOREVER = Duration.ofDays(3_650);

    private SimulatorControl() {}

    static void start(ExchangeSimulator sim, CountDownLatch done) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String answer = handle(sim, line.trim());
                    if (answer != null) {
                        System.out.println("simulator: " + answer);
                        System.out.flush();
                    }
                }
            } catch (IOException e) {
                System.err.println("simulator: standard input failed: " + e.getMessage());
            }
            System.out.println("simulator: end of input, stopping");
            System.out.flush();
            done.countDown();
        }, "simulate-stdin");
        t.setDaemon(true);
        t.start();
    }

    private static String handle(ExchangeSimulator sim, String command) {
        String[] words = command.split("\\s+");
        switch (words[0].toLowerCase(Locale.ROOT)) {
            case "" -> {
                return null;
            }
            case "stop" -> {
                sim.faults().stall(FOREVER);
                return "sending stopped: " + sim.stats();
            }
            case "resume" -> {
                sim.faults().endStall();
                return "sending resumed";
            }
            case "rate" -> {
                try {
                    long rate = Long.parseLong(words.length > 1 ? words[1] : "");
                    if (rate < 0) return "error: rate must not be negative";
                    sim.rate(rate);
                    return "rate " + rate;
                } catch (NumberFormatException e) {
                    return "error: rate needs a number";
                }
            }
            case "flush" -> {
                sim.flushTruth();
                return "truth flushed";
            }
            case "stats" -> {
                return "stats: " + sim.stats();
            }
            default -> {
                return "error: unknown command '" + command + "' (stop, resume, rate N, flush, stats)";
            }
        }
    }
}
