package io.parley.evidence;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * STIX 2.1 timestamps (§3.2): RFC 3339, always UTC with a literal {@code Z}; {@code created}/{@code modified} MUST have
 * millisecond precision, so Parley always writes exactly three fractional digits.
 */
public final class StixTime {
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private StixTime() {}

    /** Whether a STIX timestamp can spell {@code instant}: its pattern has four unsigned digits of year. */
    public static boolean spellable(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    /** {@code instant} as a STIX timestamp with millisecond precision, e.g. {@code 2024-01-15T10:00:00.000Z}. */
    public static String format(Instant instant) {
        return MILLIS.format(instant);
    }

    /** True when {@code text} has the shape the official {@code timestamp.json} pattern demands. */
    static boolean wellFormed(String text) {
        // Hand-written equivalent of the schema's regex: this runs for every timestamp of every object.
        int n = text.length();
        if (n < 20 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return false;
        }
        if (!digits(text, 0, 4) || !digits(text, 5, 7) || !digits(text, 8, 10) || !digits(text, 11, 13)
                || !digits(text, 14, 16) || !digits(text, 17, 19)) {
            return false;
        }
        int month = num(text, 5, 7);
        int day = num(text, 8, 10);
        int hour = num(text, 11, 13);
        int minute = num(text, 14, 16);
        int second = num(text, 17, 19);
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
            return false;
        }
        if (n == 20) {
            return true;
        }
        return text.charAt(19) == '.' && n > 21 && digits(text, 20, n - 1);
    }

    /**
     * The instant, when {@code text} is well formed and names a real moment (the schema's regex accepts
     * {@code 2023-02-30}); a leap second {@code :60} is accepted by the spec but cannot be compared, so it yields empty.
     */
    static Optional<Instant> parse(String text) {
        if (text == null || !wellFormed(text)) {
            return Optional.empty();
        }
        int year = num(text, 0, 4);
        int month = num(text, 5, 7);
        int day = num(text, 8, 10);
        int second = num(text, 17, 19);
        if (second == 60 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return Optional.empty();
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400L + num(text, 11, 13) * 3600L + num(text, 14, 16) * 60L + second;
        int nanos = 0;
        int n = text.length();
        for (int i = 20, scale = 100_000_000; i < n - 1 && scale > 0; i++, scale /= 10) {
            nanos += (text.charAt(i) - '0') * scale; // digits beyond nanoseconds cannot change an ordering we report
        }
        return Optional.of(Instant.ofEpochSecond(seconds, nanos));
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
