/**
 * The Polygon (Massive) stocks WebSocket protocol (protocols.md §1): {@link PolygonDecoder} turns server frames
 * into normalized events, the simulator's {@code simulator.wire.PolygonEncoder} writes them back byte for byte,
 * {@link PolygonStatus} and {@link PolygonClientMessage} are the control messages of each direction, and
 * {@link PolygonTopic} is the {@code CHANNEL.TICKER} subscription syntax. Nothing outside this package sees the
 * wire format.
 */
package com.systemtrader.provider.polygon;
