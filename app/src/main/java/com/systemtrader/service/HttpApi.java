package com.systemtrader.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.systemtrader.data.RealtimeDataProvider;
import com.systemtrader.schema.Conditions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP API on Netty: {@code /health} (liveness), {@code /ready}, {@code /metrics} (Prometheus text of
 * every meter), and JSON queries under {@code /api/} ({@link ApiRoutes}), by {@code GET} or {@code HEAD}. Bound to
 * loopback by default; an optional bearer token guards everything but {@code /health} and the dashboard's page and files
 * ({@code /}, {@code /ui/*}: {@link DashboardFiles}); {@code /api/stream} is the dashboard's event stream
 * ({@link DashboardStream}). {@code /health}, {@code /ready} and {@code /metrics} are
 * answered on the I/O thread from memory; every other request on a bounded pool of {@value #WORKERS} workers (a data
 * query may fall back to the database or REST), with at most {@value #QUEUED_REQUESTS} waiting: more are refused
 * with 503 ({@code http.api.rejected}; {@code http.api.queue.depth}).
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** Every body in snake_case, records included (one naming style across the API: ApiSpec). */
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new SimpleModule().addSerializer(new StdSerializer<>(Conditions.class) {
                @Override public void serialize(Conditions c, com.fasterxml.jackson.core.JsonGenerator g,
                                                com.fasterxml.jackson.databind.SerializerProvider p) throws IOException {
                    g.writeArray(c.toArray(), 0, c.size());
                }
            }));

    /** Threads answering requests, and requests that may wait for one; more are refused with 503. */
    private static final int WORKERS = 4;
    private static final int QUEUED_REQUESTS = 256;
    /** How often the dashboard's event stream sends a snapshot. */
    private static final java.time.Duration STREAM_PERIOD = java.time.Duration.ofSeconds(1);

    private final EventLoopGroup group;
    private final Channel channel;
    private final ThreadPoolExecutor workers;
    private final DashboardStream stream;

    private HttpApi(EventLoopGroup group, Channel channel, ThreadPoolExecutor workers, DashboardStream stream) {
        this.group = group;
        this.channel = channel;
        this.workers = workers;
        this.stream = stream;
    }

    public static HttpApi start(HttpApiConfig config, PrometheusMeterRegistry metrics, ServiceView view) {
        return start(config, metrics, view, null);
    }

    /**
     * @param provider answers {@code /api/price}, {@code /api/quote}, {@code /api/ohlcv} and {@code /api/prices}
     *                 across memory, Redis, the database and REST; null: those endpoints answer 503
     */
    public static HttpApi start(HttpApiConfig config, PrometheusMeterRegistry metrics, ServiceView view,
                                RealtimeDataProvider provider) {
        return start(config, metrics, view, provider, STREAM_PERIOD);
    }

    /** @param streamPeriod how often the dashboard's event stream sends a snapshot (tests make it short) */
    static HttpApi start(HttpApiConfig config, PrometheusMeterRegistry metrics, ServiceView view,
                         RealtimeDataProvider provider, java.time.Duration streamPeriod) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ApiRoutes routes = new ApiRoutes(view, metrics, provider, new DashboardFiles(config.bearerToken() != null));
        DashboardStream stream = new DashboardStream(view, streamPeriod, metrics);
        // requests are answered off the I/O thread: a database or REST fallback may take a while
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), Thread.ofPlatform().name("http-api-", 0).daemon(true).factory(),
                new ThreadPoolExecutor.AbortPolicy());
        Gauge.builder("http.api.queue.depth", workers, w -> w.getQueue().size())
                .description("API requests waiting for a worker").register(metrics);
        Counter rejected = Counter.builder("http.api.rejected")
                .description("API requests refused with 503 because " + QUEUED_REQUESTS + " were waiting").register(metrics);
        byte[] token = config.bearerToken() == null ? null
                : config.bearerToken().reveal().getBytes(StandardCharsets.UTF_8);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                // a dashboard stream whose client does not read is skipped above this (DashboardStream)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 512 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new Handler(routes, token, workers, rejected, stream));
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
            HttpApi api = new HttpApi(group, ch, workers, stream.start());
            LOG.info("http api: listening on http://{}:{}{}", config.host(), api.port(),
                    token == null ? "" : " (bearer token required)");
            return api;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownNow();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("http api: cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() { return ((InetSocketAddress) channel.localAddress()).getPort(); }

    @Override public void close() {
        stream.close();
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        workers.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ApiRoutes routes;
        private final byte[] token;
        private final ThreadPoolExecutor workers;
        private final Counter rejected;
        private final DashboardStream stream;

        Handler(ApiRoutes routes, byte[] token, ThreadPoolExecutor workers, Counter rejected, DashboardStream stream) {
            this.routes = routes;
            this.token = token;
            this.workers = workers;
            this.rejected = rejected;
            this.stream = stream;
        }

        @Override protected void channelRead0(ChannelHandlerContext c, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            boolean head = req.method().equals(HttpMethod.HEAD);
            boolean gzip = acceptsGzip(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
            if (!req.decoderResult().isSuccess()) {
                respond(c, ApiRoutes.Response.error(400, "malformed request"), keepAlive, head, false);
            } else if (token != null && !req.uri().equals("/health") && !isDashboardFile(req.uri())
                    && !authorized(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                respond(c, ApiRoutes.Response.error(401, "missing or wrong bearer token"), keepAlive, head, false);
            } else {
                String method = req.method().name();
                String uri = req.uri();
                if (!ApiRoutes.mayWait(uri)) {
                    // health, readiness and metrics answer from memory at once, even while every worker waits
                    respond(c, routes.handle(method, uri), keepAlive, head, gzip);
                    return;
                }
                try {
                    workers.execute(() -> answer(c, routes.handle(method, uri), keepAlive, head, gzip));
                } catch (RejectedExecutionException busy) { // overflow policy: refuse, never queue without bound
                    rejected.increment();
                    respond(c, ApiRoutes.Response.error(503, "busy: " + QUEUED_REQUESTS + " requests waiting"),
                            keepAlive, head, false);
                }
            }
        }

        /** {@code Authorization: Bearer <token>}, the scheme in any case (RFC 7235), the token in constant time. */
        private boolean authorized(String header) {
            if (header == null) return false;
            String h = header.strip();
            int space = h.indexOf(' ');
            if (space < 0 || !h.substring(0, space).equalsIgnoreCase("Bearer")) return false;
            byte[] given = h.substring(space + 1).strip().getBytes(StandardCharsets.UTF_8);
            return java.security.MessageDigest.isEqual(token, given);
        }

        /** Sends {@code r}, or for {@code GET /api/stream} turns the connection into a dashboard event stream. */
        private void answer(ChannelHandlerContext c, ApiRoutes.Response r, boolean keepAlive, boolean head,
                            boolean gzip) {
            if (r != ApiRoutes.Response.STREAM || head) {
                respond(c, r, keepAlive, head, gzip);
            } else if (!stream.open(c.channel())) {
                respond(c, ApiRoutes.Response.error(503, "busy: " + DashboardStream.MAX_CLIENTS
                        + " dashboard streams are open"), keepAlive, false, false);
            }
        }

        /** The page and its files need no token: they hold no data (the page asks for the token itself). */
        private static boolean isDashboardFile(String uri) {
            try {
                return ApiSpec.isDashboardFile(new io.netty.handler.codec.http.QueryStringDecoder(uri).path());
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }

        private static boolean acceptsGzip(String acceptEncoding) {
            return acceptEncoding != null && acceptEncoding.toLowerCase(java.util.Locale.ROOT).contains("gzip");
        }

        /**
         * Sends {@code r}; for a HEAD request its headers (the GET answer's length included) without the body; its
         * gzip copy, when it has one, to a client that accepts gzip.
         */
        private static void respond(ChannelHandlerContext c, ApiRoutes.Response r, boolean keepAlive, boolean head,
                                    boolean gzip) {
            boolean zipped = gzip && r.gzipped() != null;
            byte[] body = zipped ? r.gzipped() : r.body();
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()),
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            if (r.gzipped() != null) {
                resp.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
                resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                if (zipped) resp.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
            }
            HttpUtil.setContentLength(resp, body.length);
            HttpUtil.setKeepAlive(resp, keepAlive);
            var f = c.writeAndFlush(resp);
            if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
        }

        @Override public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            LOG.debug("http api: connection error: {}", cause.toString());
            c.close();
        }
    }
}
