package io.parley.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of a C2SP tlog-witness {@code add-checkpoint} request: the old size the log believes the witness has, a
 * consistency proof from it, a blank line and the signed checkpoint.
 *
 * <pre>
 * old 20852014
 * PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
 * ...
 *
 * example.com/behind-the-sofa
 * ...
 * </pre>
 *
 * <p>Parsing checks only the syntax (old size a canonical decimal, at most 63 base64 hashes, a signed note whose
 * text is a checkpoint). The witness's checks — signature, old size against its state (409), old size not above the
 * new (400), proof and roots ({@link MerkleProofs#verifyConsistency}, 422) — are the caller's, in that order.
 */
public record AddCheckpointRequest(long oldSize, List<byte[]> consistencyProof, SignedNote checkpoint) {

    /** "The client MUST NOT send more than 63 consistency proof lines." */
    public static final int MAX_PROOF_LINES = 63;

    public AddCheckpointRequest {
        if (oldSize < 0) throw new IllegalArgumentException("old size must not be negative");
        if (consistencyProof.size() > MAX_PROOF_LINES) throw new IllegalArgumentException("consistency proof is too long");
        List<byte[]> copy = new ArrayList<>(consistencyProof.size());
        for (byte[] h : consistencyProof) copy.add(Rfc6962.requireHash(h, "consistency proof hash").clone());
        consistencyProof = List.copyOf(copy);
        try {
            Checkpoint.of(checkpoint);
        } catch (FormatException e) {
            throw new IllegalArgumentException("the note is not a checkpoint: " + e.getMessage());
        }
    }

    @Override
    public List<byte[]> consistencyProof() {
        List<byte[]> out = new ArrayList<>(consistencyProof.size());
        for (byte[] h : consistencyProof) out.add(h.clone());
        return out;
    }

    public Checkpoint checkpointBody() {
        try {
            return Checkpoint.of(checkpoint);
        } catch (FormatException e) {
            throw new IllegalStateException(e);
        }
    }

    public String encode() {
        StringBuilder sb = new StringBuilder(64 + 45 * consistencyProof.size());
        sb.append("old ").append(oldSize).append('\n');
        for (byte[] h : consistencyProof) sb.append(Text.base64(h)).append('\n');
        sb.append('\n').append(checkpoint.encode());
        return sb.toString();
    }

    public byte[] encodeUtf8() {
        return encode().getBytes(StandardCharsets.UTF_8);
    }

    public static AddCheckpointRequest parse(byte[] body) throws FormatException {
        if (body.length > SignedNote.MAX_BYTES + 4096) throw new FormatException("request is too large");
        return parse(Text.utf8(body, "add-checkpoint request"));
    }

    public static AddCheckpointRequest parse(String body) throws FormatException {
        if (body.length() > SignedNote.MAX_BYTES + 4096) throw new FormatException("request is too large");
        TlogProof.Lines lines = new TlogProof.Lines(body);
        String line = lines.next();
        if (line == null || !line.startsWith("old ")) throw new FormatException("request must start with an old size line");
        long oldSize = Text.parseDecimal(line.substring("old ".length()));
        if (oldSize < 0) throw new FormatException("old size is not a canonical decimal");
        List<byte[]> proof = new ArrayList<>();
        while (true) {
            line = lines.next();
            if (line == null) throw new FormatException("request has no blank line before the checkpoint");
            if (line.isEmpty()) break;
            if (proof.size() == MAX_PROOF_LINES) throw new FormatException("more than 63 consistency proof lines");
            proof.add(Text.decodeHash(line, "consistency proof line"));
        }
        SignedNote note = SignedNote.parse(lines.rest());
        Checkpoint.of(note);
        return new AddCheckpointRequest(oldSize, proof, note);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AddCheckpointRequest r) || r.oldSize != oldSize || !r.checkpoint.equals(checkpoint)
                || r.consistencyProof.size() != consistencyProof.size()) {
            return false;
        }
        for (int i = 0; i < consistencyProof.size(); i++) {
            if (!Arrays.equals(r.consistencyProof.get(i), consistencyProof.get(i))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(oldSize);
        for (byte[] b : consistencyProof) h = h * 31 + Arrays.hashCode(b);
        return h * 31 + checkpoint.hashCode();
    }

    @Override
    public String toString() {
        return encode();
    }
}
