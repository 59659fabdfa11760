package com.systemtrader.credentials;

import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable credential string (API key, key id, secret key). {@link #toString()} and Jackson serialization give
 * only the masked form ({@code ****abcd}: the last four characters, or {@code ****} for values of eight characters
 * or fewer). {@link #reveal()} is the only way to the raw value. Equality compares values in constant time.
 * Deliberately not {@link java.io.Serializable}.
 */
public final class Secret {
    private static final String STARS = "****";

    private final String value;
    private final byte[] bytes;
    private final int hash;

    private Secret(String value) {
        this.value = value;
        this.bytes = value.getBytes(StandardCharsets.UTF_8);
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * Wraps a credential as given (no trimming).
     *
     * @throws IllegalArgumentException when the value is empty or contains control characters (the message never
     *                                  quotes the value)
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret");
        if (value.isEmpty()) throw new IllegalArgumentException("a credential must not be empty");
        if (hasControlCharacters(value)) throw new IllegalArgumentException("a credential must not contain control characters");
        return new Secret(value);
    }

    /**
     * The raw value. For the wire only (an auth message, a request header or query parameter): never log it,
     * put it in an exception message, or keep it in another object.
     */
    public String reveal() {
        return value;
    }

    /** The masked form: {@code ****} followed by the last four characters when longer than eight characters. */
    @JsonValue
    public String masked() {
        return mask(value);
    }

    /**
     * The project's one mask for a credential shown in a log, an error or a {@code toString}: {@code ****} followed by
     * the last four characters when longer than eight characters, {@code ****} alone otherwise (a short secret is
     * never shown in part); {@code null} gives {@code "null"}.
     */
    public static String mask(String value) {
        if (value == null) return "null";
        return value.length() <= 8 ? STARS : STARS + value.substring(value.length() - 4);
    }

    /**
     * {@code text} with every occurrence of each non-empty secret replaced by {@code ****} (nothing of it shown, unlike
     * {@link #mask}, which names a key by its last characters): for messages that may quote a password or key (a
     * driver's error, a URL). {@code null} text stays {@code null}; null secrets are skipped.
     */
    public static String scrub(String text, String... secrets) {
        if (text == null) return null;
        String out = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) out = out.replace(secret, STARS);
        }
        return out;
    }

    int length() {
        return value.length();
    }

    static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) return true;
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return masked();
    }
}
