package com.systemtrader.collector;

import com.systemtrader.schema.RecordType;
import java.util.Map;

/**
 * A point-in-time view of a collector.
 *
 * @param latencyP50Ms event time to receive time, trades and quotes, median in milliseconds (includes the
 *                     provider's own delay and any clock offset between the provider and this host)
 * @param secondsSinceLastMessage -1 when nothing was received yet
 * @param filteredUnsubscribed data for symbols not subscribed (Alpaca sends some after an unsubscribe), dropped
 */
public record CollectorSnapshot(String state, long messages, double messagesPerSecond, Map<RecordType, Long> byType,
                       Map<String, Map<RecordType, Long>> bySymbol, long frames, long bytes, long decodeErrors,
                       long unknownTypes, long filteredUnsubscribed, long listenerErrors, Map<String, Long> reconnectsByCause,
                       double secondsSinceLastMessage, int ringDepth, int ringCapacity, long ringDropped,
                       long backpressurePauses, double latencyP50Ms, double latencyP99Ms, double latencyMaxMs,
                       long outages, long sequenceGaps) {}
