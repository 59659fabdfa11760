package com.systemtrader.simulator;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.simulator.rest.RestRouter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;

/**
 * First handler of every connection: a WebSocket upgrade on a known feed path becomes a session; any other
 * request goes to the REST router.
 */
final class HttpEntryHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final int MAX_CLIENT_FRAME = 1 << 20;
    private final SimulatorContext ctx;
    private final java.util.function.Supplier<RestRouter> rest;

    HttpEntryHandler(SimulatorContext ctx, java.util.function.Supplier<RestRouter> rest) {
        this.ctx = ctx;
        this.rest = rest;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext c, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            respond(c, req, HttpResponseStatus.BAD_REQUEST, "{\"message\":\"bad request\"}");
            return;
        }
        boolean upgrade = req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        if (!upgrade) {
            ctx.stats.restRequests.increment();
            RestRouter router = rest.get();
            if (router == null) {
                respond(c, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"message\":\"starting\"}");
                return;
            }
            FullHttpResponse response = router.handle(req, Timestamps.nowNs());
            HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(req));
            var f = c.writeAndFlush(response);
            if (!HttpUtil.isKeepAlive(req)) f.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Feed feed = Feed.forPath(new QueryStringDecoder(req.uri()).path());
        if (feed == null) {
            respond(c, req, HttpResponseStatus.NOT_FOUND, "{\"message\":\"no such stream\"}");
            return;
        }
        int reject = ctx.faults.takeUpgradeRejection();
        if (reject != 0) {
            ctx.stats.upgradesRejected.increment();
            respond(c, req, HttpResponseStatus.valueOf(reject), reject == 429
                    ? "{\"code\":429,\"message\":\"too many requests\"}" : "{\"message\":\"rejected\"}");
            return;
        }
        String scheme = "ws://";
        WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(
                scheme + req.headers().get(HttpHeaderNames.HOST, "localhost") + feed.path(), null, true,
                MAX_CLIENT_FRAME).newHandshaker(req);
        if (hs == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(c.channel());
            return;
        }
        SimSession session = feed.isPolygon()
                ? new PolygonSession(ctx.nextSessionId.incrementAndGet(), c.channel(), feed, ctx)
                : new AlpacaSession(ctx.nextSessionId.incrementAndGet(), c.channel(), feed, ctx, req.headers());
        hs.handshake(c.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                c.close();
                return;
            }
            ctx.stats.connections.increment();
            c.pipeline().addBefore(c.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_CLIENT_FRAME));
            c.pipeline().replace(this, "session", new SessionHandler(session, hs));
            ctx.sessions.add(session);
            session.start();
        });
    }

    private static void respond(ChannelHandlerContext c, FullHttpRequest req, HttpResponseStatus status, String json) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(r, r.content().readableBytes());
        c.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
