package io.parley.web.report;

import java.util.Locale;

/**
 * A small writer of inline SVG for the report's charts, drawn on the server so the page needs no script and the
 * strict CSP stays ({@code style-src 'self'} forbids style attributes, so only presentation attributes such as
 * {@code fill} and {@code stroke} are written, and the stylesheet's classes do the rest). Every text and attribute
 * value is escaped here, once: party names come from peers' cards and must never become markup. Each chart carries a
 * {@code title} and {@code desc} for screen readers, referenced by {@code aria-labelledby}.
 */
public final class Svg {
    private final StringBuilder out = new StringBuilder();
    private final String id;
    private boolean closed;

    /** A chart {@code width} × {@code height} user units wide; {@code id} prefixes its internal ids (unique on the page). */
    public Svg(String id, int width, int height, String title, String desc) {
        this.id = id;
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" preserveAspectRatio=\"xMinYMin meet\" direction=\"ltr\" aria-labelledby=\"").append(esc(id)).append("-t ")
                .append(esc(id)).append("-d\" id=\"").append(esc(id)).append("\">");
        out.append("<title id=\"").append(esc(id)).append("-t\">").append(esc(title)).append("</title>");
        out.append("<desc id=\"").append(esc(id)).append("-d\">").append(esc(desc)).append("</desc>");
    }

    /** An id local to this chart, e.g. for a fill pattern. */
    public String local(String name) {
        return id + "-" + name;
    }

    /** An element without content; {@code attrs} are name, value pairs (a null value leaves the attribute out). */
    public Svg empty(String name, Object... attrs) {
        start(name, attrs);
        out.append("/>");
        return this;
    }

    /** An element holding only a tooltip title (what a pointer shows on hover; screen readers use the data table). */
    public Svg withTitle(String name, String title, Object... attrs) {
        start(name, attrs);
        out.append("><title>").append(esc(title)).append("</title></").append(name).append('>');
        return this;
    }

    public Svg open(String name, Object... attrs) {
        start(name, attrs);
        out.append('>');
        return this;
    }

    public Svg close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    public Svg text(double x, double y, String text, Object... attrs) {
        Object[] all = new Object[attrs.length + 4];
        all[0] = "x";
        all[1] = x;
        all[2] = "y";
        all[3] = y;
        System.arraycopy(attrs, 0, all, 4, attrs.length);
        start("text", all);
        out.append('>').append(esc(text)).append("</text>");
        return this;
    }

    private void start(String name, Object... attrs) {
        if (closed) throw new IllegalStateException("chart already finished");
        if (attrs.length % 2 != 0) throw new IllegalArgumentException("attributes come in name, value pairs");
        out.append('<').append(name);
        for (int i = 0; i < attrs.length; i += 2) {
            if (attrs[i + 1] == null) continue;
            out.append(' ').append(attrs[i]).append("=\"").append(esc(value(attrs[i + 1]))).append('"');
        }
    }

    /** Numbers with a dot and at most two decimals, whatever the JVM's locale. */
    static String value(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d)) return Long.toString((long) d);
            return String.format(Locale.ROOT, "%.2f", d);
        }
        return String.valueOf(v);
    }

    /** The finished SVG markup. */
    public String finish() {
        if (!closed) {
            out.append("</svg>");
            closed = true;
        }
        return out.toString();
    }

    /** XML escaping for text and double-quoted attribute values. */
    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // characters XML 1.0 does not allow are dropped rather than breaking the page
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') b.append(c);
                }
            }
        }
        return b.toString();
    }
}
