package io.parley.transparency;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.identity.KeyFiles;
import io.parley.json.Json;
import io.parley.log.AddCheckpointRequest;
import io.parley.log.Checkpoint;
import io.parley.log.CosignatureVerifier;
import io.parley.log.InMemoryHashStore;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteSigner;
import io.parley.log.SignedNote;
import io.parley.node.NodeConfig;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/** C2SP tlog-witness between two real nodes on loopback. */
class WitnessTest {
    @TempDir Path tmp;
    NodeServer a, b;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        // b knows a's card (as after 'peer add'); a is unknown to nobody else
        var card = a.node().card();
        b.node().parties().put(card.origin(), card.verifierKey().encoded(), card.fingerprint(), Json.write(card.toJson()), b.node().now());
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private HttpResponse<String> submit(NodeServer witness, String body) throws Exception {
        return TestNodes.send(HttpRequest.newBuilder(URI.create(witness.baseUrl() + "/log/witness/add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private SignedNote checkpointOf(NodeServer n, int entries) {
        for (int i = 0; i < entries; i++) n.node().log().append(("e" + i).getBytes(StandardCharsets.UTF_8), "t" + i);
        n.node().log().awaitIndex("t" + (entries - 1), Duration.ofSeconds(10)).orElseThrow();
        return n.node().log().latest().orElseThrow().signedNote();
    }

    @Test
    void witnessCosignsAConsistentCheckpointAndTheCosignatureVerifies() throws Exception {
        SignedNote first = checkpointOf(a, 5);
        var res = submit(b, new AddCheckpointRequest(0, List.of(), first).encode());
        assertEquals(200, res.statusCode(), res.body());
        var witnessKey = CosignatureVerifier.parse(b.node().card().witnessKey());
        SignedNote cosigned = first.withSignatures(SignedNote.parseSignatureLines(res.body()));
        assertEquals(1, cosigned.verifyKnown(List.of(witnessKey)).size());

        Checkpoint c1 = Checkpoint.of(first);
        SignedNote second = checkpointOf(a, 3);
        Checkpoint c2 = Checkpoint.of(second);
        List<byte[]> proof = a.node().log().consistencyProof(c1.size(), c2.size());
        var res2 = submit(b, new AddCheckpointRequest(c1.size(), proof, second).encode());
        assertEquals(200, res2.statusCode(), res2.body());
        assertEquals(c2.size(), b.node().witness().heldSize("cert-a.example"));
    }

    @Test
    void witnessAnswers409WithItsSizeWhenOldSizeIsStale() throws Exception {
        SignedNote first = checkpointOf(a, 4);
        assertEquals(200, submit(b, new AddCheckpointRequest(0, List.of(), first).encode()).statusCode());
        SignedNote second = checkpointOf(a, 2);
        var res = submit(b, new AddCheckpointRequest(0, List.of(), second).encode());
        assertEquals(409, res.statusCode());
        assertEquals("text/x.tlog.size", res.headers().firstValue("Content-Type").orElse(""));
        assertEquals(Checkpoint.of(first).size() + "\n", res.body());
    }

    @Test
    void witnessRefusesCheckpointInconsistentWithLastCosignedAndKeepsBothAsProof() throws Exception {
        SignedNote honest = checkpointOf(a, 4);
        long size = Checkpoint.of(honest).size();
        assertEquals(200, submit(b, new AddCheckpointRequest(0, List.of(), honest).encode()).statusCode());

        // A forked history signed with a's real key: same prefix length, different entries.
        var aKey = KeyFiles.read(a.node().dir().resolve(NodeConfig.KEY_FILE));
        InMemoryHashStore fork = new InMemoryHashStore();
        for (int i = 0; i < size + 3; i++) fork.appendEntries(List.of(("forged" + i).getBytes(StandardCharsets.UTF_8)));
        SignedNote forked = new Checkpoint("cert-a.example", size + 3, fork.root()).sign(NoteSigner.ed25519(aKey));
        List<byte[]> forkProof = MerkleProofs.consistencyProof(fork, size, size + 3);
        var res = submit(b, new AddCheckpointRequest(size, forkProof, forked).encode());
        assertEquals(422, res.statusCode(), res.body());
        assertEquals(size, b.node().witness().heldSize("cert-a.example"), "the witness did not move");
        var conflicts = b.node().witness().conflicts();
        assertEquals(1, conflicts.size());
        assertEquals(honest.encode(), conflicts.get(0).heldNote());
        assertEquals(forked.encode(), conflicts.get(0).offeredNote());

        // Same size, different root: a split view too.
        InMemoryHashStore sameSize = new InMemoryHashStore();
        for (int i = 0; i < size; i++) sameSize.appendEntries(List.of(("other" + i).getBytes(StandardCharsets.UTF_8)));
        SignedNote split = new Checkpoint("cert-a.example", size, sameSize.root()).sign(NoteSigner.ed25519(aKey));
        assertEquals(422, submit(b, new AddCheckpointRequest(size, List.of(), split).encode()).statusCode());
        assertEquals(2, b.node().witness().conflicts().size());
    }

    @Test
    void witnessRefusesUnknownOriginBadSignatureAndMalformedRequests() throws Exception {
        SignedNote ofB = checkpointOf(b, 2);
        assertEquals(404, submit(a, new AddCheckpointRequest(0, List.of(), ofB).encode()).statusCode(), "a does not know b's log");
        SignedNote ofA = checkpointOf(a, 2);
        var impostor = io.parley.identity.SigningKey.generate("cert-a.example");
        SignedNote forged = Checkpoint.of(ofA).sign(NoteSigner.ed25519(impostor));
        assertEquals(403, submit(b, new AddCheckpointRequest(0, List.of(), forged).encode()).statusCode());
        assertEquals(400, submit(b, "not a request").statusCode());
        assertEquals(400, submit(b, new AddCheckpointRequest(99, List.of(), ofA).encode()).statusCode(), "old size beyond checkpoint");
        assertEquals(422, submit(b, new AddCheckpointRequest(0, List.of(new byte[32]), ofA).encode()).statusCode(), "proof from 0 must be empty");
    }

    @Test
    void nodesGatherPeersCosignaturesAndServeTheCosignedCheckpoint() throws Exception {
        // Make them peers: a channel whose charter names both (as after peering and a signed charter).
        var card = b.node().card();
        a.node().parties().put(card.origin(), card.verifierKey().encoded(), card.fingerprint(), Json.write(card.toJson()), a.node().now());
        var charter = io.parley.testing.Fixtures.charter("ch-1", io.parley.envelope.Tlp.AMBER, a.node().key(), b.node().key());
        var withUrls = new io.parley.charter.Charter(charter.channel(), charter.title(), charter.level(),
                List.of(new io.parley.charter.Charter.Member("cert-a.example", a.node().key().verifierKey(), a.baseUrl()),
                        new io.parley.charter.Charter.Member("cert-b.example", b.node().key().verifierKey(), b.baseUrl())),
                charter.deadlines(), charter.tlpCeiling(), charter.escalation());
        a.node().channels().create(withUrls, "active", a.node().now());
        checkpointOf(a, 3);
        long deadline = System.currentTimeMillis() + 10_000;
        SignedNote served = null;
        var witnessKey = CosignatureVerifier.parse(b.node().card().witnessKey());
        while (System.currentTimeMillis() < deadline) {
            var res = TestNodes.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/log/checkpoint")).GET().build());
            served = SignedNote.parse(res.body());
            if (!served.verifyKnown(List.of(witnessKey)).isEmpty()) break;
            Thread.sleep(100);
        }
        assertNotNull(served);
        assertEquals(1, served.verifyKnown(List.of(witnessKey)).size(), "a serves its checkpoint cosigned by b: " + served.encode());
        served.verify(List.of(io.parley.log.NoteVerifier.ed25519(a.node().key().verifierKey())));
    }
}
