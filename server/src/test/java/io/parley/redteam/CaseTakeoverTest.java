package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 10 item 8, the hole left by keying cases by (channel, id): a member of the case's own channel sends its own
 * opening envelope carrying the id of another member's case, dated before it, to become its opener (and so close or
 * retract it, or turn a request into a notification with no answer deadline). A case id commits to its opener, so
 * the envelope is refused, and no timeline (node, API, exported bundle, offline verifier) ever takes it as the opening.
 */
class CaseTakeoverTest {
    static final String X = "rt8-takeover";

    @TempDir
    static Path tmp;
    static HostileNetwork net;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter(X, Tlp.AMBER, net.a, net.b, net.evil), net.a, net.b, net.evil);
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) net.close();
    }

    /** cert-a opens a flash request in X through its API and every member holds it; returns the case JSON. */
    static JsonNode openAtA() throws Exception {
        ObjectNode req = Json.object().put("kind", "request").put("priority", "flash").put("tlp", "amber");
        req.putObject("body").put("type", "mitigation").put("summary", "Phishing kit").put("asked", "Take it down");
        var res = TestNodes.post(net.a, "/api/v1/channels/" + X + "/cases", Json.write(req));
        assertEquals(201, res.statusCode(), res.body());
        JsonNode c = Json.parse(res.body());
        String id = c.path("id").asText();
        for (NodeServer n : java.util.List.of(net.b, net.evil)) {
            assertTrue(TestNodes.eventually(10, () -> n.node().envelopes().inCase(X, id).size() == 1), "the request reaches " + n.node().origin());
        }
        return c;
    }

    static JsonNode caseAt(NodeServer n, String id) throws Exception {
        var res = TestNodes.get(n, "/api/v1/cases/" + id + "?channel=" + URLEncoder.encode(X, StandardCharsets.UTF_8));
        assertEquals(200, res.statusCode(), res.body());
        return Json.parse(res.body());
    }

    /** An opening envelope signed with evil's key, extending its chain in X as its node stored it, dated {@code created}. */
    static Envelope backdated(Kind kind, String caseId, Instant created, ObjectNode body) throws Exception {
        var head = net.evil.node().envelopes().head(X, net.evil.node().origin());
        SigningKey key = HostileNetwork.keyOf(net.evil);
        Envelope draft = new Envelope(1, X, key.name(), head.map(h -> h.seq() + 1).orElse(1L), head.map(h -> h.hash()).orElse(null), kind, caseId,
                created.truncatedTo(ChronoUnit.MILLIS).toString(), Priority.ROUTINE, Tlp.GREEN, body, null);
        return EnvelopeSigner.sign(draft, key);
    }

    /**
     * Hands an envelope evil signed to its own node first (so its chain there stays the one the peers hold, and later
     * envelopes its node writes extend it), then to {@code to} (unless evil's node passed it on first); {@code to}
     * stores it.
     */
    static void plant(Envelope e, NodeServer to) throws Exception {
        assertEquals("accepted", HostileChain.deliver(net.evil, e).path("status").asText(), "evil's node takes its own envelope");
        String status = HostileChain.deliver(to, e).path("status").asText();
        assertTrue(status.equals("accepted") || status.equals("duplicate"), status);
        assertTrue(TestNodes.eventually(10, () -> to.node().envelopes().byHash(e.hash()).isPresent()));
    }

    static ObjectNode notifyBody() {
        return Json.object().put("summary", "mine now").put("text", "opened earlier by evil");
    }

    static void assertStillCertAs(JsonNode before, String id) throws Exception {
        for (NodeServer n : java.util.List.of(net.a, net.b, net.evil)) {
            JsonNode c = caseAt(n, id);
            assertEquals("cert-a.example", c.path("opened_by").asText(), n.node().origin() + ": " + c);
            assertEquals("request", c.path("kind").asText(), n.node().origin() + ": " + c);
            assertEquals(before.path("opened_at").asText(), c.path("opened_at").asText(), n.node().origin() + ": " + c);
            assertEquals(before.path("answer_due").asText(), c.path("answer_due").asText(), "the answer deadline stays at " + n.node().origin());
            assertEquals("open", c.path("state").asText(), n.node().origin() + ": " + c);
        }
    }

    @Test
    void backdatedOpeningWithAnotherMembersCaseIdIsRefused() throws Exception {
        JsonNode opened = openAtA();
        String id = opened.path("id").asText();
        Instant earlier = Instant.parse(opened.path("opened_at").asText()).minus(Duration.ofHours(1));
        Envelope hijack = backdated(Kind.NOTIFY, id, earlier, notifyBody());
        for (NodeServer n : java.util.List.of(net.a, net.b)) {
            JsonNode answer = HostileChain.deliver(n, hijack);
            assertTrue(answer.path("type").asText().endsWith("/case-not-yours"), n.node().origin() + ": " + answer);
            assertTrue(TestNodes.eventually(10, () -> n.node().envelopes().rejections(100).stream()
                    .anyMatch(r -> r.code().equals("case-not-yours") && r.sender().equals(HostileNetwork.EVIL))), "the refusal is recorded");
        }
        assertStillCertAs(opened, id);
        // the opener's role stays cert-a's: evil cannot close it through its own node ...
        var close = TestNodes.post(net.evil, "/api/v1/cases/" + id + "/close?channel=" + X, "{}");
        assertEquals(403, close.statusCode(), close.body());
        // ... and cert-a still can
        var closed = TestNodes.post(net.a, "/api/v1/cases/" + id + "/close?channel=" + X, "{}");
        assertEquals(200, closed.statusCode(), closed.body());
    }

    @Test
    void ownNodeWillNotOpenACaseWithAnIdNotBoundToIt() throws Exception {
        JsonNode opened = openAtA();
        String id = opened.path("id").asText();
        ObjectNode req = Json.object().put("kind", "request").put("priority", "routine").put("tlp", "green").put("case", id);
        req.putObject("body").put("type", "information").put("summary", "mine now").put("asked", "nothing");
        var res = TestNodes.post(net.evil, "/api/v1/channels/" + X + "/messages", Json.write(req));
        assertEquals(422, res.statusCode(), res.body());
        assertTrue(Json.parse(res.body()).path("type").asText().endsWith("/case-not-yours"), res.body());
        // an id of the user's own making is not bound to the node either
        req.put("case", "case-2026-mine");
        var made = TestNodes.post(net.a, "/api/v1/channels/" + X + "/messages", Json.write(req));
        assertEquals(422, made.statusCode(), made.body());
        assertStillCertAs(opened, id);
    }

    @Test
    void bundleNeverShowsAHijackedOpener() throws Exception {
        JsonNode opened = openAtA();
        String id = opened.path("id").asText();
        Envelope hijack = backdated(Kind.PING, id, Instant.parse(opened.path("opened_at").asText()).minusSeconds(600), Json.object().put("mode", "human"));
        HostileChain.deliver(net.a, hijack);
        var res = TestNodes.get(net.a, "/api/v1/cases/" + id + "/evidence?channel=" + X);
        assertEquals(200, res.statusCode(), res.body());
        JsonNode bundle = Json.parse(res.body());
        var report = CaseBundleVerifier.verify(bundle);
        assertTrue(report.valid(), report.checks().toString());
        assertEquals("cert-a.example", report.timeline().openedBy());
        assertEquals(Instant.parse(opened.path("answer_due").asText()), report.timeline().answerDue());

        // a bundle that carries evil's signed, backdated opening (as evil's own modified node would export it):
        // the offline verifier's timeline still names cert-a
        ObjectNode forged = ((ObjectNode) bundle).deepCopy();
        ArrayNode envs = (ArrayNode) forged.path("envelopes");
        envs.add(Json.parse(new String(hijack.canonicalBytes(), StandardCharsets.UTF_8)));
        var forgedReport = CaseBundleVerifier.verify(forged);
        assertNotEquals(null, forgedReport.timeline(), forgedReport.checks().toString());
        assertEquals("cert-a.example", forgedReport.timeline().openedBy());
        assertEquals(Kind.REQUEST, forgedReport.timeline().kind());
        assertEquals(report.timeline().answerDue(), forgedReport.timeline().answerDue());
    }

    /**
     * The opener itself sends a second opening of its own case dated hours earlier, after cert-a answered in time:
     * taking the earliest opening would move the deadlines back and record cert-a's answer as missed.
     */
    @Test
    void openerCannotRedateItsCaseToFrameTheResponder() throws Exception {
        ObjectNode req = Json.object().put("kind", "request").put("priority", "flash").put("tlp", "amber");
        req.putObject("body").put("type", "trace").put("summary", "Trace this").put("asked", "Who runs 203.0.113.9?");
        var res = TestNodes.post(net.evil, "/api/v1/channels/" + X + "/cases", Json.write(req));
        assertEquals(201, res.statusCode(), res.body());
        JsonNode opened = Json.parse(res.body());
        String id = opened.path("id").asText();
        assertTrue(TestNodes.eventually(10, () -> net.a.node().envelopes().inCase(X, id).size() == 1));
        var answered = TestNodes.post(net.a, "/api/v1/cases/" + id + "/answer?channel=" + X, Json.write(Json.object().put("text", "An ISP").put("lang", "en")));
        assertEquals(200, answered.statusCode(), answered.body());
        assertEquals("met", caseAt(net.a, id).path("answer_status").asText());

        ObjectNode again = Json.object().put("type", "trace").put("summary", "Trace this").put("asked", "Who runs 203.0.113.9?");
        Envelope redated = backdated(Kind.REQUEST, id, Instant.parse(opened.path("opened_at").asText()).minus(Duration.ofHours(5)), again);
        plant(redated, net.a); // evil's own id: accepted, on record
        JsonNode c = caseAt(net.a, id);
        assertEquals(opened.path("opened_at").asText(), c.path("opened_at").asText(), c.toString());
        assertEquals(opened.path("answer_due").asText(), c.path("answer_due").asText());
        assertEquals("met", c.path("answer_status").asText(), "cert-a's answer stays in time");
    }

    /** A GREEN STIX bundle with one indicator for {@code ip}. */
    static ObjectNode stix(String ip) {
        ObjectNode o = Json.object().put("type", "indicator").put("spec_version", "2.1").put("id", "indicator--" + java.util.UUID.randomUUID())
                .put("created", "2024-01-01T00:00:00.000Z").put("modified", "2024-01-02T00:00:00.000Z").put("name", "C2 " + ip)
                .put("pattern", "[ipv4-addr:value = '" + ip + "']").put("pattern_type", "stix").put("valid_from", "2024-01-01T00:00:00.000Z");
        o.putArray("indicator_types").add("malicious-activity");
        o.putArray("object_marking_refs").add(io.parley.evidence.WellKnownMarkings.tlp2Id(Tlp.GREEN));
        ObjectNode b = Json.object().put("type", "bundle").put("id", "bundle--" + java.util.UUID.randomUUID());
        b.putArray("objects").add(o);
        return b;
    }

    /**
     * Case correlations name a case by (channel, id): evil, in a channel cert-a's case is not in, files its own
     * indicator under that case's id and opens a case of its own with it; cert-a's case must not be shown correlated
     * with evil's through evidence that was never part of it.
     */
    @Test
    void evidenceFiledUnderTheSameIdInAnotherChannelIsNotTheCases() throws Exception {
        String y = "rt8-takeover-ab";
        TestNodes.establish(TestNodes.charter(y, Tlp.AMBER, net.a, net.b), net.a, net.b);
        ObjectNode req = Json.object().put("kind", "request").put("priority", "urgent").put("tlp", "green");
        req.putObject("body").put("type", "information").put("summary", "Who is behind this?").put("asked", "Any data on 192.0.2.10");
        var res = TestNodes.post(net.a, "/api/v1/channels/" + y + "/cases", Json.write(req));
        assertEquals(201, res.statusCode(), res.body());
        String id = Json.parse(res.body()).path("id").asText();
        ObjectNode mine = Json.object().put("text", "our C2").put("lang", "en");
        mine.set("stix", stix("192.0.2.10"));
        var update = TestNodes.post(net.a, "/api/v1/cases/" + id + "/update?channel=" + y, Json.write(mine));
        assertEquals(200, update.statusCode(), update.body());

        // in X, evil files 198.51.100.66 under cert-a's case id, and opens its own case with the same indicator
        ObjectNode planted = Json.object().put("text", "also this").put("lang", "en");
        planted.set("stix", stix("198.51.100.66"));
        ObjectNode own = Json.object().put("summary", "my case").put("text", "see indicator").put("lang", "en");
        own.set("stix", stix("198.51.100.66"));
        String evilCase = io.parley.envelope.CaseIds.newId(HostileNetwork.EVIL, Instant.now());
        var head = net.evil.node().envelopes().head(X, HostileNetwork.EVIL);
        SigningKey key = HostileNetwork.keyOf(net.evil);
        long seq = head.map(h -> h.seq()).orElse(0L);
        String prev = head.map(h -> h.hash()).orElse(null);
        Envelope up = EnvelopeSigner.sign(new Envelope(1, X, key.name(), seq + 1, prev, Kind.UPDATE, id, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                Priority.ROUTINE, Tlp.GREEN, planted, null), key);
        Envelope open = EnvelopeSigner.sign(new Envelope(1, X, key.name(), seq + 2, up.hash(), Kind.NOTIFY, evilCase, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                Priority.ROUTINE, Tlp.GREEN, own, null), key);
        plant(up, net.a);
        plant(open, net.a);
        String evilQ = "/api/v1/cases/" + evilCase + "/correlations?channel=" + X;
        // evil's own case does share the planted indicator with the planted update (indexed: the check below is not vacuous)
        assertTrue(TestNodes.eventually(15, () -> Json.parse(uncheckedGet(evilQ)).path("correlated_cases").size() > 0),
                () -> "indexed: " + uncheckedGet(evilQ));

        JsonNode corr = Json.parse(TestNodes.get(net.a, "/api/v1/cases/" + id + "/correlations?channel=" + y).body());
        assertEquals(0, corr.path("correlated_cases").size(), corr.toString());
        JsonNode unnamed = Json.parse(TestNodes.get(net.a, "/api/v1/cases/" + id + "/correlations").body());
        assertEquals(y, unnamed.path("channel").asText(), "the one channel holding case " + id);
        assertEquals(0, unnamed.path("correlated_cases").size(), unnamed.toString());
    }

    static String uncheckedGet(String path) {
        try {
            return TestNodes.get(net.a, path).body();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
