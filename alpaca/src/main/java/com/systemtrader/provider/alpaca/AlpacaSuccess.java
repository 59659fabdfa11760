package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.ControlMessage;

/** {@code {"T":"success","msg":"connected"}} and {@code {"T":"success","msg":"authenticated"}}. */
public record AlpacaSuccess(String msg) implements ControlMessage {
    public static final AlpacaSuccess CONNECTED = new AlpacaSuccess("connected");
    public static final AlpacaSuccess AUTHENTICATED = new AlpacaSuccess("authenticated");

    public AlpacaSuccess {
        if (msg == null) throw new IllegalArgumentException("msg is null");
    }

    /** The shared constant for the two known messages, else a new instance. */
    public static AlpacaSuccess of(String msg) {
        return switch (msg) {
            case "connected" -> CONNECTED;
            case "authenticated" -> AUTHENTICATED;
            default -> new AlpacaSuccess(msg);
        };
    }

    public boolean isConnected() { return CONNECTED.msg.equals(msg); }
    public boolean isAuthenticated() { return AUTHENTICATED.msg.equals(msg); }
}
