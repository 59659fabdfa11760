package com.systemtrader.cli;

import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.DataConfig;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.Provider;
import com.systemtrader.provider.alpaca.AlpacaWebsocketCollector;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The feed a {@code test-websocket} or {@code credentials check} run dials: the configured feed of one provider
 * with the command line's {@code --url}, {@code --feed} and {@code --channels} laid over it, always enabled, and
 * the collector for it. Knows each provider's channel names and the environment variables of its credentials.
 */
final class TestWebsocketFeeds {
    static final List<String> POLYGON_CHANNELS = List.of("T", "Q", "A", "AM", "LULD", "NOI");
    static final List<String> ALPACA_CHANNELS =
            List.of("trades", "quotes", "bars", "updatedBars", "dailyBars", "statuses", "lulds", "imbalances");
    static final List<String> ALPACA_FEEDS = List.of("iex", "sip", "delayed_sip", "test");
    /** Polygon channel names accepted for Alpaca too, so that {@code --channels T,Q,AM} works for both. */
    private static final Map<String, String> ALPACA_ALIASES = Map.of("T", "trades", "Q", "quotes", "AM", "bars",
            "LULD", "lulds", "NOI", "imbalances");
    private static final Pattern SYMBOL = Pattern.compile("[A-Z][A-Z0-9./]{0,19}");

    private TestWebsocketFeeds() {}

    /** {@code --provider polygon|alpaca}, case-insensitive. */
    static final class ProviderConverter implements ITypeConverter<Provider> {
        @Override public Provider convert(String value) {
            for (Provider p : Provider.values()) if (p.key().equalsIgnoreCase(value.trim())) return p;
            throw new TypeConversionException("'" + value + "' is not a provider (polygon or alpaca)");
        }
    }

    /**
     * The provider's configured feed with the overrides applied (null = keep the configured value), enabled.
     *
     * @throws ParameterException naming the flag, when an override is not valid for the provider
     */
    static FeedConfig resolve(CommandLine cl, CollectorConfig config, Provider provider, String url, String feed,
                              List<String> channels, List<String> symbols) {
        FeedConfig base = provider == Provider.POLYGON ? config.polygon() : config.alpaca();
        URI uri = base.url();
        String alpacaFeed = base.feed();
        if (url != null) {
            uri = wsUri(cl, url);
            if (provider == Provider.ALPACA) {
                String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
                String last = path.substring(path.lastIndexOf('/') + 1);
                if (ALPACA_FEEDS.contains(last)) {   // a full stream URL (.../v2/iex): split the feed off
                    uri = withPath(cl, uri, path.substring(0, path.lastIndexOf('/')));
                    if (feed != null && !feed.equals(last)) {
                        throw bad(cl, "--feed", "'" + feed + "' contradicts the feed '" + last + "' in --url");
                    }
                    alpacaFeed = last;
                }
            }
        }
        if (feed != null) {
            if (provider != Provider.ALPACA) {
                throw bad(cl, "--feed", "applies to alpaca only (Polygon's feed is part of --url, e.g. "
                        + "/delayed/stocks)");
            }
            if (!ALPACA_FEEDS.contains(feed)) throw bad(cl, "--feed", "'" + feed + "' is not one of " + ALPACA_FEEDS);
            alpacaFeed = feed;
        }
        List<String> chans = channels == null || channels.isEmpty() ? base.channels()
                : channels(cl, provider, channels);
        if (chans.isEmpty()) throw bad(cl, "--channels", "name at least one channel");
        return new FeedConfig(true, uri, provider == Provider.ALPACA ? alpacaFeed : null, chans, symbols,
                base.reconnectInterval(), base.maxReconnectInterval(), base.connectionLimitBackoff(),
                base.heartbeatInterval(), base.pongTimeout(), base.staleData(), base.staleOnlyInMarketHours(),
                base.healthyAfter(), base.ringCapacity(), base.maxFrameBytes(), base.compression(), base.wireFormat());
    }

    /** Upper-cased, de-duplicated tickers ({@code *} allowed). */
    static List<String> symbols(CommandLine cl, List<String> raw) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String s : raw) {
            String t = s.trim().toUpperCase(Locale.ROOT);
            if (t.isEmpty()) continue;
            if (!t.equals("*") && !SYMBOL.matcher(t).matches()) {
                throw bad(cl, "--symbols", "'" + s + "' is not a ticker");
            }
            out.add(t);
        }
        if (out.isEmpty()) throw bad(cl, "--symbols", "name at least one ticker");
        return List.copyOf(out);
    }

    static WebsocketCollector collector(Provider provider, FeedConfig feed, DataConfig data, APIKeyManager keys) {
        return provider == Provider.POLYGON ? new PolygonWebsocketCollector(feed, keys, data, null)
                : new AlpacaWebsocketCollector(feed, keys, data, null);
    }

    /** What to do when {@code provider} has no credentials: the variables to set, or the file entries. */
    static String missingCredentials(Provider provider, Path file) {
        return provider == Provider.POLYGON
                ? "no polygon credentials: set POLYGON_API_KEY (or MASSIVE_API_KEY), or polygon.api_key in " + file
                : "no alpaca credentials: set APCA_API_KEY_ID and APCA_API_SECRET_KEY, or alpaca.key_id and "
                        + "alpaca.secret_key in " + file;
    }

    private static List<String> channels(CommandLine cl, Provider provider, List<String> raw) {
        List<String> allowed = provider == Provider.POLYGON ? POLYGON_CHANNELS : ALPACA_CHANNELS;
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String r : raw) {
            String c = r.trim();
            if (c.isEmpty()) continue;
            String name = null;
            for (String a : allowed) if (a.equalsIgnoreCase(c)) name = a;
            if (name == null && provider == Provider.ALPACA) name = ALPACA_ALIASES.get(c.toUpperCase(Locale.ROOT));
            if (name == null) {
                throw bad(cl, "--channels", "'" + c + "' is not a " + provider.key() + " channel (" + String.join(",",
                        allowed) + ")");
            }
            out.add(name);
        }
        return new ArrayList<>(out);
    }

    private static URI wsUri(CommandLine cl, String url) {
        try {
            URI u = new URI(url.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || u.getHost() == null) {
                throw bad(cl, "--url", "'" + url + "' is not a ws:// or wss:// URL");
            }
            if (u.getRawQuery() != null || u.getUserInfo() != null) {
                throw bad(cl, "--url", "must not carry a query or user info (credentials come from the credentials "
                        + "file or the environment)");
            }
            return u;
        } catch (URISyntaxException e) {
            throw bad(cl, "--url", "'" + url + "' is not a URL");
        }
    }

    private static URI withPath(CommandLine cl, URI u, String path) {
        try {
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw bad(cl, "--url", "cannot split the feed off '" + u + "'");
        }
    }

    static ParameterException bad(CommandLine cl, String flag, String problem) {
        return new ParameterException(cl, "invalid value for " + flag + ": " + problem);
    }
}
