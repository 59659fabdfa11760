package com.systemtrader.provider.alpaca;

import com.systemtrader.credentials.Secret;
import com.systemtrader.codec.JsonOut;

/**
 * A message a client sends on the Alpaca stream: {@code {"action":"auth","key":"..","secret":".."}} or
 * {@code {"action":"subscribe"|"unsubscribe","trades":[..],"quotes":[..],...}}. Subscribe and unsubscribe carry
 * deltas; channel keys that are missing, {@code null} or empty lists mean "no change" and come out as empty lists.
 * Parsed from JSON (text frames) or MessagePack (binary frames, as the official SDKs send them).
 *
 * <p>{@link Auth#toString()} masks the key and the secret; parse errors never quote the input.
 */
public sealed interface AlpacaClientMessage {

    /** {@code {"action":"auth","key":"<KEY_ID>","secret":"<SECRET>"}}. */
    record Auth(String key, String secret) implements AlpacaClientMessage {
        public Auth {
            if (key == null || secret == null) throw new IllegalArgumentException("key and secret are required");
        }

        /** Only the last four characters of each, e.g. {@code Auth[key=****abcd, secret=****wxyz]}. */
        @Override public String toString() {
            return "Auth[key=" + Secret.mask(key) + ", secret=" + Secret.mask(secret) + "]";
        }
    }

    /** Adds {@code channels} to the session's subscription. */
    record Subscribe(AlpacaSubscription channels) implements AlpacaClientMessage {
        public Subscribe {
            if (channels == null) channels = AlpacaSubscription.EMPTY;
        }
    }

    /** Removes {@code channels} from the session's subscription. */
    record Unsubscribe(AlpacaSubscription channels) implements AlpacaClientMessage {
        public Unsubscribe {
            if (channels == null) channels = AlpacaSubscription.EMPTY;
        }
    }

    /** Parses a JSON client message. @throws AlpacaProtocolException when it is not valid Alpaca syntax */
    static AlpacaClientMessage parseJson(byte[] buf, int off, int len) throws AlpacaProtocolException {
        return ClientMessageParser.parseJson(buf, off, len);
    }

    /** Parses a MessagePack client message. @throws AlpacaProtocolException when it is not valid Alpaca syntax */
    static AlpacaClientMessage parseMsgpack(byte[] buf, int off, int len) throws AlpacaProtocolException {
        return ClientMessageParser.parseMsgpack(buf, off, len);
    }

    static byte[] authJson(String key, String secret) {
        return new Auth(key, secret).toJson();
    }

    static byte[] subscribeJson(AlpacaSubscription delta) {
        return new Subscribe(delta).toJson();
    }

    static byte[] unsubscribeJson(AlpacaSubscription delta) {
        return new Unsubscribe(delta).toJson();
    }

    /** The JSON form; subscribe/unsubscribe list only non-empty channels, in {@link AlpacaChannel} order. */
    default byte[] toJson() {
        JsonFieldWriter w = new JsonFieldWriter(new JsonOut(256));
        write(w);
        return w.toByteArray();
    }

    /** The MessagePack form (a map with the same keys as {@link #toJson()}). */
    default byte[] toMsgpack() {
        MsgpackFieldWriter w = new MsgpackFieldWriter(256);
        write(w);
        return w.toByteArray();
    }

    private void write(FieldWriter w) {
        switch (this) {
            case Auth a -> {
                w.beginObject(3);
                w.string("action", "auth");
                w.string("key", a.key());
                w.string("secret", a.secret());
            }
            case Subscribe s -> channels(w, "subscribe", s.channels());
            case Unsubscribe u -> channels(w, "unsubscribe", u.channels());
        }
        w.endObject();
    }

    private static void channels(FieldWriter w, String action, AlpacaSubscription delta) {
        int n = 1;
        for (AlpacaChannel c : AlpacaChannel.values()) if (!delta.symbols(c).isEmpty()) n++;
        w.beginObject(n);
        w.string("action", action);
        for (AlpacaChannel c : AlpacaChannel.values()) {
            if (!delta.symbols(c).isEmpty()) w.strings(c.wireKey(), delta.symbols(c));
        }
    }
}
