package com.systemtrader.simulator.rest;

import com.systemtrader.codec.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Time parameters of both providers, to epoch nanoseconds. Calendar dates ({@code YYYY-MM-DD}) are New York
 * dates: the start of a date is midnight America/New_York, its end the last nanosecond before the next midnight.
 */
final class MarketTime {
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final long SECOND_NS = Timestamps.NANOS_PER_SECOND;
    static final long MINUTE_NS = 60 * SECOND_NS;
    static final long HOUR_NS = 60 * MINUTE_NS;
    static final long DAY_NS = 24 * HOUR_NS;
    private static final LocalTime CLOSE = LocalTime.of(16, 0);

    private MarketTime() {}

    static long nyMidnight(LocalDate date) {
        return date.atStartOfDay(NEW_YORK).toEpochSecond() * SECOND_NS;
    }

    static LocalDate nyDate(long epochNs) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, SECOND_NS)).atZone(NEW_YORK).toLocalDate();
    }

    /** 16:00 New York time on the New York date of {@code epochNs}. */
    static long sessionCloseNs(long epochNs) {
        return nyDate(epochNs).atTime(CLOSE).atZone(NEW_YORK).toEpochSecond() * SECOND_NS;
    }

    static long millis(long epochNs) {
        return Math.floorDiv(epochNs, Timestamps.NANOS_PER_MILLI);
    }

    /** Polygon aggregate {@code from}/{@code to}: {@code YYYY-MM-DD} or Unix milliseconds. */
    static long polygonDateOrMillis(String s, boolean end, String param) {
        if (looksLikeDate(s)) return date(s, end, param);
        if (isDigits(s)) {
            try {
                return Math.multiplyExact(Long.parseLong(s), Timestamps.NANOS_PER_MILLI);
            } catch (ArithmeticException | NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw RestException.badParameter(param, "invalid " + param + " '" + RestException.shown(s)
                + "': expected YYYY-MM-DD or a Unix timestamp in milliseconds");
    }

    /**
     * Polygon v3 {@code timestamp*}: {@code YYYY-MM-DD}, RFC 3339, or a Unix timestamp in nanoseconds (smaller
     * units are recognised by magnitude).
     */
    static long polygonTimestamp(String s, boolean end, String param) {
        if (looksLikeDate(s)) return date(s, end, param);
        if (isDigits(s)) {
            try {
                return Timestamps.toNanosByMagnitude(Long.parseLong(s));
            } catch (NumberFormatException e) {
                // falls through
            }
        } else if (s.length() >= 20) {
            try {
                return Timestamps.parseRfc3339(s);
            } catch (IllegalArgumentException e) {
                // falls through
            }
        }
        throw RestException.badParameter(param, "invalid " + param + " '" + RestException.shown(s)
                + "': expected YYYY-MM-DD, RFC 3339 or a Unix timestamp in nanoseconds");
    }

    /** Alpaca {@code start}/{@code end}: RFC 3339 or {@code YYYY-MM-DD}. */
    static long alpacaTime(String s, boolean end, String param) {
        if (looksLikeDate(s)) return date(s, end, param);
        try {
            return Timestamps.parseRfc3339(s);
        } catch (IllegalArgumentException e) {
            throw RestException.badParameter(param, "invalid " + param + " '" + RestException.shown(s)
                    + "': expected RFC 3339 (e.g. 2024-05-30T13:30:00Z) or YYYY-MM-DD");
        }
    }

    /** Start (or last nanosecond, when {@code end}) of a New York calendar date. */
    static long date(String s, boolean end, String param) {
        try {
            LocalDate d = LocalDate.parse(s);
            return end ? nyMidnight(d.plusDays(1)) - 1 : nyMidnight(d);
        } catch (DateTimeException e) {
            throw RestException.badParameter(param, "invalid " + param + " '" + RestException.shown(s)
                    + "': not a valid date");
        }
    }

    private static boolean looksLikeDate(String s) {
        return s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-';
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 19) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}
