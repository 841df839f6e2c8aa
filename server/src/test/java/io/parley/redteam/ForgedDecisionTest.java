package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

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

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.timeline.CaseState;
import io.parley.timeline.DeadlineStatus;

/**
 * A dishonest member signs answer decisions its own software would refuse to send, and delivers them by hand: an
 * ill-formed decision is refused at the inbox and recorded, and a well-formed one for a case that does not address
 * it is kept on record but moves no deadline and cannot make the case "declined".
 */
class ForgedDecisionTest {
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b, evil;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        evil = TestNodes.start(tmp, HostileNetwork.EVIL, null, clock);
        TestNodes.peerAll(a, b, evil);
        TestNodes.establish(TestNodes.charter("red", Tlp.RED, a, b, evil), a, b, evil);
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b, evil}) if (n != null) n.close();
    }

    String open(String tlp, String recipients) throws Exception {
        var res = TestNodes.post(a, "/api/v1/channels/red/cases", "{\"kind\":\"request\",\"priority\":\"flash\",\"tlp\":\"" + tlp + "\",\"body\":"
                + "{\"type\":\"trace\",\"summary\":\"Who is behind 198.51.100.9\",\"asked\":\"Subscriber data\"" + recipients + "}}");
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("id").asText();
    }

    /** An ack signed with evil's key extending its chain as its node stored it, dated by the shared clock. */
    Envelope ack(String caseId, ObjectNode body) throws Exception {
        var head = evil.node().envelopes().head("red", HostileNetwork.EVIL);
        Envelope draft = new Envelope(1, "red", HostileNetwork.EVIL, head.map(h -> h.seq() + 1).orElse(1L), head.map(h -> h.hash()).orElse(null),
                Kind.ACK, caseId, clock.instant().toString(), Priority.FLASH, Tlp.AMBER, body, null);
        return EnvelopeSigner.sign(draft, HostileNetwork.keyOf(evil));
    }

    @Test
    void illFormedDecisionsAreRefusedAtTheInboxAndMoveNothing() throws Exception {
        String id = open("amber", "");
        assertTrue(TestNodes.eventually(10, () -> evil.cases().timeline(id).isPresent()));
        String past = clock.instant().minus(Duration.ofMinutes(1)).toString();
        List<ObjectNode> forged = List.of(Json.object().put("decision", "defer"),
                Json.object().put("decision", "defer").put("until", past),
                Json.object().put("decision", "defer").put("until", "2099-01-01T00:00:00Z"),
                Json.object().put("decision", "cancel"),
                Json.object().put("decision", "decline").put("reason_code", "we-dont-care"),
                Json.object().put("decision", "decline"));
        for (ObjectNode body : forged) {
            JsonNode answer = HostileChain.deliver(a, ack(id, body));
            assertTrue(answer.path("type").asText().endsWith("/malformed"), body + " -> " + answer);
            assertTrue(answer.path("detail").asText().startsWith("/body/"), answer.toString());
        }
        assertTrue(TestNodes.eventually(10, () -> a.node().envelopes().rejections(100).stream()
                .filter(r -> r.code().equals("malformed") && r.sender().equals(HostileNetwork.EVIL)).count() >= forged.size()), "each refusal is recorded");
        var t = a.cases().timeline(id).orElseThrow();
        assertFalse(t.responses().containsKey(HostileNetwork.EVIL), "nothing of evil's counts");
        clock.advance(Duration.ofHours(5));
        assertEquals(DeadlineStatus.MISSED, t.answerStatusOf(HostileNetwork.EVIL, clock.instant()), "evil's deadline was not moved");
        // the same forgery through evil's own API is refused before anything is signed
        var own = TestNodes.post(evil, "/api/v1/cases/" + id + "/ack", "{\"decision\":\"defer\",\"until\":\"" + past + "\"}");
        assertEquals(422, own.statusCode(), own.body());
    }

    @Test
    void aDecisionFromAMemberTheRedCaseDoesNotAddressIsOnRecordAndCountsForNothing() throws Exception {
        String id = open("red", ",\"recipients\":[\"cert-b.example\"]");
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()));
        // evil guesses or learns the id and declines a case that was never addressed to it
        JsonNode answer = HostileChain.deliver(a, ack(id, Json.object().put("decision", "decline").put("reason_code", "duplicate")));
        assertEquals("accepted", answer.path("status").asText(), "a well-formed, signed ack from a member is kept as evidence: " + answer);
        var t = a.cases().timeline(id).orElseThrow();
        assertEquals(List.of("cert-b.example"), t.addressedParties());
        assertEquals(1, t.responses().get(HostileNetwork.EVIL).ignored().size());
        assertNull(t.responses().get(HostileNetwork.EVIL).decision());
        JsonNode view = Json.parse(TestNodes.get(a, "/api/v1/cases/" + id).body());
        JsonNode evilRow = null;
        for (JsonNode r : view.path("responses")) if (r.path("party").asText().equals(HostileNetwork.EVIL)) evilRow = r;
        assertNotNull(evilRow, view.toString());
        assertFalse(evilRow.has("decision"));
        assertTrue(evilRow.path("ignored_decisions").get(0).asText().contains("does not address"), evilRow.toString());
        assertNotEquals("declined", view.path("state").asText());

        // b, the one party addressed, declines: only now is the request declined
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + id + "/ack", "{\"decision\":\"decline\",\"reason\":\"Needs an MLAT request\",\"lang\":\"en\","
                + "\"reason_code\":\"legal-obstacle\"}").statusCode());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(id).map(x -> x.state() == CaseState.DECLINED).orElse(false)));
    }
}
