package io.parley.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.audit.AuditAction;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.KeyFiles;
import io.parley.identity.PartyCard;
import io.parley.identity.Sha256;
import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.node.NodeConfig;
import io.parley.server.NodeServer;
import io.parley.store.StoredEnvelope;
import io.parley.testing.FaultyProxy;
import io.parley.testing.TestNodes;

/**
 * Key rotation in band, across real nodes: a rotated node announces its new card in every channel, and peers follow
 * the hand-over without {@code peer refresh}; what its new key signed before a peer learnt of it is held and judged
 * again; and a dishonest member can neither rotate someone else's key, nor rotate without a hand-over, nor fill the
 * hold without bound.
 */
class KeyRotationInBandTest {
    static final String A = "cert-a.example", B = "cert-b.example", C = "mfa-c.example";
    @TempDir Path tmp;
    final List<AutoCloseable> open = new ArrayList<>();
    NodeServer a, b, c;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable x : open.reversed()) x.close();
    }

    private NodeServer start(String origin, int port) throws Exception {
        NodeServer n = TestNodes.start(tmp, origin, null, Clock.systemUTC(), port);
        open.add(n);
        return n;
    }

    private void peerAll(NodeServer... nodes) throws Exception {
        TestNodes.peerAll(nodes);
    }

    /** What {@code parley key rotate} does to a stopped node's directory: a new key, handed over by the old one. */
    static SigningKey rotateOnDisk(Path dir, String origin) throws Exception {
        SigningKey old = KeyFiles.read(dir.resolve(NodeConfig.KEY_FILE));
        SigningKey fresh = SigningKey.generate(origin);
        String sig = Base64.getEncoder().encodeToString(old.sign(PartyCard.rotationStatement(origin, fresh.verifierKey())));
        NodeConfig.load(dir).withRotation(old.verifierKey().encoded(), sig).save(dir);
        Files.delete(dir.resolve(NodeConfig.KEY_FILE));
        KeyFiles.write(dir.resolve(NodeConfig.KEY_FILE), fresh);
        return fresh;
    }

    private NodeServer restartRotated(NodeServer n) throws Exception {
        String origin = n.node().origin();
        int port = n.port();
        n.close();
        open.remove(n);
        rotateOnDisk(tmp.resolve(origin), origin);
        return start(origin, port);
    }

    private static List<StoredEnvelope> announcements(NodeServer at, String channel, String from) {
        return at.node().envelopes().chain(channel, from, 0, 1000).stream().filter(s -> KeyHandOver.carriesCard(s.envelope())).toList();
    }

    @Test
    void peersFollowARotationAnnouncedInEveryChannel() throws Exception {
        a = start(A, 0);
        b = start(B, 0);
        c = start(C, 0);
        peerAll(a, b, c);
        TestNodes.establish(TestNodes.charter("r1", Tlp.AMBER, a, b, c), a, b, c);
        TestNodes.establish(TestNodes.charter("r2", Tlp.AMBER, a, b), a, b);
        VerifierKey oldKey = a.node().key().verifierKey();

        a = restartRotated(a);
        VerifierKey newKey = a.node().key().verifierKey();
        assertNotEquals(oldKey, newKey);

        NodeServer a2 = a;
        for (NodeServer peer : List.of(b, c)) {
            assertTrue(TestNodes.eventually(15, () -> peer.node().knownCard(A).orElseThrow().verifierKey().equals(newKey)),
                    peer.node().origin() + " follows without a peer refresh; rejections: " + peer.node().envelopes().rejections(5));
            assertTrue(TestNodes.eventually(5, () -> peer.node().audit().latest(AuditAction.PEER_KEY_ROTATED).isPresent()));
            var audit = peer.node().audit().latest(AuditAction.PEER_KEY_ROTATED).orElseThrow();
            assertEquals(A, audit.target());
            assertTrue(audit.detail().contains(oldKey.fingerprint()) && audit.detail().contains(newKey.fingerprint()), audit.detail());
            byte[] card = Jcs.canonicalize(peer.node().knownCard(A).orElseThrow().toJson());
            assertTrue(TestNodes.eventually(10, () -> peer.node().log().store().indexOf("card:" + Sha256.hex(card)).isPresent()),
                    "the new card is committed to " + peer.node().origin() + "'s log");
        }
        assertTrue(TestNodes.eventually(10, () -> announcements(b, "r2", A).size() == 1), "announced in r2 too");
        assertEquals(1, announcements(c, "r1", A).size());
        assertTrue(announcements(c, "r2", A).isEmpty(), "c is no member of r2 and hears nothing of it");

        // what the new key signs next is accepted everywhere
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "amber");
        req.putObject("body").put("text", "signed with the new key").put("lang", "en");
        var sent = TestNodes.post(a, "/api/v1/channels/r1/messages", Json.write(req));
        assertEquals(201, sent.statusCode(), sent.body());
        String hash = Json.parse(sent.body()).path("hash").asText();
        assertTrue(TestNodes.eventually(10, () -> b.node().envelopes().byHash(hash).isPresent() && c.node().envelopes().byHash(hash).isPresent()));

        // a restart announces nothing twice
        a = restart(a);
        assertEquals(1, announcements(a, "r1", A).size());
        assertEquals(1, announcements(a, "r2", A).size());
    }

    private NodeServer restart(NodeServer n) throws Exception {
        String origin = n.node().origin();
        int port = n.port();
        n.close();
        open.remove(n);
        return start(origin, port);
    }

    @Test
    void whatTheNewKeySignedBeforeAPeerLearntOfItIsHeldThenAccepted() throws Exception {
        a = start(A, 0);
        b = start(B, 0);
        peerAll(a, b);
        FaultyProxy toA = new FaultyProxy(a.port()), toB = new FaultyProxy(b.port());
        open.add(toA);
        open.add(toB);
        Map<NodeServer, String> urls = new LinkedHashMap<>();
        urls.put(a, toA.url());
        urls.put(b, toB.url()); // the channel's traffic (delivery, catch-up) goes through the proxies; cards are at the nodes
        TestNodes.establish(TestNodes.charter("r3", Tlp.AMBER, urls), a, b);
        VerifierKey oldKey = a.node().key().verifierKey();

        toA.drop(); // a's announcement reaches b neither by delivery nor by catch-up
        toB.drop();
        a = restartRotated(a);
        VerifierKey newKey = a.node().key().verifierKey();
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "amber");
        req.putObject("body").put("text", "after the rotation").put("lang", "en");
        var sent = TestNodes.post(a, "/api/v1/channels/r3/messages", Json.write(req));
        assertEquals(201, sent.statusCode(), sent.body());
        Envelope late = a.node().envelopes().byHash(Json.parse(sent.body()).path("hash").asText()).orElseThrow().envelope();
        assertEquals(oldKey, b.node().knownCard(A).orElseThrow().verifierKey());

        // the envelope reaches b by another way before the card: held, not accepted, and b fetches a's card
        JsonNode answer = Json.parse(TestNodes.post(b, "/federation/v1/inbox", Json.write(late.toJson())).body());
        assertTrue(answer.path("type").asText().endsWith("/bad-signature"), answer.toString());
        assertFalse(answer.has("held"), "the answer does not tell whoever posts it that the sender is a member here");
        assertTrue(TestNodes.eventually(15, () -> b.node().knownCard(A).orElseThrow().verifierKey().equals(newKey)),
                "b fetched a's card from its published address and followed the hand-over");
        assertFalse(b.node().envelopes().byHash(late.hash()).isPresent(), "the announcement before it is still missing: a chain gap");
        toA.forward();
        toB.forward();
        assertTrue(TestNodes.eventually(15, () -> b.node().envelopes().byHash(late.hash()).isPresent()),
                "judged again under the new key once the gap before it was caught up; rejections: " + b.node().envelopes().rejections(5));
        assertEquals(1, announcements(b, "r3", A).size(), "the announcement before it came by catch-up");
        assertTrue(b.node().audit().latest(AuditAction.PEER_KEY_ROTATED).orElseThrow().detail().contains("fetched"));
        assertEquals(0, b.federation().handOver().held(A));
    }

    /** An envelope claiming to be from {@code from} in {@code channel}, signed by {@code key}, carrying {@code card}. */
    private static Envelope crafted(SigningKey key, String from, String channel, long seq, String prev, PartyCard card, String text) {
        ObjectNode body = Json.object().put("text", text);
        if (card != null) body.set("card", card.toJson());
        Envelope draft = new Envelope(1, channel, from, seq, prev, card != null ? Kind.UPDATE : Kind.NOTIFY, null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), Priority.ROUTINE, Tlp.CLEAR, body, null);
        return EnvelopeSigner.sign(draft, key);
    }

    /** A card for a's origin naming {@code key}, self-signed by it, with {@code previousKey} and {@code handOverBy}'s signature. */
    private static PartyCard cardFor(PartyCard real, SigningKey key, String previousKey, SigningKey handOverBy) {
        String sig = handOverBy == null ? null : Base64.getEncoder().encodeToString(handOverBy.sign(PartyCard.rotationStatement(real.origin(), key.verifierKey())));
        return PartyCard.sign(new PartyCard(real.origin(), real.displayName(), real.organisationKind(), real.country(), key.verifierKey(),
                real.baseUrl(), real.contacts(), real.validFrom(), real.validUntil(), previousKey, sig, real.witnessKey(), real.tlsCertSha256(), null), key);
    }

    @Test
    void aDishonestMemberCannotRotateAnotherPartysKeyNorFillTheHold() throws Exception {
        a = start(A, 0);
        b = start(B, 0);
        c = start(C, 0);
        peerAll(a, b, c);
        TestNodes.establish(TestNodes.charter("r4", Tlp.AMBER, a, b, c), a, b, c);
        SigningKey bKey = KeyFiles.read(tmp.resolve(B).resolve(NodeConfig.KEY_FILE)); // b is the dishonest member
        VerifierKey aKey = a.node().key().verifierKey();
        PartyCard aCard = a.node().card();
        var aHead = c.node().envelopes().head("r4", A);
        long seq = aHead.map(h -> h.seq()).orElse(0L) + 1;
        String prev = aHead.map(h -> h.hash()).orElse(null);
        SigningKey made = SigningKey.generate(A);

        // 1. b announces, in its own name and under its own key, a card for a with a key b made up
        var bHead = c.node().envelopes().head("r4", B).orElseThrow();
        Envelope own = crafted(bKey, B, "r4", bHead.seq() + 1, bHead.hash(), cardFor(aCard, made, aKey.encoded(), made), "a rotated, trust me");
        TestNodes.post(c, "/federation/v1/inbox", Json.write(own.toJson()));
        // 2. in a's name, signed by the made-up key, with a hand-over signed by that key instead of a's
        Envelope selfHanded = crafted(made, A, "r4", seq, prev, cardFor(aCard, made, aKey.encoded(), made), "rotated");
        JsonNode r2 = Json.parse(TestNodes.post(c, "/federation/v1/inbox", Json.write(selfHanded.toJson())).body());
        assertTrue(r2.path("type").asText().endsWith("/bad-signature"), r2.toString());
        // 3. in a's name, with no hand-over at all
        Envelope bare = crafted(made, A, "r4", seq, prev, cardFor(aCard, made, null, null), "rotated");
        TestNodes.post(c, "/federation/v1/inbox", Json.write(bare.toJson()));
        // 4. a's genuine card replayed, but the envelope signed by a key that is not a's
        Envelope replay = crafted(made, A, "r4", seq, prev, aCard, "same card");
        TestNodes.post(c, "/federation/v1/inbox", Json.write(replay.toJson()));
        assertEquals(aKey, c.node().knownCard(A).orElseThrow().verifierKey(), "a's key at c is unchanged");
        assertEquals(aKey, c.node().charters().member("r4", A, Kind.NOTIFY).orElseThrow().key());
        assertTrue(c.node().audit().latest(AuditAction.PEER_KEY_ROTATED).isEmpty());
        assertFalse(c.node().envelopes().byHash(selfHanded.hash()).isPresent());

        // 5. a flood of envelopes in a's name that verify under no key c knows: a few are held, the rest only refused
        for (int i = 0; i < 3 * KeyHandOver.MAX_HELD_PER_PEER; i++) {
            Envelope forged = crafted(made, A, "r4", seq + i, prev, null, "flood " + i);
            TestNodes.post(c, "/federation/v1/inbox", Json.write(forged.toJson()));
        }
        assertEquals(KeyHandOver.MAX_HELD_PER_PEER, c.federation().handOver().held(A), "held up to the bound, the rest only refused");
        // and nothing at all is held for a party c does not know, however many come
        SigningKey stranger = SigningKey.generate("stranger.example");
        for (int i = 0; i < 5; i++) {
            JsonNode r = Json.parse(TestNodes.post(c, "/federation/v1/inbox", Json.write(crafted(stranger, "stranger.example", "r4", 1, null, null, "x " + i).toJson())).body());
            assertTrue(r.path("type").asText().endsWith("/bad-signature"), r.toString());
        }
        assertEquals(0, c.federation().handOver().held("stranger.example"));
        // a's genuine traffic still flows
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "amber");
        req.putObject("body").put("text", "still me").put("lang", "en");
        var sent = TestNodes.post(a, "/api/v1/channels/r4/messages", Json.write(req));
        String hash = Json.parse(sent.body()).path("hash").asText();
        assertTrue(TestNodes.eventually(10, () -> c.node().envelopes().byHash(hash).isPresent()));
    }
}
