package com.systemtrader.service;

import com.systemtrader.clean.QualityReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's live updates, {@code GET /api/stream} as Server-Sent Events: while a stream is open, the
 * {@code dashboard-stream} thread builds one snapshot of {@link ServiceView#dashboard} per period, serializes it once
 * and writes the same bytes to every open stream. The pipeline never waits for it: the snapshot reads counters and
 * latest values the collectors already keep. The quality reports (each a cut a pipeline thread takes between two
 * frames, which a busy pipeline may take seconds to get to) are taken every {@value #QUALITY_SECONDS} s on a thread of
 * their own, {@code dashboard-quality}, and go out with the next snapshot: a busy pipeline never slows the snapshots.
 *
 * <p>Bounds and overflow policy: at most {@value #MAX_CLIENTS} open streams (more are answered 503); a client whose
 * connection's outbound buffer is above its high-water mark (it does not read fast enough) is skipped for that
 * snapshot ({@code dashboard.stream.skipped}), and after {@value #MAX_SKIPPED} skipped in a row it is disconnected
 * ({@code dashboard.stream.disconnected}): a slow client costs at most its connection's buffer, never a wait.
 */
final class DashboardStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardStream.class);
    static final String PATH = "/api/stream";
    static final String TYPE = "text/event-stream";
    static final int MAX_CLIENTS = 64;
    static final int MAX_SKIPPED = 10;
    /** How often the quality reports are taken (and sent) while a stream is open. */
    static final int QUALITY_SECONDS = 5;

    private final ServiceView view;
    private final Duration period;
    private final Map<Channel, int[]> clients = new ConcurrentHashMap<>(); // channel -> snapshots skipped in a row
    private final Counter sent;
    private final Counter skipped;
    private final Counter disconnected;
    private final java.util.concurrent.atomic.AtomicReference<List<QualityReport>> freshQuality =
            new java.util.concurrent.atomic.AtomicReference<>();
    private ScheduledExecutorService ticker;
    private ScheduledExecutorService qualityTaker;
    /** The newest snapshot event and when it was made (System.nanoTime), sent to a stream as it opens. */
    private volatile byte[] last;
    private volatile long lastAt;

    DashboardStream(ServiceView view, Duration period, MeterRegistry metrics) {
        this.view = view;
        this.period = period;
        Gauge.builder("dashboard.stream.clients", clients, Map::size)
                .description("open dashboard event streams (GET /api/stream)").register(metrics);
        sent = Counter.builder("dashboard.stream.sent").description("snapshots written to dashboard streams")
                .register(metrics);
        skipped = Counter.builder("dashboard.stream.skipped")
                .description("snapshots not written to a dashboard stream whose client is not reading").register(metrics);
        disconnected = Counter.builder("dashboard.stream.disconnected")
                .description("dashboard streams closed after " + MAX_SKIPPED + " snapshots skipped in a row")
                .register(metrics);
    }

    synchronized DashboardStream start() {
        if (ticker != null) return this;
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("dashboard-stream").daemon(true)
                .factory());
        ticker.scheduleWithFixedDelay(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        qualityTaker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("dashboard-quality")
                .daemon(true).factory());
        qualityTaker.scheduleWithFixedDelay(this::takeQuality, 0, QUALITY_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /**
     * Answers the request on {@code ch} with an event stream and adds it to the clients; false (nothing written)
     * when {@value #MAX_CLIENTS} are open.
     */
    boolean open(Channel ch) {
        if (clients.size() >= MAX_CLIENTS) return false;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPE)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ch.write(head);
        byte[] now = last;
        boolean recent = now != null && System.nanoTime() - lastAt < 2 * period.toNanos();
        // a recent snapshot at once, so that a page fills without waiting a period; "retry" for EventSource users
        ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(recent ? now
                : "retry: 2000\n\n".getBytes(StandardCharsets.UTF_8))));
        clients.put(ch, new int[1]);
        ch.closeFuture().addListener(f -> clients.remove(ch));
        return true;
    }

    int clients() { return clients.size(); }

    /** Nothing is built while no stream is open. */
    private void tick() {
        if (clients.isEmpty()) return;
        try {
            byte[] json = HttpApi.JSON.writeValueAsBytes(view.dashboard(freshQuality.getAndSet(null)));
            byte[] event = new byte[json.length + 8];
            System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, event, 0, 6);
            System.arraycopy(json, 0, event, 6, json.length);
            event[event.length - 2] = '\n';
            event[event.length - 1] = '\n';
            last = event;
            lastAt = System.nanoTime();
            for (Map.Entry<Channel, int[]> c : clients.entrySet()) send(c.getKey(), c.getValue(), event);
        } catch (Exception e) { // never let one bad snapshot end the ticker
            LOG.warn("dashboard stream: snapshot failed: {}", e.toString());
        }
    }

    private void takeQuality() {
        if (clients.isEmpty()) return;
        try {
            freshQuality.set(view.quality());
        } catch (RuntimeException e) {
            LOG.warn("dashboard stream: quality reports failed: {}", e.toString());
        }
    }

    private void send(Channel ch, int[] skippedInARow, byte[] event) {
        if (ch.isWritable()) {
            skippedInARow[0] = 0;
            ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(event)));
            sent.increment();
        } else {
            skipped.increment();
            if (++skippedInARow[0] >= MAX_SKIPPED) {
                disconnected.increment();
                LOG.info("dashboard stream: {} did not read {} snapshots in a row: disconnected", ch.remoteAddress(),
                        MAX_SKIPPED);
                clients.remove(ch);
                ch.close();
            }
        }
    }

    /** Stops the ticker and ends every stream (the last chunk, then the connection closes). */
    @Override public synchronized void close() {
        for (ScheduledExecutorService e : java.util.Arrays.asList(ticker, qualityTaker)) {
            if (e == null) continue;
            e.shutdownNow();
            try {
                e.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        for (Channel ch : clients.keySet()) {
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
        clients.clear();
    }
}
