package io.parley.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.parley.log.NoteException.Reason;

/**
 * A C2SP signed note: text ending in a newline, a blank line, then one or more signature lines.
 *
 * <pre>
 * example.com/log
 * 42
 * qJ2w...=
 *
 * — example.com/log Az3grl...=
 * </pre>
 *
 * <p>Parsing follows signed-note "Format" strictly: valid UTF-8, no control characters but newline, the text is
 * everything up to and including the newline before the <em>last</em> blank line, and every remaining line is a
 * signature line. At most {@value #MAX_SIGNATURES} signatures (the spec requires accepting at least 16; Go's note
 * package uses 100) and {@value #MAX_BYTES} bytes, so that a hostile note cannot make a verifier do unbounded work.
 *
 * <p>The text is meaningless until {@link #verify} has returned: it must be ignored "unless the note is signed by a
 * trusted key and the signature has been verified".
 */
public record SignedNote(String text, List<NoteSignature> signatures) {

    /** Maximum number of signature lines accepted. */
    public static final int MAX_SIGNATURES = 100;
    /** Maximum size of an encoded note in bytes. */
    public static final int MAX_BYTES = 1 << 20;

    public SignedNote {
        if (text == null || text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
            throw new IllegalArgumentException("note text must end with a newline");
        }
        if (Text.firstControl(text) >= 0 || !Text.wellFormed(text)) {
            throw new IllegalArgumentException("note text must be UTF-8 without control characters other than newline");
        }
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty()) throw new IllegalArgumentException("a signed note has at least one signature");
        if (signatures.size() > MAX_SIGNATURES) {
            throw new IllegalArgumentException("a note may carry at most " + MAX_SIGNATURES + " signatures");
        }
    }

    /** Signs {@code text} with each signer, in order. */
    public static SignedNote sign(String text, NoteSigner... signers) {
        return sign(text, List.of(signers));
    }

    public static SignedNote sign(String text, List<? extends NoteSigner> signers) {
        if (text == null || text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
            throw new IllegalArgumentException("note text must end with a newline");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<NoteSignature> sigs = new ArrayList<>(signers.size());
        for (NoteSigner s : signers) sigs.add(new NoteSignature(s.name(), s.keyId(), s.sign(bytes)));
        return new SignedNote(text, sigs);
    }

    /** This note with more signatures appended (e.g. witness cosignatures); exact duplicates are dropped. */
    public SignedNote withSignatures(Collection<NoteSignature> more) {
        Set<NoteSignature> all = new LinkedHashSet<>(signatures);
        all.addAll(more);
        return new SignedNote(text, new ArrayList<>(all));
    }

    /** The exact text of the note: the text, a blank line and the signature lines. */
    public String encode() {
        StringBuilder sb = new StringBuilder(text.length() + 1 + 128 * signatures.size());
        sb.append(text).append('\n');
        for (NoteSignature s : signatures) sb.append(s.line());
        return sb.toString();
    }

    public byte[] encodeUtf8() {
        return encode().getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes signatures are computed over: the text as UTF-8, final newline included. */
    public byte[] textBytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a note received as bytes; the bytes must be strict UTF-8. */
    public static SignedNote parse(byte[] note) throws FormatException {
        if (note.length > MAX_BYTES) throw new FormatException("note is larger than " + MAX_BYTES + " bytes");
        return parse(Text.utf8(note, "note"));
    }

    /** Parses a note; does not verify anything. */
    public static SignedNote parse(String note) throws FormatException {
        if (note.length() > MAX_BYTES) throw new FormatException("note is larger than " + MAX_BYTES + " bytes");
        if (!Text.wellFormed(note)) throw new FormatException("note is not valid Unicode");
        int control = Text.firstControl(note);
        if (control >= 0) {
            throw new FormatException("note contains control character U+" + String.format("%04X", (int) note.charAt(control)));
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) throw new FormatException("note has no blank line before its signatures");
        String text = note.substring(0, split + 1);
        List<NoteSignature> sigs = parseSignatureLines(note.substring(split + 2));
        if (sigs.isEmpty()) throw new FormatException("note has no signatures");
        return new SignedNote(text, sigs);
    }

    /**
     * Parses a block of signature lines, each ending in a newline — the body of a tlog-witness add-checkpoint
     * response, for example. Empty input gives an empty list.
     */
    public static List<NoteSignature> parseSignatureLines(String lines) throws FormatException {
        if (lines.isEmpty()) return List.of();
        if (lines.charAt(lines.length() - 1) != '\n') throw new FormatException("signature lines must end with a newline");
        if (Text.firstControl(lines) >= 0 || !Text.wellFormed(lines)) {
            throw new FormatException("signature lines contain control characters or invalid Unicode");
        }
        List<NoteSignature> out = new ArrayList<>();
        int at = 0;
        while (at < lines.length()) {
            if (out.size() == MAX_SIGNATURES) throw new FormatException("more than " + MAX_SIGNATURES + " signatures");
            int nl = lines.indexOf('\n', at);
            out.add(NoteSignature.parseLine(lines.substring(at, nl)));
            at = nl + 1;
        }
        return out;
    }

    /**
     * Verifies the note against trusted keys, per signed-note "Signatures": signatures whose (name, key id) match no
     * trusted key are ignored; every signature that matches one must verify, else {@link Reason#INVALID_SIGNATURE};
     * and at least one must, else {@link Reason#NO_VERIFIED_SIGNATURE}.
     *
     * @return the verified signatures, in note order, without duplicates
     */
    public List<NoteSignature> verify(Collection<? extends NoteVerifier> trusted) throws NoteException {
        List<NoteSignature> ok = verifyKnown(trusted);
        if (ok.isEmpty()) {
            throw new NoteException(Reason.NO_VERIFIED_SIGNATURE, "note has no signature from a trusted key");
        }
        return ok;
    }

    /**
     * Like {@link #verify} but returns an empty list instead of failing when no trusted key signed — for counting
     * optional signatures such as witness cosignatures. A known key's bad signature still fails.
     */
    public List<NoteSignature> verifyKnown(Collection<? extends NoteVerifier> trusted) throws NoteException {
        Map<String, NoteVerifier> byId = new HashMap<>();
        Set<String> ambiguous = new LinkedHashSet<>();
        for (NoteVerifier v : trusted) {
            String id = v.name() + "+" + String.format("%08x", v.keyId());
            NoteVerifier prior = byId.putIfAbsent(id, v);
            if (prior != null && !prior.equals(v)) ambiguous.add(id);
        }
        byte[] bytes = textBytes();
        Set<NoteSignature> ok = new LinkedHashSet<>();
        for (NoteSignature s : signatures) {
            String id = s.name() + "+" + s.keyIdHex();
            NoteVerifier v = byId.get(id);
            if (v == null) continue;
            if (ambiguous.contains(id)) throw new NoteException(Reason.AMBIGUOUS_KEY, "several trusted keys are " + id);
            if (!v.verify(bytes, s.signatureUnsafe())) {
                throw new NoteException(Reason.INVALID_SIGNATURE, "signature by " + id + " does not verify");
            }
            ok.add(s);
        }
        return List.copyOf(ok);
    }

    @Override
    public String toString() {
        return encode();
    }
}
