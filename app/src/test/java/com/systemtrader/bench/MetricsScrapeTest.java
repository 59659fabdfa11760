package com.systemtrader.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The lenient /metrics reader of bench-service: sums and histogram quantiles as Prometheus computes them. */
class MetricsScrapeTest {
    private static final String TEXT = """
            # HELP storage_writer_commit_lag_seconds event receive to commit
            # TYPE storage_writer_commit_lag_seconds histogram
            storage_writer_commit_lag_seconds_bucket{le="0.1",shard="0"} 40.0
            storage_writer_commit_lag_seconds_bucket{le="0.5",shard="0"} 90.0
            storage_writer_commit_lag_seconds_bucket{le="1.0",shard="0"} 99.0
            storage_writer_commit_lag_seconds_bucket{le="+Inf",shard="0"} 100.0
            storage_writer_commit_lag_seconds_bucket{le="0.1",shard="1"} 40.0
            storage_writer_commit_lag_seconds_bucket{le="0.5",shard="1"} 90.0
            storage_writer_commit_lag_seconds_bucket{le="1.0",shard="1"} 99.0
            storage_writer_commit_lag_seconds_bucket{le="+Inf",shard="1"} 100.0
            storage_writer_commit_lag_seconds_count{shard="0"} 100.0
            storage_writer_commit_lag_seconds_count{shard="1"} 100.0
            collector_messages_total{feed="stocks",source="polygon",type="QUOTE"} 10.0
            collector_messages_total{feed="v2/sip",source="alpaca",type="QUOTE"} 5.0
            cleaner_messages_total{feed="stocks",outcome="accepted",source="polygon"} 7.0
            cleaner_messages_total{feed="v2/sip",outcome="accepted",source="alpaca"} 3.0
            storage_journal_batches_pending{dir="/tmp/a b,c=\\"d\\""} 2.0
            """;

    @Test void sumsAcrossLabels() {
        MetricsScrape m = MetricsScrape.parse(TEXT);
        assertThat(m.sum("collector_messages_total")).isEqualTo(15.0);
        assertThat(m.sum("collector_messages_total", "source", "alpaca")).isEqualTo(5.0);
        assertThat(m.sumBy("cleaner_messages_total", "outcome")).containsEntry("accepted", 10.0);
        assertThat(m.sum("storage_journal_batches_pending")).isEqualTo(2.0);
        assertThat(m.samples()).anySatisfy(s -> assertThat(s.labels()).containsEntry("dir", "/tmp/a b,c=\"d\""));
        assertThat(m.sum("absent_metric")).isZero();
    }

    @Test void histogramQuantilesInterpolateInsideTheBucket() {
        MetricsScrape m = MetricsScrape.parse(TEXT);
        assertThat(m.histogramQuantile("storage_writer_commit_lag_seconds", 0.5).getAsDouble())
                .isCloseTo(0.1 + 0.4 * (100 - 80) / (180 - 80.0), within(1e-9));
        assertThat(m.histogramQuantile("storage_writer_commit_lag_seconds", 0.99).getAsDouble())
                .isCloseTo(1.0, within(1e-9));
        assertThat(m.histogramQuantile("storage_writer_commit_lag_seconds", 0.999).getAsDouble())
                .as("in the +Inf bucket: the highest finite bound").isEqualTo(1.0);
        assertThat(m.histogramCount("storage_writer_commit_lag_seconds")).isEqualTo(200.0);
        assertThat(m.histogramQuantile("missing_metric", 0.5)).isEmpty();
    }
}
