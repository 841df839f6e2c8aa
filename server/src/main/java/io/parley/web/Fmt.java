package io.parley.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.parley.envelope.Tlp;

/** How the web UI writes times, durations and labels: UTC everywhere, compact, the same on every page. */
public final class Fmt {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Fmt() {}

    /** {@code 2026-11-23 08:00 UTC}, or a dash. */
    public static String time(Instant t) {
        return t == null ? "—" : MINUTES.format(t) + " UTC";
    }

    /** {@code 2026-11-23 08:00:12 UTC}, or a dash. */
    public static String seconds(Instant t) {
        return t == null ? "—" : SECONDS.format(t) + " UTC";
    }

    /** The machine-readable form for {@code <time datetime>}. */
    public static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    /** "in 12 min" or "40 min ago" relative to {@code now}. */
    public static String relative(Instant t, Instant now) {
        if (t == null) return "";
        Duration d = Duration.between(now, t);
        if (d.abs().toSeconds() < 30) return "now";
        return d.isNegative() ? duration(d.negated()) + " ago" : "in " + duration(d);
    }

    /** A duration as a person says it: "45 s", "15 min", "2 h 30 min", "5 d", "1 d 4 h". */
    public static String duration(Duration d) {
        if (d == null) return "—";
        long s = Math.abs(d.toSeconds());
        if (s < 60) return s + " s";
        long m = s / 60;
        if (m < 60) return m + " min";
        long h = m / 60, rm = m % 60;
        if (h < 24) return rm == 0 ? h + " h" : h + " h " + rm + " min";
        long days = h / 24, rh = h % 24;
        return rh == 0 ? days + " d" : days + " d " + rh + " h";
    }

    public static String tlpLabel(Tlp tlp) {
        return "TLP:" + tlp.wire().toUpperCase(Locale.ROOT);
    }

    /** The CSS class of a TLP badge: tlp-clear, tlp-green, tlp-amber, tlp-amber-strict, tlp-red. */
    public static String tlpClass(Tlp tlp) {
        return "tlp tlp-" + tlp.wire().replace('+', '-');
    }

    /** What a TLP label means, for the badge's title (FIRST TLP 2.0). */
    public static String tlpMeaning(Tlp tlp) {
        return switch (tlp) {
            case CLEAR -> "TLP:CLEAR: disclosure is not limited";
            case GREEN -> "TLP:GREEN: limited disclosure, the recipient's community";
            case AMBER -> "TLP:AMBER: limited disclosure, the recipient's organisation and its clients on a need-to-know basis";
            case AMBER_STRICT -> "TLP:AMBER+STRICT: limited disclosure, the recipient's organisation only";
            case RED -> "TLP:RED: for the eyes and ears of individual recipients only";
        };
    }

    /** Capitalised first letter, for labels made of wire words ("in_progress" becomes "In progress"). */
    public static String label(String wire) {
        if (wire == null || wire.isEmpty()) return "";
        String s = wire.replace('_', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The first 12 hex digits of a hash, for tables (the full hash is in the title). */
    public static String shortHash(String hash) {
        return hash == null ? "" : hash.length() <= 12 ? hash : hash.substring(0, 12);
    }

    /** One URL path segment, percent-encoded (ids may hold any character but space and '+'). */
    public static String path(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The web page of a case, or one of its actions ({@code action} null: the page). A case id names a case only
     * within its channel, so every link carries both.
     */
    public static String caseHref(String id, String channel, String action) {
        return "/cases/" + path(id) + (action == null ? "" : "/" + path(action)) + "?channel=" + path(channel);
    }

    public static String percent(Double p) {
        return p == null ? "—" : (p == Math.floor(p) ? Long.toString(p.longValue()) : p.toString()) + " %";
    }
}
