package com.systemtrader.provider.polygon;

import com.systemtrader.codec.ControlMessage;

/**
 * A Polygon {@code {"ev":"status","status":...,"message":...}} element: greeting, auth result, subscription ack,
 * error or disconnect notice (protocols.md §1.3).
 *
 * <p>The constants are the exact server strings. Texts marked [U] were never seen in a capture; they are this
 * project's guesses, used by the simulator, and a collector must never depend on them (match on
 * {@link #status()} instead).
 *
 * @param status  the {@code status} code, e.g. {@code auth_success}
 * @param message the {@code message} text; {@code ""} when the server sent none
 */
public record PolygonStatus(String status, String message) implements ControlMessage {
    public static final String CONNECTED = "connected";
    /** Success of a subscribe/unsubscribe, and the greeting's status in the OpenAPI spec. */
    public static final String SUCCESS = "success";
    public static final String AUTH_SUCCESS = "auth_success";
    public static final String AUTH_FAILED = "auth_failed";
    public static final String AUTH_TIMEOUT = "auth_timeout";
    public static final String AUTH_REQUIRED = "auth_required";
    public static final String MAX_CONNECTIONS = "max_connections";
    public static final String ERROR = "error";
    public static final String SLOW_CONSUMER = "slow_consumer";
    public static final String FORCE_DISCONNECT = "force_disconnect";

    public static final String MSG_CONNECTED = "Connected Successfully";
    public static final String MSG_AUTHENTICATED = "authenticated";
    public static final String MSG_AUTH_FAILED = "authentication failed";
    public static final String MSG_AUTH_TIMEOUT = "No authentication request received.";
    public static final String MSG_MAX_CONNECTIONS = "Maximum number of connections exceeded.";
    public static final String MSG_NOT_AUTHORIZED = "not authorized";
    /** [U] guess: the real text is undocumented. */
    public static final String MSG_AUTH_REQUIRED = "authentication required";
    /** [U] guess: the real text is undocumented. */
    public static final String MSG_SLOW_CONSUMER = "Connection closed: client is consuming too slowly.";
    /** [U] guess: the real text is undocumented. */
    public static final String MSG_FORCE_DISCONNECT = "Connection closed by the server.";
    /** Prefix of a subscribe ack: {@code "subscribed to: T.AAPL"}. */
    public static final String SUBSCRIBED_PREFIX = "subscribed to: ";
    /** Prefix of an unsubscribe ack (the server's own wording, sic): {@code "unsubscribed to: Q.AAPL"}. */
    public static final String UNSUBSCRIBED_PREFIX = "unsubscribed to: ";

    public PolygonStatus {
        if (status == null) throw new IllegalArgumentException("status must not be null");
        if (message == null) message = "";
    }

    public static PolygonStatus connected() { return new PolygonStatus(CONNECTED, MSG_CONNECTED); }
    public static PolygonStatus authSuccess() { return new PolygonStatus(AUTH_SUCCESS, MSG_AUTHENTICATED); }
    public static PolygonStatus authFailed() { return new PolygonStatus(AUTH_FAILED, MSG_AUTH_FAILED); }
    public static PolygonStatus authTimeout() { return new PolygonStatus(AUTH_TIMEOUT, MSG_AUTH_TIMEOUT); }
    public static PolygonStatus authRequired() { return new PolygonStatus(AUTH_REQUIRED, MSG_AUTH_REQUIRED); }
    public static PolygonStatus maxConnections() { return new PolygonStatus(MAX_CONNECTIONS, MSG_MAX_CONNECTIONS); }
    public static PolygonStatus notAuthorized() { return new PolygonStatus(ERROR, MSG_NOT_AUTHORIZED); }
    public static PolygonStatus slowConsumer() { return new PolygonStatus(SLOW_CONSUMER, MSG_SLOW_CONSUMER); }
    public static PolygonStatus forceDisconnect() { return new PolygonStatus(FORCE_DISCONNECT, MSG_FORCE_DISCONNECT); }
    public static PolygonStatus subscribed(String topic) { return new PolygonStatus(SUCCESS, SUBSCRIBED_PREFIX + topic); }
    public static PolygonStatus unsubscribed(String topic) { return new PolygonStatus(SUCCESS, UNSUBSCRIBED_PREFIX + topic); }

    /**
     * The greeting. The real server sends {@code connected}; the OpenAPI spec says {@code success}, so a
     * {@code success} whose message starts with "connected" (any case) counts too.
     */
    public boolean isConnected() {
        return CONNECTED.equals(status)
                || (SUCCESS.equals(status) && message.regionMatches(true, 0, CONNECTED, 0, CONNECTED.length()));
    }

    public boolean isAuthSuccess() { return AUTH_SUCCESS.equals(status); }
    public boolean isAuthFailed() { return AUTH_FAILED.equals(status); }
    public boolean isAuthTimeout() { return AUTH_TIMEOUT.equals(status); }
    public boolean isAuthRequired() { return AUTH_REQUIRED.equals(status); }
    public boolean isMaxConnections() { return MAX_CONNECTIONS.equals(status); }
    public boolean isSlowConsumer() { return SLOW_CONSUMER.equals(status); }
    public boolean isForceDisconnect() { return FORCE_DISCONNECT.equals(status); }
    /** {@code status:"error"}, e.g. "not authorized" for a topic outside the plan. */
    public boolean isError() { return ERROR.equals(status); }

    /** Bad credentials: final, a collector must not retry in a tight loop. */
    public boolean isFatal() { return isAuthFailed(); }

    /** The server is about to close the socket (auth timeout, eviction, slow consumer, forced disconnect). */
    public boolean isDisconnect() {
        return isAuthTimeout() || isMaxConnections() || isSlowConsumer() || isForceDisconnect();
    }

    /** The topic of a subscribe ack ({@code "subscribed to: T.AAPL"} gives {@code T.AAPL}), else null. */
    public String subscribedTopic() { return ackTopic(SUBSCRIBED_PREFIX); }

    /** The topic of an unsubscribe ack ({@code "unsubscribed to: Q.AAPL"} gives {@code Q.AAPL}), else null. */
    public String unsubscribedTopic() { return ackTopic(UNSUBSCRIBED_PREFIX); }

    private String ackTopic(String prefix) {
        if (!SUCCESS.equals(status) || !message.startsWith(prefix)) return null;
        String topic = message.substring(prefix.length()).trim();
        return topic.isEmpty() ? null : topic;
    }
}
