package io.parley.web.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.parley.web.i18n.Texts;

/**
 * The report's three kinds of chart, as inline SVG ({@link Svg}): durations over time (one line per party), counts as
 * stacked bars (deadlines met and missed), and a timeline of outages (line uptime). Every label arrives already in
 * the reader's language; numbers on the axes are written by {@link Texts}. No chart conveys anything by colour alone:
 * series differ by marker shape and dash too, a missed deadline is hatched as well as red, and each chart sits beside
 * a data table holding the same figures. The geometry is fixed (a viewBox the stylesheet scales), left to right in
 * every language, as time axes are read.
 */
public final class Charts {
    /** Series colours: dark enough on white for text contrast, distinct in greyscale print by their markers and dashes. */
    private static final String[] COLOURS = {"#1f4e79", "#a6480a", "#1b6b35", "#6a2c77", "#4d4d4d", "#8a6d00"};
    private static final String[] DASHES = {null, "6 3", "2 3", "8 3 2 3", "4 4", "1 2"};
    static final int WIDTH = 720;
    private static final String INK = "#1a1a1a", GRID = "#d0d0d0", FONT = "12";
    /** Steps for a duration axis: the first giving at most five intervals is used. */
    private static final List<Duration> STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1),
            Duration.ofDays(2), Duration.ofDays(5), Duration.ofDays(10), Duration.ofDays(30), Duration.ofDays(90));

    private Charts() {}

    /** One party's value per bucket (null: no case in that bucket). {@code key} is the wire name the markup carries. */
    public record Series(String key, String name, List<Duration> values) {}

    /** Durations over time: a line with markers per party, buckets along the x axis. */
    public static String lines(String id, String title, String desc, List<String> buckets, List<Series> series, String yAxis, String xAxis,
                               String noData, Texts t) {
        int left = 84, right = 24, top = 16, plotHeight = 220, legendRows = (series.size() + 2) / 3;
        int height = top + plotHeight + 56 + 22 * legendRows + 8;
        int plotWidth = WIDTH - left - right;
        Svg svg = new Svg(id, WIDTH, height, title, desc);
        long max = 0;
        for (Series s : series) for (Duration d : s.values()) if (d != null) max = Math.max(max, d.toSeconds());
        Duration step = STEPS.getLast();
        for (Duration d : STEPS) {
            if (max <= d.toSeconds() * 5) {
                step = d;
                break;
            }
        }
        long intervals = Math.max(1, (max + step.toSeconds() - 1) / step.toSeconds());
        double top0 = top, bottom = top + plotHeight;
        double perSecond = plotHeight / (double) (intervals * step.toSeconds());
        // grid and y labels
        for (int i = 0; i <= intervals; i++) {
            double y = bottom - i * step.toSeconds() * perSecond;
            svg.empty("line", "x1", left, "x2", left + plotWidth, "y1", y, "y2", y, "stroke", i == 0 ? INK : GRID, "stroke-width", 1);
            svg.text(left - 8, y + 4, t.duration(step.multipliedBy(i)), "text-anchor", "end", "font-size", FONT, "fill", INK);
        }
        svg.text(14, top0 + plotHeight / 2.0, yAxis, "text-anchor", "middle", "font-size", FONT, "fill", INK,
                "transform", "rotate(-90 14 " + Svg.value(top0 + plotHeight / 2.0) + ")", "class", "axis-label");
        // x labels: every bucket, or every other one when there are many
        int n = buckets.size();
        double dx = n <= 1 ? 0 : plotWidth / (double) (n - 1);
        int every = n > 12 ? (n + 11) / 12 : 1;
        for (int i = 0; i < n; i++) {
            double x = n <= 1 ? left + plotWidth / 2.0 : left + i * dx;
            svg.empty("line", "x1", x, "x2", x, "y1", bottom, "y2", bottom + 5, "stroke", INK);
            // the outer labels lean inwards, so that none is cut at the chart's edge
            String anchor = n > 1 && i == 0 ? "start" : n > 1 && i == n - 1 ? "end" : "middle";
            if (i % every == 0 || i == n - 1) svg.text(x, bottom + 20, buckets.get(i), "text-anchor", anchor, "font-size", FONT, "fill", INK);
        }
        svg.text(left + plotWidth / 2.0, bottom + 42, xAxis, "text-anchor", "middle", "font-size", FONT, "fill", INK, "class", "axis-label");
        if (max == 0) {
            svg.text(left + plotWidth / 2.0, top0 + plotHeight / 2.0, noData, "text-anchor", "middle", "font-size", "14", "fill", INK);
        }
        // one line per party, broken where a bucket has no value
        for (int s = 0; s < series.size(); s++) {
            Series se = series.get(s);
            if (se.values().stream().allMatch(java.util.Objects::isNull)) continue; // nothing to draw: left out of the legend too
            String colour = COLOURS[s % COLOURS.length], dash = DASHES[s % DASHES.length];
            StringBuilder run = new StringBuilder();
            int runLength = 0;
            for (int i = 0; i <= n; i++) {
                Duration d = i < n ? se.values().get(i) : null;
                if (d == null) {
                    if (runLength > 1) {
                        svg.empty("polyline", "points", run.toString().strip(), "fill", "none", "stroke", colour, "stroke-width", 2,
                                "stroke-dasharray", dash, "class", "series", "data-party", se.key());
                    }
                    run.setLength(0);
                    runLength = 0;
                    continue;
                }
                double x = n <= 1 ? left + plotWidth / 2.0 : left + i * dx, y = bottom - d.toSeconds() * perSecond;
                run.append(Svg.value(x)).append(',').append(Svg.value(y)).append(' ');
                runLength++;
            }
            for (int i = 0; i < n; i++) {
                Duration d = se.values().get(i);
                if (d == null) continue;
                double x = n <= 1 ? left + plotWidth / 2.0 : left + i * dx, y = bottom - d.toSeconds() * perSecond;
                marker(svg, s, x, y, colour, se.name() + " · " + buckets.get(i) + ": " + t.duration(d), "point", se.key(), d.toSeconds());
            }
        }
        // legend: marker, dash and name, three to a row
        double ly = bottom + 62;
        int shown = 0;
        for (int s = 0; s < series.size(); s++) {
            if (series.get(s).values().stream().allMatch(java.util.Objects::isNull)) continue;
            double lx = left + (shown % 3) * (plotWidth / 3.0);
            double y = ly + (shown / 3) * 22;
            shown++;
            String colour = COLOURS[s % COLOURS.length];
            svg.empty("line", "x1", lx, "x2", lx + 28, "y1", y - 4, "y2", y - 4, "stroke", colour, "stroke-width", 2,
                    "stroke-dasharray", DASHES[s % DASHES.length]);
            marker(svg, s, lx + 14, y - 4, colour, null, "legend-mark", null, -1);
            svg.text(lx + 36, y, series.get(s).name(), "font-size", FONT, "fill", INK, "class", "legend");
        }
        return svg.finish();
    }

    /** A marker of series {@code s}'s shape: circle, square, triangle, diamond, then again. */
    private static void marker(Svg svg, int s, double x, double y, String colour, String tip, String cls, String party, long seconds) {
        Object[] common = {"fill", colour, "stroke", "#ffffff", "stroke-width", 1, "class", cls, "data-party", party,
                "data-seconds", seconds < 0 ? null : seconds};
        Object[] shape = switch (s % 4) {
            case 0 -> new Object[] {"circle", "cx", x, "cy", y, "r", 4.5};
            case 1 -> new Object[] {"rect", "x", x - 4, "y", y - 4, "width", 8, "height", 8};
            case 2 -> new Object[] {"polygon", "points", pts(x, y - 5.5, x + 5, y + 4, x - 5, y + 4)};
            default -> new Object[] {"polygon", "points", pts(x, y - 5.5, x + 5.5, y, x, y + 5.5, x - 5.5, y)};
        };
        Object[] attrs = new Object[shape.length - 1 + common.length];
        System.arraycopy(shape, 1, attrs, 0, shape.length - 1);
        System.arraycopy(common, 0, attrs, shape.length - 1, common.length);
        if (tip == null) svg.empty((String) shape[0], attrs);
        else svg.withTitle((String) shape[0], tip, attrs);
    }

    private static String pts(double... xy) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < xy.length; i += 2) b.append(Svg.value(xy[i])).append(',').append(Svg.value(xy[i + 1])).append(' ');
        return b.toString().strip();
    }

    /** A part of a stacked bar: its wire key, its label, and whether it is a failure (red and hatched). */
    public record Segment(String key, String label, boolean failure) {}

    /** One bar: the party it belongs to, the row label, and a count per {@link Segment}. */
    public record Bar(String party, String label, int[] counts) {}

    /** Bars grouped under a heading (a party): e.g. its acknowledgements and its answers. */
    public record Group(String party, String heading, List<Bar> bars) {}

    /** Counts as horizontal stacked bars, grouped per party, with the counts written in the segments and after each bar. */
    public static String stacked(String id, String title, String desc, List<Segment> segments, List<Group> groups, String xAxis, String noData,
                                 Texts t) {
        int left = 150, right = 190, top = 8, barHeight = 22, gap = 6, headingHeight = 22, groupGap = 10;
        int plotWidth = WIDTH - left - right;
        int rows = 0;
        for (Group g : groups) rows += g.bars().size();
        int height = top + groups.size() * (headingHeight + groupGap) + rows * (barHeight + gap) + 70;
        Svg svg = new Svg(id, WIDTH, height, title, desc);
        svg.open("defs");
        svg.open("pattern", "id", svg.local("hatch"), "patternUnits", "userSpaceOnUse", "width", 6, "height", 6, "patternTransform", "rotate(45)");
        svg.empty("rect", "width", 6, "height", 6, "fill", "#f4c7c3");
        svg.empty("line", "x1", 0, "y1", 0, "x2", 0, "y2", 6, "stroke", "#b2182b", "stroke-width", 3);
        svg.close("pattern").close("defs");
        int max = 0;
        for (Group g : groups) for (Bar b : g.bars()) max = Math.max(max, sum(b.counts()));
        int step = Math.max(1, niceCount(max));
        int ticks = Math.max(1, (max + step - 1) / step);
        double perUnit = plotWidth / (double) (ticks * step);
        double y = top;
        double plotTop = top;
        for (Group g : groups) {
            svg.text(8, y + 15, g.heading(), "font-size", "13", "font-weight", "bold", "fill", INK, "class", "group-label", "data-party", g.party());
            y += headingHeight;
            for (Bar b : g.bars()) {
                svg.text(left - 8, y + barHeight / 2.0 + 4, b.label(), "text-anchor", "end", "font-size", FONT, "fill", INK);
                double x = left;
                for (int i = 0; i < segments.size(); i++) {
                    int c = b.counts()[i];
                    if (c == 0) continue;
                    Segment s = segments.get(i);
                    double w = c * perUnit;
                    svg.withTitle("rect", b.label() + " · " + s.label() + ": " + t.number(c), "x", x, "y", y, "width", w, "height", barHeight,
                            "fill", s.failure() ? "url(#" + svg.local("hatch") + ")" : "#1b6b35", "stroke", s.failure() ? "#b2182b" : "#1b6b35",
                            "class", "seg seg-" + s.key(), "data-party", b.party(), "data-segment", s.key(), "data-count", c);
                    if (w >= 22) {
                        svg.text(x + w / 2, y + barHeight / 2.0 + 4, t.number(c), "text-anchor", "middle", "font-size", FONT, "font-weight", "bold",
                                "fill", s.failure() ? "#000000" : "#ffffff");
                    }
                    x += w;
                }
                int total = sum(b.counts());
                StringBuilder after = new StringBuilder();
                for (int i = 0; i < segments.size(); i++) {
                    if (i > 0) after.append(" · ");
                    after.append(t.number(b.counts()[i])).append(' ').append(segments.get(i).label());
                }
                svg.text(x + 6, y + barHeight / 2.0 + 4, total == 0 ? noData : after.toString(), "font-size", FONT, "fill", INK);
                y += barHeight + gap;
            }
            y += groupGap;
        }
        // the count axis
        double bottom = y;
        for (int i = 0; i <= ticks; i++) {
            double x = left + i * step * perUnit;
            svg.empty("line", "x1", x, "x2", x, "y1", plotTop, "y2", bottom, "stroke", GRID, "stroke-width", 1);
            svg.text(x, bottom + 16, t.number((long) i * step), "text-anchor", "middle", "font-size", FONT, "fill", INK);
        }
        svg.empty("line", "x1", left, "x2", left, "y1", plotTop, "y2", bottom, "stroke", INK, "stroke-width", 1);
        svg.text(left + plotWidth / 2.0, bottom + 34, xAxis, "text-anchor", "middle", "font-size", FONT, "fill", INK, "class", "axis-label");
        // legend
        double lx = left;
        for (Segment s : segments) {
            svg.empty("rect", "x", lx, "y", bottom + 44, "width", 16, "height", 12, "fill", s.failure() ? "url(#" + svg.local("hatch") + ")" : "#1b6b35",
                    "stroke", s.failure() ? "#b2182b" : "#1b6b35");
            svg.text(lx + 22, bottom + 55, s.label(), "font-size", FONT, "fill", INK, "class", "legend");
            lx += 40 + 7 * s.label().length();
        }
        return svg.finish();
    }

    private static int sum(int[] counts) {
        int s = 0;
        for (int c : counts) s += c;
        return s;
    }

    /** A step of 1, 2 or 5 × 10ⁿ giving at most about five intervals up to {@code max}. */
    private static int niceCount(int max) {
        int step = 1;
        while (true) {
            for (int m : new int[] {1, 2, 5}) if (max <= step * m * 5) return step * m;
            step *= 10;
        }
    }

    /** An outage: when the line went down, and when it came back (null: still down). */
    public record Down(Instant from, Instant to, String tip) {}

    /** One peer's line over the period: its outages and a summary ("99.5 % up · 1 outage"). */
    public record Lane(String party, String heading, String summary, List<Down> outages) {}

    /**
     * The lines to peers over [from, to): a band per peer, up where plain, each outage a hatched red span; up to
     * {@code now} only (the rest of the period, if any, is left blank: it has not happened).
     */
    public static String timeline(String id, String title, String desc, Instant from, Instant to, Instant now, List<Lane> lanes, String upLabel,
                                  String downLabel, String noData, Texts t) {
        int left = 8, right = 16, top = 8, laneHeight = 20, headingHeight = 20, laneGap = 10;
        int plotWidth = WIDTH - left - right;
        int height = top + Math.max(1, lanes.size()) * (headingHeight + laneHeight + laneGap) + 60;
        Svg svg = new Svg(id, WIDTH, height, title, desc);
        svg.open("defs");
        svg.open("pattern", "id", svg.local("hatch"), "patternUnits", "userSpaceOnUse", "width", 6, "height", 6, "patternTransform", "rotate(45)");
        svg.empty("rect", "width", 6, "height", 6, "fill", "#f4c7c3");
        svg.empty("line", "x1", 0, "y1", 0, "x2", 0, "y2", 6, "stroke", "#b2182b", "stroke-width", 3);
        svg.close("pattern").close("defs");
        double span = Duration.between(from, to).toMillis();
        Instant end = now.isBefore(to) ? now : to;
        double y = top;
        if (lanes.isEmpty()) {
            svg.text(WIDTH / 2.0, y + 24, noData, "text-anchor", "middle", "font-size", "14", "fill", INK);
            y += headingHeight + laneHeight + laneGap;
        }
        for (Lane lane : lanes) {
            svg.text(left, y + 14, lane.heading(), "font-size", "13", "font-weight", "bold", "fill", INK, "class", "group-label", "data-party", lane.party());
            svg.text(WIDTH - right, y + 14, lane.summary(), "text-anchor", "end", "font-size", FONT, "fill", INK);
            y += headingHeight;
            if (end.isAfter(from)) {
                double w = Duration.between(from, end).toMillis() / span * plotWidth;
                svg.withTitle("rect", upLabel, "x", left, "y", y, "width", w, "height", laneHeight, "fill", "#d9ecdf", "stroke", "#1b6b35",
                        "class", "lane-up", "data-party", lane.party());
            }
            for (Down d : lane.outages()) {
                Instant s = d.from().isBefore(from) ? from : d.from();
                Instant e = d.to() == null || d.to().isAfter(end) ? end : d.to();
                if (!e.isAfter(s)) continue;
                double x = left + Duration.between(from, s).toMillis() / span * plotWidth;
                double w = Math.max(3, Duration.between(s, e).toMillis() / span * plotWidth); // a short outage stays visible
                svg.withTitle("rect", downLabel + ": " + d.tip(), "x", x, "y", y, "width", w, "height", laneHeight,
                        "fill", "url(#" + svg.local("hatch") + ")", "stroke", "#b2182b", "class", "outage", "data-party", lane.party());
            }
            y += laneHeight + laneGap;
        }
        // the date axis: five ticks
        for (int i = 0; i <= 4; i++) {
            double x = left + i * plotWidth / 4.0;
            Instant at = from.plusMillis((long) (span * i / 4));
            svg.empty("line", "x1", x, "x2", x, "y1", y - laneGap, "y2", y - laneGap + 5, "stroke", INK);
            svg.text(x, y + 10, t.date(at), "text-anchor", i == 0 ? "start" : i == 4 ? "end" : "middle", "font-size", FONT, "fill", INK);
        }
        svg.empty("line", "x1", left, "x2", left + plotWidth, "y1", y - laneGap, "y2", y - laneGap, "stroke", INK);
        double ly = y + 30;
        svg.empty("rect", "x", left, "y", ly - 10, "width", 16, "height", 12, "fill", "#d9ecdf", "stroke", "#1b6b35");
        svg.text(left + 22, ly, upLabel, "font-size", FONT, "fill", INK, "class", "legend");
        double dx = left + 40 + 7 * upLabel.length();
        svg.empty("rect", "x", dx, "y", ly - 10, "width", 16, "height", 12, "fill", "url(#" + svg.local("hatch") + ")", "stroke", "#b2182b");
        svg.text(dx + 22, ly, downLabel, "font-size", FONT, "fill", INK, "class", "legend");
        return svg.finish();
    }

    /** The buckets' labels for {@link #lines}: each bucket's first day. */
    public static List<String> bucketLabels(List<Instant> starts, Texts t) {
        List<String> out = new ArrayList<>();
        for (Instant s : starts) out.add(t.date(s));
        return out;
    }
}
