package com.systemtrader.collector;

import com.systemtrader.codec.Timestamps;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One WebSocket connection (wss:// or ws://) on a collector's single I/O thread. The I/O thread only hands
 * frame bytes to the {@link FrameRing} (retained, with the receive time) and never parses; it pauses socket reads
 * while the ring is above its high watermark. It sends a ping every heartbeat interval and closes the connection
 * when a pong is overdue. Offers permessage-deflate (when configured) with a bounded inflate size.
 */
final class WebSocketConnection {
    private final long id;
    private final URI uri;
    private final FrameRing ring;
    private final EventLoopGroup group;
    private final Duration heartbeat;
    private final Duration pongTimeout;
    private final int maxFrameBytes;
    private final HttpHeaders headers;
    private final Runnable onPause;
    private final boolean compression;
    private volatile Channel channel;
    private volatile boolean paused;
    private volatile boolean closedSignalled;
    private ScheduledFuture<?> pinger;
    private long lastPongNs;
    private long pingOutstandingSinceNs;
    private volatile int serverCloseCode = -1;

    WebSocketConnection(long id, URI uri, FrameRing ring, EventLoopGroup group, Duration heartbeat,
                        Duration pongTimeout, int maxFrameBytes, boolean compression, HttpHeaders headers,
                        Runnable onPause) {
        this.compression = compression;
        this.id = id;
        this.uri = uri;
        this.ring = ring;
        this.group = group;
        this.heartbeat = heartbeat;
        this.pongTimeout = pongTimeout;
        this.maxFrameBytes = maxFrameBytes;
        this.headers = headers == null ? new DefaultHttpHeaders() : headers;
        this.onPause = onPause;
    }

    long id() { return id; }

    /** Starts connecting; the outcome arrives in the ring as {@link ConnectionSignal.Opened} or {@code Closed}. */
    void connect(Duration connectTimeout) {
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        SslContext ssl;
        try {
            ssl = tls ? SslContextBuilder.forClient().build() : null;
        } catch (SSLException e) {
            signalClosed("TLS setup failed: " + e.getMessage(), 0);
            return;
        }
        WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).customHeaders(headers).allowExtensions(compression)
                .maxFramePayloadLength(maxFrameBytes).withUTF8Validator(false)
                .handshakeTimeoutMillis(connectTimeout.toMillis()).dropPongFrames(false)
                .handleCloseFrames(false).build();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        if (ssl != null) ch.pipeline().addLast(ssl.newHandler(ch.alloc(), uri.getHost(), port));
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16));
                        if (compression) ch.pipeline().addLast(new WebSocketClientCompressionHandler(maxFrameBytes));
                        ch.pipeline().addLast(new WebSocketClientProtocolHandler(cfg),
                                new WebSocketFrameAggregator(maxFrameBytes), new Inbound());
                    }
                });
        ChannelFuture f = b.connect(uri.getHost(), port);
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) signalClosed("connect failed: " + rootMessage(done.cause()), 0);
        });
    }

    /** Sends a message as a text or binary frame (any thread). */
    void send(OutboundMessage m) {
        Channel c = channel;
        if (c == null || !c.isActive()) return;
        ByteBuf b = Unpooled.wrappedBuffer(m.payload());
        c.writeAndFlush(m.binary() ? new BinaryWebSocketFrame(b) : new TextWebSocketFrame(b));
    }

    /** Resumes socket reads after backpressure, once the ring drained below its low watermark (any thread). */
    void resumeIfPaused() {
        if (paused && ring.belowLowWatermark()) {
            paused = false;
            Channel c = channel;
            if (c != null) c.config().setAutoRead(true);
        }
    }

    boolean paused() { return paused; }

    /**
     * Starts the close handshake: a normal close frame goes out and frames that still arrive are handed on as usual.
     * The Closed signal follows when the server answers the close (or drops the connection); after 2 s without
     * either, the connection is dropped.
     */
    void close(String cause) {
        Channel c = channel;
        if (c == null) {
            signalClosed(cause, 0);
            return;
        }
        c.eventLoop().execute(() -> {
            if (c.isActive()) {
                c.writeAndFlush(new CloseWebSocketFrame(1000, "client closing"));
                c.eventLoop().schedule(() -> { c.close(); }, 2, TimeUnit.SECONDS);
            } else {
                signalClosed(cause, 0);
            }
        });
    }

    /** Drops the TCP connection at once (after a protocol decision: stale feed, fatal error). */
    void abort(String cause) {
        Channel c = channel;
        if (c == null) return;
        c.eventLoop().execute(() -> {
            signalClosed(cause, 0);
            c.close();
        });
    }

    private void signalClosed(String cause, int httpStatus) {
        if (closedSignalled) return;
        closedSignalled = true;
        if (pinger != null) pinger.cancel(false);
        ring.offerSignal(new ConnectionSignal.Closed(id, cause, httpStatus, serverCloseCode));
    }

    private void startHeartbeat(ChannelHandlerContext ctx) {
        lastPongNs = System.nanoTime();
        long period = heartbeat.toNanos();
        pinger = ctx.executor().scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            if (pingOutstandingSinceNs != 0 && now - pingOutstandingSinceNs > pongTimeout.toNanos()) {
                signalClosed("pong timeout after " + pongTimeout.toMillis() + " ms", 0);
                ctx.close();
                return;
            }
            if (pingOutstandingSinceNs == 0) pingOutstandingSinceNs = now;
            ctx.writeAndFlush(new PingWebSocketFrame());
        }, period, period, TimeUnit.NANOSECONDS);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null) r = r.getCause();
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }

    /** Inbound frames on the I/O thread: hand bytes on, never parse. */
    private final class Inbound extends SimpleChannelInboundHandler<WebSocketFrame> {
        Inbound() {
            super(false);
        }

        @Override protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            long now = Timestamps.nowNs();
            switch (frame) {
                case TextWebSocketFrame t -> enqueue(ctx, t.content(), now, false);
                case BinaryWebSocketFrame b -> enqueue(ctx, b.content(), now, true);
                case PongWebSocketFrame p -> {
                    pingOutstandingSinceNs = 0;
                    lastPongNs = System.nanoTime();
                    p.release();
                }
                case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content()));
                case CloseWebSocketFrame c -> {
                    serverCloseCode = c.statusCode();
                    String reason = c.reasonText();
                    c.release();
                    signalClosed("server closed: " + serverCloseCode + (reason.isEmpty() ? "" : " " + reason), 0);
                    ctx.close();
                }
                default -> frame.release();
            }
        }

        private void enqueue(ChannelHandlerContext ctx, ByteBuf content, long now, boolean bin) {
            ring.offerFrame(content, now, bin);
            if (!paused && ring.aboveHighWatermark()) {
                paused = true;
                ctx.channel().config().setAutoRead(false);
                onPause.run();
            }
        }

        @Override public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                startHeartbeat(ctx);
                ring.offerSignal(new ConnectionSignal.Opened(id));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override public void channelInactive(ChannelHandlerContext ctx) {
            signalClosed("connection closed by peer", 0);
            ctx.fireChannelInactive();
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            int status = 0;
            if (cause instanceof WebSocketClientHandshakeException h && h.response() != null) {
                status = h.response().status().code();
            }
            signalClosed(status != 0 ? "upgrade refused with HTTP " + status : rootMessage(cause), status);
            ctx.close();
        }
    }
}
