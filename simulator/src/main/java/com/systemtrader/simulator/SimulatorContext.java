package com.systemtrader.simulator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** What every session and handler of one simulator shares. */
final class SimulatorContext {
    final SimulatorConfig config;
    final Faults faults;
    final SimulatorStats stats;
    final TruthRecorder truth;
    final Sessions sessions = new Sessions();
    final AtomicLong nextSessionId = new AtomicLong();

    SimulatorContext(SimulatorConfig config, Faults faults, SimulatorStats stats, TruthRecorder truth) {
        this.config = config;
        this.faults = faults;
        this.stats = stats;
        this.truth = truth;
    }

    /** Open sessions, and the authenticated session per (feed cluster, key) for connection limits. */
    static final class Sessions {
        final List<SimSession> all = new CopyOnWriteArrayList<>();
        private final Map<String, SimSession> byKey = new ConcurrentHashMap<>();

        void add(SimSession s) { all.add(s); }

        void remove(SimSession s) {
            all.remove(s);
            if (s.apiKey != null) byKey.remove(keyOf(s.feed, s.apiKey), s);
        }

        /** Registers {@code s} as the holder of its key; returns the previous live holder, if any. */
        SimSession claim(SimSession s) {
            SimSession old = byKey.put(keyOf(s.feed, s.apiKey), s);
            return old != null && old != s && !old.closing && old.channel.isActive() ? old : null;
        }

        /**
         * Registers {@code s} as the holder of its key only when no live session holds it; atomic, so two
         * sessions authenticating at once cannot both win. Returns true when {@code s} is now the holder.
         */
        boolean claimIfFree(SimSession s) {
            SimSession winner = byKey.compute(keyOf(s.feed, s.apiKey), (k, old) ->
                    old != null && old != s && !old.closing && old.channel.isActive() ? old : s);
            return winner == s;
        }

        /** The live holder of the key on this feed, if any. */
        SimSession holder(Feed feed, String key) {
            SimSession s = byKey.get(keyOf(feed, key));
            return s != null && !s.closing && s.channel.isActive() ? s : null;
        }

        private static String keyOf(Feed feed, String key) {
            return feed.path() + "\u0000" + key;
        }
    }
}
