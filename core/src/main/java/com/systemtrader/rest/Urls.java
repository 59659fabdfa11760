package com.systemtrader.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** URL building: percent-encoded path segments and query values on a configured base URI. */
public final class Urls {
    private Urls() {}

    /** {@code base} + {@code path} (+ {@code ?query} when not empty); the base's own path is kept as a prefix. */
    public static URI of(URI base, String path, CharSequence query) {
        String prefix = base.getRawPath() == null ? "" : base.getRawPath();
        while (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
        String q = query == null || query.isEmpty() ? "" : "?" + query;
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + prefix + path + q);
    }

    /**
     * A pagination URL from the provider ({@code next_url}) moved onto the configured base: only its path and query
     * are used, so the key is never sent to another host, and a configured proxy or simulator base keeps working.
     */
    public static URI rebase(URI base, String nextUrl) {
        URI next = URI.create(nextUrl);
        String path = next.getRawPath() == null ? "" : next.getRawPath();
        String q = next.getRawQuery() == null ? "" : "?" + next.getRawQuery();
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + q);
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters, for one path segment. */
    public static String segment(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                b.append(c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
            }
        }
        return b.toString();
    }

    /** A query builder: {@code name=value} pairs, values form-encoded, nulls skipped. */
    public static final class Query {
        private final StringBuilder b = new StringBuilder(64);

        public Query add(String name, Object value) {
            if (value == null) return this;
            if (!b.isEmpty()) b.append('&');
            b.append(name).append('=').append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            return this;
        }

        @Override
        public String toString() { return b.toString(); }
    }
}
