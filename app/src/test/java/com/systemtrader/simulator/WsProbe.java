package com.systemtrader.simulator;

import com.systemtrader.codec.Timestamps;
import static org.awaitility.Awaitility.await;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.provider.alpaca.AlpacaClientMessage;
import com.systemtrader.provider.alpaca.AlpacaError;
import com.systemtrader.provider.alpaca.AlpacaFrameDecoder;
import com.systemtrader.provider.alpaca.AlpacaSuccess;
import com.systemtrader.provider.alpaca.AlpacaWireFormat;
import com.systemtrader.provider.polygon.PolygonClientMessage;
import com.systemtrader.provider.polygon.PolygonDecoder;
import com.systemtrader.provider.polygon.PolygonStatus;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import com.systemtrader.tools.SimpleWsClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client for the simulator's WebSocket feeds: connects with {@link SimpleWsClient}, decodes every frame
 * with the project's own decoder on the client's I/O thread, and keeps what it found (data events, control
 * messages, malformed frames) in lists that any thread can read and await.
 */
final class WsProbe implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    enum Codec { POLYGON, ALPACA_JSON, ALPACA_MSGPACK }

    /** A control message and the index of the frame that carried it. */
    record Control(ControlMessage message, int frame) {}

    /** A frame the decoder rejected, and how many data events had been decoded before it. */
    record Malformed(MalformedFrameException error, int eventsBefore) {}

    /** A frame's bytes as received, kept after {@link #keepRawFrames()}. */
    record RawFrame(byte[] bytes, boolean binary) {}

    private final Codec codec;
    private final PolygonDecoder polygon;
    private final AlpacaFrameDecoder alpaca;
    private final SimpleWsClient client;

    // guarded by this
    private final List<MarketEvent> events = new ArrayList<>();
    private final List<Control> controls = new ArrayList<>();
    private final List<String> controlFrameTexts = new ArrayList<>();
    private final List<Malformed> malformed = new ArrayList<>();
    private int frames;
    private int textFrames;
    private int binaryFrames;
    private final List<RawFrame> rawFrames = new ArrayList<>();
    private volatile boolean keepRaw;

    // I/O thread scratch
    private final List<MarketEvent> frameEvents = new ArrayList<>();
    private final List<ControlMessage> frameControls = new ArrayList<>();

    private WsProbe(URI uri, Codec codec, HttpHeaders headers) throws Exception {
        this.codec = codec;
        this.polygon = codec == Codec.POLYGON ? new PolygonDecoder(new SymbolTable()) : null;
        this.alpaca = switch (codec) {
            case POLYGON -> null;
            case ALPACA_JSON -> AlpacaWireFormat.JSON.newDecoder(new SymbolTable(), DataSource.SIMULATOR);
            case ALPACA_MSGPACK -> AlpacaWireFormat.MSGPACK.newDecoder(new SymbolTable(), DataSource.SIMULATOR);
        };
        if (codec == Codec.ALPACA_MSGPACK) headers.set("Content-Type", AlpacaWireFormat.MSGPACK.contentType());
        this.client = SimpleWsClient.connect(uri, headers, this::onFrame);
    }

    static WsProbe connect(URI uri, Codec codec) throws Exception {
        return new WsProbe(uri, codec, new DefaultHttpHeaders());
    }

    static WsProbe connect(URI uri, Codec codec, HttpHeaders headers) throws Exception {
        return new WsProbe(uri, codec, headers);
    }

    // ---- receiving (client I/O thread) ----

    private void onFrame(ByteBuf content, boolean binary) {
        byte[] bytes = ByteBufUtil.getBytes(content);
        frameEvents.clear();
        frameControls.clear();
        FrameHandler handler = new FrameHandler() {
            @Override public void onEvent(MarketEvent event) { frameEvents.add(event); }

            @Override public void onControl(ControlMessage message) { frameControls.add(message); }

            @Override public void onUnknown(String type) { }
        };
        MalformedFrameException error = null;
        try {
            if (polygon != null) {
                polygon.decode(bytes, 0, bytes.length, Timestamps.nowNs(), handler);
            } else {
                alpaca.decode(bytes, 0, bytes.length, Timestamps.nowNs(), handler);
            }
        } catch (MalformedFrameException e) {
            error = e;
        }
        synchronized (this) {
            int frame = frames++;
            if (binary) binaryFrames++;
            else textFrames++;
            events.addAll(frameEvents);
            for (ControlMessage m : frameControls) controls.add(new Control(m, frame));
            if (!frameControls.isEmpty() && !binary) controlFrameTexts.add(new String(bytes, StandardCharsets.UTF_8));
            if (error != null) malformed.add(new Malformed(error, events.size()));
            if (keepRaw) rawFrames.add(new RawFrame(bytes, binary));
        }
    }

    // ---- sending ----

    void sendText(String text) { client.sendText(text); }

    void sendBinary(byte[] bytes) { client.sendBinary(bytes); }

    void polygonAuth(String key) { sendText(PolygonClientMessage.auth(key).toJson()); }

    void polygonSubscribe(String... topics) { sendText(PolygonClientMessage.subscribe(topics).toJson()); }

    void polygonUnsubscribe(String... topics) { sendText(PolygonClientMessage.unsubscribe(topics).toJson()); }

    /** Sends an Alpaca client message in this probe's wire format (msgpack binary or JSON text). */
    void alpacaSend(AlpacaClientMessage m) {
        if (codec == Codec.ALPACA_MSGPACK) {
            sendBinary(m.toMsgpack());
        } else {
            sendText(new String(m.toJson(), StandardCharsets.UTF_8));
        }
    }

    void autoRead(boolean on) { client.autoRead(on); }

    /** Keeps every frame received from now on as raw bytes ({@link #rawFrames()}), for tests that parse them. */
    WsProbe keepRawFrames() {
        keepRaw = true;
        return this;
    }

    // ---- reading (any thread) ----

    synchronized List<MarketEvent> events() { return List.copyOf(events); }

    synchronized int eventCount() { return events.size(); }

    synchronized List<Trade> trades() {
        List<Trade> out = new ArrayList<>();
        for (MarketEvent e : events) if (e instanceof Trade t) out.add(t);
        return out;
    }

    synchronized long count(Predicate<MarketEvent> p) {
        return events.stream().filter(p).count();
    }

    synchronized List<Control> controlsWithFrames() { return List.copyOf(controls); }

    synchronized List<ControlMessage> controls() {
        return controls.stream().map(Control::message).toList();
    }

    synchronized List<PolygonStatus> statuses() {
        return controls.stream().map(Control::message).filter(PolygonStatus.class::isInstance)
                .map(PolygonStatus.class::cast).toList();
    }

    /** The text of every (JSON) frame that carried a control message, in order. */
    synchronized List<String> controlFrameTexts() { return List.copyOf(controlFrameTexts); }

    synchronized List<Malformed> malformed() { return List.copyOf(malformed); }

    synchronized List<RawFrame> rawFrames() { return List.copyOf(rawFrames); }

    synchronized int textFrames() { return textFrames; }

    synchronized int binaryFrames() { return binaryFrames; }

    boolean isOpen() { return client.isOpen(); }

    boolean isClosed() { return client.closedFuture().isDone(); }

    // ---- awaiting ----

    /** Waits for the first control message matching {@code p} and returns it. */
    ControlMessage awaitControl(Predicate<ControlMessage> p) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10))
                .until(() -> controls().stream().anyMatch(p));
        return controls().stream().filter(p).findFirst().orElseThrow();
    }

    PolygonStatus awaitStatus(String status) {
        return (PolygonStatus) awaitControl(m -> m instanceof PolygonStatus s && s.status().equals(status));
    }

    PolygonStatus awaitStatusMessage(String message) {
        return (PolygonStatus) awaitControl(m -> m instanceof PolygonStatus s && s.message().equals(message));
    }

    AlpacaError awaitError(int code) {
        return (AlpacaError) awaitControl(m -> m instanceof AlpacaError e && e.code() == code);
    }

    AlpacaSuccess awaitSuccess(String msg) {
        return (AlpacaSuccess) awaitControl(m -> m instanceof AlpacaSuccess s && s.msg().equals(msg));
    }

    /** Waits for the n-th control message to arrive (counted from 1) and returns it. */
    ControlMessage awaitControlCount(int n) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> controls().size() >= n);
        return controls().get(n - 1);
    }

    /** Waits until at least {@code n} events matching {@code p} arrived. */
    void awaitEvents(long n, Predicate<MarketEvent> p) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> count(p) >= n);
    }

    void awaitEvents(long n) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> eventCount() >= n);
    }

    /** Waits until the server closed the connection. */
    void awaitClosed() {
        try {
            client.closedFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection was not closed within " + TIMEOUT, e);
        }
    }

    @Override public void close() {
        client.close();
    }
}
