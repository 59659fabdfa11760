package com.systemtrader.calendar;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * One New York calendar day with its session boundaries in epoch nanoseconds, worked out once so that session
 * checks on a hot path neither look up the time zone nor allocate. Boundaries are local wall-clock times, so
 * they stay right on daylight-saving days. No holidays (like {@link NewYorkTime}).
 *
 * @param startNs          midnight starting the day
 * @param endNs            the next midnight
 * @param weekday          Monday to Friday
 * @param preMarketNs      04:00
 * @param openNs           09:30
 * @param closeNs          16:00
 * @param afterHoursEndNs  20:00
 */
public record SessionDay(long startNs, long endNs, boolean weekday, long preMarketNs, long openNs, long closeNs,
                         long afterHoursEndNs) {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** The day containing {@code ns}. Allocates; cache the result. */
    public static SessionDay of(long ns) {
        LocalDate d = NewYorkTime.date(ns);
        int dow = d.getDayOfWeek().getValue();
        return new SessionDay(NewYorkTime.midnightNs(d), NewYorkTime.midnightNs(d.plusDays(1)), dow <= 5,
                at(d, 4, 0), at(d, 9, 30), at(d, 16, 0), at(d, 20, 0));
    }

    private static long at(LocalDate d, int hour, int minute) {
        return d.atTime(LocalTime.of(hour, minute)).atZone(NewYorkTime.ZONE).toEpochSecond() * NANOS_PER_SECOND;
    }

    public boolean contains(long ns) { return ns >= startNs && ns < endNs; }

    /** 09:30-16:00 on a weekday. */
    public boolean inRegularSession(long ns) { return weekday && ns >= openNs && ns < closeNs; }

    /** Pre-market 04:00-09:30 or after-hours 16:00-20:00 on a weekday (not the regular session). */
    public boolean inExtendedHours(long ns) {
        return weekday && (ns >= preMarketNs && ns < openNs || ns >= closeNs && ns < afterHoursEndNs);
    }
}
