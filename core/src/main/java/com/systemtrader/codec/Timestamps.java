package com.systemtrader.codec;

/**
 * RFC 3339 timestamps (Alpaca's wire format) to and from epoch nanoseconds without allocating, plus unit
 * helpers. Parsing accepts 0-9 fractional digits and {@code Z} or a numeric offset; formatting writes UTC with
 * {@code Z} and the shortest fraction (trailing zeros dropped, none when whole seconds), which is what Alpaca
 * sends.
 */
public final class Timestamps {
    public static final long NANOS_PER_MILLI = 1_000_000L;
    public static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L};

    private Timestamps() {}

    /** Wall-clock time in epoch nanoseconds (microsecond resolution on Linux). */
    public static long nowNs() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
    }

    public static long parseRfc3339(CharSequence s) {
        char[] c = new char[s.length()];
        for (int i = 0; i < c.length; i++) c[i] = s.charAt(i);
        return parseRfc3339(c, 0, c.length);
    }

    /**
     * @throws IllegalArgumentException when the text is not an RFC 3339 date-time, or one outside the range of
     *                                  epoch nanoseconds in a long (1677-09-21 to 2262-04-11)
     */
    public static long parseRfc3339(char[] b, int off, int len) {
        int end = off + len;
        if (len < 20 || b[off + 4] != '-' || b[off + 7] != '-' || (b[off + 10] != 'T' && b[off + 10] != 't'
                && b[off + 10] != ' ') || b[off + 13] != ':' || b[off + 16] != ':') {
            throw bad(b, off, len);
        }
        int year = digits(b, off, 4, off, len);
        int month = digits(b, off + 5, 2, off, len);
        int day = digits(b, off + 8, 2, off, len);
        int hour = digits(b, off + 11, 2, off, len);
        int minute = digits(b, off + 14, 2, off, len);
        int second = digits(b, off + 17, 2, off, len);
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59
                || second > 60) {
            throw bad(b, off, len);
        }
        int p = off + 19;
        long nanos = 0;
        if (p < end && b[p] == '.') {
            p++;
            int start = p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                if (p - start < 9) nanos = nanos * 10 + (b[p] - '0');
                p++;
            }
            int n = p - start;
            if (n == 0) throw bad(b, off, len);
            if (n < 9) nanos *= POW10[9 - n];
        }
        if (p >= end) throw bad(b, off, len);
        long offsetSeconds;
        char z = b[p];
        if ((z == 'Z' || z == 'z') && p + 1 == end) {
            offsetSeconds = 0;
        } else if ((z == '+' || z == '-') && p + 6 == end && b[p + 3] == ':') {
            int oh = digits(b, p + 1, 2, off, len);
            int om = digits(b, p + 4, 2, off, len);
            offsetSeconds = (oh * 3600L + om * 60L) * (z == '+' ? 1 : -1);
        } else {
            throw bad(b, off, len);
        }
        long epochSecond = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second
                - offsetSeconds;
        try {
            // epoch nanoseconds end at 2262-04-11T23:47:16.854775807Z (and 1677 backwards): no silent wrap
            return Math.addExact(Math.multiplyExact(epochSecond, NANOS_PER_SECOND), nanos);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("RFC 3339 timestamp out of the epoch-nanosecond range ("
                    + len + " characters)");
        }
    }

    /** Appends {@code "2024-05-30T14:31:02.118233088Z"} (with the quotes) for the given epoch nanoseconds. */
    public static void writeRfc3339Quoted(long epochNanos, JsonOut out) {
        out.raw('"');
        writeRfc3339(epochNanos, out);
        out.raw('"');
    }

    /** Appends the RFC 3339 text (no quotes). */
    public static void writeRfc3339(long epochNanos, JsonOut out) {
        long secs = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND);
        long days = Math.floorDiv(secs, 86_400L);
        int sod = (int) Math.floorMod(secs, 86_400L);
        // civil from days (H. Hinnant)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (m <= 2) y++;
        out.fixedDigits((int) y, 4).raw('-').fixedDigits(m, 2).raw('-').fixedDigits(d, 2).raw('T')
                .fixedDigits(sod / 3600, 2).raw(':').fixedDigits(sod / 60 % 60, 2).raw(':').fixedDigits(sod % 60, 2);
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            out.raw('.').fixedDigits(nanos, digits);
        }
        out.raw('Z');
    }

    public static String formatRfc3339(long epochNanos) {
        JsonOut out = new JsonOut(40);
        writeRfc3339(epochNanos, out);
        return out.toString();
    }

    /** Days since 1970-01-01 for a proleptic Gregorian date. */
    public static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /**
     * Converts a Unix timestamp of unknown unit to nanoseconds by its magnitude: seconds (up to 11 digits),
     * milliseconds (up to 14), microseconds (up to 17), else nanoseconds. Valid for dates 1973-2286; a value
     * whose conversion would overflow (a garbage timestamp) is an error rather than a wrapped time.
     *
     * @throws IllegalArgumentException when the value cannot be a timestamp in any of the four units
     */
    public static long toNanosByMagnitude(long t) {
        long a = Math.abs(t);
        try {
            if (a < 100_000_000_000L) return Math.multiplyExact(t, NANOS_PER_SECOND);
            if (a < 100_000_000_000_000L) return Math.multiplyExact(t, NANOS_PER_MILLI);
            if (a < 100_000_000_000_000_000L) return Math.multiplyExact(t, 1_000L);
            return t;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timestamp " + t + " is out of range for s, ms, us or ns");
        }
    }

    private static int digits(char[] b, int p, int n, int off, int len) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = b[p + i];
            if (c < '0' || c > '9') throw bad(b, off, len);
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The message names the length only: the text may come from a frame and must not reach a log. */
    private static IllegalArgumentException bad(char[] b, int off, int len) {
        return new IllegalArgumentException("not an RFC 3339 timestamp (" + len + " characters)");
    }
}
