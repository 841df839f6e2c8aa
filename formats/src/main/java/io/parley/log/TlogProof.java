package io.parley.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A C2SP tlog-proof ({@code c2sp.org/tlog-proof@v1}): an offline-verifiable proof that an entry is in a log — the
 * entry's index, its inclusion proof, optional opaque extra data and the log's checkpoint with witness cosignatures.
 *
 * <pre>
 * c2sp.org/tlog-proof@v1
 * extra &lt;base64, optional&gt;
 * index 73894
 * &lt;base64 hash, one per line, leaf's sibling first&gt;
 *
 * &lt;the signed checkpoint note, verbatim&gt;
 * </pre>
 *
 * <p>{@link #verify} performs the spec's steps 2–4 against keys the caller trusts; the caller does step 1 (computing
 * the leaf hash from data it has). The extra data is never authenticated and is returned only for the application
 * to interpret. Proofs SHOULD be stored with the file extension {@code .tlog-proof}.
 */
public record TlogProof(byte[] extra, long index, List<byte[]> inclusionProof, SignedNote checkpoint) {

    /** First line of every proof. */
    public static final String HEADER = "c2sp.org/tlog-proof@v1";
    /** An inclusion proof in a tree of at most 2^63 - 1 leaves has at most 63 hashes. */
    public static final int MAX_PROOF_HASHES = 63;

    public TlogProof {
        if (extra != null) {
            if (extra.length == 0) throw new IllegalArgumentException("extra data, if present, must not be empty");
            extra = extra.clone();
        }
        if (index < 0) throw new IllegalArgumentException("index must not be negative");
        if (inclusionProof.size() > MAX_PROOF_HASHES) throw new IllegalArgumentException("inclusion proof is too long");
        List<byte[]> copy = new ArrayList<>(inclusionProof.size());
        for (byte[] h : inclusionProof) copy.add(Rfc6962.requireHash(h, "inclusion proof hash").clone());
        inclusionProof = List.copyOf(copy);
        try {
            Checkpoint.of(checkpoint);
        } catch (FormatException e) {
            throw new IllegalArgumentException("the note is not a checkpoint: " + e.getMessage());
        }
    }

    /** A proof without extra data. */
    public TlogProof(long index, List<byte[]> inclusionProof, SignedNote checkpoint) {
        this(null, index, inclusionProof, checkpoint);
    }

    @Override
    public byte[] extra() {
        return extra == null ? null : extra.clone();
    }

    @Override
    public List<byte[]> inclusionProof() {
        List<byte[]> out = new ArrayList<>(inclusionProof.size());
        for (byte[] h : inclusionProof) out.add(h.clone());
        return out;
    }

    /** The checkpoint body of {@link #checkpoint()}; unverified until {@link #verify} says otherwise. */
    public Checkpoint checkpointBody() {
        try {
            return Checkpoint.of(checkpoint);
        } catch (FormatException e) {
            throw new IllegalStateException(e); // checked in the constructor
        }
    }

    public String encode() {
        StringBuilder sb = new StringBuilder(256 + 45 * inclusionProof.size());
        sb.append(HEADER).append('\n');
        if (extra != null) sb.append("extra ").append(Text.base64(extra)).append('\n');
        sb.append("index ").append(index).append('\n');
        for (byte[] h : inclusionProof) sb.append(Text.base64(h)).append('\n');
        sb.append('\n').append(checkpoint.encode());
        return sb.toString();
    }

    public byte[] encodeUtf8() {
        return encode().getBytes(StandardCharsets.UTF_8);
    }

    public static TlogProof parse(byte[] proof) throws FormatException {
        if (proof.length > SignedNote.MAX_BYTES + 8192) throw new FormatException("tlog-proof is too large");
        return parse(Text.utf8(proof, "tlog-proof"));
    }

    /** Parses a proof strictly: header, optional extra, index, hashes, a blank line, then a signed checkpoint. */
    public static TlogProof parse(String proof) throws FormatException {
        if (proof.length() > SignedNote.MAX_BYTES + 8192) throw new FormatException("tlog-proof is too large");
        Lines lines = new Lines(proof);
        if (!HEADER.equals(lines.next())) throw new FormatException("not a tlog-proof: first line must be " + HEADER);
        String line = lines.next();
        byte[] extra = null;
        if (line != null && line.startsWith("extra ")) {
            extra = Text.decodeBase64(line.substring("extra ".length()));
            if (extra == null) throw new FormatException("tlog-proof extra data is not base64");
            line = lines.next();
        }
        if (line == null || !line.startsWith("index ")) throw new FormatException("tlog-proof has no index line");
        long index = Text.parseDecimal(line.substring("index ".length()));
        if (index < 0) throw new FormatException("tlog-proof index is not a canonical decimal");
        List<byte[]> hashes = new ArrayList<>();
        while (true) {
            line = lines.next();
            if (line == null) throw new FormatException("tlog-proof has no blank line before the checkpoint");
            if (line.isEmpty()) break;
            if (hashes.size() == MAX_PROOF_HASHES) throw new FormatException("tlog-proof inclusion proof is too long");
            hashes.add(Text.decodeHash(line, "tlog-proof inclusion proof line"));
        }
        SignedNote note = SignedNote.parse(lines.rest());
        Checkpoint.of(note);
        return new TlogProof(extra, index, hashes, note);
    }

    /** What a successful {@link #verify} established. */
    public record Verified(Checkpoint checkpoint, List<NoteSignature> logSignatures, List<NoteSignature> witnessSignatures) {
        public Verified {
            logSignatures = List.copyOf(logSignatures);
            witnessSignatures = List.copyOf(witnessSignatures);
        }
    }

    /**
     * Verifies the proof for an entry whose RFC 6962 leaf hash the caller computed (tlog-proof step 1):
     * <ol start="2">
     * <li>the checkpoint's origin is {@code origin} and a key in {@code logKeys} signed it;</li>
     * <li>every cosignature from a key in {@code witnesses} verifies, and at least {@code witnessQuorum} distinct
     * witnesses cosigned (a simple k-of-n policy; pass 0 to count only);</li>
     * <li>the inclusion proof binds the leaf hash at {@link #index()} to the checkpoint's root and size.</li>
     * </ol>
     *
     * @throws NoteException  if a log or witness signature fails, or no log key signed
     * @throws ProofException if the origin, the witness quorum or the inclusion proof fails
     */
    public Verified verify(byte[] leafHash, String origin, Collection<? extends NoteVerifier> logKeys,
                           Collection<? extends NoteVerifier> witnesses, int witnessQuorum) throws VerificationException {
        Checkpoint cp = checkpointBody();
        if (!cp.origin().equals(origin)) {
            throw new ProofException(ProofException.Reason.ORIGIN_MISMATCH, "checkpoint is for origin '"
                    + Text.abbreviate(cp.origin()) + "', not '" + origin + "'");
        }
        List<NoteSignature> logSigs = checkpoint.verify(logKeys);
        List<NoteSignature> witnessSigs = checkpoint.verifyKnown(witnesses);
        Set<String> distinct = new LinkedHashSet<>();
        for (NoteSignature s : witnessSigs) distinct.add(s.name() + "+" + s.keyIdHex());
        if (distinct.size() < witnessQuorum) {
            throw new ProofException(ProofException.Reason.WITNESS_QUORUM_NOT_MET, distinct.size()
                    + " known witnesses cosigned, policy requires " + witnessQuorum);
        }
        MerkleProofs.verifyInclusion(leafHash, index, cp.size(), inclusionProof, cp.rootHash());
        return new Verified(cp, logSigs, witnessSigs);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlogProof p) || p.index != index || !Arrays.equals(p.extra, extra)
                || !p.checkpoint.equals(checkpoint) || p.inclusionProof.size() != inclusionProof.size()) {
            return false;
        }
        for (int i = 0; i < inclusionProof.size(); i++) {
            if (!Arrays.equals(p.inclusionProof.get(i), inclusionProof.get(i))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(index) * 31 + Arrays.hashCode(extra);
        for (byte[] b : inclusionProof) h = h * 31 + Arrays.hashCode(b);
        return h * 31 + checkpoint.hashCode();
    }

    @Override
    public String toString() {
        return encode();
    }

    /** Newline-terminated line reader over a text, with access to the unread remainder. */
    static final class Lines {
        private final String text;
        private int at;

        Lines(String text) {
            this.text = text;
        }

        /** The next line without its newline, or null if no complete line is left. */
        String next() {
            int nl = text.indexOf('\n', at);
            if (nl < 0) return null;
            String line = text.substring(at, nl);
            at = nl + 1;
            return line;
        }

        String rest() {
            return text.substring(at);
        }
    }
}
