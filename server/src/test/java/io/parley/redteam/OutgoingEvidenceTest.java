package io.parley.redteam;

import static io.parley.redteam.EvidenceAttacks.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.identity.Sha256;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.testing.TestNodes;

/**
 * Issue 10 item 3: every route that composes an envelope passes the same evidence and marking checks, and a peer's
 * inline bundle marked above the channel's ceiling (or its envelope's label) is refused at the gate.
 */
class OutgoingEvidenceTest {
    @TempDir static Path tmp;
    static HostileNetwork net;

    @BeforeAll
    static void network() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter("ab", Tlp.AMBER_STRICT, net.a, net.b), net.a, net.b);
        TestNodes.establish(TestNodes.charter("abc", Tlp.AMBER_STRICT, net.a, net.b, net.c), net.a, net.b, net.c);
        TestNodes.establish(TestNodes.charter("quad", Tlp.AMBER, net.a, net.b, net.c, net.evil), net.a, net.b, net.c, net.evil);
    }

    @AfterAll
    static void stop() throws Exception {
        net.close();
    }

    /** b shares an AMBER+STRICT bundle with a in their bilateral channel; a holds it, indexed. */
    static ObjectNode strictBundleFromB(String ip) throws Exception {
        ObjectNode bundle = bundle(ipIndicator(Tlp.AMBER_STRICT, ip));
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "amber+strict");
        req.set("body", inline("for cert-a only", bundle));
        var sent = api(net.b, "/api/v1/channels/ab/messages", req);
        assertEquals(201, sent.statusCode(), sent.body());
        assertTrue(TestNodes.eventually(20, () -> indexed(net.a, ip)), "a indexed b's strict bundle");
        return bundle;
    }

    /** A GREEN control message in abc from a; once c indexed it, anything a sent before it has been judged at c. */
    static void controlReachesC(String ip) throws Exception {
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "routine").put("tlp", "green");
        req.set("body", inline("control", bundle(ipIndicator(Tlp.GREEN, ip))));
        assertEquals(201, api(net.a, "/api/v1/channels/abc/messages", req).statusCode());
        assertTrue(TestNodes.eventually(20, () -> indexed(net.c, ip)), "the control message reached c");
    }

    @Test
    void strictBundleOfABilateralChannelCannotBeCopiedIntoACaseOfAnother() throws Exception {
        ObjectNode strict = strictBundleFromB("203.0.113.10");
        ObjectNode open = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "amber+strict");
        open.set("body", inline("forwarding what b told us", strict));
        var inlineCase = api(net.a, "/api/v1/channels/abc/cases", open);
        assertEquals(422, inlineCase.statusCode(), inlineCase.body());
        assertEquals("evidence-refused", problemCode(inlineCase));
        assertEquals("/body/stix/objects/0", Json.parse(inlineCase.body()).path("errors").get(0).path("pointer").asText(), inlineCase.body());
        // by hash: the bundle a holds from b may not be named in another channel either
        ObjectNode byHash = Json.object().put("summary", "see attached");
        byHash.putArray("evidence").addObject().put("sha256", Sha256.hex(Jcs.canonicalize(strict)));
        open.set("body", byHash);
        var refCase = api(net.a, "/api/v1/channels/abc/cases", open);
        assertEquals(422, refCase.statusCode(), refCase.body());
        controlReachesC("203.0.113.11");
        assertFalse(indexed(net.c, "203.0.113.10"), "c never indexes the bilateral channel's AMBER+STRICT indicator");
        assertFalse(inTaxii(net.c, "203.0.113.10"), "nor serves it over TAXII");
    }

    @Test
    void caseActionsCannotCarryEvidenceAroundTheChecks() throws Exception {
        ObjectNode strict = strictBundleFromB("203.0.113.20");
        ObjectNode open = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "amber");
        open.set("body", Json.object().put("summary", "phishing wave"));
        var opened = api(net.c, "/api/v1/channels/abc/cases", open);
        assertEquals(201, opened.statusCode(), opened.body());
        String caseId = Json.parse(opened.body()).path("id").asText();
        assertTrue(TestNodes.eventually(20, () -> net.a.cases().timeline(caseId).isPresent()));
        ObjectNode ack = inline("we saw this too", strict).put("decision", "accept");
        var acked = api(net.a, "/api/v1/cases/" + caseId + "/ack", ack);
        assertEquals(422, acked.statusCode(), acked.body());
        assertEquals("evidence-refused", problemCode(acked));
        // over the ceiling (AMBER+STRICT) in an update; above the case's label (AMBER) in an answer
        var update = api(net.a, "/api/v1/cases/" + caseId + "/update", inline("more", bundle(ipIndicator(Tlp.RED, "203.0.113.21"))));
        assertEquals(422, update.statusCode(), update.body());
        var answer = api(net.a, "/api/v1/cases/" + caseId + "/answer", inline("answer", bundle(ipIndicator(Tlp.AMBER_STRICT, "203.0.113.22"))));
        assertEquals(422, answer.statusCode(), answer.body());
        controlReachesC("203.0.113.23");
        for (String ip : new String[] {"203.0.113.20", "203.0.113.21", "203.0.113.22"}) {
            assertFalse(indexed(net.c, ip), ip);
            assertFalse(inTaxii(net.c, ip), ip);
        }
    }

    @Test
    void overMarkedInlineBundleCannotOpenACase() throws Exception {
        ObjectNode open = Json.object().put("kind", "request").put("priority", "flash").put("tlp", "amber");
        ObjectNode body = inline("take it down", bundle(ipIndicator(Tlp.RED, "203.0.113.30")));
        body.put("type", "mitigation").put("asked", "suspend the host");
        open.set("body", body);
        var res = api(net.a, "/api/v1/channels/abc/cases", open);
        assertEquals(422, res.statusCode(), res.body());
        controlReachesC("203.0.113.31");
        assertFalse(indexed(net.c, "203.0.113.30"));
    }

    @Test
    void everyOtherComposeRouteIsCheckedToo() throws Exception {
        ObjectNode strict = strictBundleFromB("203.0.113.40");
        ObjectNode msg = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "amber+strict");
        msg.set("body", inline("fwd", strict));
        var viaMessages = api(net.a, "/api/v1/channels/abc/messages", msg);
        assertEquals(422, viaMessages.statusCode(), viaMessages.body());
        // what pings, escalations, the demo and any future route call: the Composer itself refuses before signing
        long before = net.a.node().envelopes().count();
        assertThrows(io.parley.node.OutgoingCheck.Refused.class, () -> net.a.node().composer().compose(new io.parley.node.Composer.Draft("abc",
                io.parley.envelope.Kind.NOTIFY, null, io.parley.envelope.Priority.URGENT, Tlp.AMBER_STRICT, inline("fwd", strict))));
        assertThrows(io.parley.node.OutgoingCheck.Refused.class, () -> net.a.node().composer().compose(new io.parley.node.Composer.Draft("abc",
                io.parley.envelope.Kind.ESCALATE, null, io.parley.envelope.Priority.URGENT, Tlp.AMBER, inline("x", bundle(ipIndicator(Tlp.RED, "203.0.113.41"))))));
        assertEquals(before, net.a.node().envelopes().count(), "nothing was signed");
        controlReachesC("203.0.113.42");
        assertFalse(indexed(net.c, "203.0.113.40"));
        assertFalse(indexed(net.c, "203.0.113.41"));
    }

    @Test
    void hostilePeersInlineBundleAboveTheCeilingIsRefusedAndNeverIndexed() throws Exception {
        var above = evilSends(net, net.b, "quad", Tlp.AMBER, inline("leak", bundle(ipIndicator(Tlp.RED, "198.51.100.40"))));
        assertEquals(422, above.statusCode(), above.body());
        assertEquals("tlp-above-ceiling", problemCode(above), above.body());
        var overLabel = evilSends(net, net.b, "quad", Tlp.GREEN, inline("leak", bundle(ipIndicator(Tlp.AMBER, "198.51.100.41"))));
        assertEquals(422, overLabel.statusCode(), overLabel.body());
        assertEquals("stix-above-label", problemCode(overLabel), overLabel.body());
        // a correctly marked envelope at the same seq is accepted and indexed; the refused ones never were
        var fine = evilSends(net, net.b, "quad", Tlp.AMBER, inline("fine", bundle(ipIndicator(Tlp.AMBER, "198.51.100.42"))));
        assertEquals(201, fine.statusCode(), fine.body());
        assertTrue(TestNodes.eventually(20, () -> indexed(net.b, "198.51.100.42")));
        for (String ip : new String[] {"198.51.100.40", "198.51.100.41"}) {
            assertFalse(indexed(net.b, ip), ip);
            assertFalse(inTaxii(net.b, ip), ip);
        }
    }
}
