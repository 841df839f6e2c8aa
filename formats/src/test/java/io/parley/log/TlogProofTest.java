package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.parley.identity.SigningKey;

class TlogProofTest {

    static final String ORIGIN = "example.com/fancylog";
    static final SigningKey LOG = SigningKey.generate(ORIGIN);
    static final List<CosignerKey> WITNESSES = List.of(new CosignerKey(SigningKey.generate("witness1.example")),
            new CosignerKey(SigningKey.generate("witness2.example")), new CosignerKey(SigningKey.generate("witness3.example")));
    static final InMemoryHashStore TREE = new InMemoryHashStore();
    static final List<byte[]> ENTRIES = new ArrayList<>();

    static {
        for (int i = 0; i < 1000; i++) ENTRIES.add(ReferenceMerkle.entry(i));
        TREE.appendEntries(ENTRIES);
    }

    static final Checkpoint CHECKPOINT = new Checkpoint(ORIGIN, TREE.size(), TREE.root());

    static SignedNote cosigned(int witnesses) {
        List<NoteSigner> signers = new ArrayList<>();
        signers.add(NoteSigner.ed25519(LOG));
        for (int i = 0; i < witnesses; i++) signers.add(WITNESSES.get(i).signerAt(1700000000L + i));
        return SignedNote.sign(CHECKPOINT.body(), signers);
    }

    static TlogProof proofFor(int index, SignedNote note, byte[] extra) {
        return new TlogProof(extra, index, MerkleProofs.inclusionProof(TREE, index, TREE.size()), note);
    }

    static List<NoteVerifier> logKeys() {
        return List.of(NoteVerifier.ed25519(LOG.verifierKey()));
    }

    static List<NoteVerifier> witnessKeys() {
        List<NoteVerifier> out = new ArrayList<>();
        for (CosignerKey w : WITNESSES) out.add(w.verifier());
        return out;
    }

    static byte[] leaf(int i) {
        return Rfc6962.leafHash(ENTRIES.get(i));
    }

    @Test
    void encodingFollowsTheSpecLayout() {
        SignedNote note = cosigned(1);
        byte[] h1 = Rfc6962.leafHash("hash1".getBytes(StandardCharsets.UTF_8));
        byte[] h2 = Rfc6962.leafHash("hash2".getBytes(StandardCharsets.UTF_8));
        TlogProof plain = new TlogProof(5, List.of(h1, h2), note);
        assertEquals("c2sp.org/tlog-proof@v1\nindex 5\n" + Text.base64(h1) + "\n" + Text.base64(h2) + "\n\n" + note.encode(),
                plain.encode());
        TlogProof withExtra = new TlogProof("extra information".getBytes(StandardCharsets.UTF_8), 10, List.of(h1), note);
        assertEquals("c2sp.org/tlog-proof@v1\nextra ZXh0cmEgaW5mb3JtYXRpb24=\nindex 10\n" + Text.base64(h1) + "\n\n" + note.encode(),
                withExtra.encode());
        assertEquals("c2sp.org/tlog-proof@v1\nindex 0\n\n" + note.encode(), new TlogProof(0, List.of(), note).encode());
    }

    @Test
    void proofsRoundTripThroughText() throws Exception {
        for (TlogProof p : List.of(proofFor(0, cosigned(0), null), proofFor(999, cosigned(3), "x".getBytes()),
                new TlogProof(0, List.of(), cosigned(2)))) {
            TlogProof back = TlogProof.parse(p.encode());
            assertEquals(p, back);
            assertEquals(p.encode(), back.encode());
            assertEquals(p, TlogProof.parse(p.encodeUtf8()));
        }
        assertNull(TlogProof.parse(proofFor(3, cosigned(1), null).encode()).extra());
    }

    @Test
    void proofWithEnoughWitnessCosignaturesVerifies() throws Exception {
        TlogProof proof = TlogProof.parse(proofFor(73, cosigned(3), "app data".getBytes()).encode());
        TlogProof.Verified v = proof.verify(leaf(73), ORIGIN, logKeys(), witnessKeys(), 2);
        assertEquals(CHECKPOINT, v.checkpoint());
        assertEquals(1, v.logSignatures().size());
        assertEquals(3, v.witnessSignatures().size());
        assertEquals(1700000002L, Cosignature.of(v.witnessSignatures().get(2)).timestamp());
        assertArrayEquals("app data".getBytes(), proof.extra());
    }

    @Test
    void proofRejectsTooFewKnownWitnessCosignatures() throws Exception {
        TlogProof proof = proofFor(73, cosigned(1), null);
        ProofException e = assertThrows(ProofException.class, () -> proof.verify(leaf(73), ORIGIN, logKeys(), witnessKeys(), 2));
        assertEquals(ProofException.Reason.WITNESS_QUORUM_NOT_MET, e.reason());
        // Unknown witnesses do not count.
        e = assertThrows(ProofException.class,
                () -> proofFor(73, cosigned(3), null).verify(leaf(73), ORIGIN, logKeys(), witnessKeys().subList(2, 3), 2));
        assertEquals(ProofException.Reason.WITNESS_QUORUM_NOT_MET, e.reason());
        proof.verify(leaf(73), ORIGIN, logKeys(), witnessKeys(), 1);
        proof.verify(leaf(73), ORIGIN, logKeys(), List.of(), 0);
    }

    @Test
    void proofRejectsACheckpointForAnotherOriginOrWithoutTheLogSignature() {
        TlogProof proof = proofFor(1, cosigned(3), null);
        ProofException e = assertThrows(ProofException.class,
                () -> proof.verify(leaf(1), "example.com/otherlog", logKeys(), witnessKeys(), 1));
        assertEquals(ProofException.Reason.ORIGIN_MISMATCH, e.reason());
        NoteException n = assertThrows(NoteException.class,
                () -> proof.verify(leaf(1), ORIGIN, List.of(NoteVerifier.ed25519(SigningKey.generate(ORIGIN).verifierKey())), witnessKeys(), 1));
        assertEquals(NoteException.Reason.NO_VERIFIED_SIGNATURE, n.reason());
        // Witness cosignatures alone do not make a checkpoint trusted.
        SignedNote witnessOnly = SignedNote.sign(CHECKPOINT.body(), WITNESSES.get(0).signerAt(1), WITNESSES.get(1).signerAt(2));
        n = assertThrows(NoteException.class,
                () -> proofFor(1, witnessOnly, null).verify(leaf(1), ORIGIN, logKeys(), witnessKeys(), 2));
        assertEquals(NoteException.Reason.NO_VERIFIED_SIGNATURE, n.reason());
    }

    @Test
    void proofRejectsABadCosignatureFromAKnownWitness() throws Exception {
        SignedNote note = cosigned(2);
        List<NoteSignature> sigs = new ArrayList<>(note.signatures());
        Cosignature good = Cosignature.of(sigs.get(1));
        sigs.set(1, new Cosignature(good.name(), good.keyId(), good.timestamp() + 1, good.signature()).toNoteSignature());
        TlogProof proof = proofFor(1, new SignedNote(note.text(), sigs), null);
        NoteException e = assertThrows(NoteException.class, () -> proof.verify(leaf(1), ORIGIN, logKeys(), witnessKeys(), 1));
        assertEquals(NoteException.Reason.INVALID_SIGNATURE, e.reason());
    }

    @Test
    void proofRejectsAnotherLeafIndexOrTamperedPath() throws Exception {
        TlogProof proof = proofFor(500, cosigned(1), null);
        ProofException e = assertThrows(ProofException.class, () -> proof.verify(leaf(501), ORIGIN, logKeys(), witnessKeys(), 1));
        assertEquals(ProofException.Reason.ROOT_MISMATCH, e.reason());
        TlogProof otherIndex = new TlogProof(501, proof.inclusionProof(), proof.checkpoint());
        assertThrows(ProofException.class, () -> otherIndex.verify(leaf(500), ORIGIN, logKeys(), witnessKeys(), 1));
        List<byte[]> path = proof.inclusionProof();
        path.get(0)[0] ^= 1;
        String tampered = new TlogProof(500, path, proof.checkpoint()).encode();
        assertThrows(ProofException.class, () -> TlogProof.parse(tampered).verify(leaf(500), ORIGIN, logKeys(), witnessKeys(), 1));
        // The extra data is not authenticated: changing it does not affect verification.
        new TlogProof("anything".getBytes(), 500, proof.inclusionProof(), proof.checkpoint())
                .verify(leaf(500), ORIGIN, logKeys(), witnessKeys(), 1);
    }

    @Test
    void malformedProofsAreRejected() {
        String note = cosigned(1).encode();
        String h = Text.base64(leaf(0));
        String[] bad = {
            "", "c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2\nindex 0\n\n" + note, "c2sp.org/tlog-proof@v1 \nindex 0\n\n" + note,
            "c2sp.org/tlog-proof@v1\n\n\n" + note, "c2sp.org/tlog-proof@v1\nindex 05\n\n" + note,
            "c2sp.org/tlog-proof@v1\nindex -1\n\n" + note, "c2sp.org/tlog-proof@v1\nindex x\n\n" + note,
            "c2sp.org/tlog-proof@v1\nindex  0\n\n" + note, "c2sp.org/tlog-proof@v1\nindex 0 \n\n" + note,
            "c2sp.org/tlog-proof@v1\nextra !!\nindex 0\n\n" + note, "c2sp.org/tlog-proof@v1\nextra \nindex 0\n\n" + note,
            "c2sp.org/tlog-proof@v1\nindex 0\nextra eA==\n\n" + note,
            "c2sp.org/tlog-proof@v1\nindex 0\n" + h.replace("=", "") + "\n\n" + note,
            "c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\n" + note,
            "c2sp.org/tlog-proof@v1\nindex 0\n" + (h + "\n").repeat(64) + "\n" + note,
            "c2sp.org/tlog-proof@v1\nindex 0\n" + h + "\n" + note,
            "c2sp.org/tlog-proof@v1\nindex 0\n" + h + "\n\n",
            "c2sp.org/tlog-proof@v1\nindex 0\n\n" + CHECKPOINT.body(),
            "c2sp.org/tlog-proof@v1\nindex 0\n\n" + SignedNote.sign("not a checkpoint\n", NoteSigner.ed25519(LOG)).encode(),
            "c2sp.org/tlog-proof@v1\nindex 0\n\n\n" + note,
        };
        for (String p : bad) assertThrows(FormatException.class, () -> TlogProof.parse(p), p);
        assertThrows(FormatException.class, () -> TlogProof.parse(new byte[] {(byte) 0xff}));
        assertEquals(63, TlogProof.MAX_PROOF_HASHES);
    }
}
