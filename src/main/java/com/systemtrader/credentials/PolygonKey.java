package com.systemtrader.credentials;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Objects;

/**
 * A Polygon (Massive) API key.
 *
 * @param apiKey   the key, sent as {@code apiKey} query parameter, {@code Authorization: Bearer} header or in the
 *                 WebSocket auth message
 * @param issuedAt when the key was issued or last rotated; null when unknown
 * @param label    where the key came from, e.g. {@code env POLYGON_API_KEY} or {@code file polygon.api_key}
 */
public record PolygonKey(Secret apiKey, @JsonSerialize(using = ToStringSerializer.class) Instant issuedAt,
                         String label) {
    public PolygonKey {
        Objects.requireNonNull(apiKey, "apiKey");
        label = label == null ? "" : label;
    }

    @Override
    public String toString() {
        return "PolygonKey[apiKey=" + apiKey.masked() + ", issuedAt=" + issuedAt + ", label=" + label + "]";
    }
}
