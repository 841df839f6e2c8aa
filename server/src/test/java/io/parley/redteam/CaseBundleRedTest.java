package io.parley.redteam;

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
import io.parley.envelope.Tlp;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 10, item 2 follow-up: a case evidence bundle is made to be handed on, so it must never carry TLP:RED content
 * of another conversation. A sender's chain stretch covering a case can hold RED envelopes of other conversations;
 * the bundle carries each of them only as its sender's signed withheld notice (which the verifier checks and uses as
 * the chain link), including on the node of a named recipient, and refuses (409) rather than leak when it has none.
 * Scenario throughout: cert-a opens a GREEN case, sends a RED note to cert-b only, then updates the case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaseBundleRedTest {
    @TempDir static Path tmp;
    HostileNetwork net;

    @BeforeAll
    void start() throws Exception {
        net = HostileNetwork.start(tmp);
        net.b.node().users().put("boss", io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "admin", Instant.now());
    }

    @AfterAll
    void stop() throws Exception {
        if (net != null) net.close();
    }

    /** The scenario; returns {case id, RED hash}. */
    private String[] greenCaseAroundARedNote(String secret) throws Exception {
        String ch = "bundle-" + UUID.randomUUID().toString().substring(0, 8);
        TestNodes.establish(TestNodes.charter(ch, Tlp.RED, net.a, net.b, net.c, net.evil), net.a, net.b, net.c, net.evil);
        var opened = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/cases", "{\"kind\":\"notify\",\"tlp\":\"green\",\"body\":{\"summary\":\"green case\"}}");
        assertEquals(201, opened.statusCode(), opened.body());
        String caseId = Json.parse(opened.body()).path("id").asText();
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "red");
        req.putObject("body").put("text", secret).put("lang", "en").putArray("recipients").add("cert-b.example");
        var red = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/messages", Json.write(req));
        assertEquals(201, red.statusCode(), red.body());
        var update = TestNodes.post(net.a, "/api/v1/cases/" + caseId + "/update", "{\"text\":\"still green\"}");
        assertEquals(200, update.statusCode(), update.body());
        assertTrue(TestNodes.eventually(15, () -> net.b.node().envelopes().byHash(Json.parse(red.body()).path("hash").asText()).isPresent()
                && net.b.cases().timeline(caseId).map(t -> t.events().size() == 2).orElse(false)));
        return new String[] {caseId, Json.parse(red.body()).path("hash").asText()};
    }

    /** The bundle as soon as it verifies (a bundle proves only what a checkpoint covers; the log checkpoints within moments). */
    private JsonNode verifiedExport(NodeServer n, String caseId, String user) throws Exception {
        assertTrue(TestNodes.eventually(15, () -> {
            try {
                var r = get(n, "/api/v1/cases/" + caseId + "/evidence", user);
                return r.statusCode() == 200 && CaseBundleVerifier.verify(Json.parse(r.body())).valid();
            } catch (Exception e) {
                return false;
            }
        }), () -> {
            try {
                return "no verifying bundle: " + get(n, "/api/v1/cases/" + caseId + "/evidence", user).body();
            } catch (Exception e) {
                return e.toString();
            }
        });
        var res = get(n, "/api/v1/cases/" + caseId + "/evidence", user);
        assertEquals(200, res.statusCode(), res.body());
        return Json.parse(res.body());
    }

    @Test
    void recipientsBundleOfAGreenCaseCarriesNoRedTextOfAnotherConversation() throws Exception {
        String secret = "red-in-stretch-" + UUID.randomUUID();
        String[] c = greenCaseAroundARedNote(secret);
        JsonNode bundle = verifiedExport(net.b, c[0], "boss");
        assertFalse(Json.write(bundle).contains(secret), "cert-b's bundle, handed to mfa-c or a third party, must not hold the RED text");
        for (JsonNode e : bundle.path("envelopes")) assertNotEquals(c[1], e.path("hash").asText(), "the RED envelope is not carried in full");
        assertEquals(c[1], bundle.path("withheld").get(0).path("hash").asText(), "cert-a's signed notice holds the RED envelope's chain position");
        assertEquals("cert-a.example", bundle.path("withheld").get(0).path("from").asText());
        var report = CaseBundleVerifier.verify(bundle);
        assertTrue(report.valid(), report.checks().stream().filter(x -> !x.ok()).toList().toString());
        // the sender's own bundle likewise
        JsonNode atA = verifiedExport(net.a, c[0], TestNodes.USER);
        assertFalse(Json.write(atA).contains(secret), "cert-a's bundle must not hold the RED text either");
        assertEquals(c[1], atA.path("withheld").get(0).path("hash").asText());
    }

    @Test
    void officerWithoutRedGrantExportsAGreenCaseDespiteUnrelatedRedInTheStretch() throws Exception {
        String[] c = greenCaseAroundARedNote("red-officer-" + UUID.randomUUID());
        verifiedExport(net.b, c[0], "boss"); // the notice has arrived
        var res = get(net.b, "/api/v1/cases/" + c[0] + "/evidence", TestNodes.USER);
        assertEquals(200, res.statusCode(), "only messages carried in full are judged by the marking policy: " + res.body());
        var report = CaseBundleVerifier.verify(Json.parse(res.body()));
        assertTrue(report.valid(), report.checks().stream().filter(x -> !x.ok()).toList().toString());
        var atA = get(net.a, "/api/v1/cases/" + c[0] + "/evidence", TestNodes.USER);
        assertEquals(200, atA.statusCode(), atA.body());
    }

    @Test
    void tamperedNoticeFailsVerificationEvenWhenTheExporterResigns() throws Exception {
        String[] c = greenCaseAroundARedNote("red-tamper-" + UUID.randomUUID());
        JsonNode bundle = verifiedExport(net.b, c[0], "boss");
        // a hostile exporter rewrites the notice (who it went to, when) and signs the bundle again with its own key
        for (String attack : new String[] {"recipients", "created", "sig"}) {
            ObjectNode forged = bundle.deepCopy();
            ObjectNode notice = (ObjectNode) forged.path("withheld").get(0);
            switch (attack) {
                case "recipients" -> notice.putArray("recipients").add("cert-b.example").add("mfa-c.example");
                case "created" -> notice.put("created", "2020-01-01T00:00:00Z");
                default -> {
                    byte[] sig = Base64.getDecoder().decode(notice.path("sig").asText());
                    sig[0] ^= 1;
                    notice.put("sig", Base64.getEncoder().encodeToString(sig));
                }
            }
            forged.remove("sig");
            forged.put("sig", Base64.getEncoder().encodeToString(net.b.node().key().sign(Jcs.canonicalize(forged))));
            var report = CaseBundleVerifier.verify(forged);
            assertFalse(report.valid(), "a notice altered in " + attack + " must not verify");
            assertTrue(report.checks().stream().anyMatch(x -> !x.ok() && x.name().startsWith("withheld notice")), report.checks().toString());
        }
        // dropping the notice breaks cert-a's hash chain
        ObjectNode dropped = bundle.deepCopy();
        dropped.remove("withheld");
        dropped.remove("sig");
        dropped.put("sig", Base64.getEncoder().encodeToString(net.b.node().key().sign(Jcs.canonicalize(dropped))));
        assertFalse(CaseBundleVerifier.verify(dropped).valid(), "without the notice the chain has a gap");
    }

    @Test
    void exportWithoutTheSendersNoticeIsRefusedRatherThanLeakingRed() throws Exception {
        String secret = "red-no-notice-" + UUID.randomUUID();
        String[] c = greenCaseAroundARedNote(secret);
        verifiedExport(net.b, c[0], "boss");
        // as for a RED envelope received before senders delivered their notices to recipients
        net.b.node().db().update("UPDATE envelopes SET sender_notice = NULL WHERE hash = ?", c[1]);
        var res = get(net.b, "/api/v1/cases/" + c[0] + "/evidence", "boss");
        assertEquals(409, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), res.headers().map().toString());
        assertTrue(Json.parse(res.body()).path("type").asText().endsWith("/notice-missing"), res.body());
        assertTrue(res.body().contains(c[1]), "the problem names the envelope whose notice is missing: " + res.body());
        assertFalse(res.body().contains(secret));
    }

    @Test
    void recipientKeepsOnlyANoticeThatStatesTheEnvelopeItHoldsSignedByItsSender() throws Exception {
        String[] c = greenCaseAroundARedNote("red-attach-" + UUID.randomUUID());
        verifiedExport(net.b, c[0], "boss");
        net.b.node().db().update("UPDATE envelopes SET sender_notice = NULL WHERE hash = ?", c[1]);
        io.parley.envelope.Envelope red = net.b.node().envelopes().byHash(c[1]).orElseThrow().envelope();
        var keyA = HostileNetwork.keyOf(net.a);
        // the sender's own key, but a notice that misstates who the envelope went to: a bundle must not say so
        var misstated = io.parley.envelope.WithheldNotice.of(red, c[1], java.util.Set.of("cert-b.example", "mfa-c.example")).sign(keyA);
        assertEquals("rejected", inbox(net.b, misstated).path("status").asText());
        // a notice for it signed by someone else (evil, claiming to be cert-a)
        var forged = new io.parley.envelope.WithheldNotice(red.channel(), red.from(), red.seq(), red.prev(), c[1], red.created(),
                java.util.List.of("cert-b.example"), null);
        String evilSig = io.parley.identity.CanonicalBase64.encode(HostileNetwork.keyOf(net.evil).sign(forged.signingBytes()));
        forged = new io.parley.envelope.WithheldNotice(forged.channel(), forged.from(), forged.seq(), forged.prev(), forged.hash(),
                forged.created(), forged.recipients(), evilSig);
        assertEquals("rejected", inbox(net.b, forged).path("status").asText());
        assertTrue(net.b.node().envelopes().senderNotice(c[1]).isEmpty(), "neither was kept");
        assertEquals(409, get(net.b, "/api/v1/cases/" + c[0] + "/evidence", "boss").statusCode());
        // the true notice, signed by cert-a, is kept beside the envelope and the export works again
        var honest = io.parley.envelope.WithheldNotice.of(red, c[1], java.util.Set.of("cert-b.example")).sign(keyA);
        assertEquals("attached", inbox(net.b, honest).path("status").asText());
        assertEquals("duplicate", inbox(net.b, honest).path("status").asText());
        JsonNode bundle = verifiedExport(net.b, c[0], "boss");
        assertEquals(honest.canonical(), io.parley.envelope.WithheldNotice.fromJson(bundle.path("withheld").get(0)).canonical());
    }

    private static JsonNode inbox(NodeServer to, io.parley.envelope.WithheldNotice n) throws Exception {
        var res = HostileNetwork.rawPost(to, "/federation/v1/inbox", "application/json",
                ("{\"envelopes\":[" + Json.write(n.toJson()) + "]}").getBytes(StandardCharsets.UTF_8));
        assertEquals(200, res.statusCode(), res.body());
        return Json.parse(res.body()).path("results").get(0);
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + TestNodes.PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(NodeServer n, String path, String user) throws Exception {
        return TestNodes.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).header("Authorization", basic(user)).GET().build());
    }
}
