package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 10 item 8: a case belongs to its channel. The hostile node, a member of channel X only, sends close, ack and
 * answer envelopes carrying the id of a case in channel Y, and in X closes a case it did not open: nothing moves. It
 * cannot reuse another party's case id at all (ids are bound to their opener, see {@link CaseTakeoverTest}).
 */
class CaseIsolationTest {
    static final String X = "rt8-with-evil";
    static final String Y = "rt8-without-evil";

    @TempDir
    static Path tmp;
    static HostileNetwork net;
    /** evil.example's chain in X, written by hand across the tests (its own node never writes there after setup). */
    static HostileChain evilInX;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter(X, Tlp.AMBER, net.a, net.b, net.evil), net.a, net.b, net.evil);
        TestNodes.establish(TestNodes.charter(Y, Tlp.AMBER, net.a, net.b), net.a, net.b);
        evilInX = HostileChain.of(net.evil, X);
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) net.close();
    }

    /** Opens a request in {@code channel} at {@code at} through the API; returns its case id. */
    static String open(NodeServer at, String channel) throws Exception {
        ObjectNode req = Json.object().put("kind", "request").put("priority", "flash").put("tlp", "amber");
        req.putObject("body").put("type", "mitigation").put("summary", "Phishing kit").put("asked", "Take it down");
        var res = TestNodes.post(at, "/api/v1/channels/" + channel + "/cases", Json.write(req));
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("id").asText();
    }

    static JsonNode caseAt(NodeServer n, String id, String channel) throws Exception {
        var res = TestNodes.get(n, "/api/v1/cases/" + id + "?channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8));
        assertEquals(200, res.statusCode(), res.body());
        return Json.parse(res.body());
    }

    static ObjectNode text(String t) {
        return Json.object().put("text", t).put("lang", "en");
    }

    static void assertAccepted(JsonNode answer) {
        assertEquals("accepted", answer.path("status").asText(), answer.toString());
    }

    @Test
    void closeCarryingAnotherChannelsCaseIdMovesNothing() throws Exception {
        String id = open(net.a, Y);
        assertTrue(TestNodes.eventually(10, () -> net.b.node().envelopes().count() > 0));
        assertAccepted(HostileChain.deliver(net.a, evilInX.next(Kind.CLOSE, id, Tlp.GREEN, text("closed by evil"))));
        JsonNode c = caseAt(net.a, id, Y);
        assertEquals("open", c.path("state").asText(), c.toString());
        assertEquals(Y, c.path("channel").asText());
    }

    @Test
    void ackAndAnswerCarryingAnotherChannelsCaseIdMoveNothing() throws Exception {
        String id = open(net.a, Y);
        HostileChain chain = evilInX;
        assertAccepted(HostileChain.deliver(net.a, chain.next(Kind.ACK, id, Tlp.GREEN, text("ack by evil"))));
        assertAccepted(HostileChain.deliver(net.a, chain.next(Kind.ANSWER, id, Tlp.GREEN, text("answer by evil"))));
        JsonNode c = caseAt(net.a, id, Y);
        assertEquals("open", c.path("state").asText(), c.toString());
        assertEquals(0, c.path("responses").size(), c.toString());
        assertEquals("pending", c.path("ack_status").asText(), "cert-b's deadline still runs: " + c);
    }

    @Test
    void memberCannotCloseACaseItDidNotOpen() throws Exception {
        String id = open(net.a, X);
        assertTrue(TestNodes.eventually(10, () -> net.evil.node().envelopes().inChannel(X, 0, 1000).stream().anyMatch(s -> id.equals(s.envelope().caseId()))));
        // through its own node's API (the honest software refuses) ...
        var refused = TestNodes.post(net.evil, "/api/v1/cases/" + id + "/close?channel=" + X, "{}");
        assertEquals(403, refused.statusCode(), refused.body());
        // ... and crafted by hand: stored (it is a valid envelope of evil's chain) but it closes nothing
        assertAccepted(HostileChain.deliver(net.a, evilInX.next(Kind.CLOSE, id, Tlp.GREEN, text("closed by evil"))));
        assertEquals("open", caseAt(net.a, id, X).path("state").asText());
    }

    @Test
    void caseIdReusedInAnotherChannelIsAnotherCase() throws Exception {
        String id = open(net.a, Y);
        // evil cannot reuse cert-a's id at all: a case id is bound to its opener (CaseTakeoverTest has the attacks)
        ObjectNode opening = Json.object().put("type", "mitigation").put("summary", "same id, other channel").put("asked", "nothing");
        JsonNode refused = HostileChain.deliver(net.a, HostileNetwork.craft(net.evil, X, Kind.REQUEST, id, Tlp.GREEN, opening));
        assertTrue(refused.path("type").asText().endsWith("/case-not-yours"), refused.toString());
        // its opener may use it in another channel too: that is another case, which evil cannot close either
        var reused = net.a.node().composer().compose(new Composer.Draft(X, Kind.REQUEST, id, Priority.ROUTINE, Tlp.GREEN, opening));
        assertTrue(reused instanceof Verdict.Accepted, reused.toString());
        assertAccepted(HostileChain.deliver(net.a, evilInX.next(Kind.CLOSE, id, Tlp.GREEN, text("closing a copy"))));
        assertEquals("open", caseAt(net.a, id, X).path("state").asText(), "evil closes nothing in X");
        assertEquals("cert-a.example", caseAt(net.a, id, X).path("opened_by").asText());
        JsonNode y = caseAt(net.a, id, Y);
        assertEquals("open", y.path("state").asText(), y.toString());
        assertEquals("cert-a.example", y.path("opened_by").asText());
        // without a channel the id is ambiguous: a problem, never the wrong case
        var ambiguous = TestNodes.get(net.a, "/api/v1/cases/" + id);
        assertEquals(409, ambiguous.statusCode(), ambiguous.body());
        assertTrue(ambiguous.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        var act = TestNodes.post(net.a, "/api/v1/cases/" + id + "/update", Json.write(text("which one?")));
        assertEquals(409, act.statusCode(), act.body());
    }

    @Test
    void anonymousCallerCannotReadOrMoveACase() throws Exception {
        String id = open(net.a, Y);
        assertEquals(401, HostileNetwork.rawGet(net.a, "/api/v1/cases/" + id).statusCode());
        assertEquals(401, HostileNetwork.rawGet(net.a, "/api/v1/cases/" + id + "/evidence").statusCode());
        assertEquals(401, HostileNetwork.rawPost(net.a, "/api/v1/cases/" + id + "/close", "application/json", "{}".getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals("open", caseAt(net.a, id, Y).path("state").asText());
    }
}
