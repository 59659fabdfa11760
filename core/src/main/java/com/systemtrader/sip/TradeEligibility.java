package com.systemtrader.sip;

import com.systemtrader.calendar.SessionDay;
import com.systemtrader.schema.Conditions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Which fields a trade may update under the SIP rules (protocols.md sections 4.1 and 4.2), answered as
 * {@link Eligibility} bits from a versioned table file: Polygon condition ids, CTA letters (tapes A and B) and UTP
 * letters (tape C). A trade is eligible for a field only when every one of its conditions allows it; a trade
 * without conditions is a regular sale and updates everything. A code the table does not list allows everything
 * and sets {@link Eligibility#UNKNOWN_CONDITION}.
 *
 * <p>Extended hours: in pre-market (04:00-09:30 New York) and after-hours (16:00-20:00) on a weekday, a condition
 * marked {@code extended_hours_bar_prices} (Form T: Polygon 12, letter {@code T}) does not block
 * {@link Eligibility#BAR_OPEN_CLOSE} and {@link Eligibility#BAR_HIGH_LOW}; the daily bits never take it.
 *
 * <p>Immutable apart from a cached New York day (a volatile immutable holder), so thread-safe. The lookup methods
 * do not allocate, except once per New York day to work out that day's session boundaries.
 */
public final class TradeEligibility {
    /** Class-path location of the standard table. */
    public static final String RESOURCE = "/sip/trade-conditions.json";

    private static final int IDS = 0;
    private static final int CTA = 1;
    private static final int UTP = 2;
    private static final int UTP_THEN_CTA = 3;
    private static final int BAR_BITS = Eligibility.BAR_OPEN_CLOSE | Eligibility.BAR_HIGH_LOW;

    private final String name;
    private final String version;
    private final String sources;
    private final byte[] polygon;
    private final byte[] cta;
    private final byte[] utp;
    /** The New York day last asked about; replaced (not mutated) when a trade from another day comes. */
    private volatile SessionDay day;

    private TradeEligibility(String name, TradeConditionsFile.Tables t) {
        this.name = name;
        this.version = t.version();
        this.sources = t.sources();
        this.polygon = t.polygon();
        this.cta = t.cta();
        this.utp = t.utp();
    }

    /** The table shipped in the jar ({@value #RESOURCE}), loaded once. */
    public static TradeEligibility standard() {
        return Standard.INSTANCE;
    }

    /**
     * Reads a table file. Does not close {@code in}.
     *
     * @param name the file's name for error messages
     * @throws IllegalArgumentException when the file is malformed; the message names the file, row and field
     */
    public static TradeEligibility load(InputStream in, String name) {
        return new TradeEligibility(name, TradeConditionsFile.read(in, name));
    }

    /** The table's {@code "version"}, e.g. {@code 2026-11-24.1}. */
    public String version() { return version; }

    /** Where the table was loaded from. */
    public String name() { return name; }

    /** The table's {@code "sources"} note. */
    public String sources() { return sources; }

    /**
     * Eligibility of numeric condition ids (Polygon's numbering; the table's {@code polygon} column) at event time
     * {@code eventTimeNs} (epoch ns).
     */
    public int ids(Conditions conditions, long eventTimeNs) {
        return evaluate(IDS, conditions, eventTimeNs);
    }

    /**
     * Eligibility of the SIPs' letters (stored as char values) on {@code tape}: 'A'/'B' CTA, 'C' UTP, otherwise UTP
     * with CTA as fallback.
     */
    public int letters(Conditions conditions, char tape, long eventTimeNs) {
        int table = switch (tape) {
            case 'A', 'B' -> CTA;
            case 'C' -> UTP;
            default -> UTP_THEN_CTA;
        };
        return evaluate(table, conditions, eventTimeNs);
    }

    private int evaluate(int table, Conditions conditions, long eventTimeNs) {
        if (conditions == null) return Eligibility.ALL;
        int n = conditions.size();
        int and = Eligibility.ALL;
        int or = 0;
        for (int i = 0; i < n; i++) {
            int e = entry(table, conditions.get(i));
            and &= e;
            or |= e;
        }
        int bits = and | or & Eligibility.UNKNOWN_CONDITION;
        if ((or & TradeConditionsFile.SESSION_RULE) == 0 || !inExtendedHours(eventTimeNs)) return bits;
        int bar = BAR_BITS;
        for (int i = 0; i < n; i++) {
            int e = entry(table, conditions.get(i));
            if ((e & TradeConditionsFile.SESSION_RULE) == 0) bar &= e;
        }
        return bits | bar;
    }

    private int entry(int table, int code) {
        return switch (table) {
            case IDS -> lookup(polygon, code);
            case CTA -> lookup(cta, code);
            case UTP -> lookup(utp, code);
            default -> {
                int e = lookup(utp, code);
                yield e == TradeConditionsFile.UNKNOWN ? lookup(cta, code) : e;
            }
        };
    }

    private static int lookup(byte[] table, int code) {
        return code >= 0 && code < table.length ? table[code] : TradeConditionsFile.UNKNOWN;
    }

    private boolean inExtendedHours(long ns) {
        SessionDay d = day;
        if (d == null || !d.contains(ns)) {
            d = SessionDay.of(ns);
            day = d;
        }
        return d.inExtendedHours(ns);
    }

    @Override public String toString() {
        return "TradeEligibility[" + name + " version " + version + "]";
    }

    private static final class Standard {
        static final TradeEligibility INSTANCE = loadStandard();

        private static TradeEligibility loadStandard() {
            try (InputStream in = TradeEligibility.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("class-path resource " + RESOURCE + " is missing");
                return load(in, RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }
}
