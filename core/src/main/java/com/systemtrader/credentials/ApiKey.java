package com.systemtrader.credentials;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Objects;

/**
 * One API key of a provider: a single key ({@code secret} null) or a key id with its secret key, as the provider's
 * {@link CredentialSpec} says. {@link #toString()} and Jackson show the masked id and nothing of the secret.
 *
 * @param id       the key, or the key id of a pair; what {@link APIKeyManager#rotate} names and logs show masked
 * @param secret   the secret key of a pair; null for a single key
 * @param issuedAt when the key was issued or last rotated; null when unknown
 * @param label    where the key came from, e.g. {@code env POLYGON_API_KEY} or {@code file alpaca.key_id}
 */
public record ApiKey(Secret id, @JsonIgnore Secret secret,
                     @JsonSerialize(using = ToStringSerializer.class) Instant issuedAt, String label) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        label = label == null ? "" : label;
    }

    @Override
    public String toString() {
        return "ApiKey[id=" + id.masked() + (secret == null ? "" : ", secret=****") + ", issuedAt=" + issuedAt
                + ", label=" + label + "]";
    }
}
