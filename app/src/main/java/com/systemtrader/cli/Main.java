package com.systemtrader.cli;

import com.systemtrader.config.ConfigException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code system-trader} command line. */
@Command(name = "system-trader", mixinStandardHelpOptions = true, version = "system-trader 0.1.0",
        description = "Real-time US equity market data from Polygon (Massive) and Alpaca, with an exchange simulator.",
        subcommands = {RunCommand.class, QueryCommand.class, BackfillCommand.class, SimulateCommand.class, DemoCommand.class, BenchSimulatorCommand.class, BenchCollectorCommand.class, BenchDecodeCommand.class, BenchCacheCommand.class, BenchStorageCommand.class, BenchProviderCommand.class, BenchServiceCommand.class, BenchBusCommand.class, TestWebsocketCommand.class, CredentialsCommand.class, DbCommand.class, BusCommand.class})
public final class Main implements Runnable {
    @Override public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: bad flags and values get one line naming the flag, and exit code 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("system-trader " + c.getCommandName() + ": " + ex.getMessage()
                    + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("system-trader " + c.getCommandName() + ": " + oneLine(ex));
            return ex instanceof ConfigException ? 2 : 1; // a configuration error: exit 2, as run's
        });
        return cl;
    }

    static String oneLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getMessage() == null) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.replace('\n', ' ');
    }
}
