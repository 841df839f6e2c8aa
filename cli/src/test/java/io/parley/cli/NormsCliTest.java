package io.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;

/** Commitments, categories and preservation holds through {@code parley channel} and {@code parley case}, on two real nodes. */
class NormsCliTest {
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    @Test
    void channelWithCommitmentsAndACategorisedPreservationRequestWhoseHoldIsExtended() throws Exception {
        CaseCliTest.assertOneLineError(CaseCliTest.at(a, "channel", "propose", "--id", "line", "--level", "operational", "--member", "cert-b.example",
                "--tlp-ceiling", "amber", "--commitment", "un-gge-2015:13q"), "/commitments/0");
        CaseCliTest.ok(a, "channel", "propose", "--id", "line", "--level", "operational", "--member", "cert-b.example", "--tlp-ceiling", "amber",
                "--commitment", "budapest:29", "--commitment", "un-gge-2015:13h", "--commitment", "free:elections=No interference in elections");
        assertTrue(TestNodes.eventually(10, () -> b.node().channels().charter("line").isPresent()));
        CaseCliTest.ok(b, "channel", "sign", "line", "--charter-hash", b.node().channels().charter("line").orElseThrow().hash());
        assertTrue(TestNodes.eventually(15, () -> a.node().charters().active("line") && b.node().charters().active("line")));
        String shown = CaseCliTest.ok(b, "channel", "show", "line").out();
        assertTrue(shown.contains("budapest:29: Art. 29 Expedited preservation") && shown.contains("free:elections: No interference in elections"), shown);

        CaseCliTest.assertUsageError(CaseCliTest.at(a, "case", "open", "--channel", "line", "--type", "preservation", "--summary", "Keep logs",
                "--asked", "Preserve", "--data", "logs", "--hold-days", "30"), "at least 60");
        CaseCliTest.assertOneLineError(CaseCliTest.at(a, "case", "open", "--channel", "line", "--type", "trace", "--summary", "x", "--asked", "y",
                "--commitment", "osce-cbm:8"), "/body/commitments/0");
        CaseCliTest.assertOneLineError(CaseCliTest.at(a, "case", "open", "--channel", "line", "--type", "trace", "--summary", "x", "--asked", "y",
                "--category", "nonsense/thing"), "/body/category");
        var opened = CaseCliTest.ok(a, "case", "open", "--channel", "line", "--type", "preservation", "--summary", "Keep the mail logs",
                "--asked", "Preserve and confirm", "--data", "Mail server logs of 20-23 Nov", "--identifier", "ipv4:192.0.2.10",
                "--category", "intrusions/system-compromise", "--commitment", "budapest:29", "--hold-days", "90");
        String out = opened.out();
        assertTrue(out.contains("category:    intrusions/system-compromise") && out.contains("invokes:     budapest:29"), out);
        assertTrue(out.contains("hold:        until ") && out.contains("90 days asked"), out);
        String id = CaseCliTest.caseId(out);
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()));
        CaseCliTest.assertOneLineError(CaseCliTest.at(b, "case", "update", id, "--hold-extend-days", "30"), "only the party that asked");

        clock.advance(Duration.ofDays(5));
        String ext = CaseCliTest.ok(a, "case", "update", id, "--hold-extend-days", "30").out();
        assertTrue(ext.contains("extended 1 time"), ext);
        assertEquals(List.of(120L), List.of(Duration.between(a.cases().timeline(id).orElseThrow().openedAt(),
                a.cases().timeline(id).orElseThrow().norms().hold().until()).toDays()));
        assertTrue(TestNodes.eventually(10, () -> CaseCliTest.at(b, "case", "show", id).out().contains("extended 1 time")));
        String report = CaseCliTest.ok(a, "report", "--channel", "line").out();
        assertTrue(report.contains("requests citing Art. 29 Expedited preservation (budapest:29): 1, answered in time: 0"), report);
        assertTrue(report.contains("category intrusions/system-compromise (System compromise): 1 case(s)"), report);
        String csv = CaseCliTest.ok(a, "report", "--channel", "line", "--csv", "--norms").out();
        assertTrue(csv.startsWith("channel,section,id,title") && csv.contains("line,commitment,budapest:29,"), csv);
    }
}
