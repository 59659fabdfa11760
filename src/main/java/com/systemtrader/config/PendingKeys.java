package com.systemtrader.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keys that are read and validated but whose component does not exist yet. Setting one produces a note, so
 * that it is accepted without being silently ignored. Remove an entry when its component lands.
 */
final class PendingKeys {
    private record Pending(List<String> keys, String until) {}

    private static final List<Pending> PENDING = List.of(
            new Pending(List.of("data.store_trades", "data.store_quotes", "data.batch_inserts", "data.db_batch_size"),
                    "when storage is configured"),
            new Pending(List.of("data.clean_data", "data.validate_data"), "when the data cleaner is in the pipeline"));

    private PendingKeys() {}

    /** One note per component whose keys were given a value ({@code given} holds key paths). */
    static List<String> notes(Set<String> given) {
        List<String> notes = new ArrayList<>();
        for (Pending p : PENDING) {
            List<String> set = p.keys().stream().filter(given::contains).toList();
            if (set.isEmpty()) continue;
            notes.add(String.join(", ", set) + ": accepted; " + (set.size() == 1 ? "takes" : "take") + " effect " + p.until());
        }
        return notes;
    }
}
