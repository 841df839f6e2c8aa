package io.parley.cli;

import static io.parley.cli.PeerChannelCliTest.assertOk;
import static io.parley.cli.PeerChannelCliTest.assertOneLineError;
import static io.parley.cli.PeerChannelCliTest.at;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.identity.KeyFiles;
import io.parley.identity.PartyCard;
import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;
import io.parley.json.Json;
import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/** {@code parley key rotate} on a stopped node, and what peers and channels make of the new key. */
class KeyRotateCliTest {
    @TempDir Path tmp;
    NodeServer a;
    NodeServer b;

    @AfterEach
    void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void rotatedKeyIsHandedOverAndPeersAndChannelsFollow() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        PeerChannelCliTest.peerBothWays(a, b);
        assertOk(at(a, "channel", "propose", "--id", "ch-r", "--level", "technical", "--member", "cert-b.example", "--tlp-ceiling", "amber"));
        assertTrue(TestNodes.eventually(10, () -> b.node().channels().charter("ch-r").isPresent()));
        assertOk(PeerChannelCliTest.answering("y\n", b, "channel", "sign", "ch-r"));
        assertTrue(TestNodes.eventually(10, () -> a.node().charters().active("ch-r") && b.node().charters().active("ch-r")));

        Path dir = tmp.resolve("cert-a.example");
        int port = a.port();
        VerifierKey oldKey = a.node().key().verifierKey();
        a.close();
        a = null;

        var r = CliTest.run("key", "rotate", "--dir", dir.toString());
        assertOk(r);
        VerifierKey newKey = KeyFiles.read(dir.resolve("log.key")).verifierKey();
        assertNotEquals(oldKey, newKey);
        assertTrue(r.out().contains("old fingerprint: " + oldKey.fingerprint()), r.out());
        assertTrue(r.out().contains("new fingerprint: " + newKey.fingerprint()), r.out());
        assertTrue(r.out().contains("parley peer refresh cert-a.example"), r.out());
        Path kept = dir.resolve("log.key." + oldKey.keyIdHex() + ".old");
        assertEquals(oldKey, KeyFiles.read(kept).verifierKey());
        assertEquals("rw-------", mode(kept));
        assertEquals("rw-------", mode(dir.resolve("log.key")));
        assertFalse(Files.exists(dir.resolve("log.key.next")));
        NodeConfig cfg = NodeConfig.load(dir);
        assertEquals(oldKey.encoded(), cfg.previousKey());
        assertTrue(oldKey.verify(PartyCard.rotationStatement("cert-a.example", newKey), Base64.getDecoder().decode(cfg.rotationSig())));

        // the node starts with the new key and publishes the hand-over in its card
        a = TestNodes.start(tmp, "cert-a.example", null, Clock.systemUTC(), port);
        assertEquals(newKey, a.node().key().verifierKey());
        PartyCard card = PartyCard.fromJson(Json.parse(TestNodes.get(a, "/.well-known/parley").body()));
        assertTrue(card.verifies());
        assertEquals(newKey, card.verifierKey());
        assertEquals(oldKey.encoded(), card.previousKey());
        assertNotNull(card.rotationSig());
        assertTrue(card.rotatedFrom(oldKey));

        // the peer that knew the old key follows the hand-over in band, without a refresh; a refresh still works
        assertTrue(TestNodes.eventually(15, () -> b.node().knownCard("cert-a.example").orElseThrow().verifierKey().equals(newKey)),
                "cert-b follows the rotation announced in ch-r");
        var refresh = at(b, "peer", "refresh", "cert-a.example");
        assertOk(refresh);
        assertTrue(refresh.out().contains("fingerprint: " + newKey.fingerprint()), refresh.out());

        // the charter still names the old key; an envelope signed with the new one is accepted at both ends
        assertEquals(oldKey, b.node().channels().charter("ch-r").orElseThrow().member("cert-a.example").orElseThrow().key());
        var sent = CliTest.run("send", "--url", a.baseUrl(), "--user", TestNodes.USER, "--password", TestNodes.PASSWORD, "--channel", "ch-r",
                "--text", "signed with the new key");
        assertOk(sent);
        String hash = sent.out().strip().substring(sent.out().strip().lastIndexOf(' ') + 1);
        assertTrue(TestNodes.eventually(10, () -> b.node().envelopes().byHash(hash).isPresent()),
                "cert-b accepted the envelope signed with the rotated key; rejections: " + b.node().envelopes().rejections(10));
        var show = at(b, "channel", "show", "ch-r");
        assertOk(show);
        assertTrue(show.out().contains("now presents " + newKey.fingerprint() + " (rotated)"), show.out());

        // the terms in force still name the old key: an amendment must name the new one, which --current-keys fills in
        var terms = at(a, "channel", "show", "ch-r", "--charter");
        assertOk(terms);
        Path file = tmp.resolve("charter.json");
        Files.writeString(file, terms.out());
        assertOneLineError(at(a, "channel", "amend", "ch-r", "--file", file.toString()), "is not this node's key");
        var amend = at(a, "channel", "amend", "ch-r", "--file", file.toString(), "--current-keys");
        assertOk(amend);
        assertTrue(amend.out().contains("key of cert-a.example updated to " + newKey.fingerprint()), amend.out());
        assertTrue(TestNodes.eventually(10, () -> b.node().channels().pending("ch-r").isPresent()));
        assertOk(PeerChannelCliTest.answering("y\n", b, "channel", "sign", "ch-r"));
        NodeServer a2 = a;
        assertTrue(TestNodes.eventually(10, () -> List.of(a2, b).stream().allMatch(n ->
                n.node().channels().charter("ch-r").orElseThrow().member("cert-a.example").orElseThrow().key().equals(newKey))),
                "the amended charter names the new key on both nodes");
    }

    @Test
    void refusesToRotateUnderARunningNode() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        Path dir = tmp.resolve("cert-a.example");
        NodeConfig.load(dir).withPort(a.port()).save(dir);
        VerifierKey before = KeyFiles.read(dir.resolve("log.key")).verifierKey();
        assertOneLineError(CliTest.run("key", "rotate", "--dir", dir.toString()), "is running");
        assertEquals(before, KeyFiles.read(dir.resolve("log.key")).verifierKey());
        assertNull(NodeConfig.load(dir).previousKey());
    }

    @Test
    void anInterruptedRotationIsFinishedByRunningItAgain() throws Exception {
        Path dir = tmp.resolve("node");
        NodeConfig cfg = NodeInit.create(dir, new NodeInit.Options("cert-a.example", null, "CERT", null, 1, null, List.of()), Instant.now());
        SigningKey old = KeyFiles.read(dir.resolve("log.key"));
        // the state after step 3 of 4: parley.json hands over to log.key.next, log.key has been moved aside
        SigningKey next = SigningKey.generate("cert-a.example");
        KeyFiles.write(dir.resolve("log.key.next"), next);
        String sig = Base64.getEncoder().encodeToString(old.sign(PartyCard.rotationStatement("cert-a.example", next.verifierKey())));
        cfg.withRotation(old.verifierKey().encoded(), sig).save(dir);
        Files.move(dir.resolve("log.key"), dir.resolve("log.key." + old.verifierKey().keyIdHex() + ".old"));

        var r = CliTest.run("key", "rotate", "--dir", dir.toString());
        assertOk(r);
        assertTrue(r.out().startsWith("finishing an interrupted key rotation"), r.out());
        assertEquals(next.verifierKey(), KeyFiles.read(dir.resolve("log.key")).verifierKey());
        assertFalse(Files.exists(dir.resolve("log.key.next")));

        // a leftover log.key.next that parley.json does not hand over to was never used: a fresh rotation replaces it
        SigningKey stray = SigningKey.generate("cert-a.example");
        KeyFiles.write(dir.resolve("log.key.next"), stray);
        var again = CliTest.run("key", "rotate", "--dir", dir.toString());
        assertOk(again);
        assertTrue(again.out().startsWith("rotated the log key"), again.out());
        VerifierKey third = KeyFiles.read(dir.resolve("log.key")).verifierKey();
        assertNotEquals(stray.verifierKey(), third);
        assertNotEquals(next.verifierKey(), third);
        assertEquals(next.verifierKey(), KeyFiles.read(dir.resolve("log.key." + next.verifierKey().keyIdHex() + ".old")).verifierKey());
        assertEquals(next.verifierKey().encoded(), NodeConfig.load(dir).previousKey());
    }

    @Test
    void rotateWithoutANode() {
        assertOneLineError(CliTest.run("key", "rotate", "--dir", tmp.resolve("missing").toString()), "parley init");
        assertEquals(2, CliTest.run("key", "rotate").code());
    }
}
