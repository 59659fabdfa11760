package com.systemtrader.cache;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.support.Backoff;
import com.systemtrader.support.LogLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Writes batches of events to Redis from its own thread, never one round trip per event: per batch, one pipeline
 * with one variadic {@code ZADD} per series key, one trim ({@code ZREMRANGEBYSCORE} by the type's retention
 * relative to the series' newest event, {@code ZREMRANGEBYRANK} by the count cap) and one {@code EXPIRE} per key,
 * one latest-value update per key (a small Lua script, skipped when the writer already knows a newer latest),
 * {@code SADD} only for symbols not yet indexed, and one live publication per key (its members as a JSON array:
 * {@code PUBLISH} by default, or {@code XADD} to a stream; {@link LivePublish}). The whole pipeline is encoded into
 * one reused {@link RespBuffer} and sent with one socket write.
 *
 * <p>Overflow policy: {@link #offer} never blocks; when the queue is full the <b>oldest batch is dropped</b>
 * (counted in {@code cache.redis.dropped{reason=queue_full}}): for a cache the newest data matters most, and the
 * dropped events are rewritten from the memory cache once the writer has caught up. Redis down or slow: a failed
 * batch is counted ({@code reason=write_failed}), the writer reconnects with capped exponential backoff and full
 * jitter, and after it is back rewrites the recent window of every series from the {@link MemoryDataCache}
 * (idempotent: members carry the events' identities), so readers see no hole in the retained window.
 *
 * <p>Lifecycle: the constructor starts nothing; {@link #start()} starts the {@code redis-cache-writer} thread;
 * {@link #close()} stops taking batches and writes what is queued (a writer never started counts it as not written).
 */
public final class RedisCacheWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisCacheWriter.class);
    /** Updates the latest hash only when the new event time (ns, decimal) is >= the stored one. */
    static final String LATEST_SCRIPT = """
            local cur = redis.call('HGET', KEYS[1], 'ts')
            local ts = ARGV[1]
            if (not cur) or #cur < #ts or (#cur == #ts and cur <= ts) then
              redis.call('HSET', KEYS[1], 'ts', ts, 'v', ARGV[2])
            end
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            return 0
            """;

    private record Expire(long nowNs) {}

    private static final byte[] ZADD = ascii("ZADD");
    private static final byte[] ZREMRANGEBYSCORE = ascii("ZREMRANGEBYSCORE");
    private static final byte[] ZREMRANGEBYRANK = ascii("ZREMRANGEBYRANK");
    private static final byte[] EXPIRE = ascii("EXPIRE");
    private static final byte[] EVALSHA = ascii("EVALSHA");
    private static final byte[] SADD = ascii("SADD");
    private static final byte[] XADD = ascii("XADD");
    private static final byte[] PUBLISH = ascii("PUBLISH");
    private static final byte[] MAXLEN = ascii("MAXLEN");
    private static final byte[] APPROX = ascii("~");
    private static final byte[] AUTO_ID = ascii("*");
    private static final byte[] NEG_INF = ascii("-inf");
    private static final byte[] F_SYM = ascii("sym");
    private static final byte[] F_SRC = ascii("src");
    private static final byte[] F_TYPE = ascii("type");
    private static final byte[] F_N = ascii("n");
    private static final byte[] F_V = ascii("v");

    private final RedisConfig config;
    private final RedisKeys keys;
    private final MemoryDataCache recent;
    private final ArrayBlockingQueue<Object> queue;
    private final Thread thread;
    private final SplittableRandom random = new SplittableRandom();
    /** Reconnects to Redis are at least this far apart however the backoff's draws fall. */
    private static final Duration RECONNECT_FLOOR = Duration.ofMillis(10);
    private final Backoff backoff;
    private final LogLimiter unavailableLog = LogLimiter.perMinute();
    private final Object idleLock = new Object();

    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong droppedQueueFull = new AtomicLong();
    private final AtomicLong droppedWriteFailed = new AtomicLong();
    private final AtomicLong resynced = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    /** Writer-thread time spent encoding and sending, and waiting for the replies (for the benchmark). */
    private volatile long buildNanos;
    private volatile long syncNanos;

    // writer thread only
    private final Map<String, Long> knownLatest = new HashMap<>();
    private final Set<String> knownIndexed = new HashSet<>();
    private final Map<String, String> knownSeries = new HashMap<>();
    private final RedisCodec.Member member = new RedisCodec.Member();
    /** The writer's connection; null while Redis is away. */
    private RedisClients.WriterConnection connection;
    private byte[] latestShaBytes;
    /** The batch being encoded (reused: its bytes are in the socket once {@link #send} returns). */
    private final RespBuffer resp = new RespBuffer();
    /** The live message (Pub/Sub) or stream {@code v} of the series being encoded. */
    private byte[] liveBuf = new byte[16 * 1024];
    private int liveLen;
    /** Where the members' array starts in {@link #liveBuf} (after the Pub/Sub envelope, if any). */
    private int liveArrayStart;
    /** Connection attempts failed in a row (written by the writer thread, read by any). */
    private volatile int failures;
    /** When the last pipeline was sent ({@link System#nanoTime()}). */
    private long lastSendNanos;
    private volatile boolean resyncNeeded;
    private volatile boolean connected;
    private volatile boolean resyncing;
    private volatile boolean running = true;
    /** Queue items (batches, trims) accepted, and finished (written, failed or dropped): idle when equal. */
    private final AtomicLong itemsIn = new AtomicLong();
    private final AtomicLong itemsDone = new AtomicLong();

    /** {@code recent} may be null: then nothing is rewritten after an outage (the drops stay counted). */
    public RedisCacheWriter(RedisConfig config, MemoryDataCache recent) {
        this.config = config;
        this.keys = new RedisKeys(config.keyPrefix());
        this.recent = recent;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.backoff = new Backoff(config.backoffBase(), config.backoffCap(), RECONNECT_FLOOR);
        this.thread = Thread.ofPlatform().name("redis-cache-writer").daemon(true).unstarted(this::run);
    }

    /** Starts the writer thread (once); until then batches only queue. */
    public synchronized RedisCacheWriter start() {
        if (thread.getState() == Thread.State.NEW && running) thread.start();
        return this;
    }

    /** Queues a batch; never blocks. When full, the oldest queued batch is dropped and counted. */
    public void offer(List<? extends MarketEvent> events) {
        if (events.isEmpty() || !running) return;
        List<MarketEvent> copy = List.copyOf(events);
        offered.addAndGet(copy.size());
        itemsIn.incrementAndGet();
        while (!queue.offer(copy)) {
            Object old = queue.poll();
            if (old != null) itemsDone.incrementAndGet();
            if (old instanceof List<?> l) {
                droppedQueueFull.addAndGet(l.size());
                resyncNeeded = true;
            }
        }
    }

    /** Queues a trim of every series this writer wrote, relative to {@code nowNs}. */
    public void expire(long nowNs) {
        itemsIn.incrementAndGet();
        // a trim is repeated anyway; not counted as finished, so that finished items stay in queue order
        if (!queue.offer(new Expire(nowNs))) itemsIn.decrementAndGet();
    }

    /** Waits until everything queued so far is written (or dropped); for tests and orderly shutdown. */
    public boolean awaitIdle(long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (itemsDone.get() == itemsIn.get() && !resyncNeeded && !resyncing) return true;
            LockSupport.parkNanos(1_000_000);
        }
        return false;
    }

    /**
     * Items (batches and trims) queued so far. Items finish in queue order, so once {@link #finishedItems()} reaches
     * a value read here, everything queued before that read is written, or dropped and counted.
     */
    public long queuedItems() { return itemsIn.get(); }
    /** Items written, failed or dropped so far (see {@link #queuedItems()}). */
    public long finishedItems() { return itemsDone.get(); }

    public boolean connected() { return connected; }
    /** Connection attempts that failed in a row (0 while connected). */
    public int failedAttempts() { return failures; }
    public int queueDepth() { return queue.size(); }
    public long offered() { return offered.get(); }
    public long written() { return written.get(); }
    public long droppedQueueFull() { return droppedQueueFull.get(); }
    public long droppedWriteFailed() { return droppedWriteFailed.get(); }
    public long dropped() { return droppedQueueFull.get() + droppedWriteFailed.get(); }
    public long resynced() { return resynced.get(); }
    public long reconnects() { return reconnects.get(); }
    public long batches() { return batches.get(); }
    /** Writer-thread nanoseconds spent grouping, encoding and sending batches. */
    public long buildNanos() { return buildNanos; }
    /** Writer-thread nanoseconds spent waiting for the replies of sent batches. */
    public long syncNanos() { return syncNanos; }

    /** Registers the writer's meters ({@code cache.redis.*}). */
    public void bindTo(MeterRegistry registry) {
        Tags t = Tags.empty();
        Gauge.builder("cache.redis.queue.depth", queue, ArrayBlockingQueue::size).tags(t)
                .description("batches waiting for the Redis writer").register(registry);
        FunctionCounter.builder("cache.redis.written", written, AtomicLong::get)
                .description("events written to Redis").register(registry);
        FunctionCounter.builder("cache.redis.dropped", droppedQueueFull, AtomicLong::get).tag("reason", "queue_full")
                .description("events not written: the oldest queued batch dropped").register(registry);
        FunctionCounter.builder("cache.redis.dropped", droppedWriteFailed, AtomicLong::get).tag("reason", "write_failed")
                .description("events not written: Redis failed").register(registry);
        FunctionCounter.builder("cache.redis.resynced", resynced, AtomicLong::get)
                .description("events rewritten from memory after an outage").register(registry);
        FunctionCounter.builder("cache.redis.reconnects", reconnects, AtomicLong::get)
                .description("connections to Redis opened again after a failure").register(registry);
        FunctionCounter.builder("cache.redis.batches", batches, AtomicLong::get)
                .description("pipelines written to Redis").register(registry);
        Gauge.builder("cache.redis.connected", this, w -> w.connected ? 1 : 0)
                .description("1 while the Redis writer is connected").register(registry);
    }

    /** Stops taking batches, writes what is queued (for at most a few seconds if Redis is away), and disconnects. */
    @Override public void close() {
        synchronized (this) {
            if (!running) return;
            running = false;
            if (thread.getState() == Thread.State.NEW) { // never started: what is queued is not written
                for (Object item; (item = queue.poll()) != null; ) {
                    itemsDone.incrementAndGet();
                    if (item instanceof List<?> l) droppedWriteFailed.addAndGet(l.size());
                }
                return;
            }
        }
        synchronized (idleLock) { idleLock.notifyAll(); }
        try {
            thread.join(config.timeout().toMillis() * 2 + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) thread.interrupt();
    }

    // ---------------------------------------------------------------- writer thread

    /**
     * One batch in flight: batch N+1 is taken from the queue and encoded while Redis still works on batch N, then
     * N's replies are read and N+1 is sent. Accounting (written, dropped, idle) happens when the replies are read.
     */
    private void run() {
        List<MarketEvent> batch = new ArrayList<>(config.batchSize());
        InFlight inFlight = null;
        while (running || !queue.isEmpty() || inFlight != null) {
            if (inFlight == null) {
                if (!ensureConnected()) {
                    if (!running) break;
                    continue;
                }
                // rewrite only once caught up (queue at most a quarter full): under sustained overload a rewrite
                // of every series would only add load, so it waits until the overload is over
                if (resyncNeeded && recent != null && queue.size() <= config.queueCapacity() / 4 && !resync()) continue;
                if (resyncNeeded && recent == null) resyncNeeded = false;
            }
            int taken = 0;
            Expire trim = null;
            try {
                Object first = inFlight == null ? queue.poll(config.flushInterval().toNanos(), TimeUnit.NANOSECONDS)
                        : queue.poll();
                if (first instanceof Expire x) {
                    trim = x; // counted done in finally, after the trim ran
                } else if (first != null) {
                    taken = 1;
                    addAllFrom(first, batch);
                    while (batch.size() < config.batchSize()) {
                        Object next = queue.poll(); // the producer may drop the head concurrently: no peek-then-poll
                        if (next == null) next = linger();
                        if (next == null) break;
                        if (next instanceof Expire x) {
                            trim = x;
                            break;
                        }
                        taken++;
                        addAllFrom(next, batch);
                    }
                }
                Prepared prepared = batch.isEmpty() ? null : prepare(batch, true);
                if (inFlight != null) {
                    InFlight done = inFlight;
                    inFlight = null;
                    if (!complete(done)) {
                        droppedWriteFailed.addAndGet(batch.size()); // not sent: the connection is gone
                        itemsDone.addAndGet(taken);
                        taken = 0;
                        continue;
                    }
                }
                try {
                    inFlight = send(prepared, taken);
                    if (inFlight != null) lastSendNanos = System.nanoTime();
                    if (inFlight == null) itemsDone.addAndGet(taken);
                    taken = 0;
                } catch (RuntimeException e) {
                    droppedWriteFailed.addAndGet(batch.size());
                    failed(e);
                }
                if (trim != null && connection != null) {
                    if (inFlight != null) {
                        InFlight done = inFlight;
                        inFlight = null;
                        if (!complete(done)) continue;
                    }
                    trimAll(trim.nowNs());
                }
            } catch (InterruptedException e) {
                if (!running && inFlight == null) break;
            } finally {
                batch.clear();
                itemsDone.addAndGet(taken + (trim != null ? 1 : 0));
            }
        }
        int left = 0;
        for (Object o = queue.poll(); o != null; o = queue.poll()) {
            if (o instanceof List<?> l) left += l.size();
            itemsDone.incrementAndGet();
        }
        droppedWriteFailed.addAndGet(left);
        disconnect();
    }

    /**
     * Waits for the next queue item until {@link RedisConfig#flushInterval()} has passed since the last pipeline was
     * sent; null when that time is up (at once after a quiet period) or the writer is closing. Under a steady flow
     * this makes one pipeline per interval with many events per series instead of one per round trip with one or
     * two: Redis's cost is per command (ZADD, trims, EXPIRE, latest, PUBLISH per series), so that is several times
     * less Redis CPU per event (docs/PERFORMANCE.md) for at most one interval of added latency.
     */
    private Object linger() {
        long wait = lastSendNanos + config.flushInterval().toNanos() - System.nanoTime();
        if (wait <= 0 || !running) return null;
        try {
            return queue.poll(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the next blocking poll sees it: the batch taken is still written
            return null;
        }
    }

    /** Reads an in-flight batch's replies and accounts for it. False (after backing off) if Redis failed. */
    private boolean complete(InFlight f) {
        try {
            finish(f);
            written.addAndGet(f.events());
            return true;
        } catch (RuntimeException e) {
            droppedWriteFailed.addAndGet(f.events());
            failed(e);
            return false;
        } finally {
            itemsDone.addAndGet(f.items());
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @SuppressWarnings("unchecked")
    private static void addAllFrom(Object item, List<MarketEvent> batch) {
        if (item instanceof List<?> l) batch.addAll((List<MarketEvent>) l);
    }

    private boolean ensureConnected() {
        if (connection != null) return true;
        try {
            RedisClients.WriterConnection c = RedisClients.writerConnection(config, "systemtrader-cache-writer");
            try {
                latestShaBytes = ascii(c.jedis().scriptLoad(LATEST_SCRIPT));
                c.jedis().set(keys.schema(), RedisKeys.VERSION);
            } catch (RuntimeException e) {
                c.jedis().close();
                throw e;
            }
            connection = c;
            if (failures > 0) {
                reconnects.incrementAndGet();
                resyncNeeded = true;
                log.info("Redis cache writer reconnected to {} after {} failed attempts", config.safeUrl(), failures);
            }
            failures = 0;
            connected = true;
            // Redis may have lost data while away: re-learn latest and index state from it.
            knownLatest.clear();
            knownIndexed.clear();
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }

    private void failed(RuntimeException e) {
        connected = false;
        resyncNeeded = true;
        disconnect();
        failures++;
        long skipped = unavailableLog.admit();
        if (skipped >= 0) {
            log.warn("Redis cache at {} unavailable (attempt {}): {}{}", config.safeUrl(), failures,
                    RedisClients.mask(config, e.getClass().getSimpleName() + ": " + e.getMessage()),
                    LogLimiter.skippedNote(skipped));
        }
        long delay = backoff.delayNanos(failures, random);
        synchronized (idleLock) {
            if (!running) return;
            try {
                TimeUnit.NANOSECONDS.timedWait(idleLock, delay);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void disconnect() {
        Jedis j = connection == null ? null : connection.jedis();
        connection = null;
        if (j != null) {
            try {
                j.close();
            } catch (RuntimeException ignore) {
                // already broken
            }
        }
    }

    /** Rewrites every series the memory cache holds. False if Redis failed again. */
    private boolean resync() {
        resyncing = true;
        resyncNeeded = false;
        long n = 0;
        try {
            List<MarketEvent> chunk = new ArrayList<>(config.batchSize());
            for (SeriesKey k : recent.series()) {
                if (!RedisKeys.kept(k.type())) continue;
                for (MarketEvent e : recent.events(k)) {
                    chunk.add(e);
                    if (chunk.size() >= config.batchSize()) {
                        write(chunk, false);
                        n += chunk.size();
                        chunk.clear();
                    }
                }
            }
            if (!chunk.isEmpty()) write(chunk, false);
            n += chunk.size();
            resynced.addAndGet(n);
            log.info("Redis cache rewrote {} recent events from memory", n);
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        } finally {
            resyncing = false;
        }
    }

    private void trimAll(long nowNs) {
        if (knownSeries.isEmpty()) return;
        try {
            Pipeline p = connection.jedis().pipelined();
            for (Map.Entry<String, String> s : knownSeries.entrySet()) {
                long cutoffNs = nowNs - config.retentionOf(s.getValue()).toNanos();
                p.zremrangeByScore(s.getKey(), "-inf", "(" + (long) RedisKeys.score(cutoffNs));
            }
            p.sync();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** One series' part of a batch: the positions of its events in the batch, in arrival order. */
    private static final class Group {
        final SeriesKey series;
        final String token;
        int[] events = new int[16]; // non-bar events
        int count;
        TreeMap<Long, Integer> bars; // window start ms -> position (the last revision in the batch wins)
        long newestNs = Long.MIN_VALUE;
        int newest = -1;

        Group(SeriesKey series, String token) {
            this.series = series;
            this.token = token;
        }

        void add(int position) {
            if (count == events.length) events = Arrays.copyOf(events, count * 2);
            events[count++] = position;
        }
    }

    /** A batch encoded into {@link #resp}, not sent yet. */
    private record Prepared(int commands, List<String> newlyIndexed, int events) {}

    /** A batch sent in one write whose replies have not been read yet. */
    private record InFlight(int commands, List<String> newlyIndexed, int events, int items) {}

    /** Writes a batch and waits for the replies (resync, tests). */
    void write(List<MarketEvent> events, boolean publish) {
        InFlight f = send(prepare(events, publish), 0);
        if (f != null) finish(f);
    }

    /**
     * Groups a batch by series and encodes its whole pipeline into {@link #resp}: CPU only, no I/O, so it runs while
     * Redis works on the previous batch (whose bytes were already handed to the socket). Per series: the revised
     * bars' {@code ZREMRANGEBYSCORE}, one variadic {@code ZADD}, the trims, {@code EXPIRE}, the latest update,
     * {@code SADD} when new, and the live {@code PUBLISH} or {@code XADD}. Members are encoded straight into the
     * buffer: no object per event. Null if no event is of a kept type.
     */
    private Prepared prepare(List<MarketEvent> events, boolean publish) {
        long start = System.nanoTime();
        try {
            Collection<Group> groups = group(events);
            if (groups.isEmpty()) return null;
            resp.reset();
            List<String> newlyIndexed = new ArrayList<>();
            LivePublish live = publish ? config.livePublish() : LivePublish.OFF;
            for (Group g : groups) encode(g, events, live, newlyIndexed);
            return new Prepared(resp.commands(), newlyIndexed, events.size());
        } finally {
            buildNanos += System.nanoTime() - start;
        }
    }

    /** The batch's events by series, series in order of first appearance. */
    private Collection<Group> group(List<MarketEvent> events) {
        Map<SeriesKey, Group> groups = new LinkedHashMap<>();
        // found by symbol (String hash and equals are cheap), then a slot per (source, type[, interval])
        Map<String, Group[]> bySymbol = new HashMap<>();
        for (int i = 0, n = events.size(); i < n; i++) {
            MarketEvent e = events.get(i);
            Group[] slots = bySymbol.get(e.symbol());
            if (slots == null) {
                slots = new Group[SeriesSlot.COUNT];
                bySymbol.put(e.symbol(), slots);
            }
            int slot = SeriesSlot.of(e);
            Group g = slots[slot];
            if (g == null) {
                SeriesKey k = SeriesKey.of(e);
                String token = RedisKeys.typeToken(k);
                if (token == null) {
                    ignored.incrementAndGet();
                    continue;
                }
                g = new Group(k, token);
                slots[slot] = g;
                groups.put(k, g);
            }
            if (e instanceof Bar) {
                if (g.bars == null) g.bars = new TreeMap<>();
                g.bars.put(Math.floorDiv(e.eventTimeNs(), 1_000_000L), i);
            } else {
                g.add(i);
            }
            if (e.eventTimeNs() >= g.newestNs) {
                g.newestNs = e.eventTimeNs();
                g.newest = i;
            }
        }
        return groups.values();
    }

    /** Appends one series' commands to {@link #resp}. */
    private void encode(Group g, List<MarketEvent> events, LivePublish live, List<String> newlyIndexed) {
        RespBuffer out = resp;
        RedisCodec.Member member = this.member;
        String key = keys.series(g.series);
        int members = g.count + (g.bars == null ? 0 : g.bars.size());
        liveLen = 0;
        if (live == LivePublish.PUBSUB) liveEnvelope(g, members);
        liveArrayStart = liveLen;
        if (g.bars != null) {
            for (Long window : g.bars.keySet()) {
                // a revised bar replaces its window's member
                out.command(4).arg(ZREMRANGEBYSCORE).arg(key).arg(window).arg(window);
            }
        }
        out.command(2 + 2 * members).arg(ZADD).arg(key); // variadic: ZADD key score member score member ...
        for (int j = 0; j < g.count; j++) {
            MarketEvent e = events.get(g.events[j]);
            member.encode(e);
            out.arg(Math.floorDiv(e.eventTimeNs(), 1_000_000L));
            out.arg(member.array(), 0, member.length());
            if (live != LivePublish.OFF) addLive(member);
        }
        if (g.bars != null) {
            for (Map.Entry<Long, Integer> b : g.bars.entrySet()) {
                member.encode(events.get(b.getValue()));
                out.arg(b.getKey()).arg(member.array(), 0, member.length());
                if (live != LivePublish.OFF) addLive(member);
            }
        }
        long cutoffMs = (long) RedisKeys.score(g.newestNs - config.retentionOf(g.token).toNanos());
        out.command(4).arg(ZREMRANGEBYSCORE).arg(key).arg(NEG_INF).arg("(" + cutoffMs);
        if (config.maxEntries() > 0) {
            out.command(4).arg(ZREMRANGEBYRANK).arg(key).arg(0).arg(-(config.maxEntries() + 1L));
        }
        long ttlSeconds = RedisClients.seconds(config.ttlOf(g.token));
        out.command(3).arg(EXPIRE).arg(key).arg(ttlSeconds);
        String latestKey = keys.latest(g.series);
        Long known = knownLatest.get(latestKey);
        if (known == null || g.newestNs >= known) {
            member.encode(events.get(g.newest));
            out.command(7).arg(EVALSHA).arg(latestShaBytes).arg(1).arg(latestKey).arg(g.newestNs)
                    .arg(member.array(), 0, member.length()).arg(ttlSeconds);
            knownLatest.put(latestKey, g.newestNs);
        } else {
            out.command(3).arg(EXPIRE).arg(latestKey).arg(ttlSeconds);
        }
        String indexKey = keys.index(g.series.type());
        String indexed = indexKey + '\u0000' + g.series.symbol();
        if (knownIndexed.add(indexed)) {
            out.command(3).arg(SADD).arg(indexKey).arg(utf8(g.series.symbol()));
            newlyIndexed.add(indexed);
        }
        knownSeries.putIfAbsent(key, g.token);
        if (live != LivePublish.OFF && liveLen > liveArrayStart) publish(g, live, members);
    }

    /**
     * Appends the series' live publication: one message or entry per series and batch, the members as a JSON array,
     * oldest first as received.
     */
    private void publish(Group g, LivePublish live, int members) {
        liveBuf[liveArrayStart] = '['; // the first member's ','
        ensureLive(2);
        liveBuf[liveLen++] = ']';
        if (live == LivePublish.PUBSUB) {
            liveBuf[liveLen++] = '}';
            resp.command(3).arg(PUBLISH).arg(keys.live(g.series.type())).arg(liveBuf, 0, liveLen);
        } else {
            resp.command(16).arg(XADD).arg(keys.stream(g.series.type())).arg(MAXLEN).arg(APPROX)
                    .arg(config.streamMaxLen()).arg(AUTO_ID)
                    .arg(F_SYM).arg(utf8(g.series.symbol()))
                    .arg(F_SRC).arg(RedisKeys.sourceToken(g.series.source()))
                    .arg(F_TYPE).arg(g.token)
                    .arg(F_N).arg(members)
                    .arg(F_V).arg(liveBuf, 0, liveLen);
        }
    }

    /**
     * Starts a Pub/Sub message: {@code {"sym":"AAPL","src":"polygon","type":"trade","n":2,"v":} (the array and the
     * closing brace follow). The symbol is JSON-escaped; the other tokens are plain ASCII.
     */
    private void liveEnvelope(Group g, int members) {
        liveText("{\"sym\":");
        liveString(g.series.symbol());
        liveText(",\"src\":\"" + RedisKeys.sourceToken(g.series.source()) + "\",\"type\":\"" + g.token
                + "\",\"n\":" + members + ",\"v\":");
    }

    private void liveText(String ascii) {
        ensureLive(ascii.length());
        for (int i = 0; i < ascii.length(); i++) liveBuf[liveLen++] = (byte) ascii.charAt(i);
    }

    private void liveString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        byte[] bytes = utf8(b.append('"').toString());
        ensureLive(bytes.length);
        System.arraycopy(bytes, 0, liveBuf, liveLen, bytes.length);
        liveLen += bytes.length;
    }

    /** Appends a member to the live array being built ({@code ,} before each; the first becomes {@code [}). */
    private void addLive(RedisCodec.Member m) {
        ensureLive(m.length() + 2);
        liveBuf[liveLen++] = ',';
        System.arraycopy(m.array(), 0, liveBuf, liveLen, m.length());
        liveLen += m.length();
    }

    private void ensureLive(int n) {
        if (liveLen + n > liveBuf.length) liveBuf = Arrays.copyOf(liveBuf, Math.max(liveBuf.length * 2, liveLen + n));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends a prepared batch with one socket write; the replies are read by {@link #finish}. Null if nothing. */
    private InFlight send(Prepared p, int items) {
        if (p == null) return null;
        long start = System.nanoTime();
        try {
            resp.writeTo(connection.socket().getOutputStream());
        } catch (IOException e) {
            throw new JedisConnectionException("writing a batch to Redis failed", e);
        } finally {
            buildNanos += System.nanoTime() - start;
        }
        return new InFlight(p.commands(), p.newlyIndexed(), p.events(), items);
    }

    /** Reads a sent batch's replies; throws (after forgetting what the batch taught) if any command failed. */
    private void finish(InFlight f) {
        List<Object> replies;
        long start = System.nanoTime();
        try {
            replies = connection.jedis().getConnection().getMany(f.commands());
            syncNanos += System.nanoTime() - start;
        } catch (RuntimeException e) {
            knownLatest.clear();
            knownIndexed.removeAll(f.newlyIndexed());
            throw e;
        }
        for (Object r : replies) {
            if (r instanceof JedisDataException err) {
                knownLatest.clear();
                knownIndexed.removeAll(f.newlyIndexed());
                throw err; // NOSCRIPT after a server restart, OOM, wrong type...: reconnect (reloads the script)
            }
        }
        batches.incrementAndGet();
    }
}
