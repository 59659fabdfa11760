package com.systemtrader.cli;

import com.systemtrader.config.ConfigLoader;
import com.systemtrader.storage.Database;
import com.systemtrader.storage.MaintenanceConfig;
import com.systemtrader.storage.MaintenanceRun;
import com.systemtrader.storage.MaintenanceScheduler;
import com.systemtrader.storage.MaintenanceTask;
import com.systemtrader.storage.MigrationRunner;
import com.systemtrader.storage.StorageConfig;
import com.systemtrader.storage.StorageStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code system-trader db}: the database commands ({@code migrate}, {@code status}, {@code maintain}). */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Create or upgrade the database schema, and show its state (storage section of the config; "
                + "password from " + StorageConfig.PASSWORD_ENV + " or PGPASSWORD).",
        subcommands = {DbCommand.Migrate.class, DbCommand.Status.class, DbCommand.Maintain.class})
final class DbCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options both subcommands take: the config file and overrides of its storage keys. */
    static final class Target {
        @Option(names = "--config", paramLabel = "FILE",
                description = "Collector config with the storage section (default: ${DEFAULT-VALUE}).")
        Path configFile = ConfigLoader.DEFAULT_FILE;

        @Option(names = "--url", paramLabel = "JDBC_URL", description = "Overrides storage.url.")
        String url;

        @Option(names = "--user", paramLabel = "ROLE", description = "Overrides storage.user.")
        String user;

        @Option(names = "--mode", paramLabel = "auto|timescaledb|postgresql", description = "Overrides storage.mode.")
        String mode;

        Database database() {
            StorageConfig c = ConfigLoader.load(configFile, System.getenv()).storage();
            if (url != null) c = c.withUrl(url);
            if (user != null) c = c.withUser(user);
            if (mode != null) c = c.withMode(mode);
            return Database.fromEnvironment(c, System.getenv());
        }

        /** The maintenance settings of the config file ({@code storage.maintenance_*}). */
        MaintenanceConfig maintenance() {
            return ConfigLoader.load(configFile, System.getenv()).service().maintenance();
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Apply pending schema migrations (running it again is a no-op).")
    static final class Migrate implements Runnable {
        @Spec CommandSpec spec;
        @Mixin Target target = new Target();

        @Override public void run() {
            Database db = target.database();
            PrintWriter out = spec.commandLine().getOut();
            out.println("database: " + db.where() + " as " + db.config().user());
            out.flush();
            MigrationRunner.Result r = MigrationRunner.migrate(db, new MigrationRunner.Progress() {
                @Override public void waitingForLock() {
                    out.println("waiting:  another migration holds the lock (a starting service?)");
                    out.flush();
                }

                @Override public void starting(String script, int statements) {
                    out.printf(Locale.ROOT, "running:  %s (%d statement%s)...%n", script, statements,
                            statements == 1 ? "" : "s");
                    out.flush();
                }

                @Override public void applied(String script, long ms) {
                    out.printf(Locale.ROOT, "done:     %s in %d ms%n", script, ms);
                    out.flush();
                }
            });
            out.println("mode:     " + r.mode().label() + " (" + r.reason() + ")");
            out.println("applied:  " + (r.applied().isEmpty() ? "nothing, up to date" : String.join(", ", r.applied())));
            out.println("schema:   version " + r.version());
            out.flush();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show mode, schema version, tables with partition or chunk counts, roll-ups, job health and the "
                    + "last run of each maintenance task.")
    static final class Status implements Runnable {
        @Spec CommandSpec spec;
        @Mixin Target target = new Target();

        @Override public void run() {
            Database db = target.database();
            PrintWriter out = spec.commandLine().getOut();
            out.println("database:    " + db.where() + " as " + db.config().user());
            out.print(StorageStatus.read(db).render());
            out.flush();
        }
    }

    @Command(name = "maintain", mixinStandardHelpOptions = true,
            description = "Run the maintenance tasks once (partitions, rollups, retention, compression), as the service "
                    + "does on its intervals, and print their outcomes; exit code 1 when one failed.")
    static final class Maintain implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Target target = new Target();

        @Option(names = "--task", paramLabel = "NAME", split = ",",
                description = "Run only these tasks: partitions, rollups, retention, compression (default: all).")
        List<String> tasks = new ArrayList<>();

        @Override public Integer call() {
            Set<MaintenanceTask> chosen = EnumSet.noneOf(MaintenanceTask.class);
            for (String t : tasks) {
                try {
                    chosen.add(MaintenanceTask.ofLabel(t));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--task: " + e.getMessage());
                }
            }
            if (chosen.isEmpty()) chosen = EnumSet.allOf(MaintenanceTask.class);
            Database db = target.database();
            PrintWriter out = spec.commandLine().getOut();
            out.println("database:    " + db.where() + " as " + db.config().user());
            List<MaintenanceRun> runs;
            try (MaintenanceScheduler s = new MaintenanceScheduler(db, target.maintenance(),
                    new SimpleMeterRegistry())) {
                runs = s.runOnce(chosen);
            }
            runs.forEach(r -> out.println(r.line()));
            out.flush();
            long failed = runs.stream().filter(r -> r.outcome().failed()).count();
            if (failed > 0) {
                spec.commandLine().getErr().println("system-trader maintain: " + failed + " of " + runs.size()
                        + " tasks failed");
            }
            return failed > 0 ? 1 : 0;
        }
    }
}
