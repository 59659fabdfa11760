package com.systemtrader.collector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Desired and confirmed subscriptions per channel. Mutated only on the pipeline thread; other threads read
 * immutable snapshots. Desired state survives reconnects (it is what gets re-sent); confirmed state is what the
 * server acknowledged on the current connection.
 */
final class Subscriptions {
    private final List<String> channels;
    private final Map<String, Set<String>> desired = new LinkedHashMap<>();
    private final Map<String, Set<String>> confirmed = new LinkedHashMap<>();
    private volatile Map<String, Set<String>> desiredView = Map.of();
    private volatile Map<String, Set<String>> confirmedView = Map.of();

    Subscriptions(List<String> channels) {
        this.channels = List.copyOf(channels);
        for (String c : channels) desired.put(c, new LinkedHashSet<>());
    }

    void checkChannel(String channel) {
        if (!channels.contains(channel)) {
            throw new IllegalArgumentException("channel '" + channel + "' is not configured; configured: " + channels);
        }
    }

    /** Adds the symbol on every configured channel; returns what was new (channel -> {symbol}). */
    Map<String, Set<String>> addEverywhere(String symbol) {
        Map<String, Set<String>> change = new LinkedHashMap<>();
        for (String c : channels) change.putAll(add(c, symbol));
        return change;
    }

    Map<String, Set<String>> add(String channel, String symbol) {
        boolean added = desired.computeIfAbsent(channel, k -> new LinkedHashSet<>()).add(symbol);
        publish();
        return added ? Map.of(channel, Set.of(symbol)) : Map.of();
    }

    Map<String, Set<String>> removeEverywhere(String symbol) {
        Map<String, Set<String>> change = new LinkedHashMap<>();
        for (String c : channels) change.putAll(remove(c, symbol));
        return change;
    }

    Map<String, Set<String>> remove(String channel, String symbol) {
        Set<String> s = desired.get(channel);
        boolean removed = s != null && s.remove(symbol);
        publish();
        return removed ? Map.of(channel, Set.of(symbol)) : Map.of();
    }

    /** Whether data of {@code channel} for {@code symbol} is wanted now (pipeline thread). */
    boolean wants(String channel, String symbol) {
        Set<String> s = desired.get(channel);
        return s != null && (s.contains(symbol) || s.contains("*"));
    }

    boolean isEmpty() {
        for (Set<String> s : desired.values()) if (!s.isEmpty()) return false;
        return true;
    }

    void connectionReset() {
        confirmed.clear();
        publish();
    }

    void confirm(String channel, String symbol, boolean added) {
        Set<String> s = confirmed.computeIfAbsent(channel, k -> new LinkedHashSet<>());
        if (added) s.add(symbol);
        else s.remove(symbol);
        publish();
    }

    void confirmAll(Map<String, Set<String>> state) {
        confirmed.clear();
        state.forEach((k, v) -> confirmed.put(k, new LinkedHashSet<>(v)));
        publish();
    }

    Map<String, Set<String>> desiredSnapshot() { return desiredView; }

    Map<String, Set<String>> confirmedSnapshot() { return confirmedView; }

    List<String> channelList() {
        List<String> out = new ArrayList<>();
        desired.forEach((c, s) -> {
            if (!s.isEmpty()) out.add(c);
        });
        return out;
    }

    List<String> symbolList() {
        Set<String> all = new TreeSet<>();
        desired.values().forEach(all::addAll);
        return new ArrayList<>(all);
    }

    private void publish() {
        desiredView = freeze(desired);
        confirmedView = freeze(confirmed);
    }

    private static Map<String, Set<String>> freeze(Map<String, Set<String>> m) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (!v.isEmpty()) out.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v)));
        });
        return Collections.unmodifiableMap(out);
    }
}
