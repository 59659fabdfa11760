package com.systemtrader.sip;

import com.systemtrader.calendar.NewYorkTime;
import java.time.LocalDateTime;

/** New York wall-clock times as epoch nanoseconds, for the eligibility tests. */
final class Times {
    /** Wednesday 2024-05-29, a regular trading day (EDT). */
    static final long REGULAR = ny("2024-05-29T10:00");
    static final long PRE_MARKET = ny("2024-05-29T07:00");
    static final long AFTER_HOURS = ny("2024-05-29T17:00");
    static final long OVERNIGHT = ny("2024-05-29T21:00");
    static final long SATURDAY = ny("2024-06-01T10:00");

    private Times() {}

    static long ny(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(NewYorkTime.ZONE).toEpochSecond() * 1_000_000_000L;
    }
}
