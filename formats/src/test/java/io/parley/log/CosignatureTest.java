package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.parley.identity.SigningKey;
import io.parley.log.NoteException.Reason;

class CosignatureTest {

    /** tlog-cosignature's example: a checkpoint with the log's signature and one witness cosignature. */
    static final String SPEC_NOTE = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
            + "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
            + "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

    static final SigningKey WITNESS_KEY = SigningKey.generate("witness.example/w1");
    static final CosignerKey WITNESS = new CosignerKey(WITNESS_KEY);
    static final SigningKey LOG_KEY = SigningKey.generate("example.com/log");

    static Checkpoint checkpoint(String... extensions) {
        return new Checkpoint("example.com/log", 42, Rfc6962.leafHash(new byte[] {42}), List.of(extensions));
    }

    @Test
    void specExampleCosignatureCarriesTheTimestampOfTheSpecMessage() throws Exception {
        SignedNote note = SignedNote.parse(SPEC_NOTE);
        Cosignature c = Cosignature.of(note.signatures().get(1));
        assertEquals("witness.example.com/w1", c.name());
        assertEquals(1679315147L, c.timestamp());
        assertEquals(0x8d66cf3f, c.keyId());
        assertEquals(note.signatures().get(1), c.toNoteSignature());
        // The log's own signature is a plain 64-byte Ed25519 signature, not a cosignature.
        assertThrows(FormatException.class, () -> Cosignature.of(note.signatures().get(0)));
    }

    @Test
    void transparencyDevFormatsTimestampVectorDecodes() throws Exception {
        byte[] raw = Hex.b64("ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==");
        NoteSignature line = new NoteSignature("w", ByteBuffer.wrap(raw).getInt(), Arrays.copyOfRange(raw, 4, raw.length));
        assertEquals(1727964367L, Cosignature.of(line).timestamp());
    }

    @Test
    void signedMessageIsTheHeaderTheTimestampLineAndTheCheckpointBody() {
        Checkpoint cp = parse(CheckpointTest.SPEC_BODY);
        assertEquals("cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
                        + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
                new String(Cosignature.signedMessage(1679315147L, cp.body()), StandardCharsets.UTF_8));
        assertEquals("cosignature/v1\ntime 0\nx\n", new String(Cosignature.signedMessage(0, "x\n"), StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> Cosignature.signedMessage(-1, "x\n"));
    }

    @Test
    void cosignerKeyIdUsesSignatureType4() throws Exception {
        byte[] pk = WITNESS_KEY.verifierKey().publicKey();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("witness.example/w1\n".getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x04);
        sha.update(pk);
        assertEquals(ByteBuffer.wrap(sha.digest()).getInt(), WITNESS.keyId());
        assertNotEquals(WITNESS_KEY.verifierKey().keyIdInt(), WITNESS.keyId(), "type 0x04 must give another id than 0x01");
    }

    @Test
    void cosignerVerifierKeyIsNamePlusKeyIdPlusBase64OfType4AndKey() throws Exception {
        String vkey = WITNESS.vkey();
        String[] parts = vkey.split("\\+", 3);
        assertEquals("witness.example/w1", parts[0]);
        assertEquals(String.format("%08x", WITNESS.keyId()), parts[1]);
        byte[] key = Hex.b64(parts[2]);
        assertEquals(33, key.length);
        assertEquals(0x04, key[0]);
        assertArrayEquals(WITNESS_KEY.verifierKey().publicKey(), Arrays.copyOfRange(key, 1, 33));
        assertEquals(WITNESS.verifier(), CosignatureVerifier.parse(vkey));
        assertThrows(FormatException.class, () -> CosignatureVerifier.parse(WITNESS_KEY.verifierKey().encoded()));
        assertThrows(FormatException.class, () -> CosignatureVerifier.parse(vkey.replace("+" + parts[1] + "+", "+00000000+")));
        assertThrows(FormatException.class, () -> CosignatureVerifier.parse("a+b"));
        // tlog-cosignature's own example of a type-0x04 vkey (transparency-dev/formats tests use it too).
        assertEquals("remora.n621.de", CosignatureVerifier.parse("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2").name());
    }

    @Test
    void cosignatureLinePayloadIsKeyIdThenBigEndianTimestampThenSignature() {
        Cosignature c = WITNESS.cosign(checkpoint(), 1700000000L);
        byte[] raw = c.toNoteSignature().encodedSignature();
        assertEquals(4 + 8 + 64, raw.length);
        ByteBuffer b = ByteBuffer.wrap(raw);
        assertEquals(WITNESS.keyId(), b.getInt());
        assertEquals(1700000000L, b.getLong());
        assertArrayEquals(c.signature(), Arrays.copyOfRange(raw, 12, 76));
        assertTrue(WITNESS_KEY.verifierKey().verify(Cosignature.signedMessage(1700000000L, checkpoint().body()), c.signature()));
    }

    @Test
    void cosignedCheckpointVerifiesWithTheWitnessKeyThroughTheNoteVerifier() throws Exception {
        Checkpoint cp = checkpoint();
        SignedNote note = cp.sign(NoteSigner.ed25519(LOG_KEY)).withSignatures(List.of(WITNESS.cosign(cp, 1700000000L).toNoteSignature()));
        SignedNote parsed = SignedNote.parse(note.encode());
        List<NoteSignature> witnessSigs = parsed.verify(List.of(WITNESS.verifier()));
        assertEquals(1, witnessSigs.size());
        assertEquals(1700000000L, Cosignature.of(witnessSigs.get(0)).timestamp());
        assertEquals(1, parsed.verify(List.of(NoteVerifier.ed25519(LOG_KEY.verifierKey()))).size());
        assertEquals(2, parsed.verify(List.of(NoteVerifier.ed25519(LOG_KEY.verifierKey()), WITNESS.verifier())).size());
        assertTrue(WITNESS.verifier().verify(cp, Cosignature.of(witnessSigs.get(0))));

        SignedNote viaSigner = cp.sign(NoteSigner.ed25519(LOG_KEY), WITNESS.signerAt(1700000000L));
        assertEquals(note, viaSigner);
    }

    @Test
    void cosignatureRejectsTamperedTimestampOrSignature() throws Exception {
        Checkpoint cp = checkpoint();
        Cosignature c = WITNESS.cosign(cp, 1700000000L);
        Cosignature laterTime = new Cosignature(c.name(), c.keyId(), 1700000001L, c.signature());
        SignedNote note = new SignedNote(cp.body(), List.of(laterTime.toNoteSignature()));
        NoteException e = assertThrows(NoteException.class, () -> note.verify(List.of(WITNESS.verifier())));
        assertEquals(Reason.INVALID_SIGNATURE, e.reason());
        byte[] sig = c.signature();
        sig[10] ^= 1;
        assertFalse(WITNESS.verifier().verify(cp, new Cosignature(c.name(), c.keyId(), c.timestamp(), sig)));
        assertFalse(WITNESS.verifier().verify(checkpoint("changed"), c));
    }

    @Test
    void cosignatureCoversExtensionLines() throws Exception {
        Checkpoint withExt = checkpoint("extension");
        Cosignature c = WITNESS.cosign(withExt, 5);
        assertTrue(WITNESS.verifier().verify(withExt, c));
        assertFalse(WITNESS.verifier().verify(checkpoint("extensioN"), c));
        assertFalse(WITNESS.verifier().verify(checkpoint(), c));
    }

    @Test
    void aPlainSignatureAndACosignatureByTheSameKeyAreNeverConfused() throws Exception {
        // Even if someone reused one Ed25519 key for both types, the differing key ids keep the lines apart.
        CosignerKey sameKey = new CosignerKey(LOG_KEY);
        Checkpoint cp = checkpoint();
        SignedNote onlyCosigned = cp.sign(sameKey.signerAt(7));
        NoteException e = assertThrows(NoteException.class,
                () -> onlyCosigned.verify(List.of(NoteVerifier.ed25519(LOG_KEY.verifierKey()))));
        assertEquals(Reason.NO_VERIFIED_SIGNATURE, e.reason());
        SignedNote onlySigned = cp.sign(NoteSigner.ed25519(LOG_KEY));
        e = assertThrows(NoteException.class, () -> onlySigned.verify(List.of(sameKey.verifier())));
        assertEquals(Reason.NO_VERIFIED_SIGNATURE, e.reason());
    }

    @Test
    void timestampsAboveTwoToTheSixtyThreeMinusOneAreInvalid() throws Exception {
        Cosignature c = WITNESS.cosign(checkpoint(), 1);
        byte[] payload = c.payload();
        payload[0] = (byte) 0x80;
        NoteSignature line = new NoteSignature(c.name(), c.keyId(), payload);
        assertThrows(FormatException.class, () -> Cosignature.of(line));
        assertFalse(WITNESS.verifier().verify(checkpoint().body().getBytes(StandardCharsets.UTF_8), payload));
        assertFalse(WITNESS.verifier().verify(new byte[0], new byte[71]));
        assertThrows(IllegalArgumentException.class, () -> WITNESS.cosign(checkpoint(), -1));
        assertThrows(IllegalArgumentException.class, () -> WITNESS.signerAt(-1));
        assertEquals(Long.MAX_VALUE, Cosignature.of(WITNESS.cosign(checkpoint(), Long.MAX_VALUE).toNoteSignature()).timestamp());
    }

    static Checkpoint parse(String body) {
        try {
            return Checkpoint.parse(body);
        } catch (FormatException e) {
            throw new AssertionError(e);
        }
    }
}
