package com.systemtrader.tools;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A minimal plain-{@code ws://} WebSocket client for the demo, the simulator benchmark and simulator tests. It
 * hands every complete frame's bytes to a callback <em>on the I/O thread</em>, which is fine for tools and
 * tests; the production collectors (with their bounded ring, reconnects and watchdogs) are a separate component.
 */
public final class SimpleWsClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private SimpleWsClient(URI uri, HttpHeaders headers, boolean deflate, BiConsumer<ByteBuf, Boolean> onFrame)
            throws Exception {
        CompletableFuture<Void> handshake = new CompletableFuture<>();
        WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).customHeaders(headers).maxFramePayloadLength(16 << 20).allowExtensions(deflate)
                .withUTF8Validator(false).handshakeTimeoutMillis(5_000).build();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16));
                        if (deflate) ch.pipeline().addLast(new WebSocketClientCompressionHandler(16 << 20));
                        ch.pipeline().addLast(new WebSocketClientProtocolHandler(cfg), new WebSocketFrameAggregator(16 << 20),
                                new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    @Override protected void channelRead0(ChannelHandlerContext c, WebSocketFrame f) {
                                        if (f instanceof TextWebSocketFrame || f instanceof BinaryWebSocketFrame) {
                                            onFrame.accept(f.content(), f instanceof BinaryWebSocketFrame);
                                        }
                                    }

                                    @Override public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                                        if (evt instanceof WebSocketClientProtocolHandler.ClientHandshakeStateEvent e
                                                && e == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                                .HANDSHAKE_COMPLETE) {
                                            handshake.complete(null);
                                        }

                                        c.fireUserEventTriggered(evt);
                                    }

                                    @Override public void channelInactive(ChannelHandlerContext c) {
                                        handshake.completeExceptionally(new IllegalStateException(
                                                "connection closed before the WebSocket handshake completed"));
                                        closed.complete(null);
                                    }

                                    @Override public void exceptionCaught(ChannelHandlerContext c, Throwable t) {
                                        handshake.completeExceptionally(t);
                                        c.close();
                                    }
                                });
                    }
                });
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        Channel ch = null;
        try {
            ch = b.connect(uri.getHost(), port).sync().channel();
            handshake.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (ch != null) ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            throw e;
        }
        this.channel = ch;
    }

    /** Connects and completes the WebSocket handshake, or throws. */
    public static SimpleWsClient connect(URI uri, HttpHeaders headers, BiConsumer<ByteBuf, Boolean> onFrame)
            throws Exception {
        return new SimpleWsClient(uri, headers, false, onFrame);
    }

    public static SimpleWsClient connect(URI uri, BiConsumer<ByteBuf, Boolean> onFrame) throws Exception {
        return new SimpleWsClient(uri, new DefaultHttpHeaders(), false, onFrame);
    }

    /** Like {@link #connect(URI, BiConsumer)}, offering permessage-deflate (RFC 7692) in the handshake. */
    public static SimpleWsClient connectWithDeflate(URI uri, BiConsumer<ByteBuf, Boolean> onFrame) throws Exception {
        return new SimpleWsClient(uri, new DefaultHttpHeaders(), true, onFrame);
    }

    public void sendText(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    public void sendBinary(byte[] bytes) {
        channel.writeAndFlush(new BinaryWebSocketFrame(channel.alloc().buffer(bytes.length).writeBytes(bytes)));
    }

    /** Stops or resumes reading from the socket (backpressure). */
    public void autoRead(boolean on) {
        channel.config().setAutoRead(on);
    }

    public boolean isOpen() { return channel.isActive(); }

    /** True when permessage-deflate was negotiated (the extension installed its inflater in the pipeline). */
    public boolean deflateActive() {
        for (var entry : channel.pipeline()) {
            if (entry.getValue().getClass().getSimpleName().contains("DeflateDecoder")) return true;
        }
        return false;
    }

    public CompletableFuture<Void> closedFuture() { return closed; }

    @Override public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
