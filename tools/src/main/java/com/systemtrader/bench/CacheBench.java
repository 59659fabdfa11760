package com.systemtrader.bench;

import com.systemtrader.cache.RedisCacheWriter;
import com.systemtrader.cache.RedisConfig;
import com.systemtrader.cache.RedisKeys;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis cache writer's throughput against the same server as {@code redis-benchmark -P 16 -t zadd}, in one run,
 * and Redis memory per cached event ({@code MEMORY USAGE}). Events are synthetic Polygon trades spread over
 * {@code symbols} series, generated before the clock starts; the writer encodes, groups and pipelines them as in
 * production. Keys go under a throwaway prefix that is deleted afterwards.
 */
public final class CacheBench {
    private static final Pattern RPS = Pattern.compile("([0-9.]+) requests per second");

    /** One run's figures. */
    public record Result(double redisBenchmarkZaddPerSecond, double redisBenchmarkRandomZaddPerSecond,
                         double writerEventsPerSecond, long events, long dropped,
                         long batches, double bytesPerEvent, long seriesEntries,
                         double buildShare, double syncShare, double redisBenchmarkServerMicros,
                         double writerServerMicros, double writerServerBusy) {
        public double ratio() {
            return redisBenchmarkZaddPerSecond > 0 ? writerEventsPerSecond / redisBenchmarkZaddPerSecond : Double.NaN;
        }
    }

    private CacheBench() {}

    /**
     * Runs {@code redis-benchmark -P 16 -t zadd} against the server; NaN if it is not installed. Without
     * {@code randomKeyspace} every ZADD re-adds the same member (redis-benchmark's default), so the server only
     * updates a score; with it ({@code -r}) members are random and most ZADDs insert, as the cache does.
     */
    public static double redisBenchmarkZadd(RedisConfig c, int requests, int randomKeyspace) {
        // -t zadd's own command (ZADD myzset 0 element:__rand_int__), on a key under the bench prefix so that it
        // is deleted afterwards instead of leaving "myzset" behind on a shared server
        List<String> cmd = new ArrayList<>(List.of("redis-benchmark", "-h", c.host(), "-p", Integer.toString(c.port()),
                "-P", "16", "-n", Integer.toString(requests), "-q"));
        if (randomKeyspace > 0) {
            cmd.add("-r");
            cmd.add(Integer.toString(randomKeyspace));
        }
        if (c.password() != null) {
            cmd.add("-a");
            cmd.add(c.password());
        }
        cmd.addAll(List.of("zadd", c.keyPrefix() + ":redis-benchmark", "0", "element:__rand_int__"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
            double best = Double.NaN;
            for (String line : out.split("[\r\n]+")) {
                Matcher m = RPS.matcher(line);
                if (m.find()) best = Double.parseDouble(m.group(1));
            }
            return best;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** Synthetic trades: {@code n} events round-robin over {@code symbols} symbols, 10 us apart. */
    public static List<List<MarketEvent>> trades(int n, int symbols, int batch) {
        long t0 = 1_732_400_000_000_000_000L;
        List<List<MarketEvent>> out = new ArrayList<>();
        List<MarketEvent> cur = new ArrayList<>(batch);
        Conditions c = Conditions.of(12, 37);
        for (int i = 0; i < n; i++) {
            String sym = "S" + (i % symbols);
            cur.add(new Trade(DataSource.POLYGON, sym, t0 + i * 10_000L, t0 + i * 10_000L + 1_000_000, 100 + (i % 1000) * 0.01,
                    1 + i % 500, 4, Integer.toString(i), 'C', i, Absent.INT, Absent.LONG, c));
            if (cur.size() == batch) {
                out.add(cur);
                cur = new ArrayList<>(batch);
            }
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    /** The writer's events/s for {@code events} trades (after two warm-up rounds), and memory per event. */
    public static Result run(RedisConfig base, int events, int symbols, int benchmarkRequests) {
        String prefix = "bench-" + Long.toHexString(System.nanoTime());
        RedisConfig c = base.withKeyPrefix(prefix)
                .withWriter(1 << 16, base.batchSize(), base.flushInterval(), base.livePublish(), base.streamMaxLen())
                .withLimits(base.retention(), base.ttl(), 0);
        double cpu0 = redisCpuSeconds(c);
        double zadd = redisBenchmarkZadd(c, benchmarkRequests, 0);
        double rbServerMicros = (redisCpuSeconds(c) - cpu0) * 1e6 / benchmarkRequests;
        double zaddRandom = redisBenchmarkZadd(c, benchmarkRequests, 1_000_000);
        clear(c, prefix);
        // warm-up: two writers (so the paths a new writer takes first are compiled too), as many events as the timed
        // round; with one writer and 200,000 events C2 was still compiling the writer during the timed round
        List<List<MarketEvent>> warm = trades(events, symbols, 1000);
        List<List<MarketEvent>> timed = trades(events, symbols, 1000);
        try {
            for (int round = 0; round < 2; round++) {
                try (RedisCacheWriter w = new RedisCacheWriter(c, null).start()) {
                    for (List<MarketEvent> b : warm) w.offer(b);
                    w.awaitIdle(120_000);
                }
                clear(c, prefix);
            }
            long dropped;
            long batches;
            long t;
            long build;
            long sync;
            double cpu;
            try (RedisCacheWriter w = new RedisCacheWriter(c, null).start()) {
                cpu = redisCpuSeconds(c);
                long start = System.nanoTime();
                for (List<MarketEvent> b : timed) w.offer(b);
                w.awaitIdle(600_000);
                t = System.nanoTime() - start;
                cpu = redisCpuSeconds(c) - cpu;
                dropped = w.dropped();
                batches = w.batches();
                build = w.buildNanos();
                sync = w.syncNanos();
            }
            double eps = (events - dropped) * 1e9 / t;
            try (Jedis j = jedis(c)) {
                String key = new RedisKeys(prefix).series(SeriesKey.of(timed.get(0).get(0)));
                long card = j.zcard(key);
                Long bytes = j.memoryUsage(key, 0);
                return new Result(zadd, zaddRandom, eps, events, dropped, batches,
                        bytes == null || card == 0 ? Double.NaN : (double) bytes / card, card,
                        (double) build / t, (double) sync / t, rbServerMicros, cpu * 1e6 / events, cpu * 1e9 / t);
            }
        } finally {
            clear(c, prefix);
        }
    }

    /**
     * The Redis server's CPU time so far ({@code INFO cpu}): user + system of its main thread, which runs the
     * commands (Redis 7; on older servers, of the whole process). Splits a rate into server cost per operation and
     * the share of the time the server was busy.
     */
    private static double redisCpuSeconds(RedisConfig c) {
        try (Jedis j = jedis(c)) {
            double main = 0;
            double all = 0;
            boolean hasMain = false;
            for (String line : j.info("cpu").split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String name = line.substring(0, colon);
                if (name.equals("used_cpu_sys_main_thread") || name.equals("used_cpu_user_main_thread")) {
                    main += Double.parseDouble(line.substring(colon + 1).trim());
                    hasMain = true;
                } else if (name.equals("used_cpu_sys") || name.equals("used_cpu_user")) {
                    all += Double.parseDouble(line.substring(colon + 1).trim());
                }
            }
            return hasMain ? main : all;
        }
    }

    private static Jedis jedis(RedisConfig c) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder().autoNegotiateProtocol(false)
                .database(c.database()).ssl(c.tls()).timeoutMillis(10_000);
        if (c.username() != null) b.user(c.username());
        if (c.password() != null) b.password(c.password());
        return new Jedis(new HostAndPort(c.host(), c.port()), b.build());
    }

    private static void clear(RedisConfig c, String prefix) {
        try (Jedis j = jedis(c)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams p = new ScanParams().match(prefix + ":*").count(1000);
            do {
                ScanResult<String> r = j.scan(cursor, p);
                if (!r.getResult().isEmpty()) j.unlink(r.getResult().toArray(String[]::new));
                cursor = r.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }
}
