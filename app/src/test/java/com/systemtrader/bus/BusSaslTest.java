package com.systemtrader.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.systemtrader.config.BusSettings;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.LogCapture;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import com.systemtrader.sink.EventBatch;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * The bus on a broker listener that requires authentication (SASL/PLAIN), configured as a deployment on a managed
 * Kafka is: the non-secret settings in {@code bus.client_properties}, the JAAS line with the password in
 * {@code SYSTEM_TRADER_BUS_SASL_JAAS_CONFIG}. The sink publishes, the consumer reads and {@code bus status}'s admin
 * client answers over that listener; with a wrong password the sink keeps everything in its journal; the password
 * is in no log line either way.
 */
class BusSaslTest {
    private static final String USER = "collector";
    private static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime()) + "-never-logged";
    private static final long T0 = 1_733_500_000_000_000_000L;
    private static KafkaTestBroker broker;

    @TempDir Path dir;

    @BeforeAll static void startBroker() throws Exception {
        broker = new KafkaTestBroker().withSaslPlain(USER, PASSWORD).start();
    }

    @AfterAll static void stopBroker() throws Exception {
        if (broker != null) broker.close();
    }

    private static Map<String, String> env(String password) {
        return Map.of(BusSettings.secretEnv("sasl.jaas.config"), "org.apache.kafka.common.security.plain."
                + "PlainLoginModule required username=\"" + USER + "\" password=\"" + password + "\";");
    }

    /** The {@code bus} section of a collector_config.yaml for the authenticated listener, read as the service does. */
    private BusConfig config(String prefix, String group, Map<String, String> env, Duration deliveryTimeout)
            throws Exception {
        Path file = Files.writeString(dir.resolve("collector_config.yaml"), """
                bus:
                  bootstrap_servers: %s
                  trades_topic: %2$s.trades
                  quotes_topic: %2$s.quotes
                  bars_topic: %2$s.bars
                  client_properties:
                    security.protocol: SASL_PLAINTEXT
                    sasl.mechanism: PLAIN
                """.formatted(broker.saslBootstrapServers(), prefix));
        CollectorConfig c = ConfigLoader.load(file, Map.of());
        BusConfig bus = BusConfig.of(c.bus(), group, env).withDeliveryTimeout(deliveryTimeout)
                .withRetry(Duration.ofMillis(100), Duration.ofMillis(500));
        assertThat(bus.problems()).as("Kafka's clients take the settings").isEmpty();
        broker.createTopics(2, bus.topics().toArray(String[]::new)); // over the plain listener
        return bus;
    }

    private static List<MarketEvent> trades(int n) {
        List<MarketEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Trade(DataSource.POLYGON, i % 2 == 0 ? "AAPL" : "MSFT", T0 + i, T0 + i + 1, 100 + i / 100.0, 10,
                    4, "id" + i, 'C', i, Integer.MIN_VALUE, Long.MIN_VALUE, Conditions.NONE));
        }
        return out;
    }

    @Test void withTheSecretFromTheEnvironmentEveryClientAuthenticates() throws Exception {
        BusConfig c = config("sasl", "sasl-store", env(PASSWORD), Duration.ofSeconds(30));
        assertThat(c.toString()).as("the config's text names its properties only").contains("sasl.jaas.config")
                .doesNotContain(PASSWORD);
        List<MarketEvent> sent = trades(200);
        ConcurrentLinkedQueue<MarketEvent> received = new ConcurrentLinkedQueue<>();
        try (LogCapture logs = new LogCapture(Logger.ROOT_LOGGER_NAME, Level.INFO); AutoCloseable quieted = kafkaAtInfo()) {
            try (SpillJournal j = SpillJournal.open(dir.resolve("journal"), JournalConfig.defaults());
                 BusSink sink = new BusSink(c, j, null).start()) {
                sink.accept(new EventBatch(sent, new int[sent.size()]));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(sink::idle);
                assertThat(sink.eventsPublished()).isEqualTo(sent.size());
            }
            try (BusConsumer consumer = new BusConsumer(c, collecting(received), null).start()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> received.size() >= sent.size() && consumer.uncommittedEvents() == 0);
            }
            BusStatus status = BusStatus.read(c, List.of("sasl-store"), Duration.ofSeconds(30));
            assertThat(status.lag("sasl-store")).as("every offset committed, read over the SASL listener").isZero();
            assertThat(logs.lines()).noneMatch(l -> l.contains(PASSWORD));
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test void aWrongPasswordKeepsEverythingInTheJournalAndLogsNoPassword() throws Exception {
        String wrong = "wrong-" + PASSWORD;
        BusConfig c = config("denied", "denied-store", env(wrong), Duration.ofSeconds(2));
        try (LogCapture logs = new LogCapture(Logger.ROOT_LOGGER_NAME, Level.INFO); AutoCloseable quieted = kafkaAtInfo();
             SpillJournal j = SpillJournal.open(dir.resolve("journal"), JournalConfig.defaults());
             BusSink sink = new BusSink(c, j, null).start()) {
            sink.accept(new EventBatch(trades(50), new int[50]));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> sink.brokerDown() && sink.eventsSpilled() == 50);
            sink.close(Duration.ofSeconds(5));
            assertThat(sink.eventsPublished()).isZero();
            assertThat(sink.dropped()).as("nothing lost: kept for when the credentials are fixed").isZero();
            assertThat(j.batchesPending()).isPositive();
            // a consumer the broker refuses keeps trying (a rotation on the broker's side needs no restart) and says so
            try (BusConsumer consumer = new BusConsumer(c, collecting(new ConcurrentLinkedQueue<>()), null).start()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> consumer.refused() != null);
                assertThat(consumer.refused()).containsIgnoringCase("authentication");
                assertThat(consumer.running()).isTrue();
            }
            assertThat(logs.lines()).as("the failure is logged").anyMatch(l -> l.toLowerCase().contains("authentication"))
                    .noneMatch(l -> l.contains(wrong) || l.contains(PASSWORD));
        }
    }

    /**
     * The Kafka loggers the test configuration quiets (logback-test.xml: ERROR) at INFO while open, so that what they
     * say reaches the root capture too.
     */
    private static AutoCloseable kafkaAtInfo() {
        LogCapture network = new LogCapture("org.apache.kafka.clients.NetworkClient", Level.INFO);
        LogCapture sender = new LogCapture("org.apache.kafka.clients.producer.internals.Sender", Level.INFO);
        return () -> {
            network.close();
            sender.close();
        };
    }

    /** A destination that keeps what it is given, durable at once. */
    private static BusConsumer.Destination collecting(ConcurrentLinkedQueue<MarketEvent> into) {
        return new BusConsumer.Destination() {
            @Override public BooleanSupplier add(List<MarketEvent> events, int[] flags) {
                into.addAll(events);
                return () -> true;
            }

            @Override public long eventsLost() { return 0; }

            @Override public boolean idle() { return true; }
        };
    }
}
