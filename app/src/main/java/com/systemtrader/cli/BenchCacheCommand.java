package com.systemtrader.cli;

import com.systemtrader.bench.CacheBench;
import com.systemtrader.cache.LivePublish;
import com.systemtrader.cache.RedisConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code system-trader bench-cache}: the Redis cache writer's events/s next to {@code redis-benchmark -P 16 -t zadd}
 * against the same server in the same run, and Redis memory per cached event. Goal (issue 5): the writer sustains at
 * least 50% of the raw ZADD rate and at least 250,000 events/s. Exit code 1 when a goal is missed.
 */
@Command(name = "bench-cache", mixinStandardHelpOptions = true,
        description = "Measure the Redis cache writer against redis-benchmark -P 16 ZADD on the same server.")
final class BenchCacheCommand implements Callable<Integer> {
    static final double TARGET_EVENTS_PER_SECOND = 250_000;
    static final double TARGET_RATIO = 0.5;

    @Spec CommandSpec spec;

    @Option(names = "--redis-url", description = "Redis to measure (default: ${DEFAULT-VALUE}); a password in it is never printed.")
    String url = "redis://127.0.0.1:6379";

    @Option(names = "--events", description = "Trades written in the timed run (default: ${DEFAULT-VALUE}).")
    int events = 1_000_000;

    @Option(names = "--symbols", description = "Series the trades are spread over (default: ${DEFAULT-VALUE}).")
    int symbols = 100;

    @Option(names = "--batch-size", description = "Writer batch size in events (default: ${DEFAULT-VALUE}).")
    int batchSize = 16_384;

    @Option(names = "--live", description = "Live publication: pubsub, stream or off (default: ${DEFAULT-VALUE}, as shipped).")
    String live = LivePublish.PUBSUB.token();

    @Option(names = "--benchmark-requests", description = "redis-benchmark -n (default: ${DEFAULT-VALUE}).")
    int benchmarkRequests = 1_000_000;

    @Override public Integer call() {
        LivePublish publish;
        try {
            publish = LivePublish.of(live);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--live: must be pubsub, stream or off, got " + live);
        }
        RedisConfig base = RedisConfig.fromUrl(url);
        base = base.withWriter(base.queueCapacity(), batchSize, base.flushInterval(), publish, base.streamMaxLen());
        System.out.printf("bench-cache against %s: %,d trades over %d symbols, batch %d, live publication %s%n",
                base.safeUrl(), events, symbols, batchSize, publish.token());
        CacheBench.Result r = CacheBench.run(base, events, symbols, benchmarkRequests);
        System.out.printf("redis-benchmark -P 16 -t zadd : %,12.0f ZADD/s (same member each time: score updates)%n",
                r.redisBenchmarkZaddPerSecond());
        System.out.printf("  ... with -r 1000000         : %,12.0f ZADD/s (random members: inserts)%n",
                r.redisBenchmarkRandomZaddPerSecond());
        System.out.printf("cache writer                  : %,12.0f events/s (%,d batches, %,d dropped)%n",
                r.writerEventsPerSecond(), r.batches(), r.dropped());
        System.out.printf("writer thread time            : %12.0f%% encoding and sending, %.0f%% waiting for replies%n",
                r.buildShare() * 100, r.syncShare() * 100);
        System.out.printf("Redis CPU per operation       : %12.2f us per redis-benchmark ZADD, %.2f us per writer event%n",
                r.redisBenchmarkServerMicros(), r.writerServerMicros());
        System.out.printf("Redis busy while the writer ran: %11.0f%%%n", r.writerServerBusy() * 100);
        System.out.printf("writer / redis-benchmark      : %12.2f (goal >= %.2f)%n", r.ratio(), TARGET_RATIO);
        System.out.printf("Redis memory per cached event : %12.1f bytes (MEMORY USAGE of a %,d-entry series / ZCARD)%n",
                r.bytesPerEvent(), r.seriesEntries());
        boolean ok = r.writerEventsPerSecond() >= TARGET_EVENTS_PER_SECOND && r.dropped() == 0
                && (Double.isNaN(r.ratio()) || r.ratio() >= TARGET_RATIO);
        System.out.println(ok ? "goal met" : "goal MISSED");
        return ok ? 0 : 1;
    }
}
