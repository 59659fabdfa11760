package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.bus.BusConfig;
import com.systemtrader.bus.BusConsumer;
import com.systemtrader.bus.BusSink;
import com.systemtrader.bus.KafkaTestBroker;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.Database;
import com.systemtrader.storage.StorageConfig;
import com.systemtrader.storage.StorageWriter;
import com.systemtrader.storage.StorageWriterConfig;
import com.systemtrader.storage.TestDatabase;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out path in one JVM against a real broker: simulator -> Polygon collector -> {@link BusSink} -> Kafka
 * (KRaft, {@link KafkaTestBroker}) -> {@link BusConsumer} (a consumer group) -> {@link StorageWriter} ->
 * {@code websocket_data}. Afterwards the table holds exactly the trades and quotes the simulator wrote to the
 * socket, each once, and the group's committed offsets are the topics' ends (everything consumed was committed
 * after its database commit).
 */
class BusGroundTruthTest {
    @TempDir Path dir;

    @Test void ticksThroughKafkaAreStoredExactlyAsTheSimulatorSentThem() throws Exception {
        run(false);
    }

    /**
     * The broker is stopped for {@value #OUTAGE_SECONDS} s mid-stream and restarted on its data: the sink spills to
     * its journal meanwhile and replays it in order afterwards; nothing is lost or doubled in the database.
     */
    @Test void aBrokerOutageMidStreamLosesAndDoublesNothing() throws Exception {
        run(true);
    }

    private static final int OUTAGE_SECONDS = 20;

    private void run(boolean outage) throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        List<String> symbols = List.of("AAPL", "MSFT", "TSLA");
        try (KafkaTestBroker broker = new KafkaTestBroker(dir.resolve("kafka")).start();
             TestDatabase db = TestDatabase.migrated()) {
            BusConfig bus = BusConfig.defaults(broker.bootstrapServers())
                    .withTopics("test.trades", "test.quotes", "test.bars").withGroupId("store-test");
            broker.createTopics(3, bus.topics().toArray(String[]::new));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Database database = new Database(StorageConfig.defaults().withUrl(db.url).withUser("postgres"), null);
            long published;
            try (SpillJournal sinkJournal = SpillJournal.open(dir.resolve("bus-journal"), JournalConfig.defaults());
                 SpillJournal storeJournal = SpillJournal.open(dir.resolve("store-journal"), JournalConfig.defaults());
                 StorageWriter writer = new StorageWriter(database::connect, storeJournal,
                         StorageWriterConfig.defaults().withBatchRows(500), registry);
                 BusConsumer consumer = new BusConsumer(bus, writer, registry);
                 BusSink sink = new BusSink(bus, sinkJournal, registry);
                 ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                         MarketConfig.defaults(11, symbols).withBarIntervalMs(1_000).withHalts(0)).rate(2_000)
                         .truthFile(truth).build());
                 PolygonWebsocketCollector collector = new PolygonWebsocketCollector(feed(sim),
                         ServiceTestSupport.simulatorKeys(dir))) {
                collector.addSink(sink);
                collector.addSymbol("*");
                writer.start();
                consumer.start();
                sink.start();
                collector.start();
                assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(30))).isTrue();
                // 3,000 rows went the whole way (about 1.5 s of the stream), then the market stops
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                        .until(() -> rows(db) >= 3_000);
                if (outage) {
                    broker.stop();
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                            .until(() -> sink.brokerDown() && sinkJournal.batchesPending() > 0);
                    Thread.sleep(OUTAGE_SECONDS * 1_000L); // the scenario's duration (the broker stays down), not a wait
                    assertThat(sinkJournal.batchesPending()).as("batches spilled during the outage").isPositive();
                    broker.start();
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                            .until(() -> sink.eventsReplayed() > 0);
                }
                sim.faults().stall(Duration.ofMinutes(5));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> collector.qualityReport().received() == ServiceTestSupport.truthLines(sim, truth));
                collector.stop(); // nothing more reaches the sink (the bar builder's timer would publish more bars)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(sink::idle);
                published = sink.eventsPublished();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                        .until(() -> consumer.eventsConsumed() >= published && writer.idle()
                                && consumer.uncommittedEvents() == 0);
                assertThat(sink.dropped()).as("events the bus sink lost").isZero();
                if (outage) {
                    assertThat(sink.eventsSpilled()).as("spilled during the outage").isPositive();
                    assertThat(sink.eventsReplayed()).as("all replayed").isEqualTo(sink.eventsSpilled());
                } else {
                    assertThat(sink.eventsSpilled()).as("the broker was there throughout").isZero();
                }
                assertThat(consumer.undecodable()).isZero();
                assertThat(writer.eventsLost()).isZero();
                assertThat(consumer.offsetCommits()).isPositive();
            }
            try (Connection c = db.connect()) {
                StoredTicks.Truth expected = StoredTicks.assertStoredExactly(truth, c);
                assertThat(expected.trades()).hasSizeGreaterThan(500);
                assertThat(expected.quotes()).hasSizeGreaterThan(500);
            }
            assertCommittedAtTheEnd(broker, bus, outage ? -1 : published);
        }
    }

    /** The group's committed offsets are the end of every partition, and the topics hold what was published. */
    private static void assertCommittedAtTheEnd(KafkaTestBroker broker, BusConfig bus, long published)
            throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(bus.groupId())
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String t : bus.topics()) for (int p = 0; p < 3; p++) latest.put(new TopicPartition(t, p), OffsetSpec.latest());
            long total = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                total += e.getValue().offset();
                if (e.getValue().offset() > 0) {
                    assertThat(committed.get(e.getKey())).as("committed offset of %s", e.getKey()).isNotNull();
                    assertThat(committed.get(e.getKey()).offset()).as("committed offset of %s", e.getKey())
                            .isEqualTo(e.getValue().offset());
                }
            }
            // after an outage a step that failed part way was published again on replay: at least once there
            if (published >= 0) assertThat(total).as("records in the topics: every published event once")
                    .isEqualTo(published);
        }
    }

    private static long rows(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM websocket_data")) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    /** The Polygon feed of the simulator, trades and quotes, no staleness watchdog (the test stalls the market). */
    private static FeedConfig feed(ExchangeSimulator sim) {
        FeedConfig d = FeedConfig.polygonDefaults();
        return new FeedConfig(true, sim.uri("/stocks"), null, List.of("T", "Q"), List.of(), d.reconnectInterval(),
                d.maxReconnectInterval(), d.connectionLimitBackoff(), d.heartbeatInterval(), d.pongTimeout(),
                Duration.ZERO, false, d.healthyAfter(), d.ringCapacity(), d.maxFrameBytes(), d.compression(),
                d.wireFormat());
    }
}
