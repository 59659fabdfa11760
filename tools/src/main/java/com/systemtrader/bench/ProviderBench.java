package com.systemtrader.bench;

import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.cache.RedisConfig;
import com.systemtrader.cache.RedisDataCache;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.data.OhlcvInterval;
import com.systemtrader.data.RealtimeDataProvider;
import com.systemtrader.data.Tier;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Trade;
import com.systemtrader.storage.Database;
import com.systemtrader.storage.MigrationRunner;
import com.systemtrader.storage.StorageConfig;
import java.io.PrintWriter;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Latency of {@link RealtimeDataProvider} per tier: latest price from memory and from Redis, OHLCV(100) 1m from
 * the database view, and 100-symbol multi-price from memory, Redis and the database. Each case: warm-up, then
 * {@code runs} runs of timed single calls (HdrHistogram, ns); the report gives each run's p50/p99 and the
 * medians across runs. The database is a fresh one filled with {@code days} days of trades (one every 6 s) for 5
 * symbols plus one recent trade for each of 100 symbols, roll-ups refreshed; Redis gets the latest trades of the
 * 100 symbols under its own key prefix (removed afterwards).
 */
public final class ProviderBench {
    /** @param serverUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/} (user postgres, trust or PGPASSWORD) */
    public record Options(String serverUrl, String user, String redisHost, int redisPort, int runs, int days,
                          double scale) {}

    public record Row(String name, Tier tier, int iterations, List<double[]> perRun, double p50us, double p99us) {}

    private static final List<String> SERIES_SYMBOLS = List.of("BNA", "BNB", "BNC", "BND", "BNE");

    private ProviderBench() {}

    public static List<Row> run(Options o, PrintWriter log) throws Exception {
        List<String> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) hundred.add(String.format(Locale.ROOT, "S%03d", i));
        long now = Timestamps.nowNs();
        List<Trade> latest = new ArrayList<>();
        for (int i = 0; i < hundred.size(); i++) {
            latest.add(trade(hundred.get(i), now - 1_000_000_000L - i * 1_000_000L, 100 + i));
        }

        String dbName = "st_bench_provider";
        log.println("preparing database " + dbName + " ...");
        log.flush();
        long t0 = System.nanoTime();
        String dbUrl = prepareDatabase(o, dbName, latest);
        log.printf(Locale.ROOT, "database ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        String prefix = "bench-provider-" + Long.toHexString(System.nanoTime());
        RedisConfig rc = RedisConfig.local(o.redisHost(), o.redisPort()).withKeyPrefix(prefix);
        try (RedisDataCache writer = new RedisDataCache(rc, null).start()) {
            writer.addAll(latest);
            if (!writer.writer().awaitIdle(20_000)) throw new IllegalStateException("Redis writer did not drain");
        }
        MemoryDataCache memory = new MemoryDataCache();
        memory.addAll(latest);
        Database db = new Database(StorageConfig.defaults().withUrl(dbUrl).withUser(o.user()),
                StorageConfig.password(System.getenv()).orElse(null));
        Duration lax = Duration.ofDays(3650);
        List<Row> rows = new ArrayList<>();
        try (RealtimeDataProvider mem = RealtimeDataProvider.builder().memory(memory).maxAge(lax).build();
             RealtimeDataProvider red = RealtimeDataProvider.builder().redis(rc).maxAge(lax).build();
             RealtimeDataProvider sql = RealtimeDataProvider.builder().database(db).maxAge(lax).build()) {
            int sc = (int) Math.max(1, 1);
            rows.add(measure("latest price, memory", Tier.MEMORY, o, iters(200_000, o), log,
                    cycle(hundred, s -> mem.getLatestPrice(s))));
            rows.add(measure("latest price, Redis", Tier.REDIS, o, iters(20_000, o), log,
                    cycle(hundred, s -> red.getLatestPrice(s))));
            rows.add(measure("OHLCV(100) 1m, database", Tier.DATABASE, o, iters(2_000, o), log,
                    cycle(SERIES_SYMBOLS, s -> sql.getOhlcv(s, 100, OhlcvInterval.M1, DataSource.POLYGON))));
            rows.add(measure("OHLCV(100) 5m, database", Tier.DATABASE, o, iters(1_000, o), log,
                    cycle(SERIES_SYMBOLS, s -> sql.getOhlcv(s, 100, OhlcvInterval.M5, DataSource.POLYGON))));
            rows.add(measure("100-symbol prices, memory", Tier.MEMORY, o, iters(20_000, o), log,
                    () -> mem.getMultiSymbolPrices(hundred)));
            rows.add(measure("100-symbol prices, Redis (1 pipeline)", Tier.REDIS, o, iters(5_000, o), log,
                    () -> red.getMultiSymbolPrices(hundred)));
            rows.add(measure("100-symbol prices, database (1 query)", Tier.DATABASE, o, iters(1_000, o), log,
                    () -> sql.getMultiSymbolPrices(hundred)));
            if (sc < 0) throw new IllegalStateException();
        } finally {
            try (Jedis j = new Jedis(new HostAndPort(o.redisHost(), o.redisPort()),
                    DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).build())) {
                for (String k : j.keys(prefix + ":*")) j.del(k);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        return rows;
    }

    private static int iters(int base, Options o) {
        return Math.max(50, (int) (base * o.scale()));
    }

    private static Supplier<Object> cycle(List<String> symbols, java.util.function.Function<String, Object> call) {
        int[] i = {0};
        return () -> call.apply(symbols.get(i[0]++ % symbols.size()));
    }

    private static Row measure(String name, Tier tier, Options o, int iterations, PrintWriter log, Supplier<Object> op) {
        Object sink = null;
        for (int i = 0; i < Math.max(iterations / 2, 200); i++) sink = op.get();   // warm-up
        List<double[]> perRun = new ArrayList<>();
        for (int r = 0; r < o.runs(); r++) {
            Histogram h = new Histogram(3_600_000_000_000L, 3);
            for (int i = 0; i < iterations; i++) {
                long a = System.nanoTime();
                sink = op.get();
                h.recordValue(Math.max(1, System.nanoTime() - a));
            }
            perRun.add(new double[] {h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3});
        }
        if (sink == null) throw new IllegalStateException("no answer");
        double p50 = median(perRun.stream().mapToDouble(x -> x[0]).toArray());
        double p99 = median(perRun.stream().mapToDouble(x -> x[1]).toArray());
        log.printf(Locale.ROOT, "%-40s p50 %10.1f us  p99 %10.1f us  (runs: %s)%n", name, p50, p99,
                String.join(" ", perRun.stream().map(x -> String.format(Locale.ROOT, "%.1f/%.1f", x[0], x[1])).toList()));
        log.flush();
        return new Row(name, tier, iterations, perRun, p50, p99);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static Trade trade(String sym, long t, double price) {
        return new Trade(DataSource.POLYGON, sym, t, t, price, 100, 4, Long.toString(t), 'C', Absent.LONG, Absent.INT,
                Absent.LONG, Conditions.NONE);
    }

    private static String prepareDatabase(Options o, String name, List<Trade> latest) throws SQLException, java.io.IOException {
        String pass = StorageConfig.password(System.getenv()).map(s -> s.reveal()).orElse("");
        try (Connection c = DriverManager.getConnection(o.serverUrl() + "postgres", o.user(), pass);
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        String url = o.serverUrl() + name;
        MigrationRunner.migrate(new Database(StorageConfig.defaults().withUrl(url).withUser(o.user()),
                StorageConfig.password(System.getenv()).orElse(null)));
        try (Connection c = DriverManager.getConnection(url + "?currentSchema=public,tscompat", o.user(), pass)) {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT ensure_daily_partitions('websocket_data', (now() AT TIME ZONE 'UTC')::date - "
                        + (o.days() + 1) + ", " + (o.days() + 4) + ")");
            }
            long end = Math.floorDiv(Timestamps.nowNs(), 60_000_000_000L) * 60_000_000_000L;
            long start = end - o.days() * 86_400_000_000_000L;
            StringBuilder b = new StringBuilder(1 << 20);
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            String sqlCopy = "COPY websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at,"
                    + " price, size, eligibility) FROM STDIN";
            java.util.Random rnd = new java.util.Random(7);
            for (String sym : SERIES_SYMBOLS) {
                double px = 100;
                for (long t = start; t < end; t += 6_000_000_000L) {
                    px = Math.max(1, px + rnd.nextGaussian() * 0.05);
                    line(b, t, sym, String.format(Locale.ROOT, "%.2f", px), 1 + rnd.nextInt(500));
                    if (b.length() > (1 << 20)) {
                        copy.copyIn(sqlCopy, new StringReader(b.toString()));
                        b.setLength(0);
                    }
                }
            }
            for (Trade t : latest) line(b, t.eventTimeNs(), t.symbol(), Double.toString(t.price()), t.size());
            copy.copyIn(sqlCopy, new StringReader(b.toString()));
            try (Statement st = c.createStatement()) {
                st.execute("CALL refresh_ohlcv_all(now() - interval '" + (o.days() + 1) + " days', now())");
                st.execute("ANALYZE");
            }
        }
        return url;
    }

    private static void line(StringBuilder b, long t, String sym, String price, long size) {
        Instant i = Instant.ofEpochSecond(0, t / 1000 * 1000);
        b.append(i).append('\t').append(t).append('\t').append(sym).append("\ttrade\tpolygon\t4::").append(t)
                .append('\t').append(i).append('\t').append(price).append('\t').append(size).append("\t28\n");
    }

    /** The report as Markdown. */
    public static String markdown(List<Row> rows, Options o, String notes) {
        StringBuilder b = new StringBuilder();
        b.append("| Case | Tier | Calls per run | p50 (median of runs) | p99 (median of runs) | p50/p99 per run (us) |\n");
        b.append("|---|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s |%n", r.name(), r.tier().label(),
                    r.iterations(), us(r.p50us()), us(r.p99us()), String.join(", ", r.perRun().stream()
                            .map(x -> String.format(Locale.ROOT, "%.1f/%.1f", x[0], x[1])).toList())));
        }
        b.append('\n').append(notes).append('\n');
        return b.toString();
    }

    private static String us(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%.2f ms", v / 1000) : String.format(Locale.ROOT, "%.1f us", v);
    }
}
