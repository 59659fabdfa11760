package com.systemtrader.simulator.rest;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the simulator's REST endpoints.
 *
 * @param polygonApiKeys           Polygon keys accepted as {@code apiKey} or {@code Authorization: Bearer}
 * @param alpacaCredentials        Alpaca key id -> secret, accepted as {@code APCA-API-KEY-ID}/{@code APCA-API-SECRET-KEY}
 * @param polygonRequestsPerMinute per-key Polygon limit; 0 = unlimited (default 0, like paid plans)
 * @param alpacaRequestsPerMinute  per-key Alpaca limit; 0 = unlimited (default 200, the Basic plan)
 * @param keyRequestsPerMinute     per-key overrides of the two limits above (Polygon key or Alpaca key id)
 * @param baseUrl                  scheme://host:port the clients reach the simulator at; prefix of Polygon
 *                                 {@code next_url}s (a trailing slash is dropped)
 * @param polygonMaxLimit          largest Polygon page ({@code limit} above it is clamped; default 50000)
 * @param alpacaMaxLimit           largest Alpaca page ({@code limit} above it is a 422; default 10000)
 */
public record RestConfig(Set<String> polygonApiKeys, Map<String, String> alpacaCredentials,
                         int polygonRequestsPerMinute, int alpacaRequestsPerMinute,
                         Map<String, Integer> keyRequestsPerMinute, String baseUrl,
                         int polygonMaxLimit, int alpacaMaxLimit) {
    public static final int DEFAULT_POLYGON_REQUESTS_PER_MINUTE = 0;
    public static final int DEFAULT_ALPACA_REQUESTS_PER_MINUTE = 200;
    public static final int DEFAULT_POLYGON_MAX_LIMIT = 50_000;
    public static final int DEFAULT_ALPACA_MAX_LIMIT = 10_000;

    public RestConfig {
        polygonApiKeys = Set.copyOf(polygonApiKeys);
        alpacaCredentials = Map.copyOf(alpacaCredentials);
        keyRequestsPerMinute = Map.copyOf(keyRequestsPerMinute);
        Objects.requireNonNull(baseUrl, "baseUrl");
        while (baseUrl.endsWith("/")) baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        if (polygonRequestsPerMinute < 0 || alpacaRequestsPerMinute < 0) {
            throw new IllegalArgumentException("requests per minute must be >= 0 (0 = unlimited)");
        }
        for (Map.Entry<String, Integer> e : keyRequestsPerMinute.entrySet()) {
            if (e.getValue() < 0) throw new IllegalArgumentException("requests per minute for a key must be >= 0");
        }
        if (polygonMaxLimit < 1 || alpacaMaxLimit < 1) throw new IllegalArgumentException("max limits must be >= 1");
    }

    /** The given credentials with every other setting at its default. */
    public static RestConfig of(Set<String> polygonApiKeys, Map<String, String> alpacaCredentials, String baseUrl) {
        return new RestConfig(polygonApiKeys, alpacaCredentials, DEFAULT_POLYGON_REQUESTS_PER_MINUTE,
                DEFAULT_ALPACA_REQUESTS_PER_MINUTE, Map.of(), baseUrl, DEFAULT_POLYGON_MAX_LIMIT,
                DEFAULT_ALPACA_MAX_LIMIT);
    }

    public RestConfig withPolygonRequestsPerMinute(int n) {
        return new RestConfig(polygonApiKeys, alpacaCredentials, n, alpacaRequestsPerMinute, keyRequestsPerMinute,
                baseUrl, polygonMaxLimit, alpacaMaxLimit);
    }

    public RestConfig withAlpacaRequestsPerMinute(int n) {
        return new RestConfig(polygonApiKeys, alpacaCredentials, polygonRequestsPerMinute, n, keyRequestsPerMinute,
                baseUrl, polygonMaxLimit, alpacaMaxLimit);
    }

    /** Overrides the provider limit for one Polygon key or Alpaca key id. */
    public RestConfig withKeyRequestsPerMinute(String key, int n) {
        Map<String, Integer> m = new HashMap<>(keyRequestsPerMinute);
        m.put(key, n);
        return new RestConfig(polygonApiKeys, alpacaCredentials, polygonRequestsPerMinute, alpacaRequestsPerMinute, m,
                baseUrl, polygonMaxLimit, alpacaMaxLimit);
    }

    public RestConfig withMaxLimits(int polygon, int alpaca) {
        return new RestConfig(polygonApiKeys, alpacaCredentials, polygonRequestsPerMinute, alpacaRequestsPerMinute,
                keyRequestsPerMinute, baseUrl, polygon, alpaca);
    }

    int polygonLimitFor(String key) {
        return keyRequestsPerMinute.getOrDefault(key, polygonRequestsPerMinute);
    }

    int alpacaLimitFor(String keyId) {
        return keyRequestsPerMinute.getOrDefault(keyId, alpacaRequestsPerMinute);
    }
}
