package com.systemtrader.simulator;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.provider.polygon.PolygonDecoder;
import com.systemtrader.provider.polygon.PolygonStatus;
import com.systemtrader.schema.MarketEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Polygon test client on the JDK's {@link java.net.http.WebSocket}, for what {@link com.systemtrader.tools.SimpleWsClient}
 * cannot do: send WebSocket pings (and count the pongs) and see the close code the server sends.
 */
final class JdkWsProbe implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final WebSocket ws;
    private final PolygonDecoder decoder = new PolygonDecoder();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicInteger dataEvents = new AtomicInteger();
    private final AtomicLong lastDataNs = new AtomicLong();
    private final AtomicInteger pongs = new AtomicInteger();
    private final List<PolygonStatus> statuses = new ArrayList<>();
    /**
     * The close code the server sent; 1006 when the connection ended without a close frame, -1 on an I/O error.
     */
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    JdkWsProbe(URI uri) throws Exception {
        this.ws = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    decode(partial.toString());
                    partial.setLength(0);
                }
                w.request(1);
                return null;
            }

            @Override public CompletionStage<?> onPong(WebSocket w, ByteBuffer message) {
                pongs.incrementAndGet();
                w.request(1);
                return null;
            }

            @Override public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }

            @Override public void onError(WebSocket w, Throwable error) {
                closeCode.complete(-1);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    private void decode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try {
            decoder.decode(b, 0, b.length, Timestamps.nowNs(), new FrameHandler() {
                @Override public void onEvent(MarketEvent event) {
                    dataEvents.incrementAndGet();
                    lastDataNs.set(System.nanoTime());
                }

                @Override public void onControl(ControlMessage message) {
                    synchronized (statuses) {
                        statuses.add((PolygonStatus) message);
                    }
                }

                @Override public void onUnknown(String type) { }
            });
        } catch (MalformedFrameException e) {
            throw new AssertionError("simulator sent a malformed frame", e);
        }
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    void ping() {
        ws.sendPing(ByteBuffer.wrap("probe".getBytes(StandardCharsets.US_ASCII))).join();
    }

    int pongs() { return pongs.get(); }

    int dataEvents() { return dataEvents.get(); }

    /** {@link System#nanoTime()} of the last data event, 0 before the first. */
    long lastDataNanoTime() { return lastDataNs.get(); }

    List<PolygonStatus> statuses() {
        synchronized (statuses) {
            return List.copyOf(statuses);
        }
    }

    boolean hasStatus(String status) {
        return statuses().stream().anyMatch(s -> s.status().equals(status));
    }

    CompletableFuture<Integer> closeCode() { return closeCode; }

    boolean isOpen() { return !closeCode.isDone() && !ws.isInputClosed(); }

    @Override public void close() {
        if (!ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // already closing
            }
        }
        ws.abort();
        http.shutdownNow();
    }
}
