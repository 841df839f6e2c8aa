package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Review of the merged issue-10 fixes, where TLP:RED meets cases: a TLP:RED case lives only among its opener and the
 * opening's named recipients (the others hold withheld notices, which carry no case id). A later step of that case
 * (ack, answer, update, escalation...) must not take the case, its id or its content to anyone else, whichever route
 * writes it: a lower label on the messages route, or recipients named by hand on a case action.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedCaseStepsTest {
    @TempDir static Path tmp;
    HostileNetwork net;

    @BeforeAll
    void start() throws Exception {
        net = HostileNetwork.start(tmp);
    }

    @AfterAll
    void stop() throws Exception {
        if (net != null) net.close();
    }

    /** cert-a opens a RED request naming only cert-b; returns the case id once cert-b holds it. */
    private String openRedCase(String ch) throws Exception {
        ObjectNode open = Json.object().put("kind", "request").put("priority", "urgent").put("tlp", "red");
        open.putObject("body").put("type", "trace").put("summary", "red case").put("asked", "who is behind it")
                .putArray("recipients").add("cert-b.example");
        var res = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/cases", Json.write(open));
        assertEquals(201, res.statusCode(), res.body());
        String caseId = Json.parse(res.body()).path("id").asText();
        assertTrue(TestNodes.eventually(15, () -> net.b.cases().find(caseId, ch).isPresent()), "cert-b holds the case");
        return caseId;
    }

    private static boolean holdsCase(NodeServer n, String ch, String caseId) {
        return !n.node().envelopes().inCase(ch, caseId).isEmpty();
    }

    private static long head(NodeServer n, String ch) {
        return n.node().envelopes().head(ch, n.node().origin()).map(h -> h.seq()).orElse(0L);
    }

    /** The case id and the answer text reach no node outside the case: it is nowhere in their envelopes. */
    private void nowhereOutside(String ch, String caseId, String secret) throws Exception {
        // a later RED step that does reach cert-a proves delivery has run past the refused attempt
        ObjectNode ok = Json.object().put("text", "fine");
        var res = TestNodes.post(net.b, "/api/v1/cases/" + caseId + "/update?channel=" + ch, Json.write(Json.object().set("body", ok)));
        assertEquals(200, res.statusCode(), res.body());
        long seq = head(net.b, ch);
        for (NodeServer n : List.of(net.c, net.evil)) {
            assertTrue(TestNodes.eventually(15, () -> n.node().envelopes().link(ch, "cert-b.example", seq).isPresent()), "chain link at " + n.node().origin());
            assertFalse(holdsCase(n, ch, caseId), "no envelope of the RED case at " + n.node().origin());
            String all = String.join("\n", n.node().db().query("SELECT canonical FROM envelopes", rs -> rs.getString(1)));
            assertFalse(all.contains(caseId), "the RED case id is nowhere at " + n.node().origin());
            assertFalse(all.contains(secret), "the answer is nowhere at " + n.node().origin());
        }
    }

    @Test
    void aStepOfARedCaseSentUnderALowerLabelIsRefused() throws Exception {
        String ch = net.redChannel("lower");
        String caseId = openRedCase(ch);
        String secret = "answer-" + UUID.randomUUID();
        long before = head(net.b, ch);
        ObjectNode req = Json.object().put("kind", "answer").put("tlp", "amber").put("case", caseId);
        req.putObject("body").put("text", secret);
        var res = TestNodes.post(net.b, "/api/v1/channels/" + ch + "/messages", Json.write(req));
        assertTrue(res.statusCode() == 422 || res.statusCode() == 400, res.statusCode() + " " + res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), res.body());
        assertEquals(before, head(net.b, ch), "nothing was signed");
        nowhereOutside(ch, caseId, secret);
    }

    @Test
    void aStepOfARedCaseNamingAPartyOutsideTheCaseIsRefused() throws Exception {
        String ch = net.redChannel("outside");
        String caseId = openRedCase(ch);
        String secret = "answer-" + UUID.randomUUID();
        long before = head(net.b, ch);
        ObjectNode body = Json.object().put("text", secret);
        body.putArray("recipients").add("cert-a.example").add("mfa-c.example");
        var res = TestNodes.post(net.b, "/api/v1/cases/" + caseId + "/answer?channel=" + ch, Json.write(Json.object().set("body", body)));
        assertTrue(res.statusCode() == 422 || res.statusCode() == 400, res.statusCode() + " " + res.body());
        assertEquals(before, head(net.b, ch), "nothing was signed");
        // the same through the messages route, RED but to an outsider
        ObjectNode req = Json.object().put("kind", "answer").put("tlp", "red").put("case", caseId);
        req.set("body", body);
        var viaMessages = TestNodes.post(net.b, "/api/v1/channels/" + ch + "/messages", Json.write(req));
        assertTrue(viaMessages.statusCode() == 422 || viaMessages.statusCode() == 400, viaMessages.statusCode() + " " + viaMessages.body());
        assertEquals(before, head(net.b, ch), "nothing was signed");
        nowhereOutside(ch, caseId, secret);
    }

    @Test
    void aStepOfARedCaseToASubsetOfItsPartiesStillGoes() throws Exception {
        String ch = net.redChannel("subset");
        String caseId = openRedCase(ch);
        ObjectNode body = Json.object().put("text", "to the opener only");
        body.putArray("recipients").add("cert-a.example");
        var res = TestNodes.post(net.b, "/api/v1/cases/" + caseId + "/ack?channel=" + ch, Json.write(Json.object().set("body", body)));
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(TestNodes.eventually(15, () -> net.a.cases().find(caseId, ch).map(t -> t.ackedAt() != null).orElse(false)));
    }

    @Test
    void aRedCaseStaysAnswerableAfterAnAmendmentRemovesOneOfItsParties() throws Exception {
        String ch = net.redChannel("removed");
        ObjectNode open = Json.object().put("kind", "request").put("priority", "urgent").put("tlp", "red");
        open.putObject("body").put("type", "trace").put("summary", "red case").put("asked", "who is behind it")
                .putArray("recipients").add("cert-b.example").add(HostileNetwork.EVIL);
        var opened = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/cases", Json.write(open));
        assertEquals(201, opened.statusCode(), opened.body());
        String caseId = Json.parse(opened.body()).path("id").asText();
        assertTrue(TestNodes.eventually(15, () -> net.b.cases().find(caseId, ch).isPresent()), "cert-b holds the case");
        // the other members agree to drop evil.example from the channel
        var withoutEvil = TestNodes.charter(ch, Tlp.RED, net.a, net.b, net.c);
        var amend = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/amend", Json.write(withoutEvil.toJson()));
        assertEquals(200, amend.statusCode(), amend.body());
        for (NodeServer n : List.of(net.b, net.c)) {
            assertTrue(TestNodes.eventually(15, () -> n.node().channels().pending(ch).isPresent()), "the amendment reached " + n.node().origin());
            String hash = Json.parse(TestNodes.get(n, "/api/v1/channels/" + ch).body()).path("pending").path("charter_hash").asText();
            var signed = TestNodes.post(n, "/api/v1/channels/" + ch + "/sign", Json.write(Json.object().put("charter_hash", hash)));
            assertEquals(200, signed.statusCode(), signed.body());
        }
        assertTrue(TestNodes.eventually(20, () -> net.b.node().channels().charter(ch).map(c -> c.member(HostileNetwork.EVIL).isEmpty()).orElse(false)),
                "the amendment is in force at cert-b");
        // cert-b acknowledges: the step goes to the parties of the case that are still members
        var ack = TestNodes.post(net.b, "/api/v1/cases/" + caseId + "/ack?channel=" + ch, "{}");
        assertEquals(200, ack.statusCode(), ack.body());
        assertTrue(TestNodes.eventually(15, () -> net.a.cases().find(caseId, ch).map(t -> t.ackedAt() != null).orElse(false)));
    }
}
