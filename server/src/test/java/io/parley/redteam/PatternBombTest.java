package io.parley.redteam;

import static io.parley.redteam.EvidenceAttacks.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Tlp;
import io.parley.testing.TestNodes;

/**
 * Issue 10 item 12: one crafted STIX pattern must not stop evidence indexing on the nodes that receive it. The
 * hostile member sends an indicator whose pattern once overflowed the stack of every receiving node's indexer; the
 * honest member's next envelope must still be indexed.
 */
class PatternBombTest {
    @TempDir static Path tmp;
    static HostileNetwork net;
    /** The hostile node's chain in quad, shared by the tests (b stores what evil's own store never saw). */
    static EvilChain evil;

    @BeforeAll
    static void network() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter("quad", Tlp.AMBER, net.a, net.b, net.c, net.evil), net.a, net.b, net.c, net.evil);
        evil = new EvilChain(net, "quad");
    }

    @AfterAll
    static void stop() throws Exception {
        net.close();
    }

    /** An honest GREEN message from a with one indicator, and whether b indexed it. */
    static boolean honestEnvelopeIsIndexedAtB(String ip) throws Exception {
        var req = io.parley.json.Json.object().put("kind", "notify").put("priority", "routine").put("tlp", "green");
        req.set("body", inline("benign", bundle(ipIndicator(Tlp.GREEN, ip))));
        assertEquals(201, api(net.a, "/api/v1/channels/quad/messages", req).statusCode());
        return TestNodes.eventually(30, () -> indexed(net.b, ip));
    }

    @Test
    void sixKilobytePatternDoesNotStopIndexingOfTheNextEnvelope() throws Exception {
        String bomb = "[ipv4-addr:" + "x.".repeat(3000) + "value = '192.0.2.50']";
        assertTrue(bomb.length() > 6000);
        var sent = evil.send(net.b, Tlp.GREEN, inline("bomb", bundle(indicator(Tlp.GREEN, bomb))));
        assertEquals(201, sent.statusCode(), sent.body());
        assertTrue(honestEnvelopeIsIndexedAtB("192.0.2.51"), "b's indexer survived the 6 kB pattern and went on");
    }

    @Test
    void deeplyNestedAndOversizedPatternsDoNotStopIndexing() throws Exception {
        String nested = "(".repeat(5000) + "[ipv4-addr:value = '192.0.2.60']" + ")".repeat(5000);
        StringBuilder chain = new StringBuilder("[ipv4-addr:value = '192.0.2.61'");
        while (chain.length() < 40_000) chain.append(" OR ipv4-addr:value = '192.0.2.61'");
        chain.append(']');
        for (String bomb : new String[] {nested, chain.toString()}) {
            var sent = evil.send(net.b, Tlp.GREEN, inline("bomb", bundle(indicator(Tlp.GREEN, bomb))));
            assertEquals(201, sent.statusCode(), sent.body());
        }
        assertTrue(honestEnvelopeIsIndexedAtB("192.0.2.62"), "b's indexer survived both and went on");
        assertFalse(indexed(net.b, "192.0.2.60"), "a pattern nested beyond the cap is invalid STIX, not indexed");
    }
}
