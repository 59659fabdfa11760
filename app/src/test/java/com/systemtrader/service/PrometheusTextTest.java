package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser itself: it accepts the format and rejects what a Prometheus server would not scrape. */
class PrometheusTextTest {
    @Test void parsesFamiliesLabelsEscapesAndSpecialValues() {
        Map<String, PrometheusText.Family> f = PrometheusText.parse("""
                # HELP requests_total Requests\\nserved
                # TYPE requests_total counter
                requests_total{path="/a\\"b\\\\c",code="200"} 3.0 1700000000000
                requests_total{path="/x",code="500",} 1e3
                # TYPE temp gauge
                temp NaN
                temp{room="hall"} -Inf
                # TYPE lat histogram
                lat_bucket{le="0.1"} 1
                lat_bucket{le="+Inf"} 2
                lat_sum 0.3
                lat_count 2
                # TYPE d summary
                d{quantile="0.5"} 1
                d_sum 2
                d_count 3
                """);
        assertThat(f).containsOnlyKeys("requests_total", "temp", "lat", "d");
        assertThat(f.get("requests_total").help()).isEqualTo("Requests\nserved");
        assertThat(f.get("requests_total").samples().get(0).labels()).containsEntry("path", "/a\"b\\c");
        assertThat(f.get("requests_total").samples().get(1).value()).isEqualTo(1000);
        assertThat(f.get("temp").samples().get(0).value()).isNaN();
        assertThat(f.get("lat").samples()).hasSize(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1metric 1\n",                                   // bad name
            "m{a=\"1\"} x\n",                                // bad value
            "m{a=1} 1\n",                                    // unquoted label value
            "m{a=\"1\" 1\n",                                 // unterminated label set
            "m{a=\"\\t\"} 1\n",                              // bad escape
            "m 1\nm 2\n",                                     // duplicate series
            "m 1\nn 1\nm{a=\"b\"} 1\n",                      // family not contiguous
            "m 1\n# TYPE m counter\n",                       // TYPE after samples
            "# TYPE m counter\n# TYPE m counter\nm 1\n",     // TYPE twice
            "# TYPE m frequency\nm 1\n",                      // unknown type
            "# TYPE m counter\nm -1\n",                       // negative counter
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n",    // no +Inf bucket
            "m 1",                                            // no final newline
            "m{a=\"1\",a=\"2\"} 1\n",                        // label twice
    })
    void rejectsWhatPrometheusWouldNotScrape(String text) {
        assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
