package com.systemtrader.prom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;

/**
 * Piece 6: does the only Java text-format parser found on Maven Central (Hawkular's prometheus-scraper, 2016) read
 * what the service exposes (Micrometer's Prometheus registry: counters, gauges, histograms with labels and escaped
 * label values), and does it reject malformed text as the tests' PrometheusText must?
 */
public final class PromParse {
    public static void main(String[] a) throws Exception {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("collector.frames").tag("source", "polygon").tag("why", "a \"quoted\\path\"\nnext").register(r).increment(7);
        AtomicLong depth = r.gauge("collector.ring.depth", java.util.List.of(io.micrometer.core.instrument.Tag.of("source", "alpaca")), new AtomicLong(42));
        Timer t = Timer.builder("storage.batch").tag("table", "trades").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(1)).register(r);
        for (int i = 1; i <= 100; i++) t.record(Duration.ofMillis(i));
        String text = r.scrape();
        System.out.println("exposition: " + text.lines().count() + " lines, e.g.:");
        text.lines().filter(l -> l.startsWith("collector_frames") || l.startsWith("# TYPE")).forEach(l -> System.out.println("  " + l));
        parse("micrometer output", text, true);
        parse("malformed: duplicate series", "# TYPE x counter\nx_total{a=\"1\"} 1\nx_total{a=\"1\"} 2\n", false);
        parse("malformed: histogram without +Inf bucket", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", false);
        parse("malformed: bad value", "# TYPE g gauge\ng 1,5\n", false);
        parse("malformed: unterminated label", "# TYPE g gauge\ng{a=\"x} 1\n", false);
        if (depth.get() < 0) throw new AssertionError();
    }

    static void parse(String what, String text, boolean detail) {
        try {
            TextPrometheusMetricDataParser p = new TextPrometheusMetricDataParser(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            int families = 0;
            StringBuilder b = new StringBuilder();
            MetricFamily f;
            while ((f = p.parse()) != null) {
                families++;
                for (Metric m : f.getMetrics()) {
                    if (detail && (m instanceof Histogram h)) {
                        b.append("\n    histogram ").append(f.getName()).append(m.getLabels()).append(" count=")
                                .append(h.getSampleCount()).append(" sum=").append(h.getSampleSum())
                                .append(" buckets=").append(h.getBuckets().size());
                    } else if (detail && f.getName().startsWith("collector_frames")) {
                        b.append("\n    ").append(f.getType()).append(' ').append(f.getName()).append(' ').append(m.getLabels());
                    }
                }
            }
            System.out.println("Hawkular parsed [" + what + "]: " + families + " families, no error" + b);
        } catch (Exception e) {
            System.out.println("Hawkular rejected [" + what + "]: " + e);
        }
    }
}
