package com.systemtrader.collector;

import com.systemtrader.schema.ConnectionStatus;
import com.systemtrader.sink.EventBatch;
import com.systemtrader.sink.EventSink;
import com.systemtrader.sink.Overflow;
import com.systemtrader.support.LogLimiter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's {@link MarketDataListener}s as one {@code BLOCK} sink named {@code listeners}: each event of a
 * batch to every listener ({@code onEvent(event, flags)}), then {@code onBatchEnd}; status changes as they come. A
 * listener that throws is counted and logged (at most once a minute) and the others still get the event.
 */
final class ListenerSink implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerSink.class);

    private final List<MarketDataListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder errors;
    private final LogLimiter errorLog = LogLimiter.perMinute();

    /** @param errors counts what the listeners throw (the collector's {@code collector.listener.errors}) */
    ListenerSink(LongAdder errors) {
        this.errors = errors;
    }

    void add(MarketDataListener l) { listeners.add(l); }

    void remove(MarketDataListener l) { listeners.remove(l); }

    @Override public String name() { return "listeners"; }

    @Override public Overflow overflow() { return Overflow.BLOCK; }

    @Override public void accept(EventBatch batch) {
        for (MarketDataListener l : listeners) {
            for (int i = 0, n = batch.size(); i < n; i++) {
                try {
                    l.onEvent(batch.event(i), batch.flags(i));
                } catch (RuntimeException e) {
                    failed(e);
                }
            }
            try {
                l.onBatchEnd();
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    @Override public void onStatus(ConnectionStatus status) {
        for (MarketDataListener l : listeners) {
            try {
                l.onStatus(status);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    private void failed(RuntimeException e) {
        errors.increment();
        long skipped = errorLog.admit();
        if (skipped >= 0) {
            LOG.warn("listener threw (#{}{}); continuing", errors.sum(), LogLimiter.skippedNote(skipped), e);
        }
    }
}
