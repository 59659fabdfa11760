package com.systemtrader.simulator.rest;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One decoded request as the endpoint code sees it: path segments, query parameters, headers, the market time
 * and the request id. Typed parameter accessors throw {@link RestException#badParameter} naming the parameter.
 */
final class RestRequest {
    final FullHttpRequest http;
    final String path;
    final String[] segments;
    final long nowNs;
    final String requestId;
    private final Map<String, List<String>> params;

    private RestRequest(FullHttpRequest http, String path, String[] segments, Map<String, List<String>> params,
                        long nowNs, String requestId) {
        this.http = http;
        this.path = path;
        this.segments = segments;
        this.params = params;
        this.nowNs = nowNs;
        this.requestId = requestId;
    }

    /** @throws IllegalArgumentException when the URI cannot be decoded (bad percent escapes) */
    static RestRequest parse(FullHttpRequest http, long nowNs, String requestId) {
        QueryStringDecoder decoder = new QueryStringDecoder(http.uri());
        String path = decoder.path();
        List<String> parts = new ArrayList<>(9);
        for (String p : path.split("/")) if (!p.isEmpty()) parts.add(p);
        return new RestRequest(http, path, parts.toArray(String[]::new), decoder.parameters(), nowNs, requestId);
    }

    String segment(int i) { return segments[i]; }

    String header(String name) { return http.headers().get(name); }

    /** The first value of a query parameter; null when absent or empty. */
    String param(String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) return null;
        String s = v.get(0);
        return s.isEmpty() ? null : s;
    }

    int intParam(String name, int dflt, int min, int max) {
        String s = param(name);
        if (s == null) return dflt;
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw RestException.badParameter(name, "invalid " + name + " '" + RestException.shown(s) + "': not an integer");
        }
        if (v < min || v > max) {
            throw RestException.badParameter(name, "invalid " + name + " " + v + ": must be between " + min + " and " + max);
        }
        return v;
    }

    boolean boolParam(String name, boolean dflt) {
        String s = param(name);
        if (s == null) return dflt;
        if (s.equalsIgnoreCase("true")) return true;
        if (s.equalsIgnoreCase("false")) return false;
        throw RestException.badParameter(name, "invalid " + name + " '" + RestException.shown(s) + "': must be true or false");
    }

    /** A parameter restricted to a few values (compared case-insensitively, returned as the allowed spelling). */
    String choiceParam(String name, String dflt, String... allowed) {
        String s = param(name);
        if (s == null) return dflt;
        for (String a : allowed) if (a.equalsIgnoreCase(s)) return a;
        throw RestException.badParameter(name, "invalid " + name + " '" + RestException.shown(s) + "': must be one of "
                + String.join(", ", allowed));
    }

    /** Comma-separated values of a parameter (repeated parameters are joined), empty items dropped. */
    List<String> listParam(String name) {
        List<String> v = params.get(name);
        List<String> out = new ArrayList<>();
        if (v == null) return out;
        for (String s : v) {
            for (String item : s.split(",")) {
                String t = item.trim();
                if (!t.isEmpty()) out.add(t);
            }
        }
        return out;
    }
}
