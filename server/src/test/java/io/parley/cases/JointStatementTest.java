package io.parley.cases;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.redteam.HostileNetwork;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;
import io.parley.timeline.JointStatement;

/**
 * Joint statements across real nodes: proposed once a case is closed, co-signed word for word by every party, carried
 * in the case bundle and checked offline; what an anonymous caller, a viewer, and a dishonest member can do with them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JointStatementTest {
    @TempDir static Path tmp;
    HostileNetwork net;
    static final String VIEWER = "watcher";

    @BeforeAll
    void start() throws Exception {
        net = HostileNetwork.start(tmp);
        for (NodeServer n : net.honest()) n.node().users().put(VIEWER, io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "viewer", Instant.now());
    }

    @AfterAll
    void stop() throws Exception {
        if (net != null) net.close();
    }

    /** A closed notify case in a new channel of {@code members} (the first opens it); returns {channel, case id}. */
    private String[] closedCase(NodeServer... members) throws Exception {
        String ch = "stmt-" + UUID.randomUUID().toString().substring(0, 8);
        NodeServer[] others = java.util.Arrays.copyOfRange(members, 1, members.length);
        TestNodes.establish(TestNodes.charter(ch, Tlp.AMBER, members), members[0], others);
        var opened = TestNodes.post(members[0], "/api/v1/channels/" + ch + "/cases", "{\"kind\":\"notify\",\"tlp\":\"green\",\"body\":{\"summary\":\"outage at the exchange point\"}}");
        assertEquals(201, opened.statusCode(), opened.body());
        String id = Json.parse(opened.body()).path("id").asText();
        // before the close no statement can be proposed
        assertTrue(TestNodes.eventually(15, () -> members[1].cases().timeline(id).isPresent()));
        var early = TestNodes.post(members[1], "/api/v1/cases/" + id + "/statement", "{\"text\":\"too early\",\"lang\":\"en\"}");
        assertProblem(early, 409, "case-open");
        assertEquals(200, TestNodes.post(members[0], "/api/v1/cases/" + id + "/close", "{}").statusCode());
        for (NodeServer m : members) assertTrue(TestNodes.eventually(15, () -> m.cases().timeline(id).map(t -> t.state().finished()).orElse(false)));
        return new String[] {ch, id};
    }

    private static HttpResponse<String> as(String user, NodeServer n, String path, String json) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (user != null) b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + TestNodes.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        return TestNodes.send(b.build());
    }

    private static void assertProblem(HttpResponse<String> res, int status, String code) {
        assertEquals(status, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), res.headers().map().toString());
        if (code != null) assertTrue(Json.parse(res.body()).path("type").asText().endsWith("/" + code), res.body());
    }

    private static JsonNode statementAt(NodeServer n, String id, String statement) throws Exception {
        for (JsonNode s : Json.parse(TestNodes.get(n, "/api/v1/cases/" + id).body()).path("statements")) if (s.path("id").asText().equals(statement)) return s;
        return null;
    }

    /** The bundle of {@code id} at {@code n} once it verifies and its statements show {@code expected} in a "statement" line. */
    private static JsonNode bundleShowing(NodeServer n, String id, String expected) throws Exception {
        JsonNode[] last = new JsonNode[1];
        boolean ok = TestNodes.eventually(20, () -> {
            try {
                var r = TestNodes.get(n, "/api/v1/cases/" + id + "/evidence");
                if (r.statusCode() != 200) return false;
                last[0] = Json.parse(r.body());
                var report = CaseBundleVerifier.verify(last[0]);
                return report.valid() && report.checks().stream().anyMatch(c -> c.name().equals("statement") && c.detail().contains(expected));
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(ok, () -> last[0] == null ? "no bundle" : CaseBundleVerifier.verify(last[0]).checks().toString());
        return last[0];
    }

    private ObjectNode resigned(ObjectNode forged, NodeServer exporter) {
        forged.remove("sig");
        forged.put("sig", Base64.getEncoder().encodeToString(exporter.node().key().sign(Jcs.canonicalize(forged))));
        return forged;
    }

    @Test
    void statementCoSignedByEveryPartyIsCompleteInTheCaseAndTheBundle() throws Exception {
        // all four: the exporter's checkpoints carry every peer's witness cosignature, which the verifier knows only for members
        String[] c = closedCase(net.a, net.b, net.c, net.evil);
        String id = c[1];
        String text = "Both sides confirm the outage at the exchange point was a technical fault, not an attack. Обе стороны согласны.";
        // an anonymous caller learns nothing and changes nothing; a viewer may read but not propose
        assertProblem(as(null, net.b, "/api/v1/cases/" + id + "/statement", "{\"text\":\"x\",\"lang\":\"en\"}"), 401, null);
        assertProblem(as(VIEWER, net.b, "/api/v1/cases/" + id + "/statement", "{\"text\":\"x\",\"lang\":\"en\"}"), 403, null);
        // bad input is a 4xx problem, never a 500, and nothing is signed
        assertProblem(TestNodes.post(net.b, "/api/v1/cases/" + id + "/statement", "{\"text\":\"   \",\"lang\":\"en\"}"), 422, "invalid-field");
        assertProblem(TestNodes.post(net.b, "/api/v1/cases/" + id + "/statement", "{\"text\":\"ok\",\"lang\":\"not a tag\"}"), 422, "invalid-field");
        assertProblem(TestNodes.post(net.b, "/api/v1/cases/" + id + "/statement", "{\"text\":\"" + "x".repeat(JointStatement.MAX_TEXT + 1) + "\",\"lang\":\"en\"}"), 422, "invalid-field");

        ObjectNode req = Json.object().put("text", text).put("lang", "en");
        req.putArray("translations").addObject().put("lang", "ru").put("text", "Обе стороны подтверждают техническую неисправность.");
        var proposed = TestNodes.post(net.b, "/api/v1/cases/" + id + "/statement", Json.write(req));
        assertEquals(201, proposed.statusCode(), proposed.body());
        JsonNode s = Json.parse(proposed.body());
        String sid = s.path("id").asText();
        assertEquals(text, s.path("text").asText());
        assertEquals(JointStatement.textHash(text), s.path("text_sha256").asText());
        assertFalse(s.path("translations").get(0).path("authoritative").asBoolean(true), "translations are never authoritative");
        assertEquals("[\"cert-a.example\",\"evil.example\",\"mfa-c.example\"]", Json.write(s.path("pending")), "every other party of the case must co-sign");
        assertFalse(s.path("complete").asBoolean());
        // the proposer's proposal is its signature; it cannot co-sign again
        assertProblem(TestNodes.post(net.b, "/api/v1/cases/" + id + "/statement/" + sid + "/cosign", "{}"), 409, "own-statement");

        // cert-a sees the proposal; a viewer and an anonymous caller cannot co-sign it; an unknown statement is a 404
        assertTrue(TestNodes.eventually(15, () -> {
            try {
                return statementAt(net.a, id, sid) != null;
            } catch (Exception e) {
                return false;
            }
        }));
        assertProblem(as(VIEWER, net.a, "/api/v1/cases/" + id + "/statement/" + sid + "/cosign", "{}"), 403, null);
        assertProblem(as(null, net.a, "/api/v1/cases/" + id + "/statement/" + sid + "/cosign", "{}"), 401, null);
        assertProblem(TestNodes.post(net.a, "/api/v1/cases/" + id + "/statement/" + "0".repeat(64) + "/cosign", "{}"), 404, "unknown-statement");
        var cosigned = TestNodes.post(net.a, "/api/v1/cases/" + id + "/statement/" + sid + "/cosign", "{}");
        assertEquals(200, cosigned.statusCode(), cosigned.body());
        assertEquals("[\"evil.example\",\"mfa-c.example\"]", Json.write(Json.parse(cosigned.body()).path("pending")));
        assertProblem(TestNodes.post(net.a, "/api/v1/cases/" + id + "/statement/" + sid + "/cosign", "{}"), 409, "already-cosigned");

        // the bundle proves the pending state too, with who still has to sign
        bundleShowing(net.a, id, "co-signed by cert-b.example, cert-a.example (pending: evil.example, mfa-c.example)");

        assertTrue(TestNodes.eventually(15, () -> {
            try {
                return statementAt(net.c, id, sid) != null && statementAt(net.c, id, sid).path("signatures").size() == 2;
            } catch (Exception e) {
                return false;
            }
        }));
        assertEquals(200, TestNodes.post(net.c, "/api/v1/cases/" + id + "/statement/" + sid + "/cosign", "{}").statusCode());
        assertTrue(TestNodes.eventually(15, () -> {
            try {
                return statementAt(net.evil, id, sid) != null && statementAt(net.evil, id, sid).path("signatures").size() == 3;
            } catch (Exception e) {
                return false;
            }
        }));
        assertEquals(200, TestNodes.post(net.evil, "/api/v1/cases/" + id + "/statement/" + sid + "/cosign", "{}").statusCode());
        for (NodeServer n : net.all()) {
            assertTrue(TestNodes.eventually(15, () -> {
                try {
                    JsonNode x = statementAt(n, id, sid);
                    return x != null && x.path("complete").asBoolean();
                } catch (Exception e) {
                    return false;
                }
            }), "complete at " + n.node().origin());
        }

        JsonNode bundle = bundleShowing(net.b, id, "\"Both sides confirm the outage at the exchange…\" co-signed by cert-b.example, cert-a.example, mfa-c.example, evil.example (complete)");
        assertEquals(1, bundle.path("statements").size());

        // mutations: each is caught although the exporter signs the forged bundle again
        String proposal = sid;
        ObjectNode tamperedText = bundle.deepCopy();
        for (JsonNode e : tamperedText.path("envelopes")) {
            if (Envelope.fromJson(e).hash().equals(proposal)) ((ObjectNode) e.path("body").path("statement").path("propose")).put("text", text.replace("not an attack", "an attack"));
        }
        assertFalse(CaseBundleVerifier.verify(resigned(tamperedText, net.b)).valid(), "a statement text changed in the bundle must not verify");

        ObjectNode otherText = bundle.deepCopy();
        for (JsonNode e : otherText.path("envelopes")) {
            if (e.path("body").path("statement").has("cosign")) ((ObjectNode) e.path("body").path("statement")).put("text_sha256", JointStatement.textHash("another text"));
        }
        assertFalse(CaseBundleVerifier.verify(resigned(otherText, net.b)).valid(), "a co-signature rewritten over another text must not verify");

        ObjectNode claimed = bundle.deepCopy();
        ((ObjectNode) claimed.path("statements").get(0)).putArray("pending");
        ((ObjectNode) claimed.path("statements").get(0)).putArray("signatures");
        var claimedReport = CaseBundleVerifier.verify(resigned(claimed, net.b));
        assertFalse(claimedReport.valid(), "the exporter's statements must be what the envelopes say");
        assertTrue(claimedReport.checks().stream().anyMatch(x -> x.name().equals("statements") && !x.ok()), claimedReport.checks().toString());

        // a co-signature by a party the charter does not name, signed with its own key and slipped in
        ObjectNode outsider = bundle.deepCopy();
        ObjectNode body = Json.object();
        body.putObject("statement").put("cosign", sid).put("text_sha256", JointStatement.textHash(text));
        Envelope forged = io.parley.envelope.EnvelopeSigner.sign(new Envelope(1, c[0], "outsider.example", 1, null, Kind.UPDATE, id,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), Priority.ROUTINE, Tlp.GREEN, body, null), io.parley.identity.SigningKey.generate("outsider.example"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) outsider.path("envelopes")).add(forged.toJson());
        assertFalse(CaseBundleVerifier.verify(resigned(outsider, net.b)).valid(), "a co-signature by a non-member must not verify");
    }

    @Test
    void dishonestMemberCannotCountACoSignatureOverAnotherTextNorAnEarlyProposal() throws Exception {
        String[] c = closedCase(net.a, net.b, net.c, net.evil);
        String id = c[1];
        var proposed = TestNodes.post(net.a, "/api/v1/cases/" + id + "/statement", "{\"text\":\"We agree the incident is resolved.\",\"lang\":\"en\"}");
        assertEquals(201, proposed.statusCode(), proposed.body());
        String sid = Json.parse(proposed.body()).path("id").asText();
        assertTrue(TestNodes.eventually(15, () -> net.evil.node().envelopes().byHash(sid).isPresent()));
        // evil's software signs what the API would never send: a co-signature naming the proposal over another text
        ObjectNode body = Json.object();
        body.putObject("statement").put("cosign", sid).put("text_sha256", JointStatement.textHash("We agree the incident was caused by cert-a."));
        Verdict v = net.evil.node().composer().compose(new Composer.Draft(c[0], Kind.UPDATE, id, Priority.ROUTINE, Tlp.GREEN, body));
        assertInstanceOf(Verdict.Accepted.class, v);
        String bad = ((Verdict.Accepted) v).hash();
        assertTrue(TestNodes.eventually(15, () -> net.a.node().envelopes().byHash(bad).isPresent()));
        JsonNode s = statementAt(net.a, id, sid);
        assertEquals("[\"cert-b.example\",\"evil.example\",\"mfa-c.example\"]", Json.write(s.path("pending")), "the contradicting co-signature counts for nothing");
        assertTrue(s.path("faults").get(0).asText().contains(bad), s.toString());
        // the bundle records it beside the statement, counted for no one; it cannot make the bundle unverifiable
        assertTrue(TestNodes.eventually(20, () -> {
            try {
                var r = TestNodes.get(net.a, "/api/v1/cases/" + id + "/evidence");
                var report = CaseBundleVerifier.verify(Json.parse(r.body()));
                return report.checks().stream().anyMatch(x -> x.name().equals("statement") && x.ok()
                        && x.detail().contains("counted for no one") && x.detail().contains("not the proposal's"))
                        && report.valid();
            } catch (Exception e) {
                return false;
            }
        }));
        // nor does a "proposal" signed before the close count as a statement
        ObjectNode early = Json.object();
        early.putObject("statement").putObject("propose").put("text", "evil says so").put("lang", "en");
        Verdict backdated = net.evil.node().composer().compose(new Composer.Draft(c[0], Kind.UPDATE, id, Priority.ROUTINE, Tlp.GREEN, early),
                net.a.cases().timeline(id).orElseThrow().openedAt());
        assertInstanceOf(Verdict.Accepted.class, backdated);
        assertTrue(TestNodes.eventually(15, () -> net.a.node().envelopes().byHash(((Verdict.Accepted) backdated).hash()).isPresent()));
        assertEquals(1, Json.parse(TestNodes.get(net.a, "/api/v1/cases/" + id).body()).path("statements").size(), "only the proposal after the close counts");
    }

    @Test
    void caseWebPageProposesAndCoSignsTheExactText() throws Exception {
        String[] c = closedCase(net.a, net.b, net.c, net.evil);
        String id = c[1], page = "/cases/" + id + "?channel=" + c[0];
        String text = "Совместное заявление: инцидент исчерпан. <script>alert(1)</script>";
        String cookieB = io.parley.testing.WebSessions.signIn(net.b);
        String html = io.parley.testing.WebSessions.get(net.b, cookieB, page).body();
        assertTrue(html.contains("Propose statement"), "a party of a closed case is offered the form");
        var posted = io.parley.testing.WebSessions.form(net.b, "/cases/" + id + "/statement", cookieB, "csrf="
                + io.parley.testing.WebSessions.enc(io.parley.testing.WebSessions.csrf(net.b, cookieB, page)) + "&channel=" + c[0] + "&text="
                + io.parley.testing.WebSessions.enc(text) + "&lang=ru&translation=" + io.parley.testing.WebSessions.enc("Joint statement: closed.") + "&translation_lang=en");
        assertEquals(303, posted.statusCode(), posted.body());
        JsonNode s = Json.parse(TestNodes.get(net.b, "/api/v1/cases/" + id).body()).path("statements").get(0);
        assertEquals(text, s.path("text").asText(), "the exact text, UTF-8 intact");
        String sid = s.path("id").asText();
        assertTrue(TestNodes.eventually(15, () -> {
            try {
                return statementAt(net.a, id, sid) != null;
            } catch (Exception e) {
                return false;
            }
        }));
        String cookieA = io.parley.testing.WebSessions.signIn(net.a);
        String atA = io.parley.testing.WebSessions.get(net.a, cookieA, page).body();
        assertTrue(atA.contains("Co-sign this exact text"), "the co-sign button");
        assertTrue(atA.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !atA.contains("<script>alert(1)"), "the text is shown escaped");
        assertTrue(atA.contains("not authoritative"), "the translation is marked");
        // a form without the session's token changes nothing
        var forged = io.parley.testing.WebSessions.form(net.a, "/cases/" + id + "/statement/" + sid + "/cosign", cookieA, "csrf=forged&channel=" + c[0]);
        assertEquals(403, forged.statusCode());
        assertEquals(1, statementAt(net.a, id, sid).path("signatures").size());
        var cosigned = io.parley.testing.WebSessions.form(net.a, "/cases/" + id + "/statement/" + sid + "/cosign", cookieA, "csrf="
                + io.parley.testing.WebSessions.enc(io.parley.testing.WebSessions.csrf(net.a, cookieA, page)) + "&channel=" + c[0]);
        assertEquals(303, cosigned.statusCode(), cosigned.body());
        assertEquals(2, statementAt(net.a, id, sid).path("signatures").size());
        assertFalse(io.parley.testing.WebSessions.get(net.a, cookieA, page).body().contains("Co-sign this exact text"), "signed once");
    }
}
