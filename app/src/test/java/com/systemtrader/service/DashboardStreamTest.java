package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.clean.QualityReport;
import com.systemtrader.collector.Gap;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The event stream's overflow policy over real sockets: a client that stops reading is skipped once its connection's
 * buffers are full, then disconnected, while a client that reads goes on receiving every snapshot; the ticker never
 * waits for either. Snapshots of 64 KB every 50 ms (1.3 MB/s) fill the slow client's buffers in seconds.
 */
class DashboardStreamTest {
    /** A service view whose dashboard snapshot is one large field. */
    private static final class BigSnapshots implements ServiceView {
        private static final String BLOB = "x".repeat(64 * 1024);

        @Override public Readiness readiness() { return new Readiness(true, List.of()); }
        @Override public Map<String, String> collectors() { return Map.of(); }
        @Override public List<QualityReport> quality() { return List.of(); }
        @Override public List<Gap> gaps() { return List.of(); }
        @Override public boolean knows(String symbol) { return false; }
        @Override public Optional<MarketEvent> latest(String symbol, RecordType type, DataSource source) {
            return Optional.empty();
        }
        @Override public Map<String, Object> dashboard(List<QualityReport> quality) { return Map.of("blob", BLOB); }
    }

    @Test void aClientThatDoesNotReadIsSkippedThenDisconnectedWhileAReaderGoesOn() throws Exception {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (HttpApi api = HttpApi.start(HttpApiConfig.loopback(0), metrics, new BigSnapshots(), null,
                Duration.ofMillis(50));
             Socket slow = new Socket();
             Socket reader = new Socket()) {
            slow.setReceiveBufferSize(4096); // before connecting: the window it offers stays small
            slow.connect(new InetSocketAddress("127.0.0.1", api.port()));
            reader.connect(new InetSocketAddress("127.0.0.1", api.port()));
            for (Socket s : List.of(slow, reader)) {
                s.getOutputStream().write("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            }
            AtomicLong read = new AtomicLong();
            Thread drain = Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = reader.getInputStream()) {
                    for (int n; (n = in.read(buf)) > 0; ) read.addAndGet(n);
                } catch (java.io.IOException closed) {
                    // the test's end
                }
            });
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> metrics.counter("dashboard.stream.disconnected").count() >= 1);
            assertThat(metrics.counter("dashboard.stream.skipped").count())
                    .isGreaterThanOrEqualTo(DashboardStream.MAX_SKIPPED);
            // the reader is still served: one open stream, and more snapshots arrive
            assertThat(metrics.get("dashboard.stream.clients").gauge().value()).isEqualTo(1);
            long before = read.get();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> read.get() > before + 4 * 64 * 1024);
            drain.interrupt();
        }
    }
}
