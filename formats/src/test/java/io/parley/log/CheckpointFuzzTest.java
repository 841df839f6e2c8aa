package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.parley.fuzz.FuzzBudget;
import io.parley.identity.SigningKey;

/**
 * Signed notes, checkpoints, cosignatures, tlog-proofs and verifier keys from hostile parties: the body of a witness
 * add-checkpoint request (POST /log/add-checkpoint, read by Witness with {@link AddCheckpointRequest#parse(byte[])}),
 * a peer's /log/checkpoint (SignedNote.parse), a witness's cosignature lines, a case bundle's tlog-proof and the vkeys
 * on peers' cards. Contract: each parser accepts or throws {@link FormatException}; signature checks throw only
 * {@link NoteException}; the witness's proof checks only {@link ProofException}. Round trips: encode then parse gives
 * the same value, and a checkpoint the fuzz log key signs verifies and a cosignature made on it verifies.
 */
class CheckpointFuzzTest {
    static final SigningKey LOG = FuzzBudget.key("cert-a.example");
    static final CosignerKey WITNESS = new CosignerKey(FuzzBudget.key("witness.example"));
    private static final byte[] HELD_ROOT = Rfc6962.emptyRoot();

    @FuzzTest(maxDuration = FuzzBudget.SUITE)
    void hostileNotes(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        addCheckpoint(input);
        try {
            note(SignedNote.parse(input));
        } catch (FormatException refused) {
            // the CLI and the catch-up client report it
        }
        try {
            List<NoteSignature> lines = SignedNote.parseSignatureLines(text);
            for (NoteSignature s : lines) cosignature(s);
        } catch (FormatException refused) {
            // a witness's malformed answer
        }
        try {
            TlogProof proof = TlogProof.parse(input);
            assertEquals(proof.encode(), TlogProof.parse(proof.encode()).encode());
        } catch (FormatException refused) {
            // a case bundle with a malformed proof
        }
        String firstLine = text.lines().findFirst().orElse("");
        try {
            CosignatureVerifier.parse(firstLine);
        } catch (FormatException refused) {
            // a peer card's witness key
        }
        try {
            NoteVerifier.parse(firstLine);
        } catch (FormatException refused) {
            // a peer card's log key
        }
    }

    /** What Witness.addCheckpoint does before it touches its database. */
    private static void addCheckpoint(byte[] body) throws FormatException {
        AddCheckpointRequest req;
        Checkpoint cp;
        try {
            req = AddCheckpointRequest.parse(body);
            cp = req.checkpointBody();
        } catch (FormatException | IllegalArgumentException refused) {
            return; // 400
        }
        assertEquals(req, AddCheckpointRequest.parse(req.encode()), "add-checkpoint request round trip");
        note(req.checkpoint());
        if (req.oldSize() > cp.size() || req.oldSize() == 0 || req.oldSize() == cp.size()) return;
        try {
            MerkleProofs.verifyConsistency(req.oldSize(), cp.size(), HELD_ROOT, cp.rootHash(), req.consistencyProof());
        } catch (ProofException notConsistent) {
            try {
                MerkleProofs.rootsFromFullPath(req.oldSize(), cp.size(), req.consistencyProof());
            } catch (ProofException notAPath) {
                // proves nothing either way
            }
        }
    }

    private static void note(SignedNote note) throws FormatException {
        assertEquals(note, SignedNote.parse(note.encode()), "signed note round trip");
        try {
            note.verify(List.of(NoteVerifier.ed25519(LOG.verifierKey())));
        } catch (NoteException unverified) {
            // 403 at the witness
        }
        for (NoteSignature s : note.signatures()) cosignature(s);
        Checkpoint cp;
        try {
            cp = Checkpoint.of(note);
        } catch (FormatException notACheckpoint) {
            return;
        }
        assertEquals(cp, Checkpoint.parse(cp.body()), "checkpoint round trip");
        SignedNote ours = cp.sign(NoteSigner.ed25519(LOG));
        try {
            ours.verify(List.of(NoteVerifier.ed25519(LOG.verifierKey())));
        } catch (NoteException e) {
            throw new AssertionError("a checkpoint we signed does not verify: " + e.getMessage(), e);
        }
        Cosignature cosig = WITNESS.cosign(cp, 1_700_000_000L);
        assertTrue(WITNESS.verifier().verify(cp, Cosignature.of(cosig.toNoteSignature())), "a fresh cosignature does not verify");
    }

    private static void cosignature(NoteSignature s) throws FormatException {
        Cosignature c;
        try {
            c = Cosignature.of(s);
        } catch (FormatException notACosignature) {
            return;
        }
        assertEquals(c, Cosignature.of(c.toNoteSignature()), "cosignature round trip");
    }
}
