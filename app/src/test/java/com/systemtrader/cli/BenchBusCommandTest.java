package com.systemtrader.cli;

import static com.systemtrader.cli.CliTestSupport.args;
import static com.systemtrader.cli.CliTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.bus.KafkaTestBroker;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * {@code bench-bus} end to end, tiny, against a real broker ({@link KafkaTestBroker}): both producers run, each
 * round reports both figures, the summary both medians, and the topics are gone afterwards. It asserts no speed and
 * no ratio (the machine is shared; the goal is the benchmark's, docs/PERFORMANCE.md).
 */
class BenchBusCommandTest {
    private static final Pattern SUMMARY = Pattern.compile("bench-bus: tool records/s median=([\\d,]+) MB/s "
            + "median=([\\d.]+) \\| sink records/s median=([\\d,]+) MB/s median=([\\d.]+) \\| ratio sink/tool=");

    @Test
    void runsKafkasProducerBenchmarkAndTheSinkInAlternatingRounds() throws Exception {
        try (KafkaTestBroker broker = new KafkaTestBroker().start()) {
            CliTestSupport.Run r = run(args("bench-bus", "--bootstrap", broker.bootstrapServers(), "--records", 20_000,
                    "--rounds", 2, "--warmup-records", 2_000, "--partitions", 2, "--topic-prefix", "bbtest"));

            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.out()).contains("# value: BusEncoder trade, mean ").contains("--record-size ")
                    .contains("acks=all").contains("enable.idempotence=true")
                    .contains("max.in.flight.requests.per.connection=5").contains("warmup (untimed): tool ");
            for (String who : new String[] {"tool", "sink"}) {
                for (int round = 1; round <= 2; round++) {
                    assertThat(r.out()).as(r.all()).containsPattern("round " + round + " " + who
                            + ": 20,000 records in [\\d.]+ s: [\\d,]+ records/s [\\d.]+ MB/s");
                }
            }
            assertThat(r.out()).contains("[published=20000 lost=0 spilled=0 publish-failures=0]")
                    .contains("20000 records sent"); // the tool's own total line
            assertThat(r.out().indexOf("round 2 sink:")).as("round 2 starts with the sink")
                    .isLessThan(r.out().indexOf("round 2 tool:"));
            Matcher m = SUMMARY.matcher(r.out());
            assertThat(m.find()).as(r.out()).isTrue();
            for (int g = 1; g <= 4; g++) {
                assertThat(Double.parseDouble(m.group(g).replace(",", ""))).as("figure %d", g).isPositive();
            }
            try (Admin admin = broker.admin()) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                        assertThat(admin.listTopics().names().get()).as("deleted after their runs")
                                .noneMatch(t -> t.startsWith("bbtest")));
            }
        }
    }

    @Test
    void badOptionsNameTheFlag() {
        assertThat(run("bench-bus").err()).contains("--bootstrap");
        assertThat(run("bench-bus", "--bootstrap", "127.0.0.1:1", "--tool-partitioner", "round-robin").err())
                .contains("--tool-partitioner");
        assertThat(run("bench-bus", "--bootstrap", "127.0.0.1:1", "--producer-property", "acks=1").err())
                .contains("acks");
        assertThat(run("bench-bus", "--bootstrap", "127.0.0.1:1", "--rounds", "0").exitCode()).isEqualTo(2);
    }
}
