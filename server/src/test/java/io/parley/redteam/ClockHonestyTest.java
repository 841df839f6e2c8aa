package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.receipt.LogTime;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;

/**
 * Time honesty: a member's signed {@code created} time is its own word. A dishonest member (evil.example, a real
 * pinned peer whose key the test holds) dates envelopes as it likes; the recipient's log time decides when they count,
 * the skew is flagged on the case, in the report and in the bundle, and the offline verifier recomputes the same.
 */
class ClockHonestyTest {
    static final String EVIL = "evil.example";
    @TempDir
    Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, evil;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        evil = TestNodes.start(tmp, EVIL, null, clock);
        TestNodes.peerAll(a, evil);
    }

    @AfterEach
    void stop() {
        if (a != null) a.close();
        if (evil != null) evil.close();
    }

    private String channel(Duration skew) throws Exception {
        String id = "clock-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Charter c = TestNodes.charter(id, Tlp.AMBER, a, evil);
        if (skew != null) c = c.withPractice(new Practice(skew, List.of(), null, List.of()));
        TestNodes.establish(c, a, evil);
        return id;
    }

    /** evil's request in {@code channel} dated {@code created}, delivered straight to a's inbox; returns a's answer. */
    private JsonNode request(String channel, Instant created) throws Exception {
        ObjectNode body = Json.object().put("type", "information").put("summary", "who owns 203.0.113.7").put("asked", "the owner");
        Envelope e = HostileChain.of(evil, channel).next(Kind.REQUEST, CaseIds.newId(EVIL, created), Tlp.AMBER, body, created);
        JsonNode answer = HostileChain.deliver(a, e);
        assertEquals("accepted", answer.path("status").asText(), answer.toString());
        return ((ObjectNode) answer).put("case", e.caseId());
    }

    private JsonNode caseAt(NodeServer n, String id) throws Exception {
        var res = TestNodes.get(n, "/api/v1/cases/" + id);
        assertEquals(200, res.statusCode(), res.body());
        return Json.parse(res.body());
    }

    private ObjectNode bundle(String id) throws Exception {
        var res = TestNodes.get(a, "/api/v1/cases/" + id + "/evidence");
        assertEquals(200, res.statusCode(), res.body());
        return (ObjectNode) Json.parse(res.body());
    }

    @Test
    void backdatedRequestStartsItsDeadlinesAtTheRecipientsLogTime() throws Exception {
        String ch = channel(null);
        Instant now = clock.instant();
        JsonNode answer = request(ch, now.minus(Duration.ofHours(3)));
        String id = answer.path("case").asText();

        // the receipt carries a's signed word of when it logged the envelope, for the sender to keep
        LogTime logged = LogTime.fromJson(answer.path("receipt").path("logged"));
        assertEquals(now, logged.loggedAt());
        assertEquals("cert-a.example", logged.log());
        assertTrue(logged.verifies(a.node().key().verifierKey()));

        JsonNode c = caseAt(a, id);
        assertEquals(now.toString(), c.path("opened_at").asText(), "the deadlines run from a's log time, not from the claimed time");
        assertEquals(now.plus(Duration.ofMinutes(15)).toString(), c.path("ack_due").asText());
        assertEquals("pending", c.path("ack_status").asText(), "taken at its word, the request would be 3 h old and its 15 min ack deadline missed");
        JsonNode f = c.path("clock_findings").get(0);
        assertEquals(EVIL, f.path("sender").asText());
        assertEquals("backdated", f.path("direction").asText());
        assertEquals("cert-a.example", f.path("logged_by").asText());
        assertEquals(now.toString(), f.path("logged_at").asText());
        assertEquals(now.minus(Duration.ofHours(3)).toString(), f.path("created").asText());
        assertEquals(3 * 3600, f.path("skew_seconds").asLong());

        // the duty officer's case page and channel report say so
        String cookie = io.parley.testing.WebSessions.signIn(a);
        String page = io.parley.testing.WebSessions.get(a, cookie, "/cases/" + id).body();
        assertTrue(page.contains("Backdated: 3h") && page.contains("it counts at its log time"), page);
        String channelPage = io.parley.testing.WebSessions.get(a, cookie, "/channels/" + ch).body();
        assertTrue(channelPage.contains("Clock skew"), channelPage);

        // the report counts it against the sender
        var report = Json.parse(TestNodes.get(a, "/api/v1/reports/responsiveness?channel=" + URLEncoder.encode(ch, StandardCharsets.UTF_8)).body());
        for (JsonNode p : report.path("parties")) {
            assertEquals(p.path("party").asText().equals(EVIL) ? 1 : 0, p.path("clock_findings").asInt(), p.toString());
        }

        // the bundle carries a's signed log time; the verifier recomputes the same effective times and finding
        ObjectNode b = bundle(id);
        var report1 = CaseBundleVerifier.verify(b);
        assertTrue(report1.valid(), report1.checks().toString());
        assertEquals(1, b.path("log_times").size());
        assertEquals(1, report1.timeline().clockFindings().size());
        assertEquals(now, report1.timeline().openedAt());
    }

    @Test
    void aTamperedOrDroppedLogTimeFailsVerification() throws Exception {
        String ch = channel(null);
        String id = request(ch, clock.instant().minus(Duration.ofHours(3))).path("case").asText();
        ObjectNode b = bundle(id);

        ObjectNode moved = b.deepCopy();
        ObjectNode t = (ObjectNode) moved.withArray("log_times").get(0);
        t.put("logged_at", Instant.parse(t.path("logged_at").asText()).minus(Duration.ofHours(3)).toString());
        var r = CaseBundleVerifier.verify(moved);
        assertFalse(r.valid());
        assertTrue(r.checks().stream().anyMatch(x -> !x.ok() && x.name().startsWith("log time cert-a.example")), r.checks().toString());

        ObjectNode dropped = b.deepCopy();
        dropped.remove("log_times");
        r = CaseBundleVerifier.verify(dropped);
        assertFalse(r.valid());
        assertTrue(r.checks().stream().anyMatch(x -> !x.ok() && x.name().equals("case timeline")),
                "without the log time the recomputed case opens 3 h earlier than the exporter's: " + r.checks());

        // a log time the sender claims for its own envelope is no evidence
        ObjectNode own = b.deepCopy();
        String hash = own.path("log_times").get(0).path("envelope").asText();
        own.withArray("log_times").set(0, LogTime.sign(HostileNetwork.keyOf(evil), EVIL, hash, clock.instant().minus(Duration.ofHours(3))).toJson());
        r = CaseBundleVerifier.verify(own);
        assertTrue(r.checks().stream().anyMatch(x -> !x.ok() && x.detail().contains("sender's own log time")), r.checks().toString());
    }

    @Test
    void forwardDatedNotificationIsFlaggedAndCountsAtItsLogTime() throws Exception {
        String ch = channel(null);
        Instant now = clock.instant();
        String id = request(ch, now.plus(Duration.ofHours(1))).path("case").asText();
        JsonNode c = caseAt(a, id);
        assertEquals(now.toString(), c.path("opened_at").asText(), "a request dated an hour ahead would give its recipients an hour more");
        assertEquals("forward-dated", c.path("clock_findings").get(0).path("direction").asText());
        assertEquals(-3600, c.path("clock_findings").get(0).path("skew_seconds").asLong());
        ObjectNode b = bundle(id);
        var v = CaseBundleVerifier.verify(b);
        if (!v.valid()) {
            System.err.println("BUNDLE " + b.path("timeline"));
            System.err.println("RECOMPUTED " + io.parley.bundle.TimelineJson.of(v.timeline(), v.evaluatedAt()));
        }
        assertTrue(v.valid());
    }

    @Test
    void skewWithinTheToleranceIsNotFlagged() throws Exception {
        String ch = channel(null);
        Instant created = clock.instant().minus(Duration.ofMinutes(4));
        String id = request(ch, created).path("case").asText();
        JsonNode c = caseAt(a, id);
        assertEquals(created.toString(), c.path("opened_at").asText(), "within the 5 min default the sender's word stands");
        assertTrue(c.path("clock_findings").isMissingNode(), c.toString());
    }

    @Test
    void toleranceComesFromTheCharter() throws Exception {
        String ch = channel(Duration.ofHours(4));
        Instant created = clock.instant().minus(Duration.ofHours(3));
        String id = request(ch, created).path("case").asText();
        JsonNode c = caseAt(a, id);
        assertEquals(created.toString(), c.path("opened_at").asText(), "the members agreed on 4 h of clock skew");
        assertTrue(c.path("clock_findings").isMissingNode(), c.toString());
        assertTrue(CaseBundleVerifier.verify(bundle(id)).valid());
    }

    @Test
    void backdatedAcknowledgementLoggedAfterTheDeadlineCountsAsMissed() throws Exception {
        String ch = channel(null);
        Instant opened = clock.instant();
        var res = TestNodes.post(a, "/api/v1/channels/" + ch + "/cases", Json.write(Json.object().put("kind", "request").put("priority", "flash")
                .set("body", Json.object().put("type", "information").put("summary", "trace 198.51.100.9").put("asked", "the owner"))));
        assertEquals(201, res.statusCode(), res.body());
        String id = Json.parse(res.body()).path("id").asText();
        assertTrue(TestNodes.eventually(10, () -> evil.node().envelopes().inCase(ch, id).size() == 1));

        // two hours later evil acknowledges, dating its ack one minute after the opening
        clock.advance(Duration.ofHours(2));
        Envelope ack = HostileChain.of(evil, ch).next(Kind.ACK, id, Tlp.AMBER, Json.object().put("text", "on it"), opened.plus(Duration.ofMinutes(1)));
        assertEquals("accepted", HostileChain.deliver(a, ack).path("status").asText());

        JsonNode c = caseAt(a, id);
        JsonNode r = c.path("responses").get(0);
        assertEquals(EVIL, r.path("party").asText());
        assertEquals(clock.instant().toString(), r.path("acked_at").asText());
        assertEquals("missed", r.path("ack_status").asText(), "taken at its word the ack would be one minute after the opening, in time");
        assertEquals("backdated", c.path("clock_findings").get(0).path("direction").asText());

        // a's own request was logged by evil's node in time: its receipt's log time is in the bundle too, no finding
        ObjectNode b = bundle(id);
        assertTrue(TestNodes.eventually(10, () -> {
            try {
                return bundle(id).path("log_times").size() == 2;
            } catch (Exception e) {
                return false;
            }
        }), "a keeps evil's signed log time from the receipt of its request");
        b = bundle(id);
        var v = CaseBundleVerifier.verify(b);
        assertTrue(v.valid(), v.checks().toString());
        assertEquals(1, v.timeline().clockFindings().size());
    }
}
