package com.systemtrader.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** New York session arithmetic (the US equity calendar, without holidays). */
public final class NewYorkTime {
    public static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NewYorkTime() {}

    /** Epoch nanoseconds of midnight New York time of the day containing {@code ns}. */
    public static long midnightNs(long ns) {
        LocalDate d = date(ns);
        return d.atStartOfDay(ZONE).toEpochSecond() * NANOS_PER_SECOND;
    }

    public static LocalDate date(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, NANOS_PER_SECOND)).atZone(ZONE).toLocalDate();
    }

    public static long midnightNs(LocalDate day) {
        return day.atStartOfDay(ZONE).toEpochSecond() * NANOS_PER_SECOND;
    }

    /** Minutes since New York midnight. */
    public static int minuteOfDay(long ns) {
        ZonedDateTime t = Instant.ofEpochSecond(Math.floorDiv(ns, NANOS_PER_SECOND)).atZone(ZONE);
        return t.getHour() * 60 + t.getMinute();
    }

    public static boolean isWeekday(long ns) {
        DayOfWeek d = date(ns).getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY;
    }

    /** 04:00-20:00 on a weekday. */
    public static boolean inExtendedSession(long ns) {
        int m = minuteOfDay(ns);
        return isWeekday(ns) && m >= 4 * 60 && m < 20 * 60;
    }

    /** 09:30-16:00 on a weekday. */
    public static boolean inRegularSession(long ns) {
        int m = minuteOfDay(ns);
        return isWeekday(ns) && m >= 9 * 60 + 30 && m < 16 * 60;
    }
}
