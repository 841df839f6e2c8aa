package io.parley.web;

import java.time.Instant;
import java.util.Locale;

import io.parley.envelope.Tlp;

/**
 * What the web UI writes the same in every language: paths and links, TLP wire labels and their CSS classes, short
 * hashes. Everything read in words (times, durations, labels, meanings) is the reader's {@link io.parley.web.i18n.Texts}.
 */
public final class Fmt {
    private Fmt() {}

    /** The machine-readable form for {@code <time datetime>}. */
    public static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    /** The TLP label as the wire and FIRST write it, in every language: {@code TLP:AMBER+STRICT}. */
    public static String tlpLabel(Tlp tlp) {
        return "TLP:" + tlp.wire().toUpperCase(Locale.ROOT);
    }

    /** The CSS class of a TLP badge: tlp-clear, tlp-green, tlp-amber, tlp-amber-strict, tlp-red. */
    public static String tlpClass(Tlp tlp) {
        return "tlp tlp-" + tlp.wire().replace('+', '-');
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
}
