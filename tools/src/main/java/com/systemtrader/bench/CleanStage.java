package com.systemtrader.bench;

import com.systemtrader.clean.DataCleaner;
import com.systemtrader.clean.Flags;
import com.systemtrader.schema.MarketEvent;

/**
 * {@code bench-decode --stage clean}: every decoded event goes through a {@link DataCleaner} with default settings,
 * framed exactly as the collector frames it. A fresh cleaner per replay pass, so that replayed trades are judged
 * as new (not as duplicates of the previous pass).
 */
final class CleanStage implements EventStage {
    private final String source;
    private final String feed;
    private DataCleaner cleaner;
    private MarketEvent last;
    private long sum;

    CleanStage(String source, String feed) {
        this.source = source;
        this.feed = feed;
        this.cleaner = DataCleaner.withDefaults(source, feed);
    }

    @Override public void onReplayStart() { cleaner = DataCleaner.withDefaults(source, feed); }

    @Override public void beginFrame(byte[] buf, int off, int len, boolean binary, long receiveTimeNs) {
        cleaner.beginFrame(buf, off, len, binary, receiveTimeNs);
    }

    @Override public void onEvent(MarketEvent event) {
        int verdict = cleaner.clean(event, true);
        if (Flags.kept(verdict)) last = event;
        sum += verdict;
    }

    @Override public void onUnknown(String type) { cleaner.unknownType(type); }

    @Override public void onMalformed(String reason) { cleaner.malformedFrame(reason); }

    @Override public void endFrame() { cleaner.endFrame(); }

    @Override public long checksum() {
        return sum + (last == null ? 0 : last.symbol().hashCode()) + cleaner.snapshot().total().received();
    }
}
