package io.parley.cases;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.charter.Level;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.timeline.CaseState;

/** The hotline workflow on three real nodes sharing a fake clock. */
class CaseWorkflowTest {
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b, c;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        c = TestNodes.start(tmp, "mfa-c.example", null, clock);
        TestNodes.peerAll(a, b, c);
        Map<Priority, Charter.Deadlines> d = new EnumMap<>(Priority.class);
        d.put(Priority.FLASH, new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4)));
        d.put(Priority.URGENT, new Charter.Deadlines(Duration.ofHours(2), Duration.ofHours(24)));
        d.put(Priority.ROUTINE, new Charter.Deadlines(Duration.ofHours(24), Duration.ofDays(5)));
        List<Charter.Member> members = new ArrayList<>();
        for (NodeServer n : List.of(a, b, c)) members.add(new Charter.Member(n.node().origin(), n.node().key().verifierKey(), n.baseUrl()));
        Charter charter = new Charter("tri", "hotline", Level.OPERATIONAL, members, d, Tlp.AMBER,
                List.of(new Charter.Rung(Duration.ZERO, "CERT duty officer", null), new Charter.Rung(Duration.ofMinutes(30), "head of CERT", null),
                        new Charter.Rung(Duration.ofHours(2), "ministry level", null)));
        assertEquals(201, TestNodes.post(a, "/api/v1/channels", Json.write(charter.toJson())).statusCode());
        for (NodeServer n : List.of(b, c)) {
            assertTrue(TestNodes.eventually(10, () -> n.node().channels().charter("tri").isPresent()));
            assertEquals(200, TestNodes.post(n, "/api/v1/channels/tri/sign", TestNodes.signBody(charter)).statusCode());
        }
        for (NodeServer n : List.of(a, b, c)) assertTrue(TestNodes.eventually(15, () -> n.node().charters().active("tri")));
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b, c}) if (n != null) n.close();
    }

    String openRequest(NodeServer from, String summary) throws Exception {
        var res = TestNodes.post(from, "/api/v1/channels/tri/cases", Json.write(Json.object().put("kind", "request").put("priority", "flash").put("tlp", "amber")
                .set("body", Json.object().put("type", "mitigation").put("summary", summary).put("asked", "Sinkhole the C2 domain")
                        .put("legal_basis", "Budapest Convention art. 25").set("window", Json.object().put("from", "2026-11-23T06:00:00Z")))));
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("id").asText();
    }

    JsonNode caseAt(NodeServer n, String id) throws Exception {
        return Json.parse(TestNodes.get(n, "/api/v1/cases/" + id).body());
    }

    boolean reached(NodeServer n, String id) {
        return n.cases().timeline(id).isPresent();
    }

    @Test
    void flashRequestAcknowledgedInTimeVersusOneLeftUnansweredThatEscalates() throws Exception {
        String answered = openRequest(a, "Ransomware C2 in your AS");
        String ignored = openRequest(a, "Second C2, please look");
        assertTrue(TestNodes.eventually(10, () -> reached(b, answered) && reached(b, ignored) && reached(c, ignored)));

        clock.advance(Duration.ofMinutes(5));
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + answered + "/ack", "{\"text\":\"On it\"}").statusCode());
        // logged by a before the clock moves on: a message logged long after its signed time counts at its log time
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(answered).map(t -> t.ackedAt() != null).orElse(false)));
        clock.advance(Duration.ofMinutes(30));
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + answered + "/answer", "{\"text\":\"Sinkholed at 09:00\"}").statusCode());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(answered).map(t -> t.state() == CaseState.ANSWERED).orElse(false)));

        // the other request passes its 15-minute acknowledgement deadline unanswered: everyone sees the miss
        clock.advance(Duration.ofMinutes(20));
        for (NodeServer n : List.of(a, b, c)) {
            n.deadlines().tick();
            var view = caseAt(n, ignored);
            assertEquals("missed", view.path("ack_status").asText(), n.node().origin());
            assertEquals("open", view.path("state").asText());
        }
        var ok = caseAt(a, answered);
        assertEquals("met", ok.path("ack_status").asText());
        assertEquals("met", ok.path("answer_status").asText());
        // escalation: rung 0 fired on each node, as a signed escalate envelope, and locally notified
        // 55 minutes after opening, 40 past the deadline: rungs at +0 and +30 minutes have fired on each of the three nodes
        assertTrue(TestNodes.eventually(10, () -> countKind(a, ignored, Kind.ESCALATE) == 6), "two escalate envelopes from each node reach a");
        assertTrue(a.notifier().sent(ignored).stream().anyMatch(s -> s.subject().contains("escalated to CERT duty officer")));
        assertTrue(a.notifier().sent(ignored).stream().anyMatch(s -> s.subject().contains("head of CERT")));
        assertFalse(a.notifier().sent(ignored).stream().anyMatch(s -> s.subject().contains("ministry level")), "not yet");
        clock.advance(Duration.ofHours(2));
        a.deadlines().tick();
        assertTrue(a.notifier().sent(ignored).stream().anyMatch(s -> s.subject().contains("ministry level")));
        int before = countKindFrom(a, ignored, Kind.ESCALATE, "cert-a.example");
        a.deadlines().tick();
        assertEquals(before, countKindFrom(a, ignored, Kind.ESCALATE, "cert-a.example"), "a rung fires once");

        // the responsiveness report shows the same figures on both sides
        String q = "/api/v1/reports/responsiveness?channel=tri&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z";
        JsonNode ra = Json.parse(TestNodes.get(a, q).body()), rb = Json.parse(TestNodes.get(b, q).body());
        JsonNode rowA = row(ra, "cert-b.example"), rowB = row(rb, "cert-b.example");
        assertEquals(2, rowA.path("requests").asInt());
        assertEquals(1, rowA.path("acknowledged_in_time").asInt());
        assertEquals(1, rowA.path("acknowledgement_missed").asInt());
        assertEquals(50.0, rowA.path("acknowledged_in_time_percent").asDouble());
        assertEquals(300, rowA.path("median_ack_seconds").asLong());
        for (String field : List.of("requests", "acknowledged_in_time", "acknowledgement_missed", "answered_in_time", "answer_missed", "median_ack_seconds", "p90_ack_seconds")) {
            assertEquals(rowA.path(field), rowB.path(field), field + " is the same on both nodes");
        }
        String csv = TestNodes.get(a, q + "&format=csv").body();
        assertTrue(csv.startsWith("channel,party,"), csv);
        assertTrue(csv.contains("tri,cert-b.example,"), csv);
    }

    @Test
    void humanPingAnsweredVersusMissedAndAutomaticPong() throws Exception {
        var auto = Json.parse(TestNodes.post(a, "/api/v1/channels/tri/ping", "{\"mode\":\"auto\"}").body()).path("id").asText();
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(auto).map(t -> t.responses().size() == 2).orElse(false)), "b and c pong by themselves");
        var answered = Json.parse(TestNodes.post(a, "/api/v1/channels/tri/ping", "{\"mode\":\"human\",\"priority\":\"flash\"}").body()).path("id").asText();
        var missed = Json.parse(TestNodes.post(a, "/api/v1/channels/tri/ping", "{\"mode\":\"human\",\"priority\":\"flash\"}").body()).path("id").asText();
        assertTrue(TestNodes.eventually(10, () -> reached(b, answered) && reached(b, missed)));
        clock.advance(Duration.ofMinutes(3));
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + answered + "/ack", "{\"text\":\"duty officer here\"}").statusCode());
        // a logs the ack before the deadline passes: an ack logged after it would count at its log time (time honesty)
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(answered).map(t -> t.ackedAt() != null).orElse(false)));
        clock.advance(Duration.ofMinutes(20));
        assertEquals("met", caseAt(a, answered).path("ack_status").asText());
        assertEquals("missed", caseAt(a, missed).path("ack_status").asText());
        JsonNode row = row(Json.parse(TestNodes.get(a, "/api/v1/reports/responsiveness?channel=tri&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z").body()), "cert-b.example");
        assertEquals(3, row.path("ping_tests").asInt());
        assertEquals(1, row.path("ping_tests_failed").asInt());
    }

    @Test
    void deadlinesAndEscalationsSurviveARestart() throws Exception {
        String id = openRequest(a, "Exfiltration via your hosting provider");
        assertTrue(TestNodes.eventually(10, () -> reached(b, id)));
        int port = a.port();
        a.close();
        clock.advance(Duration.ofMinutes(16));
        a = TestNodes.start(tmp, "cert-a.example", null, clock, port);
        a.deadlines().tick();
        assertEquals("missed", caseAt(a, id).path("ack_status").asText());
        int escalations = countKindFrom(a, id, Kind.ESCALATE, "cert-a.example");
        assertTrue(escalations >= 1);
        a.close();
        a = TestNodes.start(tmp, "cert-a.example", null, clock, port);
        a.deadlines().tick();
        assertEquals(escalations, countKindFrom(a, id, Kind.ESCALATE, "cert-a.example"), "no rung fired twice after a restart");
    }

    @Test
    void caseFieldsAreCheckedAndLifecycleRulesHold() throws Exception {
        var bad = TestNodes.post(a, "/api/v1/channels/tri/cases", "{\"kind\":\"request\",\"body\":{\"type\":\"gossip\",\"summary\":\"x\",\"asked\":\"y\"}}");
        assertEquals(422, bad.statusCode());
        assertEquals("/body/type", Json.parse(bad.body()).path("errors").get(0).path("pointer").asText());
        var noAsk = TestNodes.post(a, "/api/v1/channels/tri/cases", "{\"kind\":\"request\",\"body\":{\"type\":\"trace\",\"summary\":\"x\"}}");
        assertEquals(422, noAsk.statusCode());
        String id = openRequest(a, "Trace this IP");
        assertEquals(409, TestNodes.post(a, "/api/v1/cases/" + id + "/ack", "{}").statusCode(), "the opener cannot acknowledge its own case");
        assertTrue(TestNodes.eventually(10, () -> reached(b, id)));
        assertEquals(403, TestNodes.post(b, "/api/v1/cases/" + id + "/retract", "{}").statusCode(), "only the opener retracts");
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + id + "/update", "{\"text\":\"looking\"}").statusCode());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(id).map(t -> t.state() == CaseState.IN_PROGRESS).orElse(false)));
        assertEquals(200, TestNodes.post(a, "/api/v1/cases/" + id + "/close", "{\"text\":\"resolved\"}").statusCode());
        assertEquals(409, TestNodes.post(a, "/api/v1/cases/" + id + "/close", "{}").statusCode());
        var list = Json.parse(TestNodes.get(a, "/api/v1/cases").body());
        assertTrue(list.isArray());
        boolean found = false;
        for (JsonNode cse : list) {
            if (cse.path("id").asText().equals(id)) {
                found = true;
                assertEquals("closed", cse.path("state").asText());
                assertEquals("tri", cse.path("channel").asText());
                assertTrue(cse.path("deadlines").has("ack"));
            }
        }
        assertTrue(found);
    }

    static JsonNode row(JsonNode report, String party) {
        for (JsonNode r : report.path("parties")) if (r.path("party").asText().equals(party)) return r;
        throw new AssertionError("no row for " + party + " in " + report);
    }

    static int countKind(NodeServer n, String caseId, Kind kind) {
        return (int) n.node().envelopes().inCase("tri", caseId).stream().filter(s -> s.envelope().kind() == kind).count();
    }

    static int countKindFrom(NodeServer n, String caseId, Kind kind, String from) {
        return (int) n.node().envelopes().inCase("tri", caseId).stream().filter(s -> s.envelope().kind() == kind && s.envelope().from().equals(from)).count();
    }
}
