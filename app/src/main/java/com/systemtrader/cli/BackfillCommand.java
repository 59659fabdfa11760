package com.systemtrader.cli;

import com.systemtrader.backfill.BackfillConfig;
import com.systemtrader.backfill.BackfillOutcome;
import com.systemtrader.backfill.BackfillRequest;
import com.systemtrader.backfill.BackfillResult;
import com.systemtrader.backfill.GapBackfiller;
import com.systemtrader.vendor.VendorModule;
import com.systemtrader.vendor.VendorRest;
import com.systemtrader.backfill.SymbolBackfill;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.Provider;
import com.systemtrader.data.ProviderSetup;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Symbols;
import com.systemtrader.storage.Database;
import com.systemtrader.storage.MigrationRunner;
import com.systemtrader.storage.StorageException;
import com.systemtrader.storage.RollupRefresher;
import com.systemtrader.storage.StorageWriter;
import com.systemtrader.storage.StorageWriterConfig;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code system-trader backfill}: fills a time range of trades from the provider's REST API on demand, through the
 * same cleaner and idempotent storage path as the service, and records the outcome in {@code gap_ledger}.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fetch the trades of a time range from the provider's REST API (minute bars when the plan has no "
                + "trades) and store them through the cleaner and the idempotent writer: running it twice, or over a "
                + "range the live feed stored, adds nothing twice. The outcome is printed per symbol and recorded in "
                + "the gap_ledger table.",
                "Secrets come from the environment or the credentials file; the database password from "
                        + "SYSTEM_TRADER_DB_PASSWORD."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:filled", "1:partially filled or failed (see the reasons)",
                "2:configuration or credentials error"})
final class BackfillCommand implements Callable<Integer> {
    static final int EXIT_CONFIG = CommandInputs.EXIT_CONFIG;

    @Spec CommandSpec spec;

    @Option(names = "--symbol", required = true, split = ",", paramLabel = "SYMBOL[,SYMBOL...]",
            description = "Symbols to backfill, e.g. AAPL,MSFT.")
    List<String> symbols = new ArrayList<>();

    @Option(names = "--from", required = true, paramLabel = "TIME",
            description = "Start of the range (inclusive), ISO-8601 UTC, e.g. 2026-11-24T14:30:00Z.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the range (exclusive); default: now.")
    String to;

    @Option(names = "--provider", paramLabel = "polygon|alpaca", description = "Whose REST API (default: ${DEFAULT-VALUE}).")
    String provider = "polygon";

    @Option(names = "--config", paramLabel = "FILE", description = "Collector config (default: ${DEFAULT-VALUE}).")
    Path configFile = ConfigLoader.DEFAULT_FILE;

    @Option(names = "--credentials", paramLabel = "FILE", description = "Credentials file (default: ${DEFAULT-VALUE}).")
    Path credentialsFile = APIKeyManager.DEFAULT_FILE;

    @Option(names = "--journal-dir", paramLabel = "DIR", description = "Spill journal while the database is away "
            + "(default: a new temporary directory, removed when empty; never the service's journal).")
    Path journalDir;

    @Override public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DataSource source;
        try {
            source = DataSource.provider(provider);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--provider must be polygon or alpaca");
        }
        long fromNs = time(from, "--from");
        long toNs = to == null ? System.currentTimeMillis() * 1_000_000L : time(to, "--to");
        if (toNs <= fromNs) throw new ParameterException(spec.commandLine(), "--to must be after --from");
        List<String> wanted = Symbols.parse(symbols);
        if (wanted.isEmpty()) throw new ParameterException(spec.commandLine(), "--symbol: no symbols given");

        Map<String, String> env = System.getenv();
        CommandInputs inputs = CommandInputs.load("backfill", configFile, credentialsFile, env, err);
        if (inputs == null) return EXIT_CONFIG;
        CollectorConfig config = inputs.config();
        APIKeyManager keys = inputs.keys();
        Provider p = VendorModule.of(source).orElseThrow().provider(); // BackfillRequest admits installed vendors only
        if (!inputs.hasKeys(p, "has no credentials", err)) return EXIT_CONFIG;
        Database db = Database.fromEnvironment(config.storage(), env);
        if (config.storage().migrateOnStart()) {
            try {
                MigrationRunner.migrate(db);
            } catch (StorageException e) {
                err.println("system-trader backfill: database " + db.where() + ": " + e.getMessage());
                return EXIT_CONFIG;
            }
        }

        boolean temporary = journalDir == null;
        Path dir = temporary ? Files.createTempDirectory("system-trader-backfill-") : journalDir;
        BackfillResult result;
        long rowsWritten;
        long pending;
        try (ProviderSetup.RestClients rest = ProviderSetup.RestClients.create(config, keys, null)) {
            List<VendorRest> histories = rest.vendors().stream().filter(h -> h.source() == source).toList();
            SpillJournal journal = SpillJournal.open(dir, JournalConfig.defaults());
            // the fetched trades lie below the roll-ups' watermark: their minutes are recomputed as they commit
            RollupRefresher rollups = new RollupRefresher(db::connect, RollupRefresher.Settings.defaults(), null);
            rollups.start();
            StorageWriter writer = new StorageWriter(db::connect, journal, StorageWriterConfig.defaults()
                    .withStore(config.data().storeTrades(), config.data().storeQuotes()), null, rollups).start();
            try {
                GapBackfiller backfiller = new GapBackfiller(histories, writer, db::connect, config.data(),
                        BackfillConfig.DEFAULTS, null);
                out.printf("backfill %s %s from %s to %s%n", source.name().toLowerCase(Locale.ROOT),
                        String.join(",", wanted), Instant.ofEpochSecond(0, fromNs), Instant.ofEpochSecond(0, toNs));
                out.flush();
                result = backfiller.backfill(BackfillRequest.manual(source, wanted, fromNs, toNs), new ProgressLine(err));
            } finally {
                writer.close(); // writes what is queued, or journals it when the database is away
                rollups.close(); // refreshes the minutes still pending
                rowsWritten = writer.rowsWritten();
                pending = journal.batchesPending();
                journal.close();
            }
        }
        for (SymbolBackfill s : result.symbols()) out.println(s.line());
        out.printf("outcome: %s; %s; %d rows sent to the database, %d ms%n", result.outcome().label(),
                result.counts(), rowsWritten, result.durationMs());
        if (!result.reason().isEmpty()) out.println("reason:  " + result.reason());
        if (pending > 0) {
            out.println("the database did not take everything: " + pending + " batch(es) kept in " + dir
                    + "; run again with --journal-dir " + dir + " to replay them");
        } else if (temporary) {
            deleteTree(dir);
        }
        out.flush();
        return result.outcome() == BackfillOutcome.FILLED && pending == 0 ? 0 : 1;
    }

    /** "AAPL trades: 120000 fetched so far" on standard error, at most once a second, while the pages come in. */
    private static final class ProgressLine implements GapBackfiller.Progress {
        private static final long EVERY_NS = 1_000_000_000L;
        private final PrintWriter err;
        private long lastNs = System.nanoTime();

        ProgressLine(PrintWriter err) {
            this.err = err;
        }

        @Override public synchronized void page(String symbol, String kind, long fetched) {
            long now = System.nanoTime();
            if (now - lastNs < EVERY_NS) return;
            lastNs = now;
            err.printf("  %s %s: %d fetched so far%n", symbol, kind, fetched);
            err.flush();
        }
    }

    private long time(String text, String option) {
        try {
            Instant i = Instant.parse(text);
            return Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L) + i.getNano();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new ParameterException(spec.commandLine(), option + ": not an ISO-8601 UTC time like "
                    + "2026-11-24T14:30:00Z: " + text);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary directory: the OS cleans it eventually
        }
    }
}
