package example;

import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.cache.RangeQuery;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.clean.QualityReport;
import com.systemtrader.collector.CollectorSnapshot;
import com.systemtrader.collector.Gap;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.data.BarOrigin;
import com.systemtrader.data.LatestPrice;
import com.systemtrader.data.LatestQuote;
import com.systemtrader.data.MultiPrices;
import com.systemtrader.data.OhlcvInterval;
import com.systemtrader.data.OhlcvSeries;
import com.systemtrader.data.ProviderSetup;
import com.systemtrader.data.RealtimeDataProvider;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.ConnectionStatus;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.dflib.DataFrame;

/**
 * The README's two Java examples ("Using a collector from Java", "Asking for data from Java"), verbatim between the
 * {@code README} markers ({@code ReadmeSampleTest} compares them), in a project that depends on
 * {@code system-trader-core} and {@code system-trader-polygon} only. {@code run.sh} runs it against the simulator.
 */
public final class ReadmeExamples {
    /** What the README calls {@code strategy}: counts what it is given. */
    static final class Strategy {
        final AtomicLong events = new AtomicLong();

        void onEvent(MarketEvent event) {
            events.incrementAndGet();
        }
    }

    public static void main(String[] args) throws Exception {
        Strategy strategy = new Strategy();
        MemoryDataCache cache = collector(strategy);
        System.out.println("collector: " + strategy.events.get() + " events");
        provider(cache);
        System.out.println("sample: done");
    }

    static MemoryDataCache collector(Strategy strategy) throws Exception {
        // README begin: Using a collector from Java
        CollectorConfig config = ConfigLoader.load(Path.of("config/collector_config.yaml"), System.getenv());
        APIKeyManager keys = APIKeyManager.fromEnvironment();          // env, then config/api_credentials.yaml
        MemoryDataCache cache = new MemoryDataCache();                 // optional: recent data per series, bounded
        try (var collector = new PolygonWebsocketCollector(config.polygon(), keys, config.data(), null)) {
            collector.addListener(event -> strategy.onEvent(event));   // called on the collector's pipeline thread
            collector.attachCache(cache);                              // before start()
            collector.addSymbol("AAPL");
            collector.start();
            collector.awaitState(ConnectionStatus.State.STREAMING, Duration.ofSeconds(10));  // connected and subscribed
            Optional<MarketEvent> last = collector.getLatestData("AAPL", RecordType.TRADE);
            List<MarketEvent> recent = cache.range(RangeQuery.all(SeriesKey.of(DataSource.POLYGON, "AAPL", RecordType.TRADE),
                    100, true));                                       // the newest 100 trades, any thread
            CollectorSnapshot stats = collector.stats();               // rates, latency, reconnects, gaps, ring depth
            QualityReport quality = collector.qualityReport();         // what the cleaner did with every message
            List<Gap> outages = collector.gapLedger().gaps();          // what to backfill
        }
        // README end
        System.out.println("collector: streamed as " + config.polygon().streamUri());
        return cache;
    }

    static void provider(MemoryDataCache cache) throws Exception {
        // README begin: Asking for data from Java
        CollectorConfig config = ConfigLoader.load(Path.of("config/collector_config.yaml"), System.getenv());
        APIKeyManager keys = APIKeyManager.fromEnvironment();
        try (RealtimeDataProvider data = ProviderSetup.builder(config, keys, System.getenv(), cache /* or null */,
                ProviderSetup.Tiers.ALL, null).maxAge(Duration.ofSeconds(30)).build()) {
            LatestPrice p = data.getLatestPrice("AAPL", null, data.maxAge());  // any source, Polygon first
            System.out.println(p.price() + " from " + p.provenance().tier() + "/" + p.provenance().source()
                    + ", " + p.provenance().staleness().toMillis() + " ms old");
            LatestQuote q = data.getLatestQuote("AAPL", DataSource.POLYGON, Duration.ofSeconds(5));
            OhlcvSeries bars = data.getOhlcv("AAPL", 100, OhlcvInterval.parse("1m"), null, BarOrigin.PROVIDER,
                    data.maxAge());                                             // the vendor's bars; BUILT (default): ours
            DataFrame df = bars.toDataFrame();                                 // DFLib: time, open, high, low, close, volume...
            MultiPrices many = data.getMultiSymbolPrices(List.of("AAPL", "MSFT", "GOOGL"));   // one batch per tier
        }
        // README end
    }
}
