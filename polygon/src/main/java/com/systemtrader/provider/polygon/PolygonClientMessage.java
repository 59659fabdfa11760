package com.systemtrader.provider.polygon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.systemtrader.codec.JsonOut;
import com.systemtrader.credentials.Secret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A message from client to server: {@code {"action":"auth","params":"KEY"}},
 * {@code {"action":"subscribe","params":"T.AAPL,Q.AAPL"}}, {@code {"action":"unsubscribe",...}}
 * (protocols.md §1.2-1.4). The collector builds these; the simulator parses them.
 *
 * <p>{@link #toString()} masks the key of an auth message; {@link #toJson()} and {@link #writeTo(JsonOut)} are
 * the wire form and contain it, so never log them.
 *
 * @param action the action, e.g. {@code auth}; never null
 * @param params the comma-separated parameter string; null when the message had none
 */
public record PolygonClientMessage(String action, String params) {
    public static final String AUTH = "auth";
    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    public PolygonClientMessage {
        if (action == null || action.isEmpty()) throw new PolygonProtocolException("action must be a non-empty string");
    }

    public static PolygonClientMessage auth(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) throw new PolygonProtocolException("API key must not be empty");
        return new PolygonClientMessage(AUTH, apiKey);
    }

    /** @param topics e.g. {@code T.AAPL}, {@code AM.*}; validated with {@link PolygonTopic#parse(String)} */
    public static PolygonClientMessage subscribe(Collection<String> topics) {
        return new PolygonClientMessage(SUBSCRIBE, join(topics));
    }

    public static PolygonClientMessage subscribe(String... topics) {
        return subscribe(List.of(topics));
    }

    public static PolygonClientMessage unsubscribe(Collection<String> topics) {
        return new PolygonClientMessage(UNSUBSCRIBE, join(topics));
    }

    public static PolygonClientMessage unsubscribe(String... topics) {
        return unsubscribe(List.of(topics));
    }

    public boolean isAuth() { return AUTH.equals(action); }
    public boolean isSubscribe() { return SUBSCRIBE.equals(action); }
    public boolean isUnsubscribe() { return UNSUBSCRIBE.equals(action); }

    /** {@link #params()} split on commas, each trimmed, empty entries dropped; empty when there are no params. */
    public List<String> topics() {
        List<String> out = new ArrayList<>();
        if (params == null) return out;
        for (String part : params.split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) out.add(t);
        }
        return out;
    }

    /** Writes the wire form {@code {"action":...,"params":...}} (params left out when null). */
    public void writeTo(JsonOut out) {
        out.beginObject().field("action", action);
        if (params != null) out.field("params", params);
        out.endObject();
    }

    /** The wire form as a string. Contains the key of an auth message: send it, never log it. */
    public String toJson() {
        JsonOut out = new JsonOut(64 + (params == null ? 0 : params.length() * 2));
        writeTo(out);
        return out.toString();
    }

    /** Safe to log: an auth key shows as {@link Secret#mask}. */
    @Override public String toString() {
        String shown = params == null ? null : isAuth() ? Secret.mask(params) : params;
        return "PolygonClientMessage[action=" + action + ", params=" + shown + "]";
    }

    /**
     * Parses one client message. Unknown fields are ignored; {@code params} may be absent or null.
     *
     * @throws PolygonProtocolException with a reason (never the input) when the bytes are not a JSON object
     *                                  with a string {@code action} and an optional string {@code params}
     */
    public static PolygonClientMessage parse(byte[] buf, int off, int len) {
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new PolygonProtocolException("client message is empty");
            if (first != JsonToken.START_OBJECT) throw new PolygonProtocolException("client message must be a JSON object");
            String action = null;
            String params = null;
            boolean seenAction = false;
            boolean seenParams = false;
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken v = p.nextToken();
                switch (name) {
                    case "action" -> {
                        if (seenAction) throw new PolygonProtocolException("duplicate field 'action'");
                        seenAction = true;
                        if (v != JsonToken.VALUE_STRING) throw new PolygonProtocolException("'action' must be a string");
                        action = p.getText();
                    }
                    case "params" -> {
                        if (seenParams) throw new PolygonProtocolException("duplicate field 'params'");
                        seenParams = true;
                        if (v == JsonToken.VALUE_STRING) params = p.getText();
                        else if (v != JsonToken.VALUE_NULL) throw new PolygonProtocolException("'params' must be a string");
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw new PolygonProtocolException("client message is truncated");
            if (p.nextToken() != null) throw new PolygonProtocolException("unexpected data after the client message object");
            if (action == null) throw new PolygonProtocolException("client message has no 'action'");
            return new PolygonClientMessage(action, params);
        } catch (JsonEOFException e) {
            throw new PolygonProtocolException("client message is truncated");
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new PolygonProtocolException("client message is not valid JSON (near byte " + at + ")");
        } catch (IOException e) {
            throw new PolygonProtocolException("client message could not be read: " + e.getClass().getSimpleName());
        }
    }

    private static String join(Collection<String> topics) {
        if (topics.isEmpty()) throw new PolygonProtocolException("at least one topic is needed");
        StringBuilder sb = new StringBuilder();
        for (String t : topics) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append(PolygonTopic.parse(t));
        }
        return sb.toString();
    }
}
