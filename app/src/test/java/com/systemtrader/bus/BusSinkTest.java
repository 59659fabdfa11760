package com.systemtrader.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.cache.MemoryCacheConfig;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.cache.TieredDataCache;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradingStatus;
import com.systemtrader.sink.EventBatch;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BusSink} against a real broker: what lands where, a journal left behind, a broker that is not there. */
class BusSinkTest {
    private static final long T0 = 1_733_500_000_000_000_000L;
    private static KafkaTestBroker broker;

    @TempDir Path dir;

    @BeforeAll static void startBroker() throws Exception {
        broker = new KafkaTestBroker().start();
    }

    @AfterAll static void stopBroker() throws Exception {
        if (broker != null) broker.close();
    }

    private static BusConfig config(String prefix) throws Exception {
        BusConfig c = BusConfig.defaults(broker.bootstrapServers()).withTopics(prefix + ".trades", prefix + ".quotes",
                prefix + ".bars");
        broker.createTopics(2, c.topics().toArray(String[]::new));
        return c;
    }

    private static Trade trade(String symbol, long seq) {
        return new Trade(DataSource.POLYGON, symbol, T0 + seq, T0 + seq + 1, 100 + seq / 100.0, 10, 4, "id" + seq,
                'C', seq, Integer.MIN_VALUE, Long.MIN_VALUE, Conditions.NONE);
    }

    private static Quote quote(String symbol, long seq) {
        return new Quote(DataSource.POLYGON, symbol, T0 + seq, T0 + seq, 11, 99.5, 1, 12, 100.5, 2, Conditions.NONE,
                Conditions.NONE, 'C', seq);
    }

    @Test void eventsGoToTheirTypesTopicKeyedBySymbolWithTheirVerdicts() throws Exception {
        BusConfig c = config("landing");
        List<MarketEvent> events = new ArrayList<>();
        int[] flags = new int[7];
        for (int i = 0; i < 3; i++) {
            events.add(trade(i % 2 == 0 ? "AAPL" : "MSFT", i));
            flags[events.size() - 1] = 0x100 + i;
            events.add(quote("AAPL", i));
            flags[events.size() - 1] = i;
        }
        events.add(new TradingStatus(DataSource.POLYGON, "AAPL", T0, T0, "H", null, null, null, 'C'));
        flags[6] = 0x4000;
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             BusSink sink = new BusSink(c, j, new SimpleMeterRegistry()).start()) {
            sink.accept(new EventBatch(events, flags));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(sink::idle);
            assertThat(sink.eventsPublished()).isEqualTo(7);
        }
        List<ConsumerRecord<byte[], byte[]>> read = readAll(c, 7);
        Map<String, List<MarketEvent>> byTopic = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : read) {
            BusDecoder.Decoded d = BusDecoder.decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(d.event().symbol());
            int at = events.indexOf(d.event());
            assertThat(at).as("a sent event").isNotNegative();
            assertThat(d.flags()).isEqualTo(flags[at]);
            byTopic.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(d.event());
        }
        assertThat(byTopic.get(c.tradesTopic())).as("trades, and the status behind AAPL's trades").hasSize(4)
                .filteredOn(e -> e.symbol().equals("AAPL"))
                .isEqualTo(List.of(events.get(0), events.get(4), events.get(6)));
        assertThat(byTopic.get(c.quotesTopic())).hasSize(3).allMatch(e -> e instanceof Quote)
                .isEqualTo(events.stream().filter(e -> e instanceof Quote).toList()); // one symbol: in order
    }

    /**
     * Trading statuses, LULD bands and imbalances travel with the symbol's trades (schema version 2) and reach the
     * {@code cache} role's memory and Redis, as the single process puts them there.
     */
    @Test void statusesBandsAndImbalancesReachTheCacheRoleAndRedis() throws Exception {
        BusConfig c = config("cache").withGroupId("cache-test");
        List<MarketEvent> events = List.of(trade("NVDA", 1),
                new TradingStatus(DataSource.POLYGON, "NVDA", T0 + 2, T0 + 3, "H", "Trading Halt", "LUDP",
                        "Volatility Trading Pause", 'C'),
                new LuldBand(DataSource.POLYGON, "NVDA", T0 + 4, T0 + 5, 141.2, 127.8, Conditions.of(17), 'C', 5),
                new Imbalance(DataSource.POLYGON, "NVDA", T0 + 6, T0 + 7, 134.5, 9_000, 250_000, 1600, 'C', 10, 'C'),
                trade("NVDA", 8));
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             BusSink sink = new BusSink(c, j, null).start()) {
            sink.accept(new EventBatch(events, new int[events.size()]));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(sink::idle);
        }
        List<ConsumerRecord<byte[], byte[]>> read = readAll(c, events.size());
        assertThat(read).allMatch(r -> r.topic().equals(c.tradesTopic()));
        assertThat(read.stream().map(r -> BusDecoder.decode(r.value()).event()).toList()).as("one partition, in order")
                .isEqualTo(events);
        assertThat(read.stream().map(r -> (int) r.value()[0]).toList()).containsExactly(1, 2, 2, 2, 1);
        try (RedisTestServer redis = RedisTestServer.start()) {
            try (TieredDataCache cache = TieredDataCache.create(MemoryCacheConfig.defaults(), redis.config());
                 BusConsumer consumer = new BusConsumer(c, BusConsumer.cache(cache, cache.redis().writer()), null)
                         .start()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> consumer.eventsConsumed() == events.size() && consumer.uncommittedEvents() == 0);
            }
            try (TieredDataCache fresh = TieredDataCache.create(MemoryCacheConfig.defaults(), redis.config())) {
                for (MarketEvent e : events.subList(1, 4)) {
                    assertThat(fresh.latest(SeriesKey.of(e))).as("Redis's latest %s", e.type()).get()
                            .usingRecursiveComparison().ignoringFields("receiveTimeNs").isEqualTo(e); // not kept
                }
            }
        }
    }

    @Test void aJournalLeftBehindIsPublishedBeforeNewEvents() throws Exception {
        BusConfig c = config("leftover");
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults())) {
            j.append(List.of(quote("SPY", 1), quote("SPY", 2)), new int[] {7, 8});
        }
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             BusSink sink = new BusSink(c, j, null).start()) {
            sink.accept(new EventBatch(List.of(quote("SPY", 3)), new int[] {9}));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(sink::idle);
            assertThat(sink.eventsReplayed()).as("the journal, and what was spilled behind it").isGreaterThanOrEqualTo(2);
        }
        List<Long> sequences = readAll(c, 3).stream().map(r -> ((Quote) BusDecoder.decode(r.value()).event())
                .sequence()).toList();
        assertThat(sequences).containsExactly(1L, 2L, 3L);
    }

    @Test void withNoBrokerTheSinkNeverWaitsAndSpillsEverything() throws Exception {
        BusConfig c = BusConfig.defaults("127.0.0.1:1").withDeliveryTimeout(Duration.ofSeconds(1))
                .withRetry(Duration.ofMillis(100), Duration.ofMillis(200));
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults())) {
            BusSink sink = new BusSink(c, j, null).start();
            for (int i = 0; i < 1_000; i++) sink.accept(new EventBatch(List.of(trade("AAPL", i)), new int[] {0}));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> sink.brokerDown() && sink.eventsSpilled() == 1_000);
            sink.close(Duration.ofSeconds(5));
            assertThat(sink.dropped()).isZero();
            assertThat(sink.eventsPublished()).isZero();
            assertThat(j.batchesPending()).as("kept for the next start").isPositive();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(BusConfig c, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(c.topics());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
            });
        }
        assertThat(out).hasSize(expected);
        return out;
    }
}
