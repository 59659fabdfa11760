package com.systemtrader.storage;

import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/** Which Flyway callback events fire (Community edition) during a migration of an empty database: FlywayEvents DB. */
public final class FlywayEvents {
    public static void main(String[] a) {
        StorageConfig cfg = StorageConfig.defaults().withMode("postgresql");
        Map<String, Integer> seen = new TreeMap<>();
        Callback cb = new Callback() {
            public boolean supports(Event e, Context c) { return true; }
            public boolean canHandleInTransaction(Event e, Context c) { return true; }
            public void handle(Event e, Context c) { seen.merge(e.getId(), 1, Integer::sum); }
            public String getCallbackName() { return "counter"; }
        };
        Flyway.configure()
                .dataSource("jdbc:postgresql://127.0.0.1:5432/" + a[0] + "?options=-c%20search_path%3Dpublic,tscompat", "postgres", null)
                .locations("classpath:db/postgresql").placeholders(cfg.placeholders(StorageMode.POSTGRESQL))
                .callbacks(cb).load().migrate();
        System.out.println("RESULT flyway callback events: " + seen);
    }
}
