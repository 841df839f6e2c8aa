package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.log.AddCheckpointRequest;
import io.parley.log.Checkpoint;
import io.parley.log.InMemoryHashStore;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteSigner;
import io.parley.log.SignedNote;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 10 item 9: a witness records a split view only on proof that verifies. Each attack reads the size the
 * witness holds and retries if the witness answers 409 (the spec's "your old size is stale"), as a real attacker
 * would.
 */
class WitnessAccusationTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    @TempDir Path tmp;

    /** What {@code witness} holds for {@code origin}: size and note, once it has cosigned something. */
    record Held(long size, String note) {}

    static Held held(NodeServer witness, String origin) {
        return witness.node().db().queryOne("SELECT size, note FROM witness_state WHERE origin = ?",
                rs -> new Held(rs.getLong(1), rs.getString(2)), origin).orElse(null);
    }

    static long conflictRows(NodeServer n) {
        return n.node().db().queryOne("SELECT COUNT(*) FROM witness_conflicts", rs -> rs.getLong(1)).orElse(0L);
    }

    static io.parley.log.NoteSigner logSigner(NodeServer n) throws Exception {
        return NoteSigner.ed25519(HostileNetwork.keyOf(n));
    }

    /**
     * Has {@code witness} cosign {@code log}'s current checkpoint, as the log's own collector would once the two share
     * a channel (no channel here, so no collector races the attacks).
     */
    private static Held awaitHeld(NodeServer witness, NodeServer log) throws Exception {
        String origin = log.node().origin();
        if (held(witness, origin) == null) {
            assertTrue(TestNodes.eventually(10, () -> log.node().log().latest().isPresent()));
            SignedNote current = log.node().log().latest().orElseThrow().signedNote();
            var res = HostileNetwork.rawPost(witness, "/log/witness/add-checkpoint", "text/plain",
                    new AddCheckpointRequest(0, List.of(), current).encodeUtf8());
            assertEquals(200, res.statusCode(), res.body());
        }
        return held(witness, origin);
    }

    /** Submits what {@code request} builds for the size held now, until the witness stops answering 409. */
    private static java.net.http.HttpResponse<String> submitAgainstHeld(NodeServer witness, String origin,
            java.util.function.Function<Held, AddCheckpointRequest> request) throws Exception {
        java.net.http.HttpResponse<String> res = null;
        for (int i = 0; i < 50; i++) {
            Held h = held(witness, origin);
            AddCheckpointRequest req = request.apply(h);
            if (req == null) {
                Thread.sleep(50);
                continue;
            }
            res = HostileNetwork.rawPost(witness, "/log/witness/add-checkpoint", "text/plain", req.encodeUtf8());
            if (res.statusCode() != 409) return res;
        }
        fail("the witness kept answering 409: " + (res == null ? "nothing sent" : res.body()));
        return res;
    }

    private static List<byte[]> garbage(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] h = new byte[32];
            RANDOM.nextBytes(h);
            out.add(h);
        }
        return out;
    }

    /** A fork of {@code size} entries that shares nothing with the real log, signed with {@code signer}'s real key. */
    private static InMemoryHashStore fork(long size, String tag) {
        InMemoryHashStore fork = new InMemoryHashStore();
        for (long i = 0; i < size; i++) fork.appendEntries(List.of((tag + i).getBytes(StandardCharsets.UTF_8)));
        return fork;
    }

    @Test
    void garbageProofWithAGenuineCheckpointCannotFrameAnHonestLog() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            NodeServer witness = net.a, honest = net.b;
            awaitHeld(witness, honest);
            for (int attempt = 0; attempt < 3; attempt++) {
                // A genuine, newer checkpoint of the honest log, with a consistency proof that is random bytes.
                for (int i = 0; i < 3; i++) honest.node().log().append(("more" + attempt + i).getBytes(StandardCharsets.UTF_8), "x" + attempt + i);
                honest.node().log().awaitIndex("x" + attempt + "2", Duration.ofSeconds(10)).orElseThrow();
                SignedNote genuine = honest.node().log().latest().orElseThrow().signedNote();
                long size = Checkpoint.of(genuine).size();
                int lines = 1 + attempt * 3;
                var res = submitAgainstHeld(witness, honest.node().origin(),
                        h -> h.size() >= size ? null : new AddCheckpointRequest(h.size(), garbage(lines), genuine));
                assertEquals(422, res.statusCode(), res.body());
            }
            assertEquals(0, conflictRows(witness), "a garbage proof convicted an honest log: " + witness.node().witness().conflicts());
        }
    }

    @Test
    void genuineSplitViewOfTheSameSizeIsRecordedWithBothNotes() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            NodeServer witness = net.a;
            awaitHeld(witness, net.evil);
            NoteSigner evilKey = logSigner(net.evil);
            List<String> offered = new ArrayList<>();
            List<String> heldNotes = new ArrayList<>();
            var res = submitAgainstHeld(witness, HostileNetwork.EVIL, h -> {
                SignedNote other = new Checkpoint(HostileNetwork.EVIL, h.size(), fork(h.size(), "other").root()).sign(evilKey);
                offered.add(other.encode());
                heldNotes.add(h.note());
                return new AddCheckpointRequest(h.size(), List.of(), other);
            });
            assertEquals(422, res.statusCode(), res.body());
            var conflicts = witness.node().witness().conflicts();
            assertEquals(1, conflicts.size(), conflicts.toString());
            assertEquals(HostileNetwork.EVIL, conflicts.get(0).origin());
            assertEquals(heldNotes.getLast(), conflicts.get(0).heldNote());
            assertEquals(offered.getLast(), conflicts.get(0).offeredNote());
        }
    }

    @Test
    void forkProvenByAProofThatReachesTheSignedLargerRootIsRecorded() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            NodeServer witness = net.a;
            awaitHeld(witness, net.evil);
            NoteSigner evilKey = logSigner(net.evil);
            var res = submitAgainstHeld(witness, HostileNetwork.EVIL, h -> {
                long m = h.size(), n = m + 5;
                InMemoryHashStore fork = fork(n, "forged");
                SignedNote forked = new Checkpoint(HostileNetwork.EVIL, n, fork.root()).sign(evilKey);
                List<byte[]> proof = new ArrayList<>();
                // RFC 9162 leaves the old root out of the proof when the old size is a power of two: to convict, the
                // caller names the root of the first m leaves that the signed larger tree commits to.
                if (Long.bitCount(m) == 1) proof.add(fork.hash(Long.numberOfTrailingZeros(m), 0));
                proof.addAll(MerkleProofs.consistencyProof(fork, m, n));
                return new AddCheckpointRequest(m, proof, forked);
            });
            assertEquals(422, res.statusCode(), res.body());
            assertEquals(1, witness.node().witness().conflicts().size(), "a fork the log signed, proven by its own hashes, is a split view");
        }
    }

    @Test
    void replayedAccusationsAndForgedCheckpointsAddNoRows() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            NodeServer witness = net.a;
            awaitHeld(witness, net.evil);
            NoteSigner evilKey = logSigner(net.evil);
            List<byte[]> sent = new ArrayList<>();
            var res = submitAgainstHeld(witness, HostileNetwork.EVIL, h -> {
                SignedNote other = new Checkpoint(HostileNetwork.EVIL, h.size(), fork(h.size(), "again").root()).sign(evilKey);
                AddCheckpointRequest req = new AddCheckpointRequest(h.size(), List.of(), other);
                sent.clear();
                sent.add(req.encodeUtf8());
                return req;
            });
            assertEquals(422, res.statusCode(), res.body());
            assertEquals(1, conflictRows(witness));
            // Anyone who saw that request can send it again, any number of times: one proof is one row.
            for (int i = 0; i < 20; i++) {
                var again = HostileNetwork.rawPost(witness, "/log/witness/add-checkpoint", "text/plain", sent.getFirst());
                assertTrue(again.statusCode() == 422 || again.statusCode() == 409, again.body());
            }
            assertEquals(1, conflictRows(witness), "a replayed accusation was recorded again");

            // A checkpoint of an honest log signed by someone else's key, and one for an origin nobody knows.
            var impostor = io.parley.identity.SigningKey.generate(net.b.node().origin());
            Held hb = awaitHeld(witness, net.b);
            SignedNote forged = new Checkpoint(net.b.node().origin(), hb.size(), fork(hb.size(), "x").root()).sign(NoteSigner.ed25519(impostor));
            assertEquals(403, HostileNetwork.rawPost(witness, "/log/witness/add-checkpoint", "text/plain",
                    new AddCheckpointRequest(hb.size(), List.of(), forged).encodeUtf8()).statusCode());
            var stranger = io.parley.identity.SigningKey.generate("stranger.example");
            SignedNote unknown = new Checkpoint("stranger.example", 3, fork(3, "s").root()).sign(NoteSigner.ed25519(stranger));
            assertEquals(404, HostileNetwork.rawPost(witness, "/log/witness/add-checkpoint", "text/plain",
                    new AddCheckpointRequest(0, List.of(), unknown).encodeUtf8()).statusCode());
            assertEquals(1, conflictRows(witness));
        }
    }
}
