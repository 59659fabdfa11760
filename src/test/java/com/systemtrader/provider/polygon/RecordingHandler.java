package com.systemtrader.provider.polygon;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.schema.MarketEvent;
import java.util.ArrayList;
import java.util.List;

/** Collects what a decoder delivers, in order. */
final class RecordingHandler implements FrameHandler {
    final List<MarketEvent> events = new ArrayList<>();
    final List<ControlMessage> controls = new ArrayList<>();
    final List<String> unknown = new ArrayList<>();
    /** Everything in delivery order: events, control messages and unknown type tags. */
    final List<Object> all = new ArrayList<>();

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
        all.add(type);
    }

    void clear() {
        events.clear();
        controls.clear();
        unknown.clear();
        all.clear();
    }
}
