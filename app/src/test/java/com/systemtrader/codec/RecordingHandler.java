package com.systemtrader.codec;

import com.systemtrader.schema.MarketEvent;
import java.util.ArrayList;
import java.util.List;

/** Collects what a decoder delivers, in order. Shared by the provider codec tests. */
public final class RecordingHandler implements FrameHandler {
    public final List<MarketEvent> events = new ArrayList<>();
    public final List<ControlMessage> controls = new ArrayList<>();
    public final List<String> unknown = new ArrayList<>();
    /** Everything in delivery order: events, control messages and {@code "unknown:" + type} for unknown types. */
    public final List<Object> all = new ArrayList<>();

    @Override public void onEvent(MarketEvent event) {
        events.add(event);
        all.add(event);
    }

    @Override public void onControl(ControlMessage message) {
        controls.add(message);
        all.add(message);
    }

    @Override public void onUnknown(String type) {
        unknown.add(type);
        all.add("unknown:" + type);
    }

    public void clear() {
        events.clear();
        controls.clear();
        unknown.clear();
        all.clear();
    }
}
