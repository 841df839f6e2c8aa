package io.parley.federation;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.receipt.ReceiptVerifier;
import io.parley.server.NodeServer;
import io.parley.store.StoredEnvelope;
import io.parley.testing.FaultyProxy;
import io.parley.testing.Fixtures;
import io.parley.testing.TestNodes;

/** Three real nodes on loopback, each with its own database, federating over HTTP. */
public class FederationTest {
    @TempDir Path tmp;
    NodeServer a, b, c;
    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        c = TestNodes.start(tmp, "mfa-c.example");
        TestNodes.peerAll(a, b, c);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable x : closing) x.close();
        for (NodeServer n : new NodeServer[] {a, b, c}) if (n != null) n.close();
    }

    String send(NodeServer from, String channel, String text) throws Exception {
        var res = TestNodes.post(from, "/api/v1/channels/" + channel + "/messages",
                "{\"kind\":\"notify\",\"priority\":\"urgent\",\"tlp\":\"amber\",\"body\":{\"text\":\"" + text + "\",\"lang\":\"en\"}}");
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("hash").asText();
    }

    @Test
    void messageReachesAllMembersWithVerifiedReceiptsAndDuplicatesAreIgnored() throws Exception {
        TestNodes.establish(TestNodes.charter("tri", Tlp.AMBER, Map.of(a, a.baseUrl(), b, b.baseUrl(), c, c.baseUrl())), a, b, c);
        String hash = send(a, "tri", "DDoS on government portals");
        for (NodeServer n : List.of(b, c)) {
            assertTrue(TestNodes.eventually(10, () -> n.node().envelopes().byHash(hash).isPresent()), "reached " + n.node().origin());
        }
        assertTrue(TestNodes.eventually(10, () -> a.federation().outbox().forEnvelope(hash).stream().allMatch(s -> s.state().equals("delivered"))));
        var deliveries = Json.parse(TestNodes.get(a, "/api/v1/envelopes/" + hash + "/deliveries").body());
        assertEquals(2, deliveries.size());
        Envelope env = a.node().envelopes().byHash(hash).orElseThrow().envelope();
        for (JsonNode d : deliveries) {
            assertEquals("delivered", d.path("state").asText());
            NodeServer recipient = d.path("recipient").asText().equals("cert-b.example") ? b : c;
            // the receipt proves inclusion in the recipient's log, under the recipient's key
            ReceiptVerifier.verify(env.canonicalBytes(), d.path("receipt").path("tlog_proof").asText(),
                    recipient.node().key().verifierKey(), List.of(), 0);
        }
        // a replay of the same envelope changes nothing, and is counted
        double duplicates = b.node().metrics().counter("parley_inbox_duplicates").count();
        var again = TestNodes.post(b, "/federation/v1/inbox", Json.write(env.toJson()));
        assertEquals(200, again.statusCode());
        assertEquals("duplicate", Json.parse(again.body()).path("status").asText());
        assertEquals(duplicates + 1, b.node().metrics().counter("parley_inbox_duplicates").count());
        assertTrue(TestNodes.get(b, "/metrics").body().contains("parley_inbox_duplicates_total"));
        assertEquals(1, b.node().envelopes().chain("tri", "cert-a.example", 0, 100).stream()
                .filter(s -> s.envelope().kind() == io.parley.envelope.Kind.NOTIFY).count(), "stored once");
    }

    @Test
    void bilateralChannelStaysBetweenItsTwoMembers() throws Exception {
        TestNodes.establish(TestNodes.charter("ab", Tlp.AMBER_STRICT, Map.of(a, a.baseUrl(), b, b.baseUrl())), a, b);
        String hash = send(a, "ab", "only for b");
        assertTrue(TestNodes.eventually(10, () -> b.node().envelopes().byHash(hash).isPresent()));
        assertTrue(c.node().channels().charter("ab").isEmpty());
        assertTrue(c.node().envelopes().byHash(hash).isEmpty());
        assertEquals(1, a.federation().outbox().forEnvelope(hash).size(), "one recipient only");
    }

    @Test
    void stoppedNodeReceivesEverythingExactlyOnceInOrderAfterRestart() throws Exception {
        TestNodes.establish(TestNodes.charter("tri", Tlp.AMBER, Map.of(a, a.baseUrl(), b, b.baseUrl(), c, c.baseUrl())), a, b, c);
        int port = b.port();
        b.close();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) sent.add(send(a, "tri", "while b is down " + i));
        assertTrue(TestNodes.eventually(10, () -> c.node().envelopes().byHash(sent.get(19)).isPresent()), "c is not held up by b");
        Thread.sleep(500);
        b = TestNodes.start(tmp, "cert-b.example", null, Clock.systemUTC(), port);
        assertTrue(TestNodes.eventually(20, () -> b.node().envelopes().byHash(sent.get(19)).isPresent()), "b caught up");
        List<StoredEnvelope> chain = b.node().envelopes().chain("tri", "cert-a.example", 0, 1000);
        List<String> notifies = chain.stream().filter(s -> s.envelope().kind() == io.parley.envelope.Kind.NOTIFY).map(StoredEnvelope::hash).toList();
        assertEquals(sent, notifies, "every message once, in order");
        for (int i = 1; i < chain.size(); i++) assertEquals(chain.get(i - 1).hash(), chain.get(i).envelope().prev(), "chain intact");
        assertTrue(TestNodes.eventually(20, () -> a.federation().outbox().count("cert-b.example", "queued") == 0));
        var peers = Json.parse(TestNodes.get(a, "/api/v1/peers").body());
        JsonNode lineToB = null;
        for (JsonNode p : peers) if (p.path("origin").asText().equals("cert-b.example")) lineToB = p.path("line");
        assertNotNull(lineToB);
        assertEquals("up", lineToB.path("state").asText());
        assertTrue(lineToB.path("outages").size() >= 1, "the outage is on record: " + lineToB);
        assertTrue(lineToB.path("outages").get(0).has("to"), "and it ended");
    }

    @Test
    void slowOrDroppingPeerDoesNotBlockDeliveryToOthers() throws Exception {
        FaultyProxy proxy = new FaultyProxy(c.port());
        closing.add(proxy);
        TestNodes.establish(TestNodes.charter("tri", Tlp.AMBER, Map.of(a, a.baseUrl(), b, b.baseUrl(), c, proxy.url())), a, b, c);
        proxy.delay(8000);
        long t0 = System.nanoTime();
        String slow = send(a, "tri", "c is slow");
        assertTrue(TestNodes.eventually(5, () -> b.node().envelopes().byHash(slow).isPresent()), "b got it despite c being slow");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5000, "delivery to b took " + ms + " ms");
        proxy.drop();
        String dropped = send(a, "tri", "c drops connections");
        assertTrue(TestNodes.eventually(5, () -> b.node().envelopes().byHash(dropped).isPresent()), "b got it despite c dropping");
        proxy.forward();
        assertTrue(TestNodes.eventually(30, () -> c.node().envelopes().byHash(dropped).isPresent()), "c gets it once the line works");
    }

    @Test
    void forgedReplayedOutsiderGapAndEquivocatingEnvelopesAreRejectedAndRecorded() throws Exception {
        TestNodes.establish(TestNodes.charter("tri", Tlp.AMBER, Map.of(a, a.baseUrl(), b, b.baseUrl(), c, c.baseUrl())), a, b, c);
        String first = send(a, "tri", "first");
        assertTrue(TestNodes.eventually(10, () -> b.node().envelopes().byHash(first).isPresent()));
        Envelope e1 = b.node().envelopes().byHash(first).orElseThrow().envelope();
        var aKey = io.parley.identity.KeyFiles.read(a.node().dir().resolve("log.key"));

        // forged signature: right sender and chain position, wrong key
        Envelope forged = io.parley.envelope.EnvelopeSigner.sign(new Envelope(1, "tri", "cert-a.example", e1.seq() + 1, first,
                io.parley.envelope.Kind.NOTIFY, null, "2026-11-23T12:00:00Z", Priority.FLASH, Tlp.GREEN, Json.object().put("text", "forged"), null),
                SigningKey.generate("cert-a.example"));
        assertEquals("bad-signature", inboxCode(b, forged));
        // non-member
        SigningKey outsider = SigningKey.generate("mallory.example");
        // (the answer does not tell a stranger whether the channel exists; the recorded rejection says why)
        assertEquals("bad-signature", inboxCode(b, Fixtures.envelope(outsider, "tri", 1, null, Tlp.GREEN, "let me in")));
        // gap: a's seq skips ahead
        Envelope gap = io.parley.envelope.EnvelopeSigner.sign(new Envelope(1, "tri", "cert-a.example", e1.seq() + 5, first,
                io.parley.envelope.Kind.NOTIFY, null, "2026-11-23T12:00:00Z", Priority.FLASH, Tlp.GREEN, Json.object().put("text", "gap"), null), aKey);
        assertEquals("chain-gap", inboxCode(b, gap));
        // equivocation: a second, different envelope signed by a for the same seq
        Envelope twin = io.parley.envelope.EnvelopeSigner.sign(new Envelope(1, "tri", "cert-a.example", e1.seq(), e1.prev(),
                io.parley.envelope.Kind.NOTIFY, null, e1.created(), e1.priority(), e1.tlp(), Json.object().put("text", "the other story"), null), aKey);
        assertEquals("equivocation", inboxCode(b, twin));
        // replay: harmless
        var replay = TestNodes.post(b, "/federation/v1/inbox", Json.write(e1.toJson()));
        assertEquals("duplicate", Json.parse(replay.body()).path("status").asText());

        var rejections = Json.parse(TestNodes.get(b, "/api/v1/rejections").body());
        List<String> codes = new ArrayList<>();
        rejections.forEach(r -> codes.add(r.path("code").asText()));
        assertTrue(codes.containsAll(List.of("bad-signature", "not-member", "chain-gap", "equivocation")), codes.toString());
        var equivocations = Json.parse(TestNodes.get(b, "/api/v1/equivocations").body());
        assertEquals(1, equivocations.size());
        assertEquals(twin.hash(), equivocations.get(0).path("conflicting_hash").asText());
        var parties = Json.parse(TestNodes.get(b, "/api/v1/parties").body());
        boolean flagged = false;
        for (JsonNode p : parties) if (p.path("origin").asText().equals("cert-a.example")) flagged = p.has("flagged");
        assertTrue(flagged, "the equivocating sender is flagged");
    }

    @Test
    void peeringPinsFingerprintsAndRefusesAChangedKeyWithoutHandOver() throws Exception {
        // wrong fingerprint
        var res = TestNodes.post(a, "/api/v1/peers", Json.write(Json.object().put("url", c.baseUrl()).put("fingerprint", "SHA256:wrong")));
        assertEquals(409, res.statusCode(), res.body());
        // an impostor at another address claiming to be cert-b.example with a different key
        NodeServer impostor = TestNodes.start(tmp.resolve("evil"), "cert-b.example");
        closing.add(impostor);
        var refused = TestNodes.post(a, "/api/v1/peers", Json.write(Json.object().put("url", impostor.baseUrl()).put("fingerprint", impostor.node().card().fingerprint())));
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(Json.parse(refused.body()).path("detail").asText().startsWith("REFUSED"), refused.body());
        assertEquals(b.node().key().verifierKey(), a.node().knownCard("cert-b.example").orElseThrow().verifierKey(), "the known key stays");
    }

    private static String inboxCode(NodeServer n, Envelope e) throws Exception {
        var res = TestNodes.post(n, "/federation/v1/inbox", Json.write(e.toJson()));
        assertTrue(res.statusCode() >= 400 && res.statusCode() < 500, res.body());
        String type = Json.parse(res.body()).path("type").asText();
        return type.substring(type.lastIndexOf('/') + 1);
    }
}
