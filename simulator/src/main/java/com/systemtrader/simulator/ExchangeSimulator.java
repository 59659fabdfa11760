package com.systemtrader.simulator;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.simulator.market.MarketHistory;
import com.systemtrader.simulator.market.SyntheticMarket;
import com.systemtrader.simulator.rest.RestConfig;
import com.systemtrader.simulator.rest.RestRouter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exchange simulator: Polygon and Alpaca WebSocket feeds and REST endpoints on one port, served from one
 * seeded synthetic market, with fault injection ({@link #faults()}) and optional ground truth.
 *
 * <pre>{@code
 * try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(market).build())) {
 *     URI polygon = sim.uri("/stocks");
 *     sim.faults().dropAfterMessages(1_000, 1);
 * }
 * }</pre>
 */
public final class ExchangeSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeSimulator.class);
    private final SimulatorConfig config;
    private final SimulatorContext ctx;
    private final SyntheticMarket market;
    private final MarketEngine engine;
    private final Thread engineThread;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final RestRouter rest;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ExchangeSimulator(SimulatorConfig config, SimulatorContext ctx, SyntheticMarket market, EventLoopGroup boss,
                              EventLoopGroup workers, Channel serverChannel, RestRouter rest, MarketEngine engine,
                              Thread engineThread) {
        this.config = config;
        this.ctx = ctx;
        this.market = market;
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.rest = rest;
        this.engine = engine;
        this.engineThread = engineThread;
    }

    /** Binds and starts streaming (the market thread and the server's event loops). */
    public static ExchangeSimulator start(SimulatorConfig config) {
        try {
            return bindAndStart(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        }
    }

    private static ExchangeSimulator bindAndStart(SimulatorConfig config) throws InterruptedException {
        TruthRecorder truth = config.truthFile() == null ? null : new TruthRecorder(config.truthFile());
        SimulatorContext ctx = new SimulatorContext(config, new Faults(), new SimulatorStats(), truth);
        SyntheticMarket market = new SyntheticMarket(config.market(), Timestamps.nowNs());
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        RestRouter[] router = new RestRouter[1];
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                new WebSocketServerCompressionHandler(HttpEntryHandler.MAX_CLIENT_FRAME),
                                new HttpEntryHandler(ctx, () -> router[0]));
                    }
                });
        Channel serverChannel;
        try {
            serverChannel = b.bind(config.host(), config.port()).sync().channel();
        } catch (Throwable e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            if (truth != null) truth.close();
            if (e instanceof InterruptedException ie) throw ie;
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + " (--host/--port): "
                    + e.getMessage(), e);
        }
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        RestConfig restConfig = RestConfig.of(config.polygonKeys(), config.alpacaKeys(), "http://" + config.host()
                        + ":" + port)
                .withPolygonRequestsPerMinute(config.polygonRestPerMinute())
                .withAlpacaRequestsPerMinute(config.alpacaRestPerMinute());
        RestRouter rest = new RestRouter(market.history(), restConfig);
        router[0] = rest;
        MarketEngine engine = new MarketEngine(market, ctx);
        Thread engineThread = new Thread(engine, "simulator-market");
        engineThread.setDaemon(true);
        engineThread.start();
        LOG.info("simulator listening on {}:{} (seed {}, {} symbols, {} msg/s)", config.host(), port,
                config.market().seed(), config.market().symbols().size(), config.ratePerSecond());
        return new ExchangeSimulator(config, ctx, market, boss, workers, serverChannel, rest, engine, engineThread);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** {@code ws://host:port + path}, e.g. {@code uri("/v2/iex")}. */
    public java.net.URI uri(String path) {
        return java.net.URI.create("ws://" + config.host() + ":" + port() + path);
    }

    /** {@code http://host:port} for the REST endpoints. */
    public String restBaseUrl() {
        return "http://" + config.host() + ":" + port();
    }

    public Faults faults() { return ctx.faults; }

    public SimulatorStats stats() { return ctx.stats; }

    public MarketHistory history() { return market.history(); }

    public RestRouter rest() { return rest; }

    public SimulatorConfig config() { return config; }

    /** Number of open WebSocket sessions. */
    public int sessionCount() { return ctx.sessions.all.size(); }

    /** Changes the data rate while running. */
    public void rate(long messagesPerSecond) { engine.rate(messagesPerSecond); }

    /** Messages the market thread skipped because it fell behind. */
    public long skippedMessages() { return engine.skipped(); }

    /** Flushes the truth file (if any) so that a test can read it while the simulator runs. */
    public void flushTruth() {
        if (ctx.truth != null) ctx.truth.flush();
    }

    /** Stops streaming, closes every connection and the truth file. Idempotent; a second caller waits. */
    @Override public synchronized void close() {
        if (!closed.compareAndSet(false, true)) return;
        engine.stop();
        try {
            engineThread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (SimSession s : ctx.sessions.all) s.channel.close();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ctx.truth != null) ctx.truth.close();
        LOG.info("simulator stopped: {}", ctx.stats);
    }
}
