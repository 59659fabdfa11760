package com.systemtrader.bench;

import com.systemtrader.credentials.Secret;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Trade;
import com.systemtrader.storage.Database;
import com.systemtrader.storage.EventIds;
import com.systemtrader.storage.MigrationRunner;
import com.systemtrader.storage.StorageException;
import com.systemtrader.storage.StorageWriter;
import com.systemtrader.storage.StorageWriterConfig;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The storage writer against {@code psql \copy} of the same rows, in one run, on the same server and the same
 * {@code websocket_data} table (its unique key and indexes in place). Steps: generate the trades; warm the writer's
 * JIT up on other rows; truncate and CHECKPOINT; time the {@code psql} process loading the rows from a CSV file (wall
 * clock, file written beforehand); fingerprint and truncate; CHECKPOINT; time the writer from the first {@code add}
 * to its {@code close} returning (every row committed); fingerprint (must equal psql's) and truncate.
 */
public final class StorageBench {
    /** The columns both sides load: the same list the writer's COPY names (storage.CopyRows.WS_COLUMNS). */
    static final String COLUMNS = "time, event_ns, symbol, data_type, source, event_id, received_at, trade_id,"
            + " exchange, tape, sequence, trf_id, trf_time, price, size, bid_exchange, bid_price, bid_size,"
            + " ask_exchange, ask_price, ask_size, conditions, indicators, eligibility, flags";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private StorageBench() {}

    /**
     * What to run.
     *
     * @param rows             trades loaded by each side
     * @param symbols          symbols they are spread over
     * @param warmupRows       trades the writer writes (and the table then loses) before the timed runs
     * @param writer           the writer's settings
     * @param addBatch         events per {@code add} call (as the pipeline hands them over)
     * @param psql             the psql executable
     * @param truncateExisting allow truncating a websocket_data that already holds rows
     * @param seed             seed of the synthetic trades
     */
    public record Options(int rows, int symbols, int warmupRows, StorageWriterConfig writer, int addBatch,
                          String psql, boolean truncateExisting, long seed) {
        public Options {
            if (rows < 1 || symbols < 1 || addBatch < 1 || warmupRows < 0) {
                throw new IllegalArgumentException("need rows, symbols and add batch >= 1 and warm-up rows >= 0");
            }
        }
    }

    /**
     * One run's figures.
     *
     * @param psqlRows        rows in websocket_data after psql's COPY
     * @param writerRows      rows in websocket_data after the writer
     * @param sameRows        both sides left identical content (count and fingerprint)
     * @param writerFallbacks writer batch parts that fell back from the direct COPY to staging
     */
    public record Result(int rows, double psqlSeconds, double writerSeconds, long psqlRows, long writerRows,
                         boolean sameRows, long writerBatches, long writerFallbacks, long csvBytes) {
        public double psqlRowsPerSecond() { return rows / psqlSeconds; }
        public double writerRowsPerSecond() { return rows / writerSeconds; }
        public double ratio() { return writerRowsPerSecond() / psqlRowsPerSecond(); }
    }

    /** Runs both sides; {@code password} (may be null) reaches psql only through its environment. */
    public static Result run(Database db, Secret password, Options o) {
        Path work;
        try {
            work = Files.createTempDirectory("bench-storage");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            prepareTable(db, o.truncateExisting());
            List<Trade> trades = trades(o.rows(), o.symbols(), o.seed(), System.currentTimeMillis() * 1_000_000L);
            ensurePartitions(db, trades);
            Path csv = work.resolve("trades.csv");
            long csvBytes = writeCsv(trades, csv);

            List<Trade> warm = trades(o.warmupRows(), o.symbols(), o.seed() + 1,
                    trades.getFirst().eventTimeNs() - 3_600_000_000_000L);
            if (!warm.isEmpty()) {
                ensurePartitions(db, warm);
                runWriter(db, o, warm, work.resolve("journal-warmup"));
            }

            truncate(db);
            checkpoint(db);
            long start = System.nanoTime();
            runPsql(db, password, o.psql(), csv);
            double psqlSeconds = (System.nanoTime() - start) / 1e9;
            String psqlPrint = fingerprint(db);
            long psqlRows = count(db);

            truncate(db);
            checkpoint(db);
            start = System.nanoTime();
            long[] batches = runWriter(db, o, trades, work.resolve("journal"));
            double writerSeconds = (System.nanoTime() - start) / 1e9;
            String writerPrint = fingerprint(db);
            long writerRows = count(db);
            truncate(db);
            return new Result(o.rows(), psqlSeconds, writerSeconds, psqlRows, writerRows,
                    psqlPrint.equals(writerPrint) && psqlRows == o.rows(), batches[0], batches[1], csvBytes);
        } finally {
            deleteTree(work);
        }
    }

    /** Writes {@code trades} through a StorageWriter and closes it; returns {batches written, fast fallbacks}. */
    private static long[] runWriter(Database db, Options o, List<Trade> trades, Path journalDir) {
        StorageWriterConfig config = o.writer();
        // the writer's queue is bounded in batches and in events; past either the intake spills (which this
        // benchmark counts as a failure): hand over while both are below half
        int highWater = Math.max(1, config.queueBatches() / 2);
        long highEvents = Math.max(1, config.queueEvents() / 2);
        try (SpillJournal journal = SpillJournal.open(journalDir, JournalConfig.defaults())) {
            StorageWriter w = new StorageWriter(db::connect, journal, config, null).start();
            try {
                for (int i = 0; i < trades.size(); i += o.addBatch()) {
                    while (w.queueDepth() >= highWater || w.eventsInFlight() >= highEvents) {
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
                    }
                    w.add(trades.subList(i, Math.min(trades.size(), i + o.addBatch())));
                }
            } finally {
                w.close();
            }
            if (w.batchesSpilled() > 0 || w.eventsLost() > 0 || w.eventsRejected() > 0) {
                throw new StorageException("storage writer did not write every row directly: " + w.batchesSpilled()
                        + " batches spilled, " + w.eventsLost() + " events lost, " + w.eventsRejected()
                        + " rejected (write errors: " + w.writeErrors() + ")", null);
            }
            return new long[] {w.batchesWritten(), w.fastPathFallbacks()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void runPsql(Database db, Secret password, String psql, Path csv) {
        PsqlTarget t = PsqlTarget.of(db.config().url(), db.config().user());
        String copy = "\\copy websocket_data (" + COLUMNS + ") FROM '" + csv.toAbsolutePath() + "' (FORMAT csv)";
        ProcessBuilder pb = new ProcessBuilder(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", t.host(),
                "-p", Integer.toString(t.port()), "-U", t.user(), "-d", t.database(), "-c", copy);
        pb.environment().remove("PGPASSWORD");
        String secret = password != null ? password.reveal() : t.password();
        if (secret != null) pb.environment().put("PGPASSWORD", secret);
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                String msg = out.strip();
                if (secret != null) msg = msg.replace(secret, "****");
                throw new StorageException("psql exited with " + rc + ": " + msg, null);
            }
        } catch (IOException e) {
            throw new StorageException("cannot run " + psql + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while psql ran", e);
        }
    }

    /** Host, port, database, user and (URL) password for psql, from a {@code jdbc:postgresql://} URL. */
    record PsqlTarget(String host, int port, String database, String user, String password) {
        static PsqlTarget of(String jdbcUrl, String user) {
            String rest = jdbcUrl.substring("jdbc:postgresql://".length());
            String query = "";
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
            int slash = rest.indexOf('/');
            String hostPort = slash < 0 ? rest : rest.substring(0, slash);
            String database = slash < 0 ? "" : rest.substring(slash + 1);
            int comma = hostPort.indexOf(',');
            if (comma >= 0) hostPort = hostPort.substring(0, comma);
            String host = hostPort;
            int port = 5432;
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0 && !hostPort.endsWith("]")) {
                host = hostPort.substring(0, colon);
                port = Integer.parseInt(hostPort.substring(colon + 1));
            }
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) host = "localhost";
            String password = null;
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                if (eq < 0) continue;
                String k = kv.substring(0, eq);
                String v = URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                if (k.equals("user") && user == null) user = v;
                if (k.equals("password")) password = v;
            }
            if (database.isEmpty()) database = user;
            return new PsqlTarget(host, port, database, user, password);
        }
    }

    /**
     * Synthetic Polygon-like trades, in event-time order (about 50,000 a second across the market): per symbol a
     * price random walk in cents, a tape, a sequence number; round and odd lots (odd lots with condition 37), some
     * with conditions 14/41 or 12; exchanges weighted like the SIP (a third via the FINRA TRF, exchange 4, with a
     * TRF id and TRF time); trade ids counting up per exchange, long numeric ones on the TRF.
     */
    public static List<Trade> trades(int n, int symbols, long seed, long startNs) {
        Random rnd = new Random(seed);
        String[] names = symbolNames(symbols, rnd);
        double[] price = new double[symbols];
        long[] seq = new long[symbols];
        for (int i = 0; i < symbols; i++) price[i] = 5 + rnd.nextInt(50_000) / 100.0;
        int[] exchanges = {4, 4, 4, 4, 4, 11, 12, 12, 10, 8, 15, 19, 21, 1, 2, 3, 7, 9, 17, 20};
        long[] ids = new long[22];
        for (int i = 0; i < ids.length; i++) ids[i] = 1 + rnd.nextInt(1_000_000);
        List<Trade> out = new ArrayList<>(n);
        long t = startNs;
        for (int i = 0; i < n; i++) {
            t += 1_000 + rnd.nextInt(38_000);
            int s = rnd.nextInt(symbols);
            price[s] = Math.max(0.01, Math.round((price[s] + (rnd.nextInt(7) - 3) * 0.01) * 100) / 100.0);
            int ex = exchanges[rnd.nextInt(exchanges.length)];
            int r = rnd.nextInt(100);
            long size = r < 15 ? 1 + rnd.nextInt(99) : r < 85 ? 100 : 100 * (2 + rnd.nextInt(50));
            Conditions c = size < 100 ? Conditions.of(37) : r > 95 ? Conditions.of(14, 41)
                    : r == 90 ? Conditions.of(12) : Conditions.NONE;
            String tradeId = ex == 4 ? Long.toString(52_983_525_000_000L + ids[ex]++) : Long.toString(ids[ex]++);
            int trf = ex == 4 ? 201 + rnd.nextInt(3) : Absent.INT;
            long trfTime = ex == 4 ? t - 50_000 - rnd.nextInt(200_000) : Absent.LONG;
            char tape = "ABC".charAt(s % 3);
            out.add(new Trade(DataSource.POLYGON, names[s], t, t + 2_000_000 + rnd.nextInt(3_000_000), price[s],
                    size, ex, tradeId, tape, ++seq[s], trf, trfTime, c));
        }
        return out;
    }

    private static String[] symbolNames(int n, Random rnd) {
        Set<String> seen = new HashSet<>();
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            String s;
            do {
                int len = 2 + rnd.nextInt(3);
                StringBuilder b = new StringBuilder(len);
                for (int k = 0; k < len; k++) b.append((char) ('A' + rnd.nextInt(26)));
                s = b.toString();
            } while (!seen.add(s));
            out[i] = s;
        }
        return out;
    }

    /** The rows as psql's {@code \copy ... (FORMAT csv)} reads them: the same values the writer sends. */
    static long writeCsv(List<Trade> trades, Path file) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder b = new StringBuilder(256);
            for (Trade t : trades) {
                b.setLength(0);
                b.append(ts(t.eventTimeNs())).append(',').append(t.eventTimeNs()).append(',').append(t.symbol())
                        .append(",trade,").append(t.source().name().toLowerCase(java.util.Locale.ROOT)).append(',')
                        .append(EventIds.trade(t)).append(',').append(ts(t.receiveTimeNs())).append(',')
                        .append(t.tradeId()).append(',');
                opt(b, t.exchange()).append(',');
                if (t.tape() != Absent.CHAR) b.append(t.tape());
                b.append(',');
                if (!Absent.isAbsent(t.sequence())) b.append(t.sequence());
                b.append(',');
                opt(b, t.trfId()).append(',');
                if (!Absent.isAbsent(t.trfTimeNs())) b.append(ts(t.trfTimeNs()));
                b.append(',').append(t.price()).append(',').append(t.size()).append(",,,,,,,\"{");
                for (int i = 0; i < t.conditions().size(); i++) {
                    if (i > 0) b.append(',');
                    b.append(t.conditions().get(i));
                }
                b.append("}\",,0,0\n");
                w.append(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StringBuilder opt(StringBuilder b, int v) {
        return Absent.isAbsent(v) ? b : b.append(v);
    }

    /** A timestamptz literal truncated to microseconds, as PostgreSQL stores it. */
    private static String ts(long epochNs) {
        long micros = Math.floorDiv(epochNs, 1000L);
        return TS.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000L)) + "+00";
    }

    private static void prepareTable(Database db, boolean truncateExisting) {
        boolean exists;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT to_regclass('websocket_data') IS NOT NULL")) {
            r.next();
            exists = r.getBoolean(1);
        } catch (SQLException e) {
            throw new StorageException("cannot inspect " + db.where() + ": " + e.getMessage(), e);
        }
        if (!exists) MigrationRunner.migrate(db);
        if (count(db) > 0) {
            if (!truncateExisting) {
                throw new StorageException("websocket_data in " + db.where() + " holds rows and bench-storage"
                        + " truncates it; use a scratch database or pass --truncate-existing", null);
            }
            truncate(db);
        }
    }

    /** Makes the daily partitions the rows need (PostgreSQL mode); psql's COPY cannot make them itself. */
    private static void ensurePartitions(Database db, List<Trade> trades) {
        if (trades.isEmpty()) return;
        try (Connection c = db.connect()) {
            boolean hasFunction;
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT to_regproc('ensure_partitions_for') IS NOT NULL")) {
                r.next();
                hasFunction = r.getBoolean(1);
            }
            if (!hasFunction) return;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ensure_partitions_for('websocket_data'::regclass, to_timestamp(?::float8 / 1e9))")) {
                for (long ns : new long[] {trades.getFirst().eventTimeNs(), trades.getLast().eventTimeNs()}) {
                    ps.setLong(1, ns);
                    ps.execute();
                }
            }
        } catch (SQLException e) {
            throw new StorageException("cannot make partitions in " + db.where() + ": " + e.getMessage(), e);
        }
    }

    private static void truncate(Database db) {
        exec(db, "TRUNCATE websocket_data");
    }

    /** Starts both timed runs from a clean WAL state; skipped quietly without the privilege. */
    private static void checkpoint(Database db) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            // not a superuser (or pg_checkpoint member): the runs share whatever checkpoint timing they get
        }
    }

    private static long count(Database db) {
        return Long.parseLong(query(db, "SELECT count(*) FROM websocket_data"));
    }

    /** Content fingerprint: equal for both sides when they stored the same rows. */
    private static String fingerprint(Database db) {
        return query(db, "SELECT count(*) || ' ' || coalesce(sum(event_ns), 0) || ' ' || coalesce(sum(size), 0)"
                + " || ' ' || coalesce(sum(price::numeric), 0) || ' ' || coalesce(sum(hashtext(symbol || event_id"
                + " || coalesce(trade_id, '') || coalesce(tape, '') || coalesce(conditions::text, '')"
                + " || coalesce(trf_id::text, '') || coalesce(trf_time::text, '') || received_at::text"
                + " || coalesce(sequence::text, '') || time::text)::bigint), 0) FROM websocket_data");
    }

    private static String query(Database db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            throw new StorageException("query on " + db.where() + " failed: " + e.getMessage(), e);
        }
    }

    private static void exec(Database db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new StorageException(sql + " on " + db.where() + " failed: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
