package com.systemtrader.collector;

import com.systemtrader.bars.BarBuilder;
import com.systemtrader.bars.BarCrossCheck;
import com.systemtrader.cache.DataCache;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.calendar.NewYorkTime;
import com.systemtrader.clean.DataCleaner;
import com.systemtrader.clean.Flags;
import com.systemtrader.clean.QualityReport;
import com.systemtrader.clean.Quarantine;
import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.config.DataConfig;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.ConnectionStatus;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.sink.EventSink;
import com.systemtrader.sink.SinkFanout;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import com.systemtrader.support.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector core shared by {@code PolygonWebsocketCollector} and {@code AlpacaWebsocketCollector}: one I/O
 * thread per collector that only moves frames into a bounded {@link FrameRing}, and one pipeline thread that
 * decodes, runs the connection state machine, keeps the desired subscriptions (restored after every reconnect),
 * watches for stale data, reconnects with backoff, records gaps, and delivers events to listeners.
 *
 * <p>Public methods may be called from any thread; changes are applied on the pipeline thread in call order.
 */
public class WebsocketCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebsocketCollector.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final long WATCHDOG_PERIOD_NS = 250_000_000L;

    private final FeedConfig config;
    private final FeedProtocol protocol;
    private final FrameRing ring;
    private final CollectorStats stats;
    private final GapLedger ledger = new GapLedger();
    private final LatestData latest = new LatestData();
    private final Subscriptions subscriptions;
    /** The one way events leave: the listeners' sink first, then every attached sink. */
    private final SinkFanout fanout = new SinkFanout();
    private final ListenerSink listeners;
    /** Caches attached with {@link #attachCache}, for {@link #getLatestData}'s fallback reads. */
    private final List<DataCache> caches = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Runnable> commands = new ArrayBlockingQueue<>(4_096);
    /** Reconnects are at least this far apart however the backoff's draws fall. */
    private static final Duration RECONNECT_FLOOR = Duration.ofMillis(100);
    private final Backoff backoff;
    private final SplittableRandom backoffRandom;
    /** Pipeline thread: reconnects since the connection last stayed healthy for {@code healthy_after}. */
    private int reconnectFailures;
    private final EventLoopGroup io;
    private final Thread pipeline;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Events events = new Events();
    private final SequenceTracker sequences;
    private final CleaningStage cleaning;

    private volatile State state = State.STOPPED;
    private volatile String stateDetail = "not started";
    private volatile boolean running;
    /**
     * How long a stop waits for the server's close reply while still delivering what arrives; extended while frames
     * keep arriving, up to {@link #DRAIN_MAX_NS}.
     */
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
    /** Pipeline thread: the current connection has not signalled Closed yet. */
    private boolean connectionOpen;
    /** Pipeline thread: stopping, still delivering frames until the close handshake ends. */
    private volatile boolean draining;
    private long drainDeadlineNs;
    /** Pipeline thread: the draining connection was aborted after no close reply; its received frames still count. */
    private boolean drainAborted;
    /** Pipeline thread: when the stop began, and the frames decoded at the last deadline check. */
    private long drainStartNs;
    private long drainFramesSeen;
    /**
     * The longest a stop waits for the close reply while frames still arrive (within {@link #stop()}'s 10 s): the
     * frames the server sent before its reply are the truth's last ones.
     */
    private static final long DRAIN_MAX_NS = TimeUnit.SECONDS.toNanos(7);
    private boolean started;
    private WebSocketConnection connection;
    private long connectionIds;
    private long reconnectAtNs;
    private long streamingSinceNs;
    private long lastDataNs;
    private long nextWatchdogNs;
    private long nextRollNs;
    private String pendingCause;
    private boolean pendingConnectionLimit;
    private byte[] scratch = new byte[64 * 1024];

    protected WebsocketCollector(FeedConfig config, FeedProtocol protocol, MeterRegistry registry) {
        this(config, protocol, DataConfig.defaults(), registry);
    }

    protected WebsocketCollector(FeedConfig config, FeedProtocol protocol, DataConfig data, MeterRegistry registry) {
        this.config = config;
        this.protocol = protocol;
        this.ring = new FrameRing(config.ringCapacity());
        MeterRegistry meters = registry == null ? new SimpleMeterRegistry() : registry;
        this.stats = new CollectorStats(meters,
                protocol.source().name().toLowerCase(), protocol.feedName(), ring);
        stats.bindGaps(ledger);
        this.listeners = new ListenerSink(stats.listenerErrors);
        fanout.add(listeners);
        if (registry != null) {
            fanout.bindTo(registry, Tags.of("source", protocol.source().name().toLowerCase(), "feed",
                    protocol.feedName()));
        }
        this.subscriptions = new Subscriptions(config.channels());
        for (String s : config.symbols()) subscriptions.addEverywhere(s);
        this.backoff = new Backoff(config.reconnectInterval(), config.maxReconnectInterval(), RECONNECT_FLOOR);
        this.backoffRandom = new SplittableRandom(System.nanoTime());
        this.sequences = new SequenceTracker(ledger);
        this.cleaning = new CleaningStage(data, protocol, config.channels().contains(protocol.minuteBarChannel()),
                meters, this::publishBar);
        this.io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.pipeline = new Thread(this::runPipeline, "collector-" + protocol.source().name().toLowerCase());
        this.pipeline.setDaemon(true);
        ring.consumerThread(pipeline);
    }

    // ---------------------------------------------------------------- public API

    /** Connects and keeps the feed streaming until {@link #stop()}. */
    public synchronized void start() {
        if (started) throw new IllegalStateException("a collector starts once; create a new one to start again");
        started = true;
        running = true;
        pipeline.start();
        command(this::connect);
    }

    /** Subscribes {@code symbol} on every configured channel ({@code *} for all symbols). */
    public void addSymbol(String symbol) {
        String s = checkSymbol(symbol);
        command(() -> applyChange(subscriptions.addEverywhere(s), true));
    }

    /** Subscribes {@code symbol} on one channel (Polygon {@code T}, Alpaca {@code trades}...). */
    public void addSymbol(String channel, String symbol) {
        String s = checkSymbol(symbol);
        subscriptions.checkChannel(channel);
        command(() -> applyChange(subscriptions.add(channel, s), true));
    }

    public void removeSymbol(String symbol) {
        String s = checkSymbol(symbol);
        command(() -> applyChange(subscriptions.removeEverywhere(s), false));
    }

    public void removeSymbol(String channel, String symbol) {
        String s = checkSymbol(symbol);
        subscriptions.checkChannel(channel);
        command(() -> applyChange(subscriptions.remove(channel, s), false));
    }

    /**
     * The latest event of {@code type} received for {@code symbol}. For {@link RecordType#TRADE} this is the latest
     * trade that may set the last price: SIP-eligible, not suspicious, latest by event time, with cancels and
     * corrections applied. Rejected and filtered events never appear here.
     */
    public Optional<MarketEvent> getLatestData(String symbol, RecordType type) {
        Optional<MarketEvent> here = type == RecordType.TRADE ? cleaning.cleaner.latestTrade(symbol).map(t -> t)
                : latest.get(symbol, type);
        if (here.isPresent() || type == RecordType.BAR || type == RecordType.CONNECTION_STATUS) return here;
        for (DataCache c : caches) {   // e.g. what another process wrote to Redis before this one started
            Optional<MarketEvent> cached = c.latest(SeriesKey.of(protocol.source(), symbol, type));
            if (cached.isPresent()) return cached;
        }
        return here;
    }

    /**
     * Feeds every kept event and every published built bar to {@code cache} through its sinks
     * ({@link DataCache#sinks()}: the memory cache blocks for microseconds, Redis conflates), and lets
     * {@link #getLatestData} fall back to it. Attach before {@link #start()}.
     */
    public void attachCache(DataCache cache) {
        caches.add(cache);
        cache.sinks().forEach(fanout::add);
    }

    /**
     * Adds a consumer of the cleaned events and built bars: it receives them in batches with their verdicts, on the
     * pipeline thread, as its {@link EventSink#overflow()} states. Add before {@link #start()}.
     */
    public void addSink(EventSink sink) { fanout.add(sink); }

    /** True when this collector kept data for {@code symbol} (cheap: no snapshot is built). */
    public boolean hasData(String symbol) {
        return latest.has(symbol) || cleaning.cleaner.latestTrade(symbol).isPresent();
    }

    /** The data cleaner of this feed: counters per rule and symbol, the quarantine, the last prices. */
    public DataCleaner cleaner() { return cleaning.cleaner; }

    /** Rejected messages, each with its offending element (or a bounded prefix of an unsplittable frame). */
    public Quarantine quarantine() { return cleaning.cleaner.quarantine(); }

    /** The bar builder, or empty when {@code data.bars.mode} is off. */
    public Optional<BarBuilder> barBuilder() { return Optional.ofNullable(cleaning.bars); }

    /** Our minute bars against the provider's; empty when bars are off. Compares only when provider bars are subscribed. */
    public Optional<BarCrossCheck> barCrossCheck() { return Optional.ofNullable(cleaning.crossCheck); }

    public void addListener(MarketDataListener listener) { listeners.add(listener); }

    public void removeListener(MarketDataListener listener) { listeners.remove(listener); }

    public State state() { return state; }

    /** The provider this collector reads. */
    public com.systemtrader.schema.DataSource source() { return protocol.source(); }

    /** The feed's name ({@code stocks}, {@code v2/sip}...). */
    public String feedName() { return protocol.feedName(); }

    /** Why the collector is in its state (for FAILED: the fatal error). */
    public String stateDetail() { return stateDetail; }

    /** Desired subscriptions: channel -> symbols. */
    public Map<String, java.util.Set<String>> desiredSubscriptions() { return subscriptions.desiredSnapshot(); }

    /** Subscriptions the server confirmed on the current connection. */
    public Map<String, java.util.Set<String>> confirmedSubscriptions() { return subscriptions.confirmedSnapshot(); }

    public GapLedger gapLedger() { return ledger; }

    public CollectorSnapshot stats() {
        return stats.snapshot(state.name(), ring, ledger, Timestamps.nowNs());
    }

    /**
     * The data-quality report of this feed so far (any thread). While the pipeline runs, the report is built on the
     * pipeline thread between two frames, so its counts are one consistent cut: received equals the sum of the
     * outcomes even while data streams in.
     */
    public QualityReport qualityReport() {
        if (running && Thread.currentThread() != pipeline) {
            CompletableFuture<QualityReport> cut = new CompletableFuture<>();
            try {
                command(() -> cut.complete(buildQualityReport()));
                return cut.get(5, TimeUnit.SECONDS);
            } catch (IllegalStateException | TimeoutException
                     | ExecutionException e) {
                // queue full, pipeline busy or stopping: a report read from outside (its sums may lag by a frame)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return buildQualityReport();
    }

    private QualityReport buildQualityReport() {
        CollectorSnapshot snap = stats();
        Map<String, Long> gaps = new java.util.HashMap<>();
        for (SequenceGap g : ledger.sequenceGaps()) gaps.merge(g.symbol(), 1L, Long::sum);
        QualityReport.Bars bars = cleaning.bars == null ? null : new QualityReport.Bars(cleaning.bars.published(),
                cleaning.bars.revisions(), cleaning.bars.tooLate(), cleaning.bars.cancelsApplied(),
                cleaning.bars.correctionsApplied(), cleaning.crossCheck.figures());
        return QualityReport.of(cleaning.cleaner.snapshot(), stats.received.sum(),
                new QualityReport.Latency(snap.latencyP50Ms(), snap.latencyP99Ms(), snap.latencyMaxMs()), gaps,
                ledger.sequenceGapCount(), ledger.sequenceNumbersMissing(), bars, cleaning.cleaner.quarantine());
    }

    /** Waits until the collector is in {@code wanted}; false on timeout. */
    public boolean awaitState(State wanted, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (state != wanted) {
            if (System.nanoTime() > end) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /** Disconnects and stops; pending frames are drained to the listeners first. Idempotent. */
    public void stop() {
        if (!running) return;
        command(this::shutdown);
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) LOG.warn("{} did not stop within 10 s", pipeline.getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    @Override public void close() {
        if (started) stop();
        else io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- pipeline thread

    private void command(Runnable r) {
        if (!commands.offer(r)) throw new IllegalStateException("collector command queue is full (4096 pending)");
        ring.wakeConsumer();
    }

    private void runPipeline() {
        try {
            while (running || draining || !commands.isEmpty()) {
                Runnable c;
                while ((c = commands.poll()) != null) c.run();
                int n = drainRing(1_024);
                timers();
                endBatch(); // bars the timers published
                if (n == 0 && commands.isEmpty() && (running || draining)) ring.awaitWork(1_000_000L);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("collector pipeline failed", e);
            setState(State.FAILED, "internal error: " + e);
        } finally {
            releaseRing();
            stopped.countDown();
        }
    }

    private int drainRing(int max) {
        int n = 0;
        while (n < max && !ring.isEmpty()) {
            ByteBuf frame = ring.headFrame();
            if (frame != null) {
                long rx = ring.headReceiveNs();
                boolean bin = ring.headBinary();
                ring.advance();
                decode(frame, rx, bin);
            } else {
                Object signal = ring.headSignal();
                ring.advance();
                if (signal instanceof ConnectionSignal s) onSignal(s);
            }
            n++;
        }
        endBatch();
        if (connection != null && connection.paused()) connection.resumeIfPaused();
        return n;
    }

    private void decode(ByteBuf frame, long rx, boolean binary) {
        try {
            int len = frame.readableBytes();
            stats.frames.increment();
            stats.bytes.add(len);
            byte[] b;
            int off;
            if (frame.hasArray()) {
                b = frame.array();
                off = frame.arrayOffset() + frame.readerIndex();
            } else {
                if (scratch.length < len) scratch = new byte[Math.max(len, scratch.length * 2)];
                frame.getBytes(frame.readerIndex(), scratch, 0, len);
                b = scratch;
                off = 0;
            }
            cleaning.beginFrame(b, off, len, binary, rx);
            try {
                protocol.decode(b, off, len, binary, rx, events);
            } catch (MalformedFrameException e) {
                stats.received.increment();
                cleaning.cleaner.malformedFrame(e.getMessage(), e.eventsBefore(), e.elementOffset(), e.elementLength());
                stats.decodeErrors.increment();
                if (stats.decodeErrors.sum() <= 10 || stats.decodeErrors.sum() % 1_000 == 0) {
                    LOG.warn("{}: malformed frame #{} ({} bytes) skipped after {} elements: {}", protocol.feedName(),
                            stats.decodeErrors.sum(), len, e.eventsBefore(), e.getMessage());
                }
            } finally {
                cleaning.endFrame();
                fanout.endFrame(); // the listeners and the memory cache get the frame's events now
            }
        } finally {
            frame.release();
        }
    }

    private void releaseRing() {
        while (!ring.isEmpty()) {
            ByteBuf f = ring.headFrame();
            ring.advance();
            if (f != null) f.release();
        }
    }

    private void timers() {
        long mono = System.nanoTime();
        if (draining && mono - drainDeadlineNs >= 0) {
            long frames = stats.frames.sum();
            if (!drainAborted && frames != drainFramesSeen && mono - drainStartNs < DRAIN_MAX_NS) {
                // the server is still sending what it had queued before its close reply (a busy machine): go on
                drainFramesSeen = frames;
                drainDeadlineNs = mono + DRAIN_TIMEOUT_NS / 4;
            } else if (!drainAborted) {
                // no close reply in time: end the connection, but deliver every frame it already received (the
                // aborted connection's Closed signal follows them in the ring and finishes the shutdown)
                drainAborted = true;
                drainDeadlineNs = mono + DRAIN_TIMEOUT_NS;
                LOG.warn("{}: no close reply within {} ms; closing the connection, delivering what it received",
                        protocol.feedName(), DRAIN_TIMEOUT_NS / 1_000_000);
                connection.abort("stopped: no close reply");
            } else if (ring.isEmpty()) {
                LOG.warn("{}: the connection did not report its end; stopping", protocol.feedName());
                finishShutdown();
                return;
            }
        }
        if (reconnectAtNs != 0 && mono >= reconnectAtNs && running) {
            reconnectAtNs = 0;
            connect();
        }
        cleaning.tick(mono, Timestamps.nowNs());
        if (mono < nextWatchdogNs) return;
        nextWatchdogNs = mono + WATCHDOG_PERIOD_NS;
        long now = Timestamps.nowNs();
        if (state == State.STREAMING) {
            if (streamingSinceNs != 0 && now - streamingSinceNs > config.healthyAfter().toNanos()
                    && reconnectFailures > 0) {
                reconnectFailures = 0;
            }
            long stale = config.staleData().toNanos();
            boolean hoursOk = protocol.alwaysOn() || !config.staleOnlyInMarketHours()
                    || NewYorkTime.inExtendedSession(now);
            if (stale > 0 && hoursOk && !subscriptions.isEmpty() && now - lastDataNs > stale) {
                LOG.warn("{}: no data for {} ms while subscribed; reconnecting", protocol.feedName(),
                        (now - lastDataNs) / 1_000_000);
                pendingCause = "stale";
                connection.abort("stale: no data for " + config.staleData().toSeconds() + " s");
            }
        }
        if (mono >= nextRollNs) {
            nextRollNs = mono + 1_000_000_000L;
            stats.roll(mono);
        }
    }

    private void connect() {
        if (!running) return;
        long id = ++connectionIds;
        subscriptions.connectionReset();
        setState(State.CONNECTING, config.streamUri().toString());
        connection = new WebSocketConnection(id, config.streamUri(), ring, io, config.heartbeatInterval(),
                config.pongTimeout(), config.maxFrameBytes(), config.compression(), protocol.upgradeHeaders(),
                stats.backpressurePauses::increment);
        connectionOpen = true;
        connection.connect(CONNECT_TIMEOUT);
    }

    /**
     * Stops reading without losing what the server already sent: a close frame goes out, and frames keep being
     * decoded and delivered until the server's close reply (or the connection's end) arrives; every frame the server
     * wrote before it answered the close is delivered. Without a reply within {@link #DRAIN_TIMEOUT_NS} (extended
     * while frames still arrive, up to {@link #DRAIN_MAX_NS}) the connection is aborted and the frames it had already
     * received are still delivered before the collector stops.
     */
    private void shutdown() {
        running = false;
        reconnectAtNs = 0;
        if (connection != null && connectionOpen) {
            draining = true;
            drainAborted = false;
            drainStartNs = System.nanoTime();
            drainFramesSeen = stats.frames.sum();
            drainDeadlineNs = drainStartNs + DRAIN_TIMEOUT_NS;
            connection.close("stopped");
            return;
        }
        finishShutdown();
    }

    private void finishShutdown() {
        draining = false;
        cleaning.flush(Timestamps.nowNs());
        endBatch();
        ledger.close(Timestamps.nowNs());
        setState(State.STOPPED, "stopped");
    }

    private void onSignal(ConnectionSignal s) {
        switch (s) {
            case ConnectionSignal.Opened o -> {
                if (connection == null || o.connectionId() != connection.id() || !running) return;
                setState(State.AUTHENTICATING, "authenticating");
                connection.send(protocol.authMessage());
            }
            case ConnectionSignal.Closed c -> {
                if (connection == null || c.connectionId() != connection.id()) return;
                connectionOpen = false;
                if (draining) {
                    finishShutdown();
                    return;
                }
                onClosed(c);
            }
        }
    }

    private void onClosed(ConnectionSignal.Closed c) {
        long now = Timestamps.nowNs();
        if (!running || state == State.FAILED) return;
        String cause = pendingCause != null ? pendingCause : classify(c);
        boolean limit = pendingConnectionLimit || c.httpStatus() == 429;
        pendingCause = null;
        pendingConnectionLimit = false;
        if (c.httpStatus() == 401 || c.httpStatus() == 403) {
            credentialsRejected("upgrade refused with HTTP " + c.httpStatus());
            if (state == State.FAILED) return;
        } else if (c.httpStatus() == 404) {
            fail("the server has no stream at " + config.streamUri() + " (HTTP 404)");
            return;
        }
        if (state == State.STREAMING || state == State.SUBSCRIBING) {
            long gapStart = lastDataNs > 0 ? lastDataNs : now;
            ledger.open(protocol.source(), protocol.feedName(), subscriptions.channelList(),
                    subscriptions.symbolList(), gapStart, cause);
            cleaning.unwatchedFrom(gapStart);
        }
        stats.reconnect(cause);
        long delay = backoff.delayNanos(++reconnectFailures, backoffRandom);
        if (limit) delay = Math.max(delay, config.connectionLimitBackoff().toNanos());
        reconnectAtNs = System.nanoTime() + delay;
        streamingSinceNs = 0;
        setState(State.BACKING_OFF, c.cause() + "; reconnecting in " + delay / 1_000_000 + " ms");
    }

    private static String classify(ConnectionSignal.Closed c) {
        if (c.httpStatus() != 0) return "http-" + c.httpStatus();
        String m = c.cause();
        if (m.startsWith("pong timeout")) return "heartbeat";
        if (m.startsWith("connect failed")) return "connect-failed";
        if (m.startsWith("server closed")) return "server-closed";
        return "disconnected";
    }

    private void onControl(ControlMessage m) {
        ControlOutcome o = protocol.interpret(m);
        switch (o) {
            case ControlOutcome.Greeting g -> { }
            case ControlOutcome.Authenticated a -> {
                setState(State.SUBSCRIBING, "authenticated");
                Map<String, java.util.Set<String>> all = subscriptions.desiredSnapshot();
                for (OutboundMessage msg : protocol.subscribeMessages(all)) connection.send(msg);
                if (subscriptions.isEmpty()) enterStreaming();
            }
            case ControlOutcome.CredentialsRejected r -> {
                credentialsRejected(r.reason());
                if (state != State.FAILED) {
                    pendingCause = "credentials-rotated";
                    connection.abort(r.reason());
                }
            }
            case ControlOutcome.Fatal f -> fail(f.reason());
            case ControlOutcome.ConnectionLimit l -> {
                pendingCause = "connection-limit";
                pendingConnectionLimit = true;
                LOG.warn("{}: {} (another connection uses this key); waiting at least {} s", protocol.feedName(),
                        l.reason(), config.connectionLimitBackoff().toSeconds());
            }
            case ControlOutcome.Disconnecting d -> {
                pendingCause = d.reason();
                LOG.warn("{}: server is disconnecting: {}", protocol.feedName(), d.reason());
            }
            case ControlOutcome.TopicAck t -> {
                subscriptions.confirm(t.channel(), t.symbol(), t.added());
                if (state == State.SUBSCRIBING) enterStreaming();
            }
            case ControlOutcome.SubscriptionState s -> {
                subscriptions.confirmAll(s.channels());
                if (state == State.SUBSCRIBING) enterStreaming();
            }
            case ControlOutcome.SubscriptionRefused r -> {
                LOG.error("{}: subscription refused: {}", protocol.feedName(), r.reason());
                if (state == State.SUBSCRIBING) enterStreaming();
            }
            case ControlOutcome.Warning w -> LOG.warn("{}: {}", protocol.feedName(), w.reason());
        }
    }

    private void credentialsRejected(String reason) {
        if (protocol.rotateCredentials(reason)) {
            LOG.warn("{}: credentials rejected ({}); switched to the next configured key", protocol.feedName(),
                    reason);
        } else {
            fail("credentials rejected (" + reason + ") and no next key is configured");
        }
    }

    private void fail(String reason) {
        LOG.error("{}: fatal: {}; not reconnecting", protocol.feedName(), reason);
        reconnectAtNs = 0;
        long gapStart = lastDataNs > 0 ? lastDataNs : Timestamps.nowNs();
        ledger.open(protocol.source(), protocol.feedName(), subscriptions.channelList(), subscriptions.symbolList(),
                gapStart, "fatal: " + reason);
        cleaning.unwatchedFrom(gapStart);
        setState(State.FAILED, reason);
        if (connection != null) connection.abort(reason);
    }

    private void enterStreaming() {
        long now = Timestamps.nowNs();
        streamingSinceNs = now;
        lastDataNs = Math.max(lastDataNs, now);
        ledger.close(now);
        cleaning.watchedFrom(now);
        setState(State.STREAMING, "streaming");
    }

    private void applyChange(Map<String, java.util.Set<String>> change, boolean add) {
        if (change.isEmpty() || connection == null) return;
        if (state == State.STREAMING || state == State.SUBSCRIBING) {
            List<OutboundMessage> msgs = add ? protocol.subscribeMessages(change) : protocol.unsubscribeMessages(change);
            for (OutboundMessage m : msgs) connection.send(m);
        }
    }

    private void setState(State s, String detail) {
        state = s;
        stateDetail = detail;
        ConnectionStatus status = new ConnectionStatus(protocol.source(), protocol.feedName(), s, detail,
                Timestamps.nowNs());
        LOG.info("{}: {} ({})", protocol.feedName(), s, detail);
        fanout.status(status);
    }

    /** Hands what this run of the pipeline produced to the sinks. */
    private void endBatch() {
        fanout.flush();
    }

    /** A bar the builder published (only when built bars are published; see {@code data.bars.mode}). */
    private void publishBar(Bar bar, boolean revision) {
        latest.put(bar);
        fanout.offer(bar, revision ? Flags.REVISED : 0);
    }

    private static String checkSymbol(String symbol) {
        if (symbol == null || !(symbol.equals("*") || symbol.matches("[A-Z][A-Z0-9./]{0,19}"))) {
            throw new IllegalArgumentException("not a ticker symbol: '" + symbol + "'");
        }
        return symbol;
    }

    /** Decoder callbacks, on the pipeline thread. */
    private final class Events implements FrameHandler {
        @Override public void onEvent(MarketEvent e) {
            stats.received.increment();
            String channel = protocol.channelOf(e);
            boolean subscribed = channel == null || subscriptions.wants(channel, e.symbol());
            long rx = e.receiveTimeNs();
            if (subscribed) {
                lastDataNs = rx;
                if (state == State.SUBSCRIBING) enterStreaming();
            }
            int verdict = cleaning.clean(e, subscribed);
            if (!Flags.kept(verdict)) {
                if (!subscribed) stats.filteredUnsubscribed.increment();
                return;
            }
            stats.event(e, rx);
            if (e.type() != RecordType.TRADE) latest.put(e);
            switch (e) {
                case Trade t -> sequences.observe(t.symbol(), t.sequence(), rx);
                case Quote q -> sequences.observe(q.symbol(), q.sequence(), rx);
                case LuldBand l -> sequences.observe(l.symbol(), l.sequence(), rx);
                default -> { }
            }
            fanout.offer(e, verdict);
        }

        @Override public void onControl(ControlMessage message) {
            WebsocketCollector.this.onControl(message);
        }

        @Override public void onElement(int index, int offset, int length) {
            cleaning.cleaner.element(index, offset, length);
        }

        @Override public void onUnknown(String type) {
            stats.received.increment();
            stats.unknownTypes.increment();
            cleaning.cleaner.unknownType(type);
        }
    }
}
