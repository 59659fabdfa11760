package com.systemtrader.provider.alpaca;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Parses {@link AlpacaClientMessage}s from JSON or MessagePack. Client messages are rare, so this favours clarity
 * over allocation. Unknown keys are ignored; reasons never quote the input (it may hold credentials).
 */
final class ClientMessageParser {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private String action;
    private String key;
    private String secret;
    private final Map<AlpacaChannel, List<String>> channels = new EnumMap<>(AlpacaChannel.class);

    private ClientMessageParser() {}

    static AlpacaClientMessage parseJson(byte[] buf, int off, int len) throws AlpacaProtocolException {
        ClientMessageParser m = new ClientMessageParser();
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) throw new AlpacaProtocolException("message is not a JSON object");
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (v) {
                    case VALUE_STRING -> m.string(name, p.getText());
                    case START_ARRAY -> {
                        List<String> list = new ArrayList<>();
                        boolean strings = true;
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (t == JsonToken.VALUE_STRING) list.add(p.getText());
                            else {
                                strings = false;
                                p.skipChildren();
                            }
                        }
                        m.array(name, strings ? list : null);
                    }
                    case VALUE_NULL -> m.nil(name);
                    default -> {
                        m.other(name);
                        p.skipChildren();
                    }
                }
            }
            if (p.nextToken() != null) throw new AlpacaProtocolException("content after the message");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new AlpacaProtocolException("invalid JSON" + (at == null ? "" : " at byte " + at.getByteOffset()));
        } catch (IOException e) {
            throw new AlpacaProtocolException("unreadable message");
        }
        return m.build();
    }

    static AlpacaClientMessage parseMsgpack(byte[] buf, int off, int len) throws AlpacaProtocolException {
        ClientMessageParser m = new ClientMessageParser();
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(buf, off, len)) {
            if (!u.hasNext() || u.getNextFormat().getValueType() != ValueType.MAP) {
                throw new AlpacaProtocolException("message is not a msgpack map");
            }
            int n = u.unpackMapHeader();
            for (int i = 0; i < n; i++) {
                if (u.getNextFormat().getValueType() != ValueType.STRING) {
                    u.skipValue(2);
                    continue;
                }
                String name = u.unpackString();
                switch (u.getNextFormat().getValueType()) {
                    case STRING -> m.string(name, u.unpackString());
                    case ARRAY -> {
                        int k = u.unpackArrayHeader();
                        List<String> list = new ArrayList<>(k);
                        boolean strings = true;
                        for (int j = 0; j < k; j++) {
                            if (u.getNextFormat().getValueType() == ValueType.STRING) list.add(u.unpackString());
                            else {
                                strings = false;
                                u.skipValue();
                            }
                        }
                        m.array(name, strings ? list : null);
                    }
                    case NIL -> {
                        u.unpackNil();
                        m.nil(name);
                    }
                    default -> {
                        u.skipValue();
                        m.other(name);
                    }
                }
            }
            if (u.hasNext()) throw new AlpacaProtocolException("content after the message");
        } catch (MessagePackException | IOException e) {
            throw new AlpacaProtocolException("invalid msgpack");
        }
        return m.build();
    }

    // ---- collecting ----

    private void string(String name, String value) throws AlpacaProtocolException {
        switch (name) {
            case "action" -> action = value;
            case "key" -> key = value;
            case "secret" -> secret = value;
            default -> {
                if (AlpacaChannel.fromWireKey(name) != null) {
                    throw new AlpacaProtocolException("'" + name + "' must be a list of symbols");
                }
            }
        }
    }

    /** @param symbols null when the array held something other than strings */
    private void array(String name, List<String> symbols) throws AlpacaProtocolException {
        AlpacaChannel c = AlpacaChannel.fromWireKey(name);
        if (c == null) {
            other(name);
            return;
        }
        if (symbols == null) throw new AlpacaProtocolException("'" + name + "' must be a list of symbols");
        for (String s : symbols) {
            if (s.isBlank()) throw new AlpacaProtocolException("empty symbol in '" + name + "'");
        }
        channels.put(c, symbols);
    }

    private void nil(String name) throws AlpacaProtocolException {
        if (AlpacaChannel.fromWireKey(name) != null) return; // Go encodes an empty slice as null
        other(name);
    }

    private void other(String name) throws AlpacaProtocolException {
        switch (name) {
            case "action", "key", "secret" -> throw new AlpacaProtocolException("'" + name + "' must be a string");
            default -> {
                if (AlpacaChannel.fromWireKey(name) != null) {
                    throw new AlpacaProtocolException("'" + name + "' must be a list of symbols");
                }
            }
        }
    }

    private AlpacaClientMessage build() throws AlpacaProtocolException {
        if (action == null) throw new AlpacaProtocolException("missing 'action'");
        return switch (action) {
            case "auth" -> {
                if (key == null || secret == null) {
                    throw new AlpacaProtocolException("auth needs 'key' and 'secret'");
                }
                yield new AlpacaClientMessage.Auth(key, secret);
            }
            case "subscribe" -> new AlpacaClientMessage.Subscribe(AlpacaSubscription.of(channels));
            case "unsubscribe" -> new AlpacaClientMessage.Unsubscribe(AlpacaSubscription.of(channels));
            default -> throw new AlpacaProtocolException("unknown action");
        };
    }
}
