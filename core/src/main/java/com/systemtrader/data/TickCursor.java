package com.systemtrader.data;

import com.systemtrader.schema.MarketEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a page of trades or quotes ended: the last event's time and identity, as an opaque URL-safe text. The next
 * page starts after it in (event time, identity) order.
 */
record TickCursor(long ns, String id) {
    static TickCursor of(MarketEvent last) {
        return new TickCursor(last.eventTimeNs(), TickLookup.id(last));
    }

    String text() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((ns + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code text} is not a cursor this class made */
    static TickCursor parse(String text) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            return new TickCursor(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a cursor of this API: '" + text + "'");
        }
    }

    /** Whether this cursor lies before {@code e}: {@code e} belongs to a later page. */
    boolean before(MarketEvent e) {
        if (e.eventTimeNs() != ns) return e.eventTimeNs() > ns;
        return TickLookup.id(e).compareTo(id) > 0;
    }
}
