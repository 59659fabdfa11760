package com.systemtrader.schema;

/**
 * A change in a feed connection's state, as seen by a collector. Not a {@link MarketEvent}: it carries no
 * market data, but it flows to the same listeners so that consumers can react to outages.
 *
 * @param feed   the endpoint or feed name, for example {@code stocks} or {@code v2/sip}
 * @param state  the new state
 * @param detail a human-readable cause; never contains credentials
 */
public record ConnectionStatus(DataSource source, String feed, State state, String detail, long timeNs) {
    public enum State { CONNECTING, AUTHENTICATING, SUBSCRIBING, STREAMING, BACKING_OFF, STOPPED, FAILED }

    public RecordType type() { return RecordType.CONNECTION_STATUS; }
}
