package com.systemtrader.simulator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes a session's inbound WebSocket frames on its event loop: pings, closes, client messages. */
final class SessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);
    private final SimSession session;
    private final WebSocketServerHandshaker handshaker;

    SessionHandler(SimSession session, WebSocketServerHandshaker handshaker) {
        this.session = session;
        this.handshaker = handshaker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext c, WebSocketFrame frame) {
        switch (frame) {
            case PingWebSocketFrame ping -> c.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            case PongWebSocketFrame ignored -> { }
            case CloseWebSocketFrame close -> {
                session.closing = true;
                session.clientClosed = true;
                handshaker.close(c.channel(), close.retain());
            }
            case TextWebSocketFrame text -> session.onClientMessage(text.content(), false);
            case BinaryWebSocketFrame bin -> session.onClientMessage(bin.content(), true);
            default -> { }
        }
    }

    @Override public void channelInactive(ChannelHandlerContext c) {
        session.onClosed();
        c.fireChannelInactive();
    }

    @Override public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        LOG.debug("session {} error: {}", session.id, cause.toString());
        c.close();
    }
}
