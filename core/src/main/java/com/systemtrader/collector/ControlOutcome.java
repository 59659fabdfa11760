package com.systemtrader.collector;

import java.util.Map;
import java.util.Set;

/** What a provider's control message means for the collector's state machine. */
public sealed interface ControlOutcome {
    /** The server greeted us (nothing to do: auth is sent on open). */
    record Greeting() implements ControlOutcome {}

    record Authenticated() implements ControlOutcome {}

    /** Credentials rejected (Polygon auth_failed, Alpaca 402): rotate to the next key or fail. */
    record CredentialsRejected(String reason) implements ControlOutcome {}

    /** Not retryable: the plan does not include the feed (Alpaca 409), scope missing... */
    record Fatal(String reason) implements ControlOutcome {}

    /** Another connection uses the key (Polygon max_connections, Alpaca 406): wait long before retrying. */
    record ConnectionLimit(String reason) implements ControlOutcome {}

    /** The server will close the connection (slow consumer, force disconnect, auth timeout). */
    record Disconnecting(String reason) implements ControlOutcome {}

    /** One topic confirmed added ({@code added}) or removed. */
    record TopicAck(String channel, String symbol, boolean added) implements ControlOutcome {}

    /** The full subscription state as the server holds it (Alpaca's echo). */
    record SubscriptionState(Map<String, Set<String>> channels) implements ControlOutcome {}

    /** A subscription was refused (not entitled, over a symbol limit); kept out of the desired state. */
    record SubscriptionRefused(String reason) implements ControlOutcome {}

    /** An error that needs no action beyond counting and logging. */
    record Warning(String reason) implements ControlOutcome {}
}
