package com.systemtrader.credentials;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Objects;

/**
 * An Alpaca API key pair, sent as {@code APCA-API-KEY-ID} / {@code APCA-API-SECRET-KEY} headers or in the
 * WebSocket auth message. {@link #toString()} and Jackson show the masked key id and nothing of the secret.
 *
 * @param keyId    the key id ({@code PK...} or {@code AK...})
 * @param secret   the secret key
 * @param issuedAt when the pair was issued or last rotated; null when unknown
 * @param label    where the pair came from, e.g. {@code env APCA_API_KEY_ID} or {@code file alpaca.key_id}
 */
public record AlpacaKey(Secret keyId, @JsonIgnore Secret secret,
                        @JsonSerialize(using = ToStringSerializer.class) Instant issuedAt, String label) {
    public AlpacaKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(secret, "secret");
        label = label == null ? "" : label;
    }

    @Override
    public String toString() {
        return "AlpacaKey[keyId=" + keyId.masked() + ", secret=****, issuedAt=" + issuedAt + ", label=" + label + "]";
    }
}
