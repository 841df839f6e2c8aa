package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;
import io.parley.log.NoteException.Reason;

class SignedNoteTest {

    // signed-note.md "Verifier keys / Example".
    static final String SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    static final String SPEC_NOTE = "This is an example message.\n\n"
            + "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    // golang.org/x/mod/sumdb/note tests.
    static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String PETER_SIG = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    static final String ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    static NoteVerifier peter() {
        return NoteVerifier.ed25519(VerifierKey.parse(PETER_VKEY));
    }

    static NoteVerifier enoch() {
        return NoteVerifier.ed25519(VerifierKey.parse(ENOCH_VKEY));
    }

    static SigningKey peterSigningKey() {
        byte[] withAlg = Hex.b64(PETER_SKEY.split("\\+", 5)[4]);
        return new SigningKey("PeterNeumann", Arrays.copyOfRange(withAlg, 1, 33));
    }

    static NoteException noteRejected(Reason reason, ThrowingSupplier s) {
        NoteException e = assertThrows(NoteException.class, s::get);
        assertEquals(reason, e.reason());
        return e;
    }

    interface ThrowingSupplier {
        Object get() throws Exception;
    }

    @Test
    void specExampleNoteVerifiesWithItsListedVerifierKey() throws Exception {
        SignedNote note = SignedNote.parse(SPEC_NOTE);
        assertEquals("This is an example message.\n", note.text());
        NoteVerifier key = NoteVerifier.parse(SPEC_VKEY);
        assertEquals(0x530d903a, key.keyId());
        assertEquals(note.signatures(), note.verify(List.of(key)));
        assertEquals(SPEC_NOTE, note.encode());
    }

    @Test
    void signingMatchesGoNoteByteForByte() {
        SigningKey key = peterSigningKey();
        assertEquals(PETER_VKEY, key.verifierKey().encoded());
        SignedNote note = SignedNote.sign(TEXT, NoteSigner.ed25519(key));
        assertEquals(TEXT + "\n" + PETER_SIG, note.encode());
    }

    @Test
    void signaturesFromUnknownKeysAreIgnored() throws Exception {
        SignedNote note = SignedNote.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
        assertEquals(TEXT, note.text());
        List<NoteSignature> verified = note.verify(List.of(peter()));
        assertEquals(1, verified.size());
        assertEquals("PeterNeumann", verified.get(0).name());
        assertEquals(0xc74f20a3, verified.get(0).keyId());
        assertEquals(2, note.verify(List.of(peter(), enoch())).size());
    }

    @Test
    void noteWithoutASignatureFromATrustedKeyIsRejected() throws Exception {
        SignedNote note = SignedNote.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
        noteRejected(Reason.NO_VERIFIED_SIGNATURE, () -> note.verify(List.of()));
        assertEquals(List.of(), note.verifyKnown(List.of()));
        SigningKey stranger = SigningKey.generate("stranger.example");
        noteRejected(Reason.NO_VERIFIED_SIGNATURE, () -> note.verify(List.of(NoteVerifier.ed25519(stranger.verifierKey()))));
    }

    @Test
    void knownKeyWithABadSignatureRejectsTheWholeNote() throws Exception {
        String corrupted = PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);
        SignedNote note = SignedNote.parse(TEXT + "\n" + corrupted + ENOCH_SIG);
        noteRejected(Reason.INVALID_SIGNATURE, () -> note.verify(List.of(peter(), enoch())));
        // ... even next to a good signature from another trusted key.
        noteRejected(Reason.INVALID_SIGNATURE, () -> SignedNote.parse(TEXT + "\n" + ENOCH_SIG + corrupted).verify(List.of(peter(), enoch())));
        // A bad signature from an unknown key is ignored.
        assertEquals(1, note.verify(List.of(enoch())).size());
    }

    @Test
    void signatureSharingOnlyTheNameOrOnlyTheKeyIdOfATrustedKeyIsIgnored() throws Exception {
        SignedNote note = SignedNote.parse(TEXT + "\n" + PETER_SIG);
        NoteSignature real = note.signatures().get(0);
        NoteSignature otherId = new NoteSignature("PeterNeumann", real.keyId() + 1, real.signature());
        NoteSignature otherName = new NoteSignature("PeterNeuman", real.keyId(), real.signature());
        SignedNote both = new SignedNote(TEXT, List.of(otherId, otherName, real));
        assertEquals(List.of(real), both.verify(List.of(peter())));
        noteRejected(Reason.NO_VERIFIED_SIGNATURE, () -> new SignedNote(TEXT, List.of(otherId, otherName)).verify(List.of(peter())));
    }

    @Test
    void noteVerificationRejectsAFlippedByte() throws Exception {
        SignedNote good = SignedNote.parse(TEXT + "\n" + PETER_SIG);
        good.verify(List.of(peter()));
        for (int i = 0; i < TEXT.length(); i++) {
            if (TEXT.charAt(i) == '\n') continue;
            char flipped = (char) (TEXT.charAt(i) ^ 0x01);
            String text = TEXT.substring(0, i) + flipped + TEXT.substring(i + 1);
            SignedNote tampered = new SignedNote(text, good.signatures());
            noteRejected(Reason.INVALID_SIGNATURE, () -> tampered.verify(List.of(peter())));
        }
        byte[] sig = good.signatures().get(0).signature();
        for (int i = 0; i < sig.length; i++) {
            byte[] s = sig.clone();
            s[i] ^= 0x01;
            SignedNote tampered = new SignedNote(TEXT, List.of(new NoteSignature("PeterNeumann", 0xc74f20a3, s)));
            noteRejected(Reason.INVALID_SIGNATURE, () -> tampered.verify(List.of(peter())));
        }
    }

    @Test
    void noteTextMayContainEmptyLinesAndIsSplitAtTheLastOne() throws Exception {
        // signed-note.md's opening example.
        String quasimodo = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n"
                + "— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
        SignedNote note = SignedNote.parse(quasimodo.getBytes(StandardCharsets.UTF_8));
        assertEquals("Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n", note.text());
        assertEquals("quasimodo.example/salvatore", note.signatures().get(0).name());
        assertEquals(quasimodo, note.encode());

        SignedNote trailingBlank = SignedNote.parse("a\n\n\n" + PETER_SIG);
        assertEquals("a\n\n", trailingBlank.text());
        assertEquals("a\n\n\n" + PETER_SIG, trailingBlank.encode());
    }

    @Test
    void malformedNotesAreRejected() {
        String[] bad = {
            TEXT, TEXT + "\n", TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
            "\u0001" + TEXT + "\n" + PETER_SIG, TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG,
            TEXT + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
            TEXT + "\n" + PETER_SIG + "\n",
            TEXT + "\n" + PETER_SIG.replace("—", "-"),
            TEXT + "\n" + PETER_SIG.replace("— ", "—"),
            TEXT + "\n" + PETER_SIG.replace("— ", "—  "),
            TEXT + "\n" + PETER_SIG.replace("PeterNeumann ", "PeterNeumann  "),
            TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter+Neumann"),
            TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter\u00a0Neumann"),
            TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter\tNeumann"),
            TEXT + "\n" + PETER_SIG.replace("— PeterNeumann", "— "),
            TEXT + "\n" + PETER_SIG.replace("AM=", "AM"),
            TEXT + "\n" + PETER_SIG.replace("AM=", "AN="),
            TEXT + "\n" + "— PeterNeumann AAAAAA==\n",
            TEXT + "\n" + "— PeterNeumann \n",
            TEXT + "\n" + "— PeterNeumann\n",
            "\n\n" + "\ud800" + PETER_SIG,
        };
        for (String note : bad) assertThrows(FormatException.class, () -> SignedNote.parse(note), note);
        assertThrows(FormatException.class, () -> SignedNote.parse(concat((TEXT + "\n").getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff}, PETER_SIG.getBytes(StandardCharsets.UTF_8))));
        assertThrows(FormatException.class, () -> SignedNote.parse(concat(new byte[] {(byte) 0xc0, (byte) 0xaf, '\n', '\n'},
                PETER_SIG.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void atMostOneHundredSignaturesAreAccepted() throws Exception {
        SignedNote hundred = SignedNote.parse(TEXT + "\n" + PETER_SIG.repeat(100));
        assertEquals(1, hundred.verify(List.of(peter())).size(), "duplicate signature lines count once");
        assertThrows(FormatException.class, () -> SignedNote.parse(TEXT + "\n" + PETER_SIG.repeat(101)));
        assertThrows(FormatException.class, () -> SignedNote.parse("x".repeat(SignedNote.MAX_BYTES) + "\n\n" + PETER_SIG));
    }

    @Test
    void twoDifferentTrustedKeysWithTheSameNameAndKeyIdAreAmbiguous() throws Exception {
        SignedNote note = SignedNote.parse(TEXT + "\n" + PETER_SIG);
        NoteVerifier impostor = new NoteVerifier() {
            public String name() { return "PeterNeumann"; }
            public int keyId() { return 0xc74f20a3; }
            public boolean verify(byte[] text, byte[] signature) { return true; }
        };
        noteRejected(Reason.AMBIGUOUS_KEY, () -> note.verify(List.of(peter(), impostor)));
        assertEquals(1, note.verify(List.of(peter(), peter())).size(), "the same key listed twice is not ambiguous");
    }

    @Test
    void addingSignaturesKeepsOrderAndDropsDuplicates() throws Exception {
        SignedNote note = SignedNote.parse(TEXT + "\n" + PETER_SIG);
        NoteSignature enochSig = SignedNote.parseSignatureLines(ENOCH_SIG).get(0);
        SignedNote more = note.withSignatures(List.of(note.signatures().get(0), enochSig));
        assertEquals(TEXT + "\n" + PETER_SIG + ENOCH_SIG, more.encode());
        assertEquals(more, SignedNote.parse(more.encode()));
        assertEquals(List.of(), SignedNote.parseSignatureLines(""));
        assertThrows(FormatException.class, () -> SignedNote.parseSignatureLines(ENOCH_SIG + "\n"));
    }

    @Test
    void notesMustBeBuiltFromValidParts() {
        NoteSignature sig = new NoteSignature("a", 1, new byte[] {1});
        assertThrows(IllegalArgumentException.class, () -> new SignedNote("no newline", List.of(sig)));
        assertThrows(IllegalArgumentException.class, () -> new SignedNote("bell\u0007\n", List.of(sig)));
        assertThrows(IllegalArgumentException.class, () -> new SignedNote("ok\n", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new NoteSignature("a b", 1, new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new NoteSignature("a", 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> SignedNote.sign("no newline", NoteSigner.ed25519(peterSigningKey())));
    }

    @Test
    void verifierKeysOfBothSupportedTypesParse() throws Exception {
        assertInstanceOf(NoteVerifier.Ed25519Verifier.class, NoteVerifier.parse(PETER_VKEY));
        CosignerKey witness = new CosignerKey(SigningKey.generate("witness.example/w1"));
        NoteVerifier parsed = NoteVerifier.parse(witness.vkey());
        assertInstanceOf(CosignatureVerifier.class, parsed);
        assertEquals(witness.verifier(), parsed);
        String[] bad = {
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a3", "PeterNeumann+c74f20a3+", "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+x",
        };
        for (String vkey : bad) assertThrows(FormatException.class, () -> NoteVerifier.parse(vkey), vkey);
    }

    @Test
    void signatureLinesCarryTheKeyIdBigEndianBeforeTheSignature() throws Exception {
        NoteSignature sig = SignedNote.parseSignatureLines(PETER_SIG).get(0);
        assertEquals("c74f20a3", sig.keyIdHex());
        assertArrayEquals(Hex.b64(PETER_SIG.substring("— PeterNeumann ".length(), PETER_SIG.length() - 1)), sig.encodedSignature());
        assertEquals(64, sig.signature().length);
        assertEquals(PETER_SIG, sig.line());
        assertTrue(sig.toString().startsWith("— PeterNeumann x08g"));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
