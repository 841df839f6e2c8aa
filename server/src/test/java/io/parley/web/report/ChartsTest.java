package io.parley.web.report;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.parley.web.i18n.Texts;

/**
 * The chart builder: names chosen by peers are text, never markup; no style attribute (the CSP forbids inline
 * styles); every chart names itself for screen readers; and the marks are where the numbers say.
 */
class ChartsTest {
    static final String HOSTILE = "<script>alert(1)</script>\"' onload=\"x";
    final Texts en = Texts.english();

    @Test
    void partyNamesAreEscapedAndNoStyleAttributeIsWritten() {
        String bars = Charts.stacked("d", "Deadlines " + HOSTILE, "desc " + HOSTILE, List.of(new Charts.Segment("met", "in time", false),
                new Charts.Segment("missed", "missed", true)), List.of(new Charts.Group(HOSTILE, HOSTILE, List.of(new Charts.Bar(HOSTILE, HOSTILE, new int[] {3, 1})))),
                "Number", "none", en);
        String lines = Charts.lines("l", HOSTILE, HOSTILE, List.of("2026-11-02", "2026-11-09"),
                List.of(new Charts.Series(HOSTILE, HOSTILE, Arrays.asList(Duration.ofMinutes(10), null))), HOSTILE, HOSTILE, HOSTILE, en);
        String timeline = Charts.timeline("t", HOSTILE, HOSTILE, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-08T00:00:00Z"),
                Instant.parse("2026-11-08T00:00:00Z"), List.of(new Charts.Lane(HOSTILE, HOSTILE, HOSTILE,
                        List.of(new Charts.Down(Instant.parse("2026-11-02T00:00:00Z"), Instant.parse("2026-11-02T06:00:00Z"), HOSTILE)))),
                "up", "down", "none", en);
        for (String svg : List.of(bars, lines, timeline)) {
            assertFalse(svg.contains("<script") || svg.contains("onload=\"x"), svg);
            assertTrue(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39; onload=&quot;x"), svg);
            assertFalse(svg.contains("style="), "the CSP's style-src forbids style attributes: " + svg);
            assertTrue(svg.startsWith("<svg ") && svg.contains("role=\"img\"") && svg.contains("<title id=") && svg.contains("<desc id="), svg);
        }
    }

    @Test
    void marksFollowTheFigures() {
        String bars = Charts.stacked("d", "t", "d", List.of(new Charts.Segment("met", "in time", false), new Charts.Segment("missed", "missed", true)),
                List.of(new Charts.Group("b", "b", List.of(new Charts.Bar("b", "ack", new int[] {3, 1})))), "n", "none", en);
        assertTrue(bars.contains("data-segment=\"met\" data-count=\"3\"") && bars.contains("data-segment=\"missed\" data-count=\"1\""), bars);
        assertTrue(bars.contains("fill=\"url(#d-hatch)\""), "the missed part is hatched");
        String lines = Charts.lines("l", "t", "d", List.of("w1", "w2", "w3"),
                List.of(new Charts.Series("b", "b", Arrays.asList(Duration.ofMinutes(10), null, Duration.ofMinutes(5))),
                        new Charts.Series("c", "c", Arrays.asList(null, null, null))), "y", "x", "none", en);
        assertEquals(2, lines.split("class=\"point\" data-party=\"b\"").length - 1, "a point per week with a figure");
        assertFalse(lines.contains("data-party=\"c\""), "a party without any figure is not drawn");
        assertFalse(lines.contains("<polyline"), "no line across the week without a figure");
    }
}
