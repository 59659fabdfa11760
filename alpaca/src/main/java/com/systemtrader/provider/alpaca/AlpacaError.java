package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.ControlMessage;

/**
 * {@code {"T":"error","code":N,"msg":"..."}}: the error codes of protocols.md §2.4. Constants carry the exact
 * messages the server sends; {@link #of(int)} returns them by code.
 */
public record AlpacaError(int code, String msg) implements ControlMessage {
    public static final AlpacaError INVALID_SYNTAX = new AlpacaError(400, "invalid syntax");
    public static final AlpacaError NOT_AUTHENTICATED = new AlpacaError(401, "not authenticated");
    public static final AlpacaError AUTH_FAILED = new AlpacaError(402, "auth failed");
    public static final AlpacaError ALREADY_AUTHENTICATED = new AlpacaError(403, "already authenticated");
    public static final AlpacaError AUTH_TIMEOUT = new AlpacaError(404, "auth timeout");
    public static final AlpacaError SYMBOL_LIMIT_EXCEEDED = new AlpacaError(405, "symbol limit exceeded");
    public static final AlpacaError CONNECTION_LIMIT_EXCEEDED = new AlpacaError(406, "connection limit exceeded");
    public static final AlpacaError SLOW_CLIENT = new AlpacaError(407, "slow client");
    public static final AlpacaError V2_NOT_ENABLED = new AlpacaError(408, "v2 not enabled");
    public static final AlpacaError INSUFFICIENT_SUBSCRIPTION = new AlpacaError(409, "insufficient subscription");
    public static final AlpacaError INVALID_SUBSCRIBE_ACTION =
            new AlpacaError(410, "invalid subscribe action for this feed");
    public static final AlpacaError INSUFFICIENT_SCOPE = new AlpacaError(411, "insufficient scope");
    /** Options stream only; message text seen in third-party code only [T]. */
    public static final AlpacaError MSGPACK_REQUIRED =
            new AlpacaError(412, "option messages are only available in MsgPack format");
    /** Options stream only; message text seen in third-party code only [T]. */
    public static final AlpacaError STAR_SUBSCRIPTION_NOT_ALLOWED =
            new AlpacaError(413, "star subscription is not allowed");
    public static final AlpacaError INTERNAL_ERROR = new AlpacaError(500, "internal error");

    private static final AlpacaError[] KNOWN = {INVALID_SYNTAX, NOT_AUTHENTICATED, AUTH_FAILED,
            ALREADY_AUTHENTICATED, AUTH_TIMEOUT, SYMBOL_LIMIT_EXCEEDED, CONNECTION_LIMIT_EXCEEDED, SLOW_CLIENT,
            V2_NOT_ENABLED, INSUFFICIENT_SUBSCRIPTION, INVALID_SUBSCRIBE_ACTION, INSUFFICIENT_SCOPE,
            MSGPACK_REQUIRED, STAR_SUBSCRIPTION_NOT_ALLOWED, INTERNAL_ERROR};

    public AlpacaError {
        if (msg == null) throw new IllegalArgumentException("msg is null");
    }

    /** The constant for a documented code; for other codes a new error with an empty message. */
    public static AlpacaError of(int code) {
        for (AlpacaError e : KNOWN) if (e.code == code) return e;
        return new AlpacaError(code, "");
    }

    /**
     * The constant when {@code code} and {@code msg} match it exactly, else a new instance. A {@code null} msg
     * means the frame had none and takes the documented text.
     */
    public static AlpacaError of(int code, String msg) {
        AlpacaError known = of(code);
        return msg == null || msg.equals(known.msg) ? known : new AlpacaError(code, msg);
    }

    /**
     * True when retrying cannot help and the collector should stop with a clear message: 402 auth failed,
     * 408 v2 not enabled, 409 insufficient subscription, 411 insufficient scope.
     */
    public boolean isFatal() {
        return code == 402 || code == 408 || code == 409 || code == 411;
    }

    /** 406: another session holds the connection allowance; retry auth/connect with backoff. */
    public boolean isConnectionLimit() { return code == 406; }
}
